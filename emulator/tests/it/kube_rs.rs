//! kube-rs (the version knit uses) against the emulator: typed and dynamic
//! get/list/watch/create/replace/patch/delete, 409 on a stale update, 410 resumed by a watcher.

use crate::common;

use std::collections::BTreeMap;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::ConfigMap;
use knit_emulator::Config;
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, GroupVersionKind, ListParams, Patch,
    PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube::runtime::watcher;
use kube::{CustomResource, ResourceExt};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// A Knative Service as a typed kube-rs resource (only what these tests touch).
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "serving.knative.dev",
    version = "v1",
    kind = "Service",
    namespaced,
    schema = "disabled"
)]
#[kube(status = "ServiceStatus")]
pub struct ServiceSpec {
    #[serde(default)]
    pub template: Value,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default)]
pub struct ServiceStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default)]
pub struct Condition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
}

fn is_ready(svc: Option<&Service>) -> bool {
    svc.and_then(|s| s.status.as_ref()).is_some_and(|st| {
        st.conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True")
    })
}

fn service(name: &str, image: &str) -> Service {
    let mut svc = Service::new(
        name,
        ServiceSpec {
            template: json!({"spec": {"containers": [{"image": image}]}}),
        },
    );
    svc.metadata.namespace = Some("default".into());
    svc
}

/// Get, modify, replace; again on a 409 (someone else wrote in between).
async fn replace_fresh(api: &Api<Service>, name: &str, change: impl Fn(&mut Service)) -> Service {
    loop {
        let mut current = api.get(name).await.unwrap();
        change(&mut current);
        match api.replace(name, &PostParams::default(), &current).await {
            Ok(s) => return s,
            Err(kube::Error::Api(s)) if s.code == 409 => continue,
            Err(e) => panic!("replace failed: {e:?}"),
        }
    }
}

