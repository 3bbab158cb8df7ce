//! Serving controllers driven end to end over the in-memory cluster: events go through each
//! controller's `keys_for` and reconciles run one at a time until nothing changes, checking
//! the exact objects and the intermediate states of reference §2.4–2.10.

use std::collections::VecDeque;

use serde_json::{Value, json};

use super::*;
use crate::cluster::ClusterApi;
use crate::controllers::{Controller, Requeue};
use crate::knative::testing::FakeCluster;
use crate::resource::{GroupResource, ObjectKey};

const USER: &str = "alice";

struct Harness {
    cluster: FakeCluster,
    controllers: Vec<Box<dyn Controller>>,
}

fn harness_with(config: crate::Config) -> Harness {
    Harness {
        cluster: FakeCluster::new(config),
        controllers: controllers(),
    }
}

fn harness() -> Harness {
    harness_with(crate::Config {
        domain: "example.com".into(),
        ..Default::default()
    })
}

impl Harness {
    fn create(&self, gr: GroupResource, obj: Value) -> Result<Value, String> {
        self.cluster
            .create_as(&gr, obj, USER)
            .map_err(|e| e.message)
    }

    fn get(&self, gr: GroupResource, name: &str) -> Value {
        self.cluster
            .get(&gr, "default", name)
            .unwrap_or_else(|e| panic!("{}", e.message))
    }

    /// Hands every pending event to every controller and reconciles until quiet. Requeued
    /// keys run once the queue is empty (time passes only then).
    fn settle(&self) {
        let mut queue: VecDeque<(usize, ObjectKey)> = VecDeque::new();
        let mut later: Vec<(usize, ObjectKey)> = Vec::new();
        for _ in 0..10_000 {
            while let Some(event) = self.cluster.events.lock().unwrap().pop_front() {
                for (i, c) in self.controllers.iter().enumerate() {
                    for key in c.keys_for(&event.event(), &self.cluster) {
                        if !queue.contains(&(i, key.clone())) {
                            queue.push_back((i, key));
                        }
                    }
                }
            }
            let Some((i, key)) = queue.pop_front() else {
                if later.is_empty() {
                    return;
                }
                queue.extend(later.drain(..));
                continue;
            };
            match self.controllers[i].reconcile(&key, &self.cluster) {
                Ok(Requeue::Done) => {}
                Ok(Requeue::After(_)) => {
                    if !later.contains(&(i, key.clone())) {
                        later.push((i, key));
                    }
                }
                Err(e) => panic!(
                    "{} reconcile of {key:?} failed: {}",
                    self.controllers[i].name(),
                    e.message
                ),
            }
        }
        panic!("controllers did not settle");
    }

    /// Status writes of one object, in order.
    fn status_history(&self, resource: &str, name: &str) -> Vec<Value> {
        self.cluster
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|(verb, r, n, _)| verb == "update_status" && r == resource && n == name)
            .map(|(_, _, _, obj)| obj["status"].clone())
            .collect()
    }
}

/// Replaces what varies between runs (uids, times, resourceVersions) with placeholders.
fn redact(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match k.as_str() {
                        "uid" | "resourceVersion" | "creationTimestamp" => json!(k.to_uppercase()),
                        "lastTransitionTime" | "serving.knative.dev/routingStateModified" => {
                            json!("T")
                        }
                        "serving.knative.dev/serviceUID"
                        | "serving.knative.dev/configurationUID" => json!("UID"),
                        _ => redact(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(redact).collect()),
        other => other.clone(),
    }
}

fn ksvc(name: &str, image: &str) -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}},
    })
}

