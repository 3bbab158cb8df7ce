//! Server-side apply: `knit service apply` and `knit apply -f` against the emulator. Checks the
//! output, the stored objects and who owns which field (managedFields) after each step,
//! including objects first written by kn's client-side apply, by other field managers and by
//! real kubectl.

use crate::common;

use std::io::{Read, Write};

use common::{Cluster, Outcome};
use serde_json::{Value, json};

const IMAGE: &str = "gcr.io/knative-samples/helloworld-go";
const SERVING: &str = "serving.knative.dev";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// One HTTP request straight to the emulator, as another client (`agent`) would send it.
fn raw(
    c: &Cluster,
    method: &str,
    path: &str,
    agent: &str,
    content_type: &str,
    body: &Value,
) -> (u16, Value) {
    let body = body.to_string();
    let mut stream = std::net::TcpStream::connect(c.emulator().addr()).expect("connect");
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: emulator\r\nUser-Agent: {agent}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let (head, body) = response.split_once("\r\n\r\n").expect("http response");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn services_path(name: Option<&str>) -> String {
    let base = "/apis/serving.knative.dev/v1/namespaces/default/services";
    match name {
        Some(name) => format!("{base}/{name}"),
        None => base.to_string(),
    }
}

/// Stores `declared` as `kn service apply` leaves it: created by manager "kn", with the
/// declaration in the last-applied annotation.
fn kn_applied(c: &Cluster, declared: &Value) {
    let mut object = declared.clone();
    object["metadata"]["annotations"] = json!({ LAST_APPLIED: declared.to_string() });
    let (status, _) = raw(
        c,
        "POST",
        &services_path(None),
        "kn/v1.14.0 (linux/amd64)",
        "application/json",
        &object,
    );
    assert_eq!(status, 201);
}

/// `(manager, operation)` of every main-resource managedFields entry, and the fields each owns.
fn owners(object: &Value) -> Vec<(String, String, Value)> {
    object["metadata"]["managedFields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e.get("subresource").is_none())
        .map(|e| {
            (
                e["manager"].as_str().unwrap_or_default().to_string(),
                e["operation"].as_str().unwrap_or_default().to_string(),
                e["fieldsV1"].clone(),
            )
        })
        .collect()
}

fn env(object: &Value) -> Value {
    object["spec"]["template"]["spec"]["containers"][0]["env"].clone()
}

#[test]
fn service_apply_creates_reapplies_and_changes() {
    let c = Cluster::start();
    let run = c.knit(&["service", "apply", "web", "--image", IMAGE, "--env", "A=1"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .starts_with("Creating service 'web' in namespace 'default':\n")
    );
    assert!(run.stdout.ends_with(
        "Service 'web' created to latest revision 'web-00001' is available at URL:\nhttp://web.default.example.com\n"
    ));
    let created = c.stored_service("web");
    assert_eq!(
        owners(&created),
        vec![(
            "knit".to_string(),
            "Apply".to_string(),
            json!({"f:spec": {"f:template": {
                "f:metadata": {"f:annotations": {"f:client.knative.dev/user-image": {}}},
                "f:spec": {"f:containers": {}}
            }}})
        )]
    );
    assert!(created["metadata"]["annotations"][LAST_APPLIED].is_null());

    // The same declaration again writes nothing at all.
    insta::assert_snapshot!(c.knit(&["service", "apply", "web", "--image", IMAGE, "--env", "A=1"]).snapshot(), @r"
    exit: 0
    --- stdout
    No changes to apply to service 'web'.
    Service 'web' with latest revision 'web-00001' (unchanged) is available at URL:
    http://web.default.example.com
    --- stderr
    Warning: Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile
    ");
    assert_eq!(
        c.stored_service("web")["metadata"]["resourceVersion"],
        created["metadata"]["resourceVersion"]
    );

    // A changed value is a new revision.
    insta::assert_snapshot!(c.knit(&["service", "apply", "web", "--image", IMAGE, "--env", "A=2", "--no-wait"]).snapshot(), @r"
    exit: 0
    --- stdout
    Service 'web' applied in namespace 'default'.
    --- stderr
    Warning: Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile
    ");
    let changed = c.stored_service("web");
    assert_eq!(env(&changed), json!([{"name": "A", "value": "2"}]));
    assert_eq!(changed["metadata"]["generation"], 2);
}

#[test]
fn conflicts_name_each_field_and_owner_until_forced() {
    let c = Cluster::start();
    c.run(&format!(
        "service apply web --image {IMAGE} --label team=red --no-wait"
    ))
    .ok();
    // Another applier takes the label (forced), and adds one of its own.
    let (status, _) = raw(
        &c,
        "PATCH",
        &format!("{}?fieldManager=ops&force=true", services_path(Some("web"))),
        "ops-bot/1.0",
        "application/apply-patch+yaml",
        &json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
                "metadata": {"name": "web", "labels": {"team": "blue", "tier": "gold"}}}),
    );
    assert_eq!(status, 200);
    let stored = |c: &Cluster| {
        let svc = c.stored_service("web");
        (
            svc["metadata"]["labels"].clone(),
            svc["spec"].clone(),
            owners(&svc),
        )
    };
    let before = stored(&c);

    insta::assert_snapshot!(c.knit(&["service", "apply", "web", "--image", IMAGE, "--label", "team=red", "--label", "tier=silver", "--no-wait"]).snapshot(), @r"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot apply service.serving.knative.dev/web: 2 fields are owned by other field managers:
      .metadata.labels.team  owned by ops (server-side apply)
      .metadata.labels.tier  owned by ops (server-side apply)
    Nothing was changed. To take these fields over, apply again with --force-conflicts: your values replace theirs and they stop owning the fields.
    Run 'knit --help' for usage
    ");
    assert_eq!(stored(&c), before);

    // Forced: knit's values win and knit alone owns the labels.
    c.run(&format!("service apply web --image {IMAGE} --label team=red --label tier=silver --no-wait --force-conflicts"))
    .ok();
    let forced = c.stored_service("web");
    assert_eq!(
        forced["metadata"]["labels"],
        json!({"team": "red", "tier": "silver"})
    );
    let owners = owners(&forced);
    assert_eq!(owners.len(), 1, "{owners:?}");
    assert_eq!(
        (owners[0].0.as_str(), owners[0].1.as_str()),
        ("knit", "Apply")
    );
    assert_eq!(
        owners[0].2["f:metadata"],
        json!({"f:labels": {"f:team": {}, "f:tier": {}}})
    );
}

#[test]
fn first_apply_takes_over_kns_client_side_apply() {
    let c = Cluster::start();
    // What `kn service apply` leaves behind: a create by manager "kn" with the annotation.
    let declared = json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": "old", "namespace": "default", "labels": {"team": "a"}},
        "spec": {"template": {
            "metadata": {"annotations": {"client.knative.dev/user-image": IMAGE}, "labels": {"team": "a"}},
            "spec": {"containers": [{"image": IMAGE, "env": [{"name": "A", "value": "1"}]}]}
        }}
    });
    kn_applied(&c, &declared);
    c.knit(&["service", "wait", "old"]).ok();
    let generation = c.stored_service("old")["metadata"]["generation"].clone();

    // The same declaration applies cleanly: no conflict with kn, no new revision.
    insta::assert_snapshot!(c.knit(&["service", "apply", "old", "--image", IMAGE, "--env", "A=1", "--label", "team=a", "--no-wait"]).snapshot(), @r"
    exit: 0
    --- stdout
    No changes to apply to service 'old'.
    Service 'old' with latest revision 'old-00001' (unchanged) is available at URL:
    http://old.default.example.com
    --- stderr
    Warning: Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile
    ");
    let migrated = c.stored_service("old");
    assert_eq!(migrated["metadata"]["generation"], generation);
    assert!(migrated["metadata"]["annotations"][LAST_APPLIED].is_null());
    assert!(migrated["metadata"]["annotations"]["serving.knative.dev/creator"].is_string());
    let owners = owners(&migrated);
    assert_eq!(
        owners
            .iter()
            .map(|o| (o.0.as_str(), o.1.as_str()))
            .collect::<Vec<_>>(),
        vec![("knit", "Apply")]
    );

    // Someone edits the image; applying another value now conflicts with that editor.
    let (status, _) = raw(
        &c,
        "PATCH",
        &services_path(Some("old")),
        "kubectl-edit/v1.31.0 (linux/amd64)",
        "application/merge-patch+json",
        &json!({"spec": {"template": {"spec": {"containers": [{"image": "example.com/edited"}]}}}}),
    );
    assert_eq!(status, 200);
    insta::assert_snapshot!(c.knit(&["service", "apply", "old", "--image", IMAGE, "--env", "A=2", "--label", "team=a", "--no-wait"]).snapshot(), @r"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot apply service.serving.knative.dev/old: 1 field is owned by another field manager:
      .spec.template.spec.containers  owned by kubectl-edit (update)
    Nothing was changed. To take these fields over, apply again with --force-conflicts: your values replace theirs and they stop owning the fields.
    Run 'knit --help' for usage
    ");
}

#[test]
fn update_managers_share_equal_values_and_conflict_on_others() {
    let c = Cluster::start();
    // kubectl create: an Update by "kubectl-create" that owns what it sent.
    let (status, _) = raw(
        &c,
        "POST",
        &services_path(None),
        "kubectl-create/v1.31.0 (linux/amd64)",
        "application/json",
        &json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
                "metadata": {"name": "made", "labels": {"team": "a", "tier": "gold"}},
                "spec": {"template": {"spec": {"containers": [{"image": IMAGE}]}}}}),
    );
    assert_eq!(status, 201);
    // Same label value: shared. Other label value: conflict. The container list is atomic and
    // the stored one holds the webhook's defaults, so it differs from any declaration.
    insta::assert_snapshot!(c.knit(&["service", "apply", "made", "--image", IMAGE, "--label", "team=a", "--label", "tier=silver", "--no-wait"]).snapshot(), @r"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot apply service.serving.knative.dev/made: 2 fields are owned by other field managers:
      .metadata.labels.tier           owned by kubectl-create (update)
      .spec.template.spec.containers  owned by kubectl-create (update)
    Nothing was changed. To take these fields over, apply again with --force-conflicts: your values replace theirs and they stop owning the fields.
    Run 'knit --help' for usage
    ");
    c.run(&format!("service apply made --image {IMAGE} --label team=a --label tier=silver --no-wait --force-conflicts"))
    .ok();
    let forced = c.stored_service("made");
    let owners = owners(&forced);
    let kubectl = owners
        .iter()
        .find(|o| o.0 == "kubectl-create")
        .expect("kubectl-create keeps a share");
    // kubectl-create still shares team=a and the maps its create added (FieldsV1 ".", as
    // kube-apiserver records them); it lost tier and the containers.
    assert_eq!(
        kubectl.2,
        json!({"f:metadata": {"f:labels": {".": {}, "f:team": {}}}, "f:spec": {".": {}, "f:template": {".": {}, "f:spec": {}}}})
    );
    let knit = owners.iter().find(|o| o.0 == "knit").expect("knit's entry");
    assert_eq!(knit.1, "Apply");
    assert_eq!(
        knit.2["f:metadata"],
        json!({"f:labels": {"f:team": {}, "f:tier": {}}})
    );
    assert_eq!(forced["metadata"]["labels"]["tier"], "silver");
}

#[test]
fn kubectl_server_side_apply_then_knit() {
    let c = Cluster::start();
    let manifest = format!(
        "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: shared\nspec:\n  template:\n    spec:\n      containers:\n      - image: {IMAGE}\n        env:\n        - name: A\n          value: \"1\"\n"
    );
    let Some(Outcome {
        code,
        stdout: out,
        stderr: err,
    }) = c.kubectl(
        &[
            "apply",
            "--server-side",
            "--field-manager",
            "other",
            "-f",
            "-",
        ],
        &manifest,
    )
    else {
        eprintln!("kubectl is not installed: skipping");
        return;
    };
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "service.serving.knative.dev/shared serverside-applied\n"
    );
    insta::assert_snapshot!(c.knit(&["service", "apply", "shared", "--image", IMAGE, "--env", "A=2", "--no-wait"]).snapshot(), @r"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot apply service.serving.knative.dev/shared: 1 field is owned by another field manager:
      .spec.template.spec.containers  owned by other (server-side apply)
    Nothing was changed. To take these fields over, apply again with --force-conflicts: your values replace theirs and they stop owning the fields.
    Run 'knit --help' for usage
    ");
    c.run(&format!(
        "service apply shared --image {IMAGE} --env A=2 --no-wait --force-conflicts"
    ))
    .ok();
    let forced = c.stored_service("shared");
    assert_eq!(env(&forced), json!([{"name": "A", "value": "2"}]));
    let owners = owners(&forced);
    assert!(owners.iter().all(|o| o.0 != "other"), "{owners:?}");
    let knit = owners
        .iter()
        .find(|o| o.0 == "knit")
        .expect("knit owns the containers");
    assert_eq!(
        knit.2["f:spec"]["f:template"]["f:spec"],
        json!({"f:containers": {}})
    );
    // kubectl sees knit as the owner too.
    let Outcome {
        code, stdout: out, ..
    } = c
        .kubectl(
            &[
                "get",
                "ksvc",
                "shared",
                "--show-managed-fields",
                "-o",
                "jsonpath={.metadata.managedFields[*].manager}",
            ],
            "",
        )
        .expect("kubectl");
    assert_eq!(code, 0);
    assert!(out.split(' ').any(|m| m == "knit"), "{out}");
}

const EVENTING: &str = "eventing.knative.dev";

const APP: &str = "apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
      - image: gcr.io/knative-samples/helloworld-go
---
apiVersion: eventing.knative.dev/v1
kind: Broker
metadata:
  name: default
  annotations:
    eventing.knative.dev/broker.class: MTChannelBasedBroker
---
apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: t1
spec:
  broker: default
  subscriber:
    ref:
      apiVersion: serving.knative.dev/v1
      kind: Service
      name: hello
";

fn write_file(c: &Cluster, name: &str, content: &str) -> String {
    let path = c.home().join(name);
    std::fs::write(&path, content).expect("write file");
    path.to_string_lossy().into_owned()
}

#[test]
fn apply_file_applies_every_document_and_waits() {
    let c = Cluster::start();
    let file = write_file(&c, "app.yaml", APP);
    insta::assert_snapshot!(c.knit(&["apply", "-f", &file]).snapshot(), @r"
    exit: 0
    --- stdout
    service.serving.knative.dev/hello serverside-applied
    broker.eventing.knative.dev/default serverside-applied
    trigger.eventing.knative.dev/t1 serverside-applied
    --- stderr
    Warning: Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile
    ");
    // Waiting is the default: all three are Ready when knit returns.
    for (group, resource, name) in [
        (SERVING, "services", "hello"),
        (EVENTING, "brokers", "default"),
        (EVENTING, "triggers", "t1"),
    ] {
        let object = c.get(group, resource, "default", name).expect("stored");
        let ready = object["status"]["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["type"] == "Ready" && c["status"] == "True");
        assert!(ready, "{resource}/{name} is not ready: {object:#}");
        let owners = owners(&object);
        assert_eq!(
            owners
                .iter()
                .map(|o| (o.0.as_str(), o.1.as_str()))
                .collect::<Vec<_>>(),
            vec![("knit", "Apply")],
            "{resource}/{name}"
        );
    }
    let trigger = c
        .get(EVENTING, "triggers", "default", "t1")
        .expect("trigger");
    assert_eq!(trigger["spec"]["subscriber"]["ref"]["name"], "hello");

    // The same input from stdin changes nothing.
    let again = c.knit_with(&["apply", "-f", "-"], &[], Some(APP));
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(
        again.stdout,
        "service.serving.knative.dev/hello unchanged\nbroker.eventing.knative.dev/default unchanged\ntrigger.eventing.knative.dev/t1 unchanged\n"
    );
}

#[test]
fn apply_file_checks_every_document_first() {
    let c = Cluster::start();
    let file = write_file(
        &c,
        "bad.yaml",
        &format!(
            "{APP}---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: settings\n"
        ),
    );
    let run = c.knit(&["apply", "-f", &file, "--no-wait"]);
    insta::with_settings!({filters => vec![(r"/\S*/bad\.yaml", "[dir]/bad.yaml")]}, {
        insta::assert_snapshot!(run.snapshot(), @r"
        exit: 1
        --- stdout
        --- stderr
        Error: [dir]/bad.yaml, document 4: the cluster does not serve example.com/v1, so it has no kind Widget (is its API installed?)
        Run 'knit --help' for usage
        ");
    });
    // Nothing was applied, not even the valid documents before the bad one.
    assert!(c.get(SERVING, "services", "default", "hello").is_none());
    assert!(c.get(EVENTING, "brokers", "default", "default").is_none());

    // A namespace that contradicts -n is refused the way kubectl refuses it.
    c.namespace("team");
    let run = c.knit_with(
        &["apply", "-f", "-", "-n", "default", "--no-wait"],
        &[],
        Some("apiVersion: eventing.knative.dev/v1\nkind: Broker\nmetadata:\n  name: b\n  namespace: team\n"),
    );
    insta::assert_snapshot!(run.snapshot(), @r#"
    exit: 2
    --- stdout
    --- stderr
    Error: the namespace from the provided object "team" does not match the namespace "default". You must pass '--namespace=team' to perform this operation.
    Run 'knit apply --help' for usage
    "#);
    assert!(c.get(EVENTING, "brokers", "team", "b").is_none());
}

#[test]
fn apply_file_takes_json_lists_and_the_namespace_flag() {
    let c = Cluster::start();
    c.namespace("team");
    let list = json!({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "sources.knative.dev/v1", "kind": "PingSource", "metadata": {"name": "tick"},
         "spec": {"schedule": "*/5 * * * *", "sink": {"uri": "https://example.com/sink"}}},
        {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "metadata": {"name": "ch"}}
    ]});
    let run = c.knit_with(
        &["apply", "-f", "-", "-n", "team", "--no-wait"],
        &[],
        Some(&list.to_string()),
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "pingsource.sources.knative.dev/tick serverside-applied\ninmemorychannel.messaging.knative.dev/ch serverside-applied\n"
    );
    let ping = c
        .get("sources.knative.dev", "pingsources", "team", "tick")
        .expect("ping source in namespace team");
    assert_eq!(ping["spec"]["schedule"], "*/5 * * * *");
    assert!(
        c.get("messaging.knative.dev", "inmemorychannels", "team", "ch")
            .is_some()
    );

    // A conflict on one object is reported; the others are still applied.
    let (status, _) = raw(
        &c,
        "PATCH",
        "/apis/sources.knative.dev/v1/namespaces/team/pingsources/tick?fieldManager=cron-admin&force=true",
        "cron-admin/1.0",
        "application/apply-patch+yaml",
        &json!({"apiVersion": "sources.knative.dev/v1", "kind": "PingSource",
                "metadata": {"name": "tick"}, "spec": {"schedule": "0 * * * *"}}),
    );
    assert_eq!(status, 200);
    let changed = list.to_string().replace("}]}", "},\"spec\":{}}]}");
    let run = c.knit_with(
        &["apply", "-f", "-", "-n", "team", "--no-wait"],
        &[],
        Some(&changed),
    );
    insta::assert_snapshot!(run.snapshot(), @r"
    exit: 1
    --- stdout
    inmemorychannel.messaging.knative.dev/ch unchanged
    --- stderr
    Error: cannot apply pingsource.sources.knative.dev/tick: 1 field is owned by another field manager:
      .spec.schedule  owned by cron-admin (server-side apply)
    Nothing was changed. To take these fields over, apply again with --force-conflicts: your values replace theirs and they stop owning the fields.
    Run 'knit --help' for usage
    ");
    let run = c.knit_with(
        &[
            "apply",
            "-f",
            "-",
            "-n",
            "team",
            "--no-wait",
            "--force-conflicts",
        ],
        &[],
        Some(&list.to_string()),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let ping = c
        .get("sources.knative.dev", "pingsources", "team", "tick")
        .expect("ping source");
    assert_eq!(ping["spec"]["schedule"], "*/5 * * * *");
}

#[test]
fn dry_runs_store_nothing() {
    let c = Cluster::start();
    let file = write_file(&c, "app.yaml", APP);
    insta::assert_snapshot!(c.knit(&["apply", "-f", &file, "--dry-run=server"]).snapshot(), @r"
    exit: 0
    --- stdout
    service.serving.knative.dev/hello serverside-applied (server dry run)
    broker.eventing.knative.dev/default serverside-applied (server dry run)
    trigger.eventing.knative.dev/t1 serverside-applied (server dry run)
    --- stderr
    Warning: Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile
    ");
    assert!(c.get(SERVING, "services", "default", "hello").is_none());
    assert!(c.get(EVENTING, "brokers", "default", "default").is_none());

    // The client mode prints the apply configuration itself.
    insta::assert_snapshot!(c.knit(&["service", "apply", "web", "--image", IMAGE, "--env", "A=1", "--dry-run=client"]).snapshot(), @r#"
    exit: 0
    --- stdout
    apiVersion: serving.knative.dev/v1
    kind: Service
    metadata:
      name: web
      namespace: default
    spec:
      template:
        metadata:
          annotations:
            client.knative.dev/user-image: gcr.io/knative-samples/helloworld-go
        spec:
          containers:
          - env:
            - name: A
              value: "1"
            image: gcr.io/knative-samples/helloworld-go
    --- stderr
    "#);
    assert!(c.get(SERVING, "services", "default", "web").is_none());
}

#[test]
fn a_client_dry_run_diff_shows_only_what_the_apply_changes_in_the_fields_it_sets() {
    let c = Cluster::start();
    c.knit(&["service", "create", "web", "--image", IMAGE, "--env", "A=1"])
        .ok();
    let before = c.stored_service("web");
    let manifest = |value: &str| {
        format!(
            "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - image: {IMAGE}\n        env:\n        - name: A\n          value: \"{value}\"\n"
        )
    };
    // The fields the server defaulted (container name, probes, timeoutSeconds, traffic …) are
    // not in the configuration and an apply leaves them alone: they are not in the diff.
    let file = write_file(&c, "web.yaml", &manifest("2"));
    insta::assert_snapshot!(c.knit(&["apply", "-f", &file, "--dry-run=client", "--diff"]).snapshot(), @r#"
    exit: 1
    --- stdout
    --- service.serving.knative.dev/web (live)
    +++ service.serving.knative.dev/web (client dry run)
    @@ -9,5 +9,5 @@
           containers:
           - env:
             - name: A
    -          value: "1"
    +          value: "2"
             image: gcr.io/knative-samples/helloworld-go
    --- stderr
    "#);
    // Declaring what is already there shows no difference.
    let file = write_file(&c, "same.yaml", &manifest("1"));
    let same = c.knit(&["apply", "-f", &file, "--dry-run=client", "--diff"]);
    assert_eq!((same.code, same.stdout.as_str()), (0, ""), "{same:?}");
    let after = c.stored_service("web");
    assert_eq!(after["spec"], before["spec"]);
    assert_eq!(
        after["metadata"]["generation"],
        before["metadata"]["generation"]
    );
}

#[test]
fn a_server_dry_run_over_kns_client_side_apply_shows_the_takeover_without_storing_it() {
    let c = Cluster::start();
    let declared = json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": "old", "namespace": "default"},
        "spec": {"template": {
            "metadata": {"annotations": {"client.knative.dev/user-image": IMAGE}},
            "spec": {"containers": [{"image": IMAGE, "env": [{"name": "A", "value": "1"}]}]}
        }}
    });
    kn_applied(&c, &declared);
    let before = c.stored_service("old");
    let run = c.run(&format!(
        "service apply old --image {IMAGE} --env A=2 --diff"
    ));
    insta::assert_snapshot!(run.snapshot(), @r#"
    exit: 1
    --- stdout
    --- service.serving.knative.dev/old (live)
    +++ service.serving.knative.dev/old (server dry run)
    @@ -17,7 +17,7 @@
           containers:
           - env:
             - name: A
    -          value: "1"
    +          value: "2"
             image: gcr.io/knative-samples/helloworld-go
             name: user-container
             readinessProbe:
    --- stderr
    Warning: Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile
    "#);
    let after = c.stored_service("old");
    // Status moves on (the controllers run); the declaration and its ownership do not.
    assert_eq!(after["spec"], before["spec"]);
    assert_eq!(owners(&after), owners(&before));
    assert_eq!(owners(&after)[0].0, "kn");
    assert!(after["metadata"]["annotations"][LAST_APPLIED].is_string());
}
