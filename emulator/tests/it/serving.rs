//! Knative Serving end to end against the real emulator: objects created over HTTP with kube-rs
//! go through the registry, the Serving webhooks and the controller manager; the tests check
//! the exact resulting objects, the readiness timeline a watcher sees, and the failure
//! scenarios of reference/knative-api.md §2.

use crate::common;

use std::time::Duration;

use futures::StreamExt;
use knit_emulator::{Config, Emulator};
use kube::api::{
    Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::{Value, json};

const IMAGE: &str = "ghcr.io/knative/helloworld-go:latest";

async fn start(config: Config) -> (Emulator, kube::Client) {
    let emulator = Emulator::start(config).await.expect("emulator starts");
    let kubeconfig =
        kube::config::Kubeconfig::from_yaml(&emulator.kubeconfig_yaml("test")).expect("kubeconfig");
    let config = kube::Config::from_custom_kubeconfig(
        kubeconfig,
        &kube::config::KubeConfigOptions::default(),
    )
    .await
    .expect("kubeconfig loads");
    (emulator, kube::Client::try_from(config).expect("client"))
}

fn config() -> Config {
    Config {
        domain: "example.com".into(),
        ready_delay: Duration::from_millis(50),
        ..Default::default()
    }
}

fn api(client: &kube::Client, version: &str, kind: &str, plural: &str) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("serving.knative.dev", version, kind);
    Api::namespaced_with(
        client.clone(),
        "default",
        &ApiResource::from_gvk_with_plural(&gvk, plural),
    )
}

fn ksvcs(c: &kube::Client) -> Api<DynamicObject> {
    api(c, "v1", "Service", "services")
}
fn configurations(c: &kube::Client) -> Api<DynamicObject> {
    api(c, "v1", "Configuration", "configurations")
}
fn revisions(c: &kube::Client) -> Api<DynamicObject> {
    api(c, "v1", "Revision", "revisions")
}
fn routes(c: &kube::Client) -> Api<DynamicObject> {
    api(c, "v1", "Route", "routes")
}
fn domain_mappings(c: &kube::Client) -> Api<DynamicObject> {
    api(c, "v1beta1", "DomainMapping", "domainmappings")
}
fn configmaps(c: &kube::Client) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("", "v1", "ConfigMap");
    Api::namespaced_with(
        c.clone(),
        "knative-serving",
        &ApiResource::from_gvk_with_plural(&gvk, "configmaps"),
    )
}

fn to_value(o: &DynamicObject) -> Value {
    serde_json::to_value(o).unwrap_or(Value::Null)
}

fn from_value(v: Value) -> DynamicObject {
    serde_json::from_value(v).expect("a Kubernetes object")
}

fn ksvc(name: &str, image: &str) -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}},
    })
}

fn cond<'a>(obj: &'a Value, t: &str) -> &'a Value {
    obj.pointer("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|c| c["type"] == t))
        .unwrap_or(&Value::Null)
}

fn is_ready(obj: &Value) -> bool {
    obj.pointer("/metadata/generation") == obj.pointer("/status/observedGeneration")
        && cond(obj, "Ready")["status"] == "True"
}