/// `(type, status, reason)` of every condition.
fn conds(status: &Value) -> Vec<(String, String, String)> {
    status["conditions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
                    (s("type"), s("status"), s("reason"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn cond<'a>(status: &'a Value, t: &str) -> &'a Value {
    status["conditions"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["type"] == t))
        .unwrap_or(&Value::Null)
}

fn c3(t: &str, s: &str, r: &str) -> (String, String, String) {
    (t.to_string(), s.to_string(), r.to_string())
}

fn digest_of(image_context: &str, image: &str) -> String {
    format!(
        "{image_context}@sha256:{}",
        crate::knative::names::sha256_hex(image.as_bytes())
    )
}

fn update_service(h: &Harness, name: &str, f: impl FnOnce(&mut Value)) -> Result<Value, String> {
    let mut s = h.get(services(), name);
    f(&mut s);
    h.cluster
        .update(&services(), s)
        .map(std::sync::Arc::unwrap_or_clone)
        .map_err(|e| e.message)
}

const IMAGE: &str = "ghcr.io/knative/helloworld-go:latest";

#[test]
fn happy_path_objects() {
    let h = harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();

    let svc = h.get(services(), "hello");
    assert_eq!(
        redact(&svc["status"]),
        json!({
            "address": {"url": "http://hello.default.svc.cluster.local"},
            "conditions": [
                {"type": "ConfigurationsReady", "status": "True", "lastTransitionTime": "T"},
                {"type": "Ready", "status": "True", "lastTransitionTime": "T"},
                {"type": "RoutesReady", "status": "True", "lastTransitionTime": "T"},
            ],
            "latestCreatedRevisionName": "hello-00001",
            "latestReadyRevisionName": "hello-00001",
            "observedGeneration": 1,
            "traffic": [{"latestRevision": true, "percent": 100, "revisionName": "hello-00001"}],
            "url": "http://hello.default.example.com",
        })
    );

    let owner = |kind: &str, name: &str| {
        json!([{"apiVersion": "serving.knative.dev/v1", "kind": kind, "name": name, "uid": "UID",
                "controller": true, "blockOwnerDeletion": true}])
    };
    let config = redact(&h.get(configurations(), "hello"));
    assert_eq!(
        config["metadata"],
        json!({
            "name": "hello", "namespace": "default", "generation": 1,
            "uid": "UID", "resourceVersion": "RESOURCEVERSION", "creationTimestamp": "CREATIONTIMESTAMP",
            "labels": {"serving.knative.dev/service": "hello", "serving.knative.dev/serviceUID": "UID"},
            "annotations": {"serving.knative.dev/creator": USER, "serving.knative.dev/lastModifier": USER,
                            "serving.knative.dev/routes": "hello"},
            "ownerReferences": owner("Service", "hello"),
        })
    );
    assert_eq!(config["spec"]["template"], svc["spec"]["template"]);
    assert_eq!(
        config["status"],
        json!({"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "T"}],
               "latestCreatedRevisionName": "hello-00001", "latestReadyRevisionName": "hello-00001",
               "observedGeneration": 1})
    );

    let rev = redact(&h.get(revisions(), "hello-00001"));
    assert_eq!(
        rev["metadata"],
        json!({
            "name": "hello-00001", "namespace": "default", "generation": 1,
            "uid": "UID", "resourceVersion": "RESOURCEVERSION", "creationTimestamp": "CREATIONTIMESTAMP",
            "labels": {
                "serving.knative.dev/configuration": "hello",
                "serving.knative.dev/configurationGeneration": "1",
                "serving.knative.dev/configurationUID": "UID",
                "serving.knative.dev/routingState": "active",
                "serving.knative.dev/service": "hello",
                "serving.knative.dev/serviceUID": "UID",
            },
            "annotations": {"serving.knative.dev/creator": USER, "serving.knative.dev/routes": "hello",
                            "serving.knative.dev/routingStateModified": "T"},
            "ownerReferences": owner("Configuration", "hello"),
        })
    );
    assert_eq!(rev["spec"], svc["spec"]["template"]["spec"]);
    assert_eq!(
        rev["status"],
        json!({
            "actualReplicas": 1, "desiredReplicas": 1,
            "conditions": [
                {"type": "Active", "status": "True", "severity": "Info", "lastTransitionTime": "T"},
                {"type": "ContainerHealthy", "status": "True", "lastTransitionTime": "T"},
                {"type": "Ready", "status": "True", "lastTransitionTime": "T"},
                {"type": "ResourcesAvailable", "status": "True", "lastTransitionTime": "T"},
            ],
            "containerStatuses": [{"name": "user-container", "imageDigest": digest_of("ghcr.io/knative/helloworld-go", IMAGE)}],
            "observedGeneration": 1,
        })
    );

    let route = redact(&h.get(routes(), "hello"));
    assert_eq!(
        route["metadata"],
        json!({
            "name": "hello", "namespace": "default", "generation": 1,
            "uid": "UID", "resourceVersion": "RESOURCEVERSION", "creationTimestamp": "CREATIONTIMESTAMP",
            "labels": {"serving.knative.dev/service": "hello"},
            "annotations": {"serving.knative.dev/creator": USER, "serving.knative.dev/lastModifier": USER},
            "finalizers": ["routes.serving.knative.dev"],
            "ownerReferences": owner("Service", "hello"),
        })
    );
    assert_eq!(
        route["spec"],
        json!({"traffic": [{"configurationName": "hello", "latestRevision": true, "percent": 100}]})
    );
    assert_eq!(
        route["status"],
        json!({
            "address": {"url": "http://hello.default.svc.cluster.local"},
            "conditions": [
                {"type": "AllTrafficAssigned", "status": "True", "lastTransitionTime": "T"},
                {"type": "CertificateProvisioned", "status": "True", "reason": "TLSNotEnabled",
                 "message": "external-domain-tls is not enabled", "lastTransitionTime": "T"},
                {"type": "IngressReady", "status": "True", "lastTransitionTime": "T"},
                {"type": "Ready", "status": "True", "lastTransitionTime": "T"},
            ],
            "observedGeneration": 1,
            "traffic": [{"latestRevision": true, "percent": 100, "revisionName": "hello-00001"}],
            "url": "http://hello.default.example.com",
        })
    );
}

#[test]
fn service_readiness_timeline() {
    let h = harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    let history = h.status_history("services", "hello");
    // Collapse to (Ready reason, ConfigurationsReady, RoutesReady) per write.
    let steps: Vec<Vec<(String, String, String)>> = history.iter().map(conds).collect();
    let first = &history[0];
    assert_eq!(first["observedGeneration"], 1);
    assert_eq!(
        steps[0],
        vec![
            c3("ConfigurationsReady", "Unknown", "OutOfDate"),
            c3("Ready", "Unknown", "OutOfDate"),
            c3("RoutesReady", "Unknown", "OutOfDate")
        ]
    );
    assert_eq!(
        cond(first, "Ready")["message"],
        "The Route is still working to reflect the latest desired specification."
    );
    // Waiting for the revision, with the URL already known.
    let waiting = history
        .iter()
        .find(|s| cond(s, "RoutesReady")["reason"] == "RevisionMissing")
        .expect("a RevisionMissing step");
    assert_eq!(cond(waiting, "ConfigurationsReady")["status"], "Unknown");
    assert_eq!(cond(waiting, "ConfigurationsReady").get("reason"), None);
    assert_eq!(waiting["latestCreatedRevisionName"], "hello-00001");
    assert_eq!(
        cond(waiting, "Ready")["message"],
        "Configuration \"hello\" is waiting for a Revision to become ready."
    );
    assert_eq!(waiting["url"], "http://hello.default.example.com");
    assert!(waiting.get("traffic").is_none());
    // Ingress not yet configured, with address and traffic present.
    let ingress = history
        .iter()
        .find(|s| cond(s, "RoutesReady")["reason"] == "IngressNotConfigured")
        .expect("an IngressNotConfigured step");
    assert_eq!(cond(ingress, "ConfigurationsReady")["status"], "True");
    assert_eq!(ingress["latestReadyRevisionName"], "hello-00001");
    assert_eq!(
        cond(ingress, "Ready")["message"],
        "Ingress has not yet been reconciled."
    );
    assert!(ingress.get("address").is_some() && ingress.get("traffic").is_some());
    // The order of the phases, and Ready True only at the end.
    let phase = |s: &Value| {
        cond(s, "Ready")["reason"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let mut phases: Vec<String> = history.iter().map(phase).collect();
    phases.dedup();
    let pos = |p: &str| {
        phases
            .iter()
            .position(|x| x == p)
            .unwrap_or_else(|| panic!("{p} in {phases:?}"))
    };
    assert!(pos("OutOfDate") < pos("RevisionMissing"));
    assert!(pos("RevisionMissing") < pos("IngressNotConfigured"));
    assert_eq!(cond(history.last().unwrap(), "Ready")["status"], "True");
    assert!(
        history[..history.len() - 1]
            .iter()
            .all(|s| cond(s, "Ready")["status"] != "True")
    );
}

#[test]
fn revision_passes_through_resolving_and_deploying() {
    let h = harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    let history = h.status_history("revisions", "hello-00001");
    let ready_reasons: Vec<String> = history
        .iter()
        .map(|s| {
            cond(s, "Ready")["reason"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(ready_reasons, vec!["ResolvingDigests", "Deploying", ""]);
    assert_eq!(
        conds(&history[1]),
        vec![
            c3("Active", "Unknown", "Deploying"),
            c3("ContainerHealthy", "Unknown", "Deploying"),
            c3("Ready", "Unknown", "Deploying"),
            c3("ResourcesAvailable", "Unknown", "Deploying")
        ]
    );
    assert!(history[0].get("containerStatuses").is_none());
    assert!(history[1].get("containerStatuses").is_some());
}

#[test]
fn update_creates_second_revision_and_moves_traffic() {
    let h = harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    update_service(&h, "hello", |s| {
        s["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.25")
    })
    .unwrap();
    h.settle();
    let svc = h.get(services(), "hello");
    assert_eq!(svc["status"]["latestCreatedRevisionName"], "hello-00002");
    assert_eq!(svc["status"]["latestReadyRevisionName"], "hello-00002");
    assert_eq!(
        svc["status"]["traffic"],
        json!([{"latestRevision": true, "percent": 100, "revisionName": "hello-00002"}])
    );
    assert_eq!(cond(&svc["status"], "Ready")["status"], "True");
    assert_eq!(svc["status"]["observedGeneration"], 2);

    let rev2 = h.get(revisions(), "hello-00002");
    assert_eq!(
        rev2["metadata"]["labels"]["serving.knative.dev/configurationGeneration"],
        "2"
    );
    assert_eq!(
        rev2["status"]["containerStatuses"],
        json!([{"name": "user-container", "imageDigest": digest_of("index.docker.io/library/nginx", "nginx:1.25")}])
    );
    // The old revision is no longer routed to.
    let rev1 = h.get(revisions(), "hello-00001");
    assert_eq!(
        rev1["metadata"]["labels"]["serving.knative.dev/routingState"],
        "reserve"
    );
    assert!(
        rev1["metadata"]["annotations"]
            .get("serving.knative.dev/routes")
            .is_none()
    );
    // A metadata-only change creates no revision.
    update_service(&h, "hello", |s| {
        s["metadata"]["labels"] = json!({"team": "a"})
    })
    .unwrap();
    h.settle();
    assert!(
        h.cluster
            .get(&revisions(), "default", "hello-00003")
            .is_err()
    );
    assert_eq!(
        h.get(configurations(), "hello")["metadata"]["labels"]["team"],
        "a"
    );
    assert_eq!(
        h.get(configurations(), "hello")["metadata"]["generation"],
        2
    );
}

#[test]
fn tags_and_traffic_split() {
    let h = harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    update_service(&h, "hello", |s| {
        s["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx");
        s["spec"]["traffic"] = json!([
            {"tag": "current", "revisionName": "hello-00001", "percent": 50},
            {"tag": "latest", "latestRevision": true, "percent": 50}]);
    })
    .unwrap();
    h.settle();
    let svc = h.get(services(), "hello");
    assert_eq!(
        svc["status"]["traffic"],
        json!([
            {"latestRevision": false, "percent": 50, "revisionName": "hello-00001", "tag": "current",
             "url": "http://current-hello.default.example.com"},
            {"latestRevision": true, "percent": 50, "revisionName": "hello-00002", "tag": "latest",
             "url": "http://latest-hello.default.example.com"},
        ])
    );
    assert_eq!(cond(&svc["status"], "Ready")["status"], "True");
    // Both revisions are routed to.
    for rev in ["hello-00001", "hello-00002"] {
        assert_eq!(
            h.get(revisions(), rev)["metadata"]["labels"]["serving.knative.dev/routingState"],
            "active"
        );
    }
}

#[test]
fn same_revision_targets_are_merged() {
    let h = harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    update_service(&h, "hello", |s| {
        s["spec"]["traffic"] = json!([
            {"revisionName": "hello-00001", "percent": 40},
            {"revisionName": "hello-00001", "percent": 60}]);
    })
    .unwrap();
    h.settle();
    let route = h.get(routes(), "hello");
    assert_eq!(
        route["status"]["traffic"],
        json!([{"latestRevision": false, "percent": 100, "revisionName": "hello-00001"}])
    );
}

#[test]
fn bring_your_own_revision_names() {
    let h = harness();
    let mut svc = ksvc("hello", IMAGE);
    svc["spec"]["template"]["metadata"] = json!({"name": "hello-one"});
    h.create(services(), svc).unwrap();
    h.settle();
    assert_eq!(
        h.get(services(), "hello")["status"]["latestReadyRevisionName"],
        "hello-one"
    );
    // Changing the template without a new name is refused.
    let err = update_service(&h, "hello", |s| {
        s["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx")
    })
    .unwrap_err();
    assert!(err.starts_with("admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: Saw the following changes without a name change (-old +new): spec.template.metadata.name\n"), "{err}");
    // With a new name it works.
    update_service(&h, "hello", |s| {
        s["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx");
        s["spec"]["template"]["metadata"]["name"] = json!("hello-two");
    })
    .unwrap();
    h.settle();
    let svc = h.get(services(), "hello");
    assert_eq!(svc["status"]["latestReadyRevisionName"], "hello-two");
    assert_eq!(svc["status"]["traffic"][0]["revisionName"], "hello-two");
}

#[test]
fn byo_name_taken_by_another_service() {
    let h = harness();
    let mut a = ksvc("a", IMAGE);
    a["spec"]["template"]["metadata"] = json!({"name": "a-one"});
    h.create(services(), a).unwrap();
    h.settle();
    // A revision that already has the BYO name but belongs to nobody.
    let mut b = ksvc("b", IMAGE);
    b["spec"]["template"]["metadata"] = json!({"name": "b-one"});
    let foreign = json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Revision",
        "metadata": {"name": "b-one", "namespace": "default"},
        "spec": {"containers": [{"image": "nginx"}]},
    });
    h.create(revisions(), foreign).unwrap();
    h.create(services(), b).unwrap();
    h.settle();
    let config = h.get(configurations(), "b");
    assert_eq!(
        cond(&config["status"], "Ready"),
        &json!({"type": "Ready", "status": "False", "reason": "RevisionFailed",
                "message": "Revision creation failed with message: revisions.serving.knative.dev \"b-one\" already exists.",
                "lastTransitionTime": cond(&config["status"], "Ready")["lastTransitionTime"]})
    );
    let svc = h.get(services(), "b");
    assert_eq!(
        cond(&svc["status"], "RoutesReady")["reason"],
        "RevisionNameTaken"
    );
    assert_eq!(
        cond(&svc["status"], "RoutesReady")["message"],
        "The revision name \"b-one\" is taken by a conflicting Revision, so traffic will not be migrated"
    );
    assert_eq!(cond(&svc["status"], "Ready")["reason"], "RevisionNameTaken");
    assert!(h.cluster.get(&routes(), "default", "b").is_err());
}

fn unfetchable_harness() -> Harness {
    harness_with(crate::Config {
        domain: "example.com".into(),
        unfetchable_images: vec!["*does-not-exist*".into()],
        ..Default::default()
    })
}

const MISSING_MSG: &str = "Unable to fetch image \"docker.io/knit/does-not-exist:v1\": failed to resolve image to digest: HEAD https://index.docker.io/v2/knit/does-not-exist/manifests/v1: unexpected status code 401 Unauthorized (HEAD responses have no body, use GET for details)";

#[test]
fn unfetchable_image_on_create() {
    let h = unfetchable_harness();
    h.create(
        services(),
        ksvc("hello", "docker.io/knit/does-not-exist:v1"),
    )
    .unwrap();
    h.settle();
    let rev = h.get(revisions(), "hello-00001");
    assert_eq!(
        conds(&rev["status"]),
        vec![
            c3("ContainerHealthy", "False", "ContainerMissing"),
            c3("Ready", "False", "ContainerMissing"),
            c3("ResourcesAvailable", "Unknown", "ResolvingDigests")
        ]
    );
    assert_eq!(
        cond(&rev["status"], "ContainerHealthy")["message"],
        MISSING_MSG
    );
    assert_eq!(cond(&rev["status"], "Ready")["message"], MISSING_MSG);
    let config = h.get(configurations(), "hello");
    let failed = format!("Revision \"hello-00001\" failed with message: {MISSING_MSG}.");
    assert_eq!(cond(&config["status"], "Ready")["reason"], "RevisionFailed");
    assert_eq!(cond(&config["status"], "Ready")["message"], failed.as_str());
    assert_eq!(config["status"]["latestCreatedRevisionName"], "hello-00001");
    assert!(config["status"].get("latestReadyRevisionName").is_none());
    let route = h.get(routes(), "hello");
    assert_eq!(
        cond(&route["status"], "AllTrafficAssigned")["status"],
        "False"
    );
    assert_eq!(
        cond(&route["status"], "Ready")["message"],
        "Configuration \"hello\" does not have any ready Revision."
    );
    assert!(route["status"].get("traffic").is_none() && route["status"].get("address").is_none());
    let svc = h.get(services(), "hello");
    assert_eq!(
        conds(&svc["status"]),
        vec![
            c3("ConfigurationsReady", "False", "RevisionFailed"),
            c3("Ready", "False", "RevisionMissing"),
            c3("RoutesReady", "False", "RevisionMissing")
        ]
    );
    assert_eq!(
        cond(&svc["status"], "ConfigurationsReady")["message"],
        failed.as_str()
    );
    assert_eq!(svc["status"]["url"], "http://hello.default.example.com");
}

#[test]
fn unfetchable_image_on_update_keeps_traffic() {
    let h = unfetchable_harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    update_service(&h, "hello", |s| {
        s["spec"]["template"]["spec"]["containers"][0]["image"] =
            json!("docker.io/knit/does-not-exist:v1")
    })
    .unwrap();
    h.settle();
    let config = h.get(configurations(), "hello");
    assert_eq!(config["status"]["latestCreatedRevisionName"], "hello-00002");
    assert_eq!(config["status"]["latestReadyRevisionName"], "hello-00001");
    assert_eq!(
        cond(&config["status"], "Ready")["message"],
        format!("Revision \"hello-00002\" failed with message: {MISSING_MSG}.").as_str()
    );
    let route = h.get(routes(), "hello");
    assert_eq!(cond(&route["status"], "Ready")["status"], "True");
    let svc = h.get(services(), "hello");
    assert_eq!(
        conds(&svc["status"]),
        vec![
            c3("ConfigurationsReady", "False", "RevisionFailed"),
            c3("Ready", "False", "RevisionFailed"),
            c3("RoutesReady", "True", "")
        ]
    );
    assert_eq!(
        svc["status"]["traffic"],
        json!([{"latestRevision": true, "percent": 100, "revisionName": "hello-00001"}])
    );
}

#[test]
fn missing_revision_in_traffic() {
    let h = harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    update_service(&h, "hello", |s| {
        s["spec"]["traffic"] = json!([{"revisionName": "hello-00009", "percent": 100}])
    })
    .unwrap();
    h.settle();
    let msg = "Revision \"hello-00009\" referenced in traffic not found.";
    let route = h.get(routes(), "hello");
    assert_eq!(
        cond(&route["status"], "AllTrafficAssigned")["reason"],
        "RevisionMissing"
    );
    assert_eq!(
        cond(&route["status"], "AllTrafficAssigned")["status"],
        "False"
    );
    assert_eq!(cond(&route["status"], "Ready")["message"], msg);
    let svc = h.get(services(), "hello");
    assert_eq!(cond(&svc["status"], "RoutesReady")["message"], msg);
    assert_eq!(cond(&svc["status"], "Ready")["status"], "False");
    assert_eq!(cond(&svc["status"], "Ready")["message"], msg);
    assert_eq!(
        svc["status"]["traffic"],
        json!([{"latestRevision": true, "percent": 100, "revisionName": "hello-00001"}])
    );
}

#[test]
fn pinned_revision_not_ready_then_failed() {
    let h = unfetchable_harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    // A standalone revision that never becomes ready, pinned in a standalone route.
    let route = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Route",
        "metadata": {"name": "r", "namespace": "default"},
        "spec": {"traffic": [{"revisionName": "hello-00001", "percent": 50}, {"revisionName": "other-1", "percent": 50}]}});
    h.create(routes(), route).unwrap();
    let rev = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Revision",
        "metadata": {"name": "other-1", "namespace": "default"},
        "spec": {"containers": [{"image": "docker.io/knit/does-not-exist:v1"}]}});
    h.create(revisions(), rev).unwrap();
    // Run only until the revision is resolving: the route sees "not yet ready".
    let route_ctl = route::RouteController::default();
    let rev_ctl = revision::RevisionController::default();
    let key = |gr: GroupResource, n: &str| ObjectKey::new(gr, "default", n);
    rev_ctl
        .reconcile(&key(revisions(), "other-1"), &h.cluster)
        .unwrap();
    route_ctl
        .reconcile(&key(routes(), "r"), &h.cluster)
        .unwrap();
    let r = h.get(routes(), "r");
    assert_eq!(
        cond(&r["status"], "AllTrafficAssigned")["status"],
        "Unknown"
    );
    assert_eq!(
        cond(&r["status"], "AllTrafficAssigned")["message"],
        "Revision \"other-1\" is not yet ready."
    );
    h.settle();
    let r = h.get(routes(), "r");
    assert_eq!(cond(&r["status"], "AllTrafficAssigned")["status"], "False");
    assert_eq!(
        cond(&r["status"], "AllTrafficAssigned")["message"],
        "Revision \"other-1\" failed to become ready."
    );
}