fn api_error(err: kube::Error) -> kube::core::Status {
    match err {
        kube::Error::Api(status) => *status,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_service_create_get_list_replace_conflict_delete() {
    let (emulator, client) = common::start(Config::default()).await;
    let api: Api<Service> = Api::namespaced(client, "default");

    let created = api
        .create(&PostParams::default(), &service("hello", "img:1"))
        .await
        .unwrap();
    assert_eq!(created.metadata.generation, Some(1));
    assert!(
        created
            .metadata
            .uid
            .as_deref()
            .is_some_and(|u| u.len() == 36)
    );
    assert!(created.metadata.creation_timestamp.is_some());

    let got = api.get("hello").await.unwrap();
    assert_eq!(got.uid(), created.uid());
    // (The rest of the template is Knative's defaulting webhook's business.)
    assert_eq!(got.spec.template["spec"]["containers"][0]["image"], "img:1");

    let list = api.list(&ListParams::default()).await.unwrap();
    assert_eq!(
        list.items.iter().map(|s| s.name_any()).collect::<Vec<_>>(),
        ["hello"]
    );

    // A label change keeps the generation; a spec change bumps it. (Knative's controller
    // writes status meanwhile, so each replace starts from a fresh read, as clients do.)
    let labelled = replace_fresh(&api, "hello", |s| {
        s.labels_mut().insert("team".into(), "a".into());
    })
    .await;
    assert_eq!(labelled.metadata.generation, Some(1));
    let changed = replace_fresh(&api, "hello", |s| {
        s.spec.template = json!({"spec": {"containers": [{"image": "img:2"}]}});
    })
    .await;
    assert_eq!(changed.metadata.generation, Some(2));

    // Replacing with the stale object is a conflict.
    let err = api_error(
        api.replace("hello", &PostParams::default(), &created)
            .await
            .unwrap_err(),
    );
    assert_eq!(err.code, 409);
    assert_eq!(err.reason, "Conflict");
    assert_eq!(
        err.message,
        "Operation cannot be fulfilled on services.serving.knative.dev \"hello\": the object has been modified; please apply your changes to the latest version and try again"
    );

    let err = api_error(
        api.create(&PostParams::default(), &service("hello", "img:1"))
            .await
            .unwrap_err(),
    );
    assert_eq!((err.code, err.reason.as_str()), (409, "AlreadyExists"));
    assert_eq!(
        err.message,
        "services.serving.knative.dev \"hello\" already exists"
    );

    let deleted = api.delete("hello", &DeleteParams::default()).await.unwrap();
    let status = deleted
        .right()
        .expect("custom resources answer a delete with a Status");
    assert_eq!(
        status.status,
        Some(kube::core::response::StatusSummary::Success)
    );
    let err = api_error(api.get("hello").await.unwrap_err());
    assert_eq!(
        (err.code, err.message.as_str()),
        (404, "services.serving.knative.dev \"hello\" not found")
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamic_patch_merge_json_and_apply() {
    let (emulator, client) = common::start(Config::default()).await;
    let gvk = GroupVersionKind::gvk("serving.knative.dev", "v1", "Service");
    let api: Api<DynamicObject> =
        Api::namespaced_with(client, "default", &ApiResource::from_gvk(&gvk));

    let obj: DynamicObject = serde_json::from_value(common::ksvc("dyn", "img:1")).unwrap();
    api.create(&PostParams::default(), &obj).await.unwrap();

    let merged = api
        .patch(
            "dyn",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"a": "b"}}})),
        )
        .await
        .unwrap();
    assert_eq!(merged.labels().get("a").map(String::as_str), Some("b"));

    let ops: json_patch::Patch = serde_json::from_value(json!([
        {"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "img:2"}
    ]))
    .unwrap();
    let patched = api
        .patch("dyn", &PatchParams::default(), &Patch::Json::<()>(ops))
        .await
        .unwrap();
    assert_eq!(
        patched.data["spec"]["template"]["spec"]["containers"][0]["image"],
        "img:2"
    );
    assert_eq!(patched.metadata.generation, Some(2));

    // Server-side apply: a second manager changing the same field conflicts unless forced.
    let applied = api
        .patch(
            "dyn",
            &PatchParams::apply("first"),
            &Patch::Apply(common::ksvc("dyn", "img:3")),
        )
        .await;
    let err = api_error(applied.unwrap_err());
    assert_eq!(err.code, 409);
    // kube-rs sends no User-Agent, so its updates belong to the manager "".
    assert_eq!(
        err.message,
        "Apply failed with 1 conflict: conflict with \"\" using serving.knative.dev/v1: .spec.template.spec.containers"
    );
    let forced = api
        .patch(
            "dyn",
            &PatchParams::apply("first").force(),
            &Patch::Apply(common::ksvc("dyn", "img:3")),
        )
        .await
        .unwrap();
    assert_eq!(
        forced.data["spec"]["template"]["spec"]["containers"][0]["image"],
        "img:3"
    );
    let managers: Vec<(String, String)> = forced
        .managed_fields()
        .iter()
        .map(|m| {
            (
                m.manager.clone().unwrap_or_default(),
                m.operation.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        managers.contains(&("first".into(), "Apply".into())),
        "{managers:?}"
    );

    // Apply creates a missing object.
    let created = api
        .patch(
            "fresh",
            &PatchParams::apply("first"),
            &Patch::Apply(common::ksvc("fresh", "img:1")),
        )
        .await
        .unwrap();
    assert_eq!(created.metadata.generation, Some(1));

    // Strategic merge patch is not for custom resources.
    let err = api_error(
        api.patch(
            "dyn",
            &PatchParams::default(),
            &Patch::Strategic(json!({"metadata": {"labels": {"x": "y"}}})),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(err.code, 415);
    assert_eq!(
        err.message,
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    );

    // Dynamic list and delete.
    let names: Vec<String> = api
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|o| o.name_any())
        .collect();
    assert_eq!(names, ["dyn", "fresh"]);
    let status = api
        .delete("dyn", &DeleteParams::default())
        .await
        .unwrap()
        .right()
        .unwrap();
    assert_eq!(status.details.map(|d| d.name), Some("dyn".to_string()));
    assert!(api.get_opt("dyn").await.unwrap().is_none());
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_watch_sees_added_modified_deleted_and_too_old_versions() {
    let (emulator, client) = common::start(Config::default()).await;
    let api: Api<ConfigMap> = Api::namespaced(client, "default");
    let start_rv = api
        .list(&ListParams::default())
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();

    let mut stream = api
        .watch(&WatchParams::default().timeout(10), &start_rv)
        .await
        .unwrap()
        .boxed();
    let mut cm = ConfigMap::default();
    cm.metadata.name = Some("w".into());
    cm.data = Some(BTreeMap::from([("k".to_string(), "v".to_string())]));
    api.create(&PostParams::default(), &cm).await.unwrap();
    api.patch(
        "w",
        &PatchParams::default(),
        &Patch::Merge(json!({"data": {"k": "v2"}})),
    )
    .await
    .unwrap();
    api.delete("w", &DeleteParams::default()).await.unwrap();

    let mut seen = Vec::new();
    while seen.len() < 3 {
        match stream.try_next().await.unwrap().expect("event") {
            WatchEvent::Added(o) => seen.push(("ADDED", o.data.unwrap()["k"].clone())),
            WatchEvent::Modified(o) => seen.push(("MODIFIED", o.data.unwrap()["k"].clone())),
            WatchEvent::Deleted(o) => seen.push(("DELETED", o.data.unwrap()["k"].clone())),
            WatchEvent::Bookmark(_) => {}
            WatchEvent::Error(e) => panic!("watch error {e:?}"),
        }
    }
    assert_eq!(
        seen,
        [
            ("ADDED", "v".to_string()),
            ("MODIFIED", "v2".to_string()),
            ("DELETED", "v2".to_string())
        ]
    );

    // Push the first revisions out of the history, then ask for them.
    let cluster = emulator.cluster();
    let gr = knit_emulator::resource::GroupResource::new("", "configmaps");
    for i in 0..1100 {
        cluster
            .create(&gr, json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("c{i}"), "namespace": "default"}}))
            .unwrap();
    }
    let mut old = api
        .watch(&WatchParams::default(), "1")
        .await
        .unwrap()
        .boxed();
    match old.try_next().await.unwrap().expect("one event") {
        WatchEvent::Error(e) => {
            assert_eq!((e.code, e.reason.as_str()), (410, "Expired"));
            assert_eq!(e.status, Some(kube::core::response::StatusSummary::Failure));
            assert!(
                e.message.starts_with("too old resource version: 1 ("),
                "{}",
                e.message
            );
        }
        other => panic!("expected 410, got {other:?}"),
    }
    assert!(
        old.try_next().await.unwrap().is_none(),
        "the stream ends after the ERROR event"
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watcher_relists_after_410() {
    let (emulator, client) = common::start(Config::default()).await;
    let api: Api<ConfigMap> = Api::namespaced(client, "watched");
    let cluster = emulator.cluster();
    let gr = knit_emulator::resource::GroupResource::new("", "configmaps");
    let ns_gr = knit_emulator::resource::GroupResource::new("", "namespaces");
    for ns in ["watched", "noise"] {
        cluster
            .create(
                &ns_gr,
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
            )
            .unwrap();
    }
    let cm = |ns: &str, name: &str| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns}});
    cluster.create(&gr, cm("watched", "before")).unwrap();

    // The server ends each watch after a second; the watcher then resumes from its last
    // resourceVersion, which by then has left the history: 410, and the watcher lists again.
    let mut events = watcher(api, watcher::Config::default().timeout(1)).boxed();
    let mut inits = 0;
    loop {
        match events.try_next().await.unwrap().expect("event") {
            watcher::Event::Init => inits += 1,
            watcher::Event::InitDone => break,
            _ => {}
        }
    }
    for i in 0..1100 {
        cluster.create(&gr, cm("noise", &format!("n{i}"))).unwrap();
    }
    cluster.create(&gr, cm("watched", "after")).unwrap();
    let mut relisted = Vec::new();
    let mut expired = 0;
    loop {
        match events.next().await.expect("event") {
            Err(watcher::Error::WatchError(status)) if status.code == 410 => {
                assert_eq!(status.reason, "Expired");
                expired += 1;
            }
            Err(e) => panic!("watcher error {e:?}"),
            Ok(watcher::Event::Init) => inits += 1,
            Ok(watcher::Event::InitApply(o)) => relisted.push(o.name_any()),
            Ok(watcher::Event::InitDone) => break,
            Ok(watcher::Event::Apply(_) | watcher::Event::Delete(_)) => {}
        }
    }
    assert_eq!((inits, expired), (2, 1));
    assert_eq!(relisted, ["after", "before"]);
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_watcher_follows_service_changes() {
    let (emulator, client) = common::start(Config::default()).await;
    let api: Api<Service> = Api::namespaced(client, "default");
    let mut events = watcher(api.clone(), watcher::Config::default()).boxed();
    assert!(matches!(
        events.try_next().await.unwrap(),
        Some(watcher::Event::Init)
    ));
    assert!(matches!(
        events.try_next().await.unwrap(),
        Some(watcher::Event::InitDone)
    ));
    api.create(&PostParams::default(), &service("w", "img:1"))
        .await
        .unwrap();
    match events.try_next().await.unwrap() {
        Some(watcher::Event::Apply(s)) => assert_eq!(s.name_any(), "w"),
        other => panic!("expected Apply, got {other:?}"),
    }
    api.delete("w", &DeleteParams::default()).await.unwrap();
    loop {
        match events.try_next().await.unwrap() {
            Some(watcher::Event::Delete(s)) => {
                assert_eq!(s.name_any(), "w");
                break;
            }
            Some(watcher::Event::Apply(_)) => {}
            other => panic!("expected Delete, got {other:?}"),
        }
    }
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_and_bearer_token() {
    let config = Config {
        tls: true,
        token: Some("s3cret".into()),
        ..Config::default()
    };
    let (emulator, client) = common::start(config).await;
    assert!(emulator.url().starts_with("https://127.0.0.1:"));
    assert!(
        emulator
            .ca_pem()
            .is_some_and(|ca| ca.starts_with("-----BEGIN CERTIFICATE-----"))
    );
    let api: Api<ConfigMap> = Api::namespaced(client, "default");
    assert!(
        api.list(&ListParams::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );

    let wrong = emulator.kubeconfig_yaml("test").replace("s3cret", "wrong");
    let api: Api<ConfigMap> = Api::namespaced(common::client_for(&wrong).await, "default");
    let err = api_error(api.list(&ListParams::default()).await.unwrap_err());
    assert_eq!(
        (err.code, err.reason.as_str(), err.message.as_str()),
        (401, "Unauthorized", "Unauthorized")
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_create_stores_nothing() {
    let (emulator, client) = common::start(Config::default()).await;
    let api: Api<Service> = Api::namespaced(client, "default");
    let dry = api
        .create(
            &PostParams {
                dry_run: true,
                ..PostParams::default()
            },
            &service("dry", "img"),
        )
        .await
        .unwrap();
    assert_eq!(dry.name_any(), "dry");
    assert_eq!(dry.metadata.resource_version, None);
    assert!(api.get_opt("dry").await.unwrap().is_none());
    let mut stream = api
        .watch(&WatchParams::default().timeout(1), "0")
        .await
        .unwrap()
        .boxed();
    assert!(
        stream.try_next().await.unwrap().is_none(),
        "no events for a dry run"
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn await_condition_until_ready() {
    let config = Config {
        ready_delay: std::time::Duration::from_millis(200),
        ..Config::default()
    };
    let (emulator, client) = common::start(config).await;
    let api: Api<Service> = Api::namespaced(client, "default");
    api.create(&PostParams::default(), &service("ready", "img:1"))
        .await
        .unwrap();
    assert!(
        !is_ready(api.get("ready").await.ok().as_ref()),
        "not ready before the revision is"
    );
    let ready = kube::runtime::wait::await_condition(api.clone(), "ready", is_ready);
    let svc = tokio::time::timeout(std::time::Duration::from_secs(30), ready)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        svc.and_then(|s| s.status).and_then(|s| s.url).as_deref(),
        Some("http://ready.default.svc.cluster.local")
    );
    emulator.shutdown().await;
}