/// Polls an object until `done` holds (30 s at most; the tests do not assert on time).
async fn wait_for(api: &Api<DynamicObject>, name: &str, done: impl Fn(&Value) -> bool) -> Value {
    let mut last = Value::Null;
    for _ in 0..1500 {
        if let Ok(o) = api.get(name).await {
            last = to_value(&o);
            if done(&last) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{name} never reached the expected state; last seen: {last:#}");
}

/// Replaces what varies between runs with placeholders.
fn redact(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "managedFields")
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

fn digest(context: &str, image: &str) -> String {
    format!(
        "{context}@sha256:{}",
        knit_emulator::knative::names::sha256_hex(image.as_bytes())
    )
}

async fn create_ksvc(client: &kube::Client, obj: Value) -> Value {
    to_value(
        &ksvcs(client)
            .create(&PostParams::default(), &from_value(obj))
            .await
            .expect("service created"),
    )
}

async fn patch_ksvc(client: &kube::Client, name: &str, patch: Value) -> Result<Value, kube::Error> {
    ksvcs(client)
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map(|o| to_value(&o))
}

#[tokio::test]
async fn happy_path_objects_and_timeline() {
    let (emulator, client) = start(config()).await;
    // Watch the Service from before it exists to see every status write.
    let watch_api = ksvcs(&client);
    let mut stream = watch_api
        .watch(&WatchParams::default().fields("metadata.name=hello"), "0")
        .await
        .unwrap()
        .boxed();

    let created = create_ksvc(&client, ksvc("hello", IMAGE)).await;
    assert!(
        created.get("status").is_none(),
        "the create response has no status: {created:#}"
    );
    assert_eq!(
        created["metadata"]["annotations"]["serving.knative.dev/creator"],
        "kubernetes-admin"
    );

    let mut seen: Vec<Value> = Vec::new();
    while let Some(event) = tokio::time::timeout(Duration::from_secs(30), stream.next())
        .await
        .ok()
        .flatten()
    {
        if let Ok(WatchEvent::Added(o) | WatchEvent::Modified(o)) = event {
            let v = to_value(&o);
            let done = is_ready(&v);
            seen.push(v);
            if done {
                break;
            }
        }
    }
    let reasons: Vec<String> = seen
        .iter()
        .filter(|v| v.get("status").is_some())
        .map(|v| {
            cond(v, "Ready")["reason"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let mut phases = reasons.clone();
    phases.dedup();
    let pos = |p: &str| {
        phases
            .iter()
            .position(|x| x == p)
            .unwrap_or_else(|| panic!("{p} not in {phases:?}"))
    };
    assert!(pos("OutOfDate") < pos("RevisionMissing"), "{phases:?}");
    assert!(
        pos("RevisionMissing") < pos("IngressNotConfigured"),
        "{phases:?}"
    );
    assert_eq!(phases.last().map(String::as_str), Some(""), "{phases:?}");
    let waiting = seen
        .iter()
        .find(|v| cond(v, "Ready")["reason"] == "RevisionMissing")
        .unwrap();
    assert_eq!(
        cond(waiting, "Ready")["message"],
        "Configuration \"hello\" is waiting for a Revision to become ready."
    );
    assert_eq!(cond(waiting, "ConfigurationsReady")["status"], "Unknown");

    let svc = to_value(&ksvcs(&client).get("hello").await.unwrap());
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
    assert_eq!(
        svc["spec"],
        json!({
            "template": {"metadata": {}, "spec": {
                "containerConcurrency": 0,
                "containers": [{"image": IMAGE, "name": "user-container",
                    "readinessProbe": {"successThreshold": 1, "tcpSocket": {"port": 0}}, "resources": {}}],
                "enableServiceLinks": false,
                "timeoutSeconds": 300}},
            "traffic": [{"latestRevision": true, "percent": 100}],
        })
    );

    let config = redact(&to_value(
        &configurations(&client).get("hello").await.unwrap(),
    ));
    assert_eq!(
        config["metadata"]["labels"],
        json!({"serving.knative.dev/service": "hello", "serving.knative.dev/serviceUID": "UID"})
    );
    assert_eq!(
        config["metadata"]["annotations"],
        json!({"serving.knative.dev/creator": "kubernetes-admin", "serving.knative.dev/lastModifier": "kubernetes-admin",
               "serving.knative.dev/routes": "hello"})
    );
    assert_eq!(
        config["metadata"]["ownerReferences"],
        json!([{"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "hello", "uid": "UID",
                "controller": true, "blockOwnerDeletion": true}])
    );
    assert_eq!(config["spec"]["template"], svc["spec"]["template"]);
    assert_eq!(config["status"]["latestReadyRevisionName"], "hello-00001");

    let rev = redact(&to_value(
        &revisions(&client).get("hello-00001").await.unwrap(),
    ));
    assert_eq!(
        rev["metadata"]["labels"],
        json!({
            "serving.knative.dev/configuration": "hello",
            "serving.knative.dev/configurationGeneration": "1",
            "serving.knative.dev/configurationUID": "UID",
            "serving.knative.dev/routingState": "active",
            "serving.knative.dev/service": "hello",
            "serving.knative.dev/serviceUID": "UID",
        })
    );
    assert_eq!(
        rev["metadata"]["annotations"],
        json!({"serving.knative.dev/creator": "kubernetes-admin", "serving.knative.dev/routes": "hello",
               "serving.knative.dev/routingStateModified": "T"})
    );
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
            "containerStatuses": [{"name": "user-container", "imageDigest": digest("ghcr.io/knative/helloworld-go", IMAGE)}],
            "observedGeneration": 1,
        })
    );

    let route = redact(&to_value(&routes(&client).get("hello").await.unwrap()));
    assert_eq!(
        route["metadata"]["finalizers"],
        json!(["routes.serving.knative.dev"])
    );
    assert_eq!(
        route["spec"],
        json!({"traffic": [{"configurationName": "hello", "latestRevision": true, "percent": 100}]})
    );
    assert_eq!(
        route["status"]["conditions"],
        json!([
            {"type": "AllTrafficAssigned", "status": "True", "lastTransitionTime": "T"},
            {"type": "CertificateProvisioned", "status": "True", "reason": "TLSNotEnabled",
             "message": "external-domain-tls is not enabled", "lastTransitionTime": "T"},
            {"type": "IngressReady", "status": "True", "lastTransitionTime": "T"},
            {"type": "Ready", "status": "True", "lastTransitionTime": "T"},
        ])
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn webhook_denials_and_warnings_over_http() {
    let (emulator, client) = start(config()).await;
    let mut bad = ksvc("hello", IMAGE);
    bad["spec"]["traffic"] = json!([{"latestRevision": true, "percent": 90}]);
    let err = ksvcs(&client)
        .create(&PostParams::default(), &from_value(bad))
        .await
        .unwrap_err();
    match err {
        kube::Error::Api(s) => {
            assert_eq!(s.code, 400);
            assert_eq!(s.reason, "BadRequest");
            assert_eq!(
                s.message,
                "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: Traffic targets sum to 90, want 100: spec.traffic"
            );
        }
        other => panic!("unexpected error {other:?}"),
    }
    // Webhook defaulting runs on patches too: a BYO name change check on update.
    create_ksvc(&client, {
        let mut s = ksvc("byo", IMAGE);
        s["spec"]["template"]["metadata"] = json!({"name": "byo-one"});
        s
    })
    .await;
    let err = patch_ksvc(
        &client,
        "byo",
        json!({"spec": {"template": {"spec": {"containers": [{"image": "nginx"}]}}}}),
    )
    .await
    .unwrap_err();
    match err {
        kube::Error::Api(s) => assert!(
            s.message.starts_with("admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: Saw the following changes without a name change (-old +new): spec.template.metadata.name\n"),
            "{}",
            s.message
        ),
        other => panic!("unexpected error {other:?}"),
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn update_tags_and_unfetchable_image() {
    let (emulator, client) = start(Config {
        unfetchable_images: vec!["*does-not-exist*".into()],
        ..config()
    })
    .await;
    create_ksvc(&client, ksvc("hello", IMAGE)).await;
    wait_for(&ksvcs(&client), "hello", is_ready).await;

    // A new template makes hello-00002; tags split the traffic.
    patch_ksvc(
        &client,
        "hello",
        json!({"spec": {
            "template": {"spec": {"containers": [{"image": "nginx:1.25"}]}},
            "traffic": [{"tag": "current", "revisionName": "hello-00001", "percent": 50},
                        {"tag": "latest", "latestRevision": true, "percent": 50}]}}),
    )
    .await
    .unwrap();
    let svc = wait_for(&ksvcs(&client), "hello", |s| {
        is_ready(s) && s["status"]["latestReadyRevisionName"] == "hello-00002"
    })
    .await;
    assert_eq!(
        svc["status"]["traffic"],
        json!([
            {"latestRevision": false, "percent": 50, "revisionName": "hello-00001", "tag": "current",
             "url": "http://current-hello.default.example.com"},
            {"latestRevision": true, "percent": 50, "revisionName": "hello-00002", "tag": "latest",
             "url": "http://latest-hello.default.example.com"},
        ])
    );

    // An image that cannot be fetched: the revision fails, traffic stays where it was.
    patch_ksvc(
        &client,
        "hello",
        json!({"spec": {"template": {"spec": {"containers": [{"image": "docker.io/knit/does-not-exist:v1"}]}},
               "traffic": [{"latestRevision": true, "percent": 100}]}}),
    )
    .await
    .unwrap();
    let svc = wait_for(&ksvcs(&client), "hello", |s| {
        s["status"]["observedGeneration"] == 3
            && cond(s, "ConfigurationsReady")["status"] == "False"
    })
    .await;
    let missing = "Unable to fetch image \"docker.io/knit/does-not-exist:v1\": failed to resolve image to digest: HEAD https://index.docker.io/v2/knit/does-not-exist/manifests/v1: unexpected status code 401 Unauthorized (HEAD responses have no body, use GET for details)";
    assert_eq!(
        cond(&svc, "ConfigurationsReady")["reason"],
        "RevisionFailed"
    );
    assert_eq!(
        cond(&svc, "ConfigurationsReady")["message"],
        format!("Revision \"hello-00003\" failed with message: {missing}.").as_str()
    );
    assert_eq!(cond(&svc, "Ready")["status"], "False");
    assert_eq!(svc["status"]["latestReadyRevisionName"], "hello-00002");
    let rev = to_value(&revisions(&client).get("hello-00003").await.unwrap());
    assert_eq!(cond(&rev, "ContainerHealthy")["reason"], "ContainerMissing");
    assert_eq!(cond(&rev, "Ready")["message"], missing);
    emulator.shutdown().await;
}

#[tokio::test]
async fn missing_revision_cluster_local_and_config_domain() {
    let (emulator, client) = start(config()).await;
    let mut local = ksvc("local", IMAGE);
    local["metadata"]["labels"] = json!({"networking.knative.dev/visibility": "cluster-local"});
    create_ksvc(&client, local).await;
    create_ksvc(&client, ksvc("hello", IMAGE)).await;
    let svc = wait_for(&ksvcs(&client), "local", is_ready).await;
    assert_eq!(
        svc["status"]["url"],
        "http://local.default.svc.cluster.local"
    );
    wait_for(&ksvcs(&client), "hello", is_ready).await;

    // Traffic to a revision that does not exist is accepted and fails in status.
    patch_ksvc(
        &client,
        "hello",
        json!({"spec": {"traffic": [{"revisionName": "hello-00009", "percent": 100}]}}),
    )
    .await
    .unwrap();
    let svc = wait_for(&ksvcs(&client), "hello", |s| {
        cond(s, "RoutesReady")["status"] == "False"
    })
    .await;
    assert_eq!(cond(&svc, "Ready")["reason"], "RevisionMissing");
    assert_eq!(
        cond(&svc, "Ready")["message"],
        "Revision \"hello-00009\" referenced in traffic not found."
    );
    assert_eq!(
        svc["status"]["traffic"],
        json!([{"latestRevision": true, "percent": 100, "revisionName": "hello-00001"}])
    );
    patch_ksvc(
        &client,
        "hello",
        json!({"spec": {"traffic": [{"latestRevision": true, "percent": 100}]}}),
    )
    .await
    .unwrap();
    wait_for(&ksvcs(&client), "hello", is_ready).await;

    // Patching config-domain changes the URLs that follow.
    configmaps(&client)
        .patch(
            "config-domain",
            &PatchParams::default(),
            &Patch::Merge(&json!({"data": {"example.com": null, "knative.test": ""}})),
        )
        .await
        .unwrap();
    let svc = wait_for(&ksvcs(&client), "hello", |s| {
        s["status"]["url"] == "http://hello.default.knative.test" && is_ready(s)
    })
    .await;
    assert_eq!(
        svc["status"]["address"]["url"],
        "http://hello.default.svc.cluster.local"
    );
    let local = wait_for(&ksvcs(&client), "local", is_ready).await;
    assert_eq!(
        local["status"]["url"],
        "http://local.default.svc.cluster.local"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn domain_mapping_and_deletion() {
    let (emulator, client) = start(config()).await;
    create_ksvc(&client, ksvc("hello", IMAGE)).await;
    wait_for(&ksvcs(&client), "hello", is_ready).await;
    configmaps(&client)
        .patch(
            "config-network",
            &PatchParams::default(),
            &Patch::Merge(&json!({"data": {"autocreate-cluster-domain-claims": "true"}})),
        )
        .await
        .unwrap();
    let dm = json!({"apiVersion": "serving.knative.dev/v1beta1", "kind": "DomainMapping",
        "metadata": {"name": "hello.example.org", "namespace": "default"},
        "spec": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "hello"}}});
    domain_mappings(&client)
        .create(&PostParams::default(), &from_value(dm))
        .await
        .unwrap();
    let dm = wait_for(&domain_mappings(&client), "hello.example.org", is_ready).await;
    assert_eq!(dm["status"]["url"], "http://hello.example.org");
    assert_eq!(dm["spec"]["ref"]["namespace"], "default");
    assert_eq!(
        dm["metadata"]["finalizers"],
        json!(["domainmappings.serving.knative.dev"])
    );
    let claims = {
        let gvk = GroupVersionKind::gvk(
            "networking.internal.knative.dev",
            "v1alpha1",
            "ClusterDomainClaim",
        );
        Api::<DynamicObject>::all_with(
            client.clone(),
            &ApiResource::from_gvk_with_plural(&gvk, "clusterdomainclaims"),
        )
    };
    let claim = to_value(&claims.get("hello.example.org").await.unwrap());
    assert_eq!(claim["spec"], json!({"namespace": "default"}));

    // Deleting the mapping releases the claim; deleting the Service removes its children.
    domain_mappings(&client)
        .delete("hello.example.org", &DeleteParams::default())
        .await
        .unwrap();
    ksvcs(&client)
        .delete("hello", &DeleteParams::default())
        .await
        .unwrap();
    for _ in 0..1500 {
        let gone = claims.get_opt("hello.example.org").await.unwrap().is_none()
            && routes(&client).get_opt("hello").await.unwrap().is_none()
            && configurations(&client)
                .get_opt("hello")
                .await
                .unwrap()
                .is_none()
            && revisions(&client)
                .get_opt("hello-00001")
                .await
                .unwrap()
                .is_none()
            && domain_mappings(&client)
                .get_opt("hello.example.org")
                .await
                .unwrap()
                .is_none();
        if gone {
            emulator.shutdown().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("children, claim or mapping not deleted");
}

/// kn's e2e TestDomain: the legacy key `autocreateClusterDomainClaims` turns claims on, and a
/// mapping with its own certificate (`spec.tls`) is served over https.
#[tokio::test]
async fn domain_mapping_with_tls_secret_and_legacy_claim_key() {
    let (emulator, client) = start(config()).await;
    create_ksvc(&client, ksvc("hello", IMAGE)).await;
    wait_for(&ksvcs(&client), "hello", is_ready).await;
    configmaps(&client)
        .patch(
            "config-network",
            &PatchParams::default(),
            &Patch::Merge(&json!({"data": {"autocreateClusterDomainClaims": "true"}})),
        )
        .await
        .unwrap();
    let dm = json!({"apiVersion": "serving.knative.dev/v1beta1", "kind": "DomainMapping",
        "metadata": {"name": "newdomain.com", "namespace": "default"},
        "spec": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "hello"},
                 "tls": {"secretName": "tls-secret"}}});
    domain_mappings(&client)
        .create(&PostParams::default(), &from_value(dm))
        .await
        .unwrap();
    let dm = wait_for(&domain_mappings(&client), "newdomain.com", is_ready).await;
    assert_eq!(dm["status"]["url"], "https://newdomain.com");
    assert_eq!(dm["status"]["address"]["url"], "https://newdomain.com");
    let cert = dm["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "CertificateProvisioned")
        .unwrap()
        .clone();
    assert_eq!(cert["status"], "True");
    assert_eq!(cert["reason"], "CertificateExternallyProvided");
    assert_eq!(cert["message"], "TLS certificate was provided externally");
    emulator.shutdown().await;
}

#[tokio::test]
async fn raw_http_warning_headers_and_denial_bodies() {
    let (emulator, _client) = start(config()).await;
    let path = "/apis/serving.knative.dev/v1/namespaces/default/services";
    let body = serde_json::to_vec(&ksvc("hello", IMAGE)).unwrap();
    let resp = common::http(emulator.addr(), "POST", path, &[common::JSON], &body).await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    assert_eq!(
        resp.headers_named("Warning"),
        vec![
            "299 - \"Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile\""
        ]
    );

    let mut bad = ksvc("bad", IMAGE);
    bad["spec"]["traffic"] = json!([{"latestRevision": true, "percent": 90}]);
    let resp = common::http(
        emulator.addr(),
        "POST",
        path,
        &[common::JSON],
        &serde_json::to_vec(&bad).unwrap(),
    )
    .await;
    assert_eq!(resp.status, 400);
    assert_eq!(
        resp.json(),
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: Traffic targets sum to 90, want 100: spec.traffic",
               "reason": "BadRequest", "code": 400})
    );

    let mut typed = ksvc("typed", IMAGE);
    typed["spec"]["template"]["spec"]["containerConcurrency"] = json!("ten");
    let resp = common::http(
        emulator.addr(),
        "POST",
        path,
        &[common::JSON],
        &serde_json::to_vec(&typed).unwrap(),
    )
    .await;
    assert_eq!(resp.status, 400);
    assert_eq!(
        resp.message(),
        "admission webhook \"webhook.serving.knative.dev\" denied the request: mutation failed: cannot decode incoming new object: json: cannot unmarshal string into Go struct field RevisionSpec.spec.template.spec.containerConcurrency of type int64"
    );

    // A name that is a DNS subdomain but not a label passes the API server and is refused by Knative.
    let resp = common::http(
        emulator.addr(),
        "POST",
        path,
        &[common::JSON],
        &serde_json::to_vec(&ksvc("hello.world", IMAGE)).unwrap(),
    )
    .await;
    assert_eq!(resp.status, 400);
    assert_eq!(
        resp.message(),
        "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: not a DNS 1035 label: [a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]: metadata.name"
    );
    emulator.shutdown().await;
}

/// The fields of the `Update` entry a manager has in `object`'s managedFields (an empty
/// manager is omitted from the entry, as Go's omitempty does).
fn update_fields(object: &Value, manager: &str) -> Value {
    object["metadata"]["managedFields"]
        .as_array()
        .and_then(|entries| {
            entries.iter().find(|e| {
                e.get("manager").and_then(Value::as_str).unwrap_or("") == manager
                    && e["operation"] == "Update"
                    && e.get("subresource").is_none()
            })
        })
        .map(|e| e["fieldsV1"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn writers_own_what_they_sent_not_what_webhooks_added() {
    // Upstream records ownership before mutating admission (kubernetes#87672): the defaults the
    // Knative webhook adds (creator annotations, timeoutSeconds, traffic, container name) belong
    // to nobody, so a later server-side apply that leaves them out does not remove them.
    let (_emulator, client) = start(config()).await;
    let created = create_ksvc(&client, ksvc("owned", IMAGE)).await;
    assert_eq!(created["spec"]["template"]["spec"]["timeoutSeconds"], 300);
    assert_eq!(
        update_fields(&created, ""),
        json!({"f:spec": {".": {}, "f:template": {".": {}, "f:spec": {".": {}, "f:containers": {}}}}})
    );
    let patched = patch_ksvc(
        &client,
        "owned",
        json!({"metadata": {"labels": {"team": "a"}}}),
    )
    .await
    .expect("merge patch");
    assert_eq!(
        update_fields(&patched, ""),
        json!({
            "f:metadata": {"f:labels": {".": {}, "f:team": {}}},
            "f:spec": {".": {}, "f:template": {".": {}, "f:spec": {".": {}, "f:containers": {}}}}
        })
    );
    // The webhook's lastModifier/creator annotations stay unowned across the update.
    assert!(patched["metadata"]["annotations"]["serving.knative.dev/lastModifier"].is_string());
}

/// Several controller workers reconcile side by side: every service gets Ready, and each has
/// exactly one revision, deployment and pod (a key is never reconciled twice at once, so no
/// child is made twice).
#[tokio::test]
async fn several_workers_bring_many_services_to_ready_with_one_of_each_child() {
    let (emulator, client) = start(Config {
        workers: 4,
        ready_delay: Duration::ZERO,
        ..config()
    })
    .await;
    let names: Vec<String> = (0..24).map(|i| format!("s{i:02}")).collect();
    for name in &names {
        create_ksvc(&client, ksvc(name, IMAGE)).await;
    }
    for name in &names {
        wait_for(&ksvcs(&client), name, is_ready).await;
    }
    let count = |gvk: GroupVersionKind, plural: &str| {
        let api: Api<DynamicObject> = Api::namespaced_with(
            client.clone(),
            "default",
            &ApiResource::from_gvk_with_plural(&gvk, plural),
        );
        async move {
            let list = api.list(&Default::default()).await.expect("list");
            let mut owners: Vec<String> = list
                .items
                .iter()
                .filter_map(|o| {
                    o.metadata
                        .labels
                        .as_ref()?
                        .get("serving.knative.dev/service")
                })
                .cloned()
                .collect();
            owners.sort();
            owners
        }
    };
    let per_service: Vec<String> = names.clone();
    assert_eq!(
        count(
            GroupVersionKind::gvk("serving.knative.dev", "v1", "Revision"),
            "revisions"
        )
        .await,
        per_service
    );
    assert_eq!(
        count(
            GroupVersionKind::gvk("apps", "v1", "Deployment"),
            "deployments"
        )
        .await,
        per_service
    );
    assert_eq!(
        count(GroupVersionKind::gvk("", "v1", "Pod"), "pods").await,
        per_service
    );
    emulator.shutdown().await;
}