#[test]
fn service_owned_route_rejects_revision_of_another_service() {
    let h = harness();
    h.create(services(), ksvc("a", IMAGE)).unwrap();
    h.create(services(), ksvc("b", IMAGE)).unwrap();
    h.settle();
    update_service(&h, "b", |s| {
        s["spec"]["traffic"] = json!([{"revisionName": "a-00001", "percent": 100}])
    })
    .unwrap();
    h.settle();
    let r = h.get(routes(), "b");
    assert_eq!(
        cond(&r["status"], "AllTrafficAssigned")["reason"],
        "RevisionNotOwned"
    );
    assert_eq!(
        cond(&r["status"], "AllTrafficAssigned")["message"],
        "Revision \"a-00001\" belongs to Service \"a\", not Service \"b\"."
    );
}

#[test]
fn cluster_local_services() {
    let h = harness();
    let mut svc = ksvc("hello", IMAGE);
    svc["metadata"]["labels"] = json!({"networking.knative.dev/visibility": "cluster-local"});
    h.create(services(), svc).unwrap();
    h.settle();
    let svc = h.get(services(), "hello");
    assert_eq!(
        svc["status"]["url"],
        "http://hello.default.svc.cluster.local"
    );
    assert_eq!(cond(&svc["status"], "Ready")["status"], "True");
    assert_eq!(
        h.get(routes(), "hello")["metadata"]["labels"]["networking.knative.dev/visibility"],
        "cluster-local"
    );
}

