//! Tests of the Service views: list rows and describe.

use super::*;
use serde_json::json;

fn now() -> Timestamp {
    "2026-01-01T00:05:00Z".parse().unwrap()
}

fn ready(time: &str) -> serde_json::Value {
    json!([
        {"type": "Ready", "status": "True", "lastTransitionTime": time},
        {"type": "ConfigurationsReady", "status": "True", "lastTransitionTime": time},
        {"type": "RoutesReady", "status": "True", "lastTransitionTime": time}
    ])
}

fn service(verbose_fields: bool) -> Service {
    let mut value = json!({
        "metadata": {"name": "hello", "namespace": "default",
                     "labels": {"app": "web", "team": "a"},
                     "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"template": {"spec": {"containers": [{"image": "x"}]}}},
        "status": {"url": "http://hello.default.example.com",
                   "conditions": ready("2026-01-01T00:04:00Z"),
                   "latestReadyRevisionName": "hello-00002",
                   "latestCreatedRevisionName": "hello-00002"}
    });
    if verbose_fields {
        value["metadata"]["labels"] = json!(null);
        value["metadata"]["annotations"] = json!({
            "serving.knative.dev/creator": "kube:admin",
            "serving.knative.dev/lastModifier": "kube:admin"
        });
        value["status"]["address"] = json!({"url": "http://hello.default.svc.cluster.local"});
        value["spec"]["template"]["spec"]["serviceAccountName"] = json!("default-sa");
    }
    serde_json::from_value(value).unwrap()
}

fn revision(name: &str, generation: &str, created: &str, verbose_fields: bool) -> Revision {
    let mut value = json!({
        "metadata": {"name": name, "namespace": "default", "creationTimestamp": created,
                     "labels": {"serving.knative.dev/configurationGeneration": generation},
                     "annotations": {"client.knative.dev/user-image": "gcr.io/knative-samples/helloworld-go"}},
        "spec": {"containers": [{"name": "user-container",
                                 "image": "gcr.io/knative-samples/helloworld-go@sha256:5ea96ba4b8"}]},
        "status": {"conditions": [{"type": "Ready", "status": "True"}],
                   "containerStatuses": [{"name": "user-container", "imageDigest": "gcr.io/knative-samples/helloworld-go@sha256:5ea96ba4b8"}],
                   "actualReplicas": 1, "desiredReplicas": 1}
    });
    if name.ends_with('1') {
        value["status"]["actualReplicas"] = json!(0);
        value["status"]["desiredReplicas"] = json!(0);
    }
    if verbose_fields {
        let c = &mut value["spec"]["containers"][0];
        c["ports"] = json!([{"containerPort": 8080}]);
        if name.ends_with('2') {
            c["env"] = json!([{"name": "TARGET", "value": "Knative"}, {"name": "FOO", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]);
            c["envFrom"] = json!([{"configMapRef": {"name": "myconfig"}}]);
            c["resources"] = json!({"requests": {"memory": "64Mi", "cpu": "100m"}, "limits": {"memory": "256Mi"}});
            value["spec"]["containerConcurrency"] = json!(100);
            let a = &mut value["metadata"]["annotations"];
            a["autoscaling.knative.dev/min-scale"] = json!("1");
            a["autoscaling.knative.dev/target"] = json!("10");
        }
    }
    serde_json::from_value(value).unwrap()
}

#[test]
fn describe_matches_kns_sample() {
    let revisions = vec![
        RevisionDesc {
            revision: revision("hello-00002", "2", "2026-01-01T00:04:00Z", false),
            percent: 100,
            tag: String::new(),
            latest_traffic: Some(true),
            latest_created: true,
            latest_ready: true,
            known: Known::Revision,
        },
        RevisionDesc {
            revision: revision("hello-00001", "1", "2026-01-01T00:00:00Z", false),
            percent: 0,
            tag: "old".into(),
            latest_traffic: Some(false),
            latest_created: false,
            latest_ready: false,
            known: Known::Revision,
        },
    ];
    assert_eq!(
        describe(&service(false), &revisions, false, now()),
        "Name:       hello\n\
             Namespace:  default\n\
             Labels:     app=web, team=a\n\
             Age:        5m\n\
             URL:        http://hello.default.example.com\n\
             \n\
             Revisions:  \n  \
             100%  @latest (hello-00002) [2] (1m)\n        \
             Image:     gcr.io/knative-samples/helloworld-go (pinned to 5ea96b)\n        \
             Replicas:  1/1\n     \
             +  hello-00001 #old [1] (5m)\n        \
             Image:     gcr.io/knative-samples/helloworld-go (pinned to 5ea96b)\n        \
             Replicas:  0/0\n\
             \n\
             Conditions:  \n  \
             OK TYPE                   AGE REASON\n  \
             ++ Ready                   1m \n  \
             ++ ConfigurationsReady     1m \n  \
             ++ RoutesReady             1m \n"
    );
}

#[test]
fn verbose_describe_matches_kns_sample() {
    let revisions = vec![
        RevisionDesc {
            revision: revision("hello-00002", "2", "2026-01-01T00:04:00Z", true),
            percent: 100,
            tag: String::new(),
            latest_traffic: Some(true),
            latest_created: true,
            latest_ready: true,
            known: Known::Revision,
        },
        RevisionDesc {
            revision: revision("hello-00001", "1", "2026-01-01T00:00:00Z", true),
            percent: 0,
            tag: String::new(),
            latest_traffic: None,
            latest_created: false,
            latest_ready: false,
            known: Known::Revision,
        },
    ];
    assert_eq!(
        describe(&service(true), &revisions, true, now()),
        "Name:             hello\n\
             Namespace:        default\n\
             Annotations:      serving.knative.dev/creator=kube:admin\n                  \
             serving.knative.dev/lastModifier=kube:admin\n\
             Age:              5m\n\
             URL:              http://hello.default.example.com\n\
             Cluster:          http://hello.default.svc.cluster.local\n\
             Service Account:  default-sa\n\
             \n\
             Revisions:  \n  \
             100%  @latest (hello-00002) [2] (1m)\n        \
             Image:        gcr.io/knative-samples/helloworld-go (pinned to 5ea96b)\n        \
             Replicas:     1/1\n        \
             Port:         8080\n        \
             Env:          TARGET=Knative\n                      \
             FOO=[ref]\n        \
             EnvFrom:      cm:myconfig\n        \
             Scale:        1 ... ∞\n        \
             Concurrency:  \n          \
             Limit:      100\n          \
             Target:     10\n        \
             Memory:       64Mi ... 256Mi\n        \
             CPU:          100m\n     \
             +  hello-00001 [1] (5m)\n        \
             Image:     gcr.io/knative-samples/helloworld-go (pinned to 5ea96b)\n        \
             Replicas:  0/0\n        \
             Port:      8080\n\
             \n\
             Conditions:  \n  \
             OK TYPE                   AGE REASON\n  \
             ++ Ready                   1m \n  \
             ++ ConfigurationsReady     1m \n  \
             ++ RoutesReady             1m \n"
    );
}

#[test]
fn bars_round_but_never_hide_a_share() {
    let cells: Vec<usize> = [0, 1, 2, 3, 50, 97, 99, 100].map(bar_cells).to_vec();
    assert_eq!(cells, vec![0, 1, 1, 1, 10, 19, 19, 20]);
}

#[test]
fn traffic_bars_are_coloured() {
    let mut s = service(false);
    s.status.traffic = vec![crate::api::serving::TrafficTarget {
        revision_name: "hello-00001".into(),
        latest_revision: Some(false),
        percent: Some(100),
        tag: "v1".into(),
        url: "http://v1-hello.default.example.com".into(),
        ..Default::default()
    }];
    assert_eq!(
        traffic_bars(&s),
        "  \u{1b}[32m████████████████████\u{1b}[0m  \u{1b}[1m100%\u{1b}[0m  \
             \u{1b}[36m#v1\u{1b}[0m  hello-00001  http://v1-hello.default.example.com\n"
    );
}

#[test]
fn list_table_with_namespaces() {
    let a = service(false);
    let mut b = service(false);
    b.metadata.namespace = "abc".into();
    b.metadata.name = "zeta".into();
    let table = list_table(&[a, b], true, now());
    assert_eq!(
        table.render(true),
        "NAMESPACE   NAME    URL                                LATEST        AGE   CONDITIONS   READY   REASON\n\
             abc         zeta    http://hello.default.example.com   hello-00002   5m    3 OK / 3     True    \n\
             default     hello   http://hello.default.example.com   hello-00002   5m    3 OK / 3     True    \n"
    );
}