#[test]
fn default_domain_is_svc_cluster_local() {
    let h = harness_with(crate::Config::default());
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    assert_eq!(
        h.get(services(), "hello")["status"]["url"],
        "http://hello.default.svc.cluster.local"
    );
}

#[test]
fn config_domain_and_templates_change_at_run_time() {
    let h = harness();
    let mut svc = ksvc("hello", IMAGE);
    svc["spec"]["traffic"] = json!([{"tag": "v1", "latestRevision": true, "percent": 100}]);
    h.create(services(), svc).unwrap();
    h.settle();
    let cm = GroupResource::of("", "configmaps");
    h.cluster
        .merge_patch(
            &cm,
            "knative-serving",
            "config-domain",
            &json!({"data": {"example.com": null, "knative.test": ""}}),
        )
        .unwrap();
    h.settle();
    let svc = h.get(services(), "hello");
    assert_eq!(svc["status"]["url"], "http://hello.default.knative.test");
    assert_eq!(
        svc["status"]["traffic"][0]["url"],
        "http://v1-hello.default.knative.test"
    );
    assert_eq!(cond(&svc["status"], "Ready")["status"], "True");
    h.cluster
        .merge_patch(
            &cm,
            "knative-serving",
            "config-network",
            &json!({"data": {"domain-template": "{{.Name}}-{{.Namespace}}.{{.Domain}}", "tag-template": "{{.Name}}-{{.Tag}}"}}),
        )
        .unwrap();
    h.settle();
    let svc = h.get(services(), "hello");
    assert_eq!(svc["status"]["url"], "http://hello-default.knative.test");
    assert_eq!(
        svc["status"]["traffic"][0]["url"],
        "http://hello-v1-default.knative.test"
    );
    // A label selector picks a more specific domain.
    h.cluster
        .merge_patch(
            &cm,
            "knative-serving",
            "config-domain",
            &json!({"data": {"special.dev": "selector:\n  app: special\n"}}),
        )
        .unwrap();
    update_service(&h, "hello", |s| {
        s["metadata"]["labels"] = json!({"app": "special"})
    })
    .unwrap();
    h.settle();
    assert_eq!(
        h.get(services(), "hello")["status"]["url"],
        "http://hello-default.special.dev"
    );
}

#[test]
fn invalid_domain_template_is_an_error_config() {
    let h = harness();
    let cm = GroupResource::of("", "configmaps");
    h.cluster
        .merge_patch(
            &cm,
            "knative-serving",
            "config-network",
            &json!({"data": {"domain-template": "{{.Name}}_{{.Namespace}}.{{.Domain}}"}}),
        )
        .unwrap();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    let r = h.get(routes(), "hello");
    assert_eq!(
        cond(&r["status"], "AllTrafficAssigned")["reason"],
        "ErrorConfig"
    );
    assert!(
        cond(&r["status"], "AllTrafficAssigned")["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid domain name \"hello_default.example.com\": url: Invalid value: \"hello_default.example.com\": a lowercase RFC 1123 subdomain")
    );
}

#[test]
fn configuration_not_owned() {
    let h = harness();
    let cfg = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Configuration",
        "metadata": {"name": "hello", "namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"image": "nginx"}]}}}});
    h.create(configurations(), cfg).unwrap();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    let svc = h.get(services(), "hello");
    assert_eq!(
        cond(&svc["status"], "ConfigurationsReady")["reason"],
        "NotOwned"
    );
    assert_eq!(
        cond(&svc["status"], "Ready")["message"],
        "There is an existing Configuration \"hello\" that we do not own."
    );
    // The standalone configuration made its own revision, marked pending (no route).
    let rev = h.get(revisions(), "hello-00001");
    assert_eq!(
        rev["metadata"]["labels"]["serving.knative.dev/routingState"],
        "pending"
    );
}

#[test]
fn route_not_owned() {
    let h = harness();
    let route = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Route",
        "metadata": {"name": "hello", "namespace": "default"},
        "spec": {"traffic": [{"configurationName": "x", "percent": 100}]}});
    h.create(routes(), route).unwrap();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    let svc = h.get(services(), "hello");
    assert_eq!(cond(&svc["status"], "RoutesReady")["reason"], "NotOwned");
    assert_eq!(
        cond(&svc["status"], "RoutesReady")["message"],
        "There is an existing Route \"hello\" that we do not own."
    );
}

#[test]
fn long_names_are_hashed_like_kmeta() {
    let h = harness();
    let name = format!("a{}", "b".repeat(59));
    h.create(services(), ksvc(&name, IMAGE)).unwrap();
    h.settle();
    let expected = crate::knative::names::revision_name(&name, 1);
    assert_eq!(expected.len(), 63);
    assert_eq!(
        h.get(services(), &name)["status"]["latestReadyRevisionName"],
        expected.as_str()
    );
}

#[test]
fn deleting_a_service_clears_route_finalizer() {
    let h = harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    h.cluster.delete(&services(), "default", "hello").unwrap();
    h.settle();
    assert!(
        h.cluster
            .get(&configurations(), "default", "hello")
            .is_err()
    );
    assert!(
        h.cluster
            .get(&revisions(), "default", "hello-00001")
            .is_err()
    );
    assert!(h.cluster.get(&routes(), "default", "hello").is_err());
}

#[test]
fn images_with_digests_and_skipped_registries() {
    let h = harness();
    let digest = format!("ghcr.io/x/y@sha256:{}", "a".repeat(64));
    let mut svc = ksvc("hello", &digest);
    svc["spec"]["template"]["spec"]["containers"] = json!([{"image": digest, "ports": [{"containerPort": 8080}]}, {"image": "ko.local/sidecar"}]);
    h.create(services(), svc).unwrap();
    h.settle();
    let rev = h.get(revisions(), "hello-00001");
    assert_eq!(
        rev["status"]["containerStatuses"],
        json!([{"name": "user-container-0", "imageDigest": digest}, {"name": "user-container-1"}])
    );
}

#[test]
fn domain_mapping_claims() {
    let h = harness();
    h.create(services(), ksvc("hello", IMAGE)).unwrap();
    h.settle();
    let dm = json!({"apiVersion": "serving.knative.dev/v1beta1", "kind": "DomainMapping",
        "metadata": {"name": "hello.example.org", "namespace": "default"},
        "spec": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "hello"}}});
    h.create(domain_mappings(), dm).unwrap();
    h.settle();
    let dm = h.get(domain_mappings(), "hello.example.org");
    assert_eq!(dm["status"]["url"], "http://hello.example.org");
    assert_eq!(dm["status"]["address"]["url"], "http://hello.example.org");
    assert_eq!(
        dm["metadata"]["finalizers"],
        json!(["domainmappings.serving.knative.dev"])
    );
    assert_eq!(
        conds(&dm["status"]),
        vec![
            c3("CertificateProvisioned", "True", "TLSNotEnabled"),
            c3("DomainClaimed", "False", "DomainAlreadyClaimed"),
            c3("IngressReady", "Unknown", "IngressNotConfigured"),
            c3("Ready", "False", "DomainAlreadyClaimed"),
            c3("ReferenceResolved", "Unknown", "")
        ]
    );
    assert_eq!(
        cond(&dm["status"], "DomainClaimed")["message"],
        "The domain name is already in use by another DomainMapping"
    );
    // Turning on autocreate-cluster-domain-claims lets the mapping claim its domain.
    h.cluster
        .merge_patch(
            &GroupResource::of("", "configmaps"),
            "knative-serving",
            "config-network",
            &json!({"data": {"autocreate-cluster-domain-claims": "true"}}),
        )
        .unwrap();
    h.settle();
    let claim = h
        .cluster
        .get(&cluster_domain_claims(), "", "hello.example.org")
        .unwrap();
    assert_eq!(claim["spec"], json!({"namespace": "default"}));
    let dm = h.get(domain_mappings(), "hello.example.org");
    assert_eq!(
        conds(&dm["status"]),
        vec![
            c3("CertificateProvisioned", "True", "TLSNotEnabled"),
            c3("DomainClaimed", "True", ""),
            c3("IngressReady", "True", ""),
            c3("Ready", "True", ""),
            c3("ReferenceResolved", "True", "")
        ]
    );
    // Deleting releases the claim and the finalizer.
    h.cluster
        .delete(&domain_mappings(), "default", "hello.example.org")
        .unwrap();
    h.settle();
    assert!(
        h.cluster
            .get(&domain_mappings(), "default", "hello.example.org")
            .is_err()
    );
    assert!(
        h.cluster
            .get(&cluster_domain_claims(), "", "hello.example.org")
            .is_err()
    );
}

#[test]
fn domain_mapping_to_missing_service() {
    let h = harness();
    let cm = GroupResource::of("", "configmaps");
    h.cluster
        .merge_patch(
            &cm,
            "knative-serving",
            "config-network",
            &json!({"data": {"autocreate-cluster-domain-claims": "true"}}),
        )
        .unwrap();
    let dm = json!({"apiVersion": "serving.knative.dev/v1beta1", "kind": "DomainMapping",
        "metadata": {"name": "x.example.org", "namespace": "default"},
        "spec": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "nope"}}});
    h.create(domain_mappings(), dm).unwrap();
    h.settle();
    let dm = h.get(domain_mappings(), "x.example.org");
    assert_eq!(
        cond(&dm["status"], "ReferenceResolved")["reason"],
        "ResolveFailed"
    );
    assert_eq!(
        cond(&dm["status"], "ReferenceResolved")["message"],
        "services.serving.knative.dev \"nope\" not found"
    );
    // The service appearing resolves the mapping.
    h.create(services(), ksvc("nope", IMAGE)).unwrap();
    h.settle();
    let dm = h.get(domain_mappings(), "x.example.org");
    assert_eq!(cond(&dm["status"], "Ready")["status"], "True");
}

#[test]
fn configmap_changes_map_to_every_route() {
    let h = harness();
    h.create(services(), ksvc("a", IMAGE)).unwrap();
    h.create(services(), ksvc("b", IMAGE)).unwrap();
    h.settle();
    let (domain_key, empty) = (
        ObjectKey::new(
            GroupResource::of("", "configmaps"),
            "knative-serving",
            "config-domain",
        ),
        json!({}),
    );
    let event =
        crate::cluster::ObjectEvent::new(crate::cluster::EventKind::Modified, &domain_key, &empty);
    let keys = route::RouteController::default().keys_for(&event, &h.cluster);
    assert_eq!(
        keys,
        vec![
            ObjectKey::new(routes(), "default", "a"),
            ObjectKey::new(routes(), "default", "b")
        ]
    );
    let other_key = ObjectKey::new(
        GroupResource::of("", "configmaps"),
        "default",
        "config-domain",
    );
    let other = crate::cluster::ObjectEvent {
        key: &other_key,
        ..event
    };
    assert!(
        route::RouteController::default()
            .keys_for(&other, &h.cluster)
            .is_empty()
    );
}

#[test]
fn routes_ready_waits_for_traffic_migration() {
    use crate::knative::meta::StatusReconcile;
    let svc = json!({"metadata": {"name": "hello", "generation": 1}, "status": {"observedGeneration": 1}});
    let mut rec = StatusReconcile::begin(&svc, service::SERVICE_CONDITIONS);
    rec.conditions.mark_true(service::CONFIGURATIONS_READY);
    rec.conditions.mark_true(service::ROUTES_READY);
    let config = json!({"metadata": {"name": "hello"}, "status": {"latestReadyRevisionName": "hello-00002"}});
    let route = json!({"spec": {"traffic": [{"configurationName": "hello", "latestRevision": true, "percent": 100}]},
        "status": {"traffic": [{"revisionName": "hello-00001", "latestRevision": true, "percent": 100}]}});
    service::check_routes_not_ready(&mut rec, &config, &route);
    let routes_ready = rec.conditions.get(service::ROUTES_READY).unwrap();
    assert_eq!(
        (
            &*routes_ready.status,
            &*routes_ready.reason,
            &*routes_ready.message
        ),
        (
            "Unknown",
            "TrafficNotMigrated",
            "Traffic is not yet migrated to the latest revision."
        )
    );
    assert_eq!(
        rec.conditions.get("Ready").unwrap().reason,
        "TrafficNotMigrated"
    );
    // Once migrated, RoutesReady stays True.
    let hello = json!({"metadata": {"name": "hello"}});
    let mut rec = StatusReconcile::begin(&hello, service::SERVICE_CONDITIONS);
    rec.conditions.mark_true(service::ROUTES_READY);
    let migrated = json!({"spec": route["spec"], "status": {"traffic": [{"revisionName": "hello-00002", "latestRevision": true, "percent": 100}]}});
    service::check_routes_not_ready(&mut rec, &config, &migrated);
    assert!(rec.conditions.get(service::ROUTES_READY).unwrap().is_true());
}

#[test]
fn standalone_route_follows_a_configuration_created_later() {
    let h = harness();
    let route = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Route",
        "metadata": {"name": "r", "namespace": "default"},
        "spec": {"traffic": [{"configurationName": "c", "percent": 100}]}});
    h.create(routes(), route).unwrap();
    h.settle();
    let r = h.get(routes(), "r");
    assert_eq!(
        cond(&r["status"], "AllTrafficAssigned")["reason"],
        "ConfigurationMissing"
    );
    assert_eq!(
        cond(&r["status"], "Ready")["message"],
        "Configuration \"c\" referenced in traffic not found."
    );
    assert_eq!(r["status"]["url"], "http://r.default.example.com");
    assert_eq!(
        r["metadata"]["annotations"]["serving.knative.dev/creator"],
        USER
    );
    let cfg = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Configuration",
        "metadata": {"name": "c", "namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"image": "nginx"}]}}}});
    h.create(configurations(), cfg).unwrap();
    h.settle();
    let r = h.get(routes(), "r");
    assert_eq!(cond(&r["status"], "Ready")["status"], "True");
    assert_eq!(
        r["status"]["traffic"],
        json!([{"latestRevision": true, "percent": 100, "revisionName": "c-00001"}])
    );
    // The labeler marked the standalone configuration and its revision as routed by r.
    assert_eq!(
        h.get(configurations(), "c")["metadata"]["annotations"]["serving.knative.dev/routes"],
        "r"
    );
    let rev = h.get(revisions(), "c-00001");
    assert_eq!(
        rev["metadata"]["annotations"]["serving.knative.dev/routes"],
        "r"
    );
    assert_eq!(
        rev["metadata"]["labels"]["serving.knative.dev/routingState"],
        "active"
    );
    // Deleting the route clears that metadata through its finalizer.
    h.cluster.delete(&routes(), "default", "r").unwrap();
    h.settle();
    assert!(h.cluster.get(&routes(), "default", "r").is_err());
    assert!(
        h.get(configurations(), "c")["metadata"]["annotations"]
            .get("serving.knative.dev/routes")
            .is_none()
    );
    let rev = h.get(revisions(), "c-00001");
    assert_eq!(
        rev["metadata"]["labels"]["serving.knative.dev/routingState"],
        "reserve"
    );
}
