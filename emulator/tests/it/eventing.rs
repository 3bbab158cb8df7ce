//! Knative Eventing in the running emulator, over HTTP with kube-rs: webhook denials, and the
//! states brokers, triggers, sources, channels, subscriptions and event types reach through
//! the controller manager (waited for with `await_condition`), compared whole with uids and
//! times redacted.

use crate::common;

use std::time::Duration;

use knit_emulator::Config;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, PostParams};
use kube::runtime::wait::await_condition;
use serde_json::{Value, json};

/// The namespaced API of `kind` in `default`; every kind here is plural in the regular way.
fn api(client: &kube::Client, api_version: &str, kind: &str) -> Api<DynamicObject> {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let plural = format!("{}s", kind.to_lowercase());
    let ar =
        ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, version, kind), &plural);
    Api::namespaced_with(client.clone(), "default", &ar)
}

async fn create(api: &Api<DynamicObject>, obj: Value) -> Result<DynamicObject, kube::Error> {
    let obj: DynamicObject = serde_json::from_value(obj).expect("valid object");
    api.create(&PostParams::default(), &obj).await
}

fn condition<'a>(obj: &'a DynamicObject, t: &str) -> Option<&'a Value> {
    obj.data
        .pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c["type"] == t)
}

/// Waits (through a watch) until condition `t` of `name` has `status` and `reason`.
async fn wait_condition(
    api: &Api<DynamicObject>,
    name: &str,
    t: &str,
    status: &str,
    reason: &str,
) -> Value {
    let (t2, status2, reason2) = (t.to_string(), status.to_string(), reason.to_string());
    let cond = move |obj: Option<&DynamicObject>| {
        obj.and_then(|o| condition(o, &t2)).is_some_and(|c| {
            c["status"] == status2.as_str()
                && c.get("reason").and_then(Value::as_str).unwrap_or("") == reason2
        })
    };
    let found = tokio::time::timeout(
        Duration::from_secs(60),
        await_condition(api.clone(), name, cond),
    )
    .await
    .unwrap_or_else(|_| panic!("{name} never reached {t}={status} {reason}"))
    .expect("watch works")
    .expect("object exists");
    redact(&serde_json::to_value(found).expect("serializes"))
}

async fn wait_ready(api: &Api<DynamicObject>, name: &str) -> Value {
    wait_condition(api, name, "Ready", "True", "").await
}

fn redact(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match k.as_str() {
                        "uid" | "resourceVersion" | "creationTimestamp" | "lastTransitionTime"
                        | "managedFields" => json!("X"),
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

fn cond(t: &str, status: &str, reason: &str, message: &str) -> Value {
    let mut c = json!({"type": t, "status": status, "lastTransitionTime": "X"});
    if !reason.is_empty() {
        c["reason"] = json!(reason);
    }
    if !message.is_empty() {
        c["message"] = json!(message);
    }
    c
}

async fn ksvc(client: &kube::Client, name: &str) {
    let services = api(client, "serving.knative.dev/v1", "Service");
    create(&services, json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": name}, "spec": {"template": {"spec": {"containers": [{"image": "docker.io/example/display"}]}}}}))
    .await
    .expect("ksvc created");
    wait_ready(&services, name).await;
}

#[tokio::test]
async fn webhook_denials_reach_the_client() {
    let (emulator, client) = common::start(Config::default()).await;
    let triggers = api(&client, "eventing.knative.dev/v1", "Trigger");
    let err = create(
        &triggers,
        json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Trigger",
        "metadata": {"name": "t"}, "spec": {"subscriber": {"uri": "/relative"}}}),
    )
    .await
    .expect_err("denied");
    let kube::Error::Api(status) = err else {
        panic!("not an API error: {err}")
    };
    assert_eq!(status.code, 400);
    assert_eq!(status.reason, "BadRequest");
    assert_eq!(
        status.message,
        "admission webhook \"validation.webhook.eventing.knative.dev\" denied the request: validation failed: invalid value: Relative URI is not allowed when Ref and [apiVersion, kind, name] is absent: spec.subscriber.uri\nmissing field(s): spec.broker"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn broker_and_trigger_with_a_ksvc_subscriber() {
    let (emulator, client) = common::start(Config::default()).await;
    let brokers = api(&client, "eventing.knative.dev/v1", "Broker");
    let triggers = api(&client, "eventing.knative.dev/v1", "Trigger");
    // The trigger comes first: its broker and subscriber do not exist yet.
    create(&triggers, json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Trigger",
        "metadata": {"name": "t1"},
        "spec": {"broker": "default", "filter": {"attributes": {"type": "dev.example"}},
            "subscriber": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "display"}}}}))
    .await
    .expect("trigger created");
    let t = wait_condition(&triggers, "t1", "Ready", "False", "BrokerDoesNotExist").await;
    assert_eq!(
        t["status"]["conditions"][0],
        cond(
            "BrokerReady",
            "False",
            "BrokerDoesNotExist",
            "Broker \"default\" does not exist"
        )
    );
    create(&brokers, json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "metadata": {"name": "default"}}))
        .await
        .expect("broker created");
    let b = wait_ready(&brokers, "default").await;
    assert_eq!(
        b["metadata"]["annotations"],
        json!({"eventing.knative.dev/broker.class": "MTChannelBasedBroker",
            "eventing.knative.dev/creator": "kubernetes-admin", "eventing.knative.dev/lastModifier": "kubernetes-admin"})
    );
    assert_eq!(
        b["status"]["address"],
        json!({"name": "http", "url": "http://broker-ingress.knative-eventing.svc.cluster.local/default/default"})
    );
    let missing =
        "failed to get object default/display: services.serving.knative.dev \"display\" not found";
    let t = wait_condition(
        &triggers,
        "t1",
        "SubscriberResolved",
        "False",
        "Unable to get the Subscriber's URI",
    )
    .await;
    assert_eq!(
        t["status"]["conditions"][5],
        cond(
            "SubscriberResolved",
            "False",
            "Unable to get the Subscriber's URI",
            missing
        )
    );
    ksvc(&client, "display").await;
    let t = wait_ready(&triggers, "t1").await;
    assert_eq!(
        t["status"],
        json!({
            "conditions": [
                cond("BrokerReady", "True", "", ""),
                cond("DeadLetterSinkResolved", "True", "DeadLetterSinkNotConfigured", "No dead letter sink is configured."),
                cond("DependencyReady", "True", "", ""),
                cond("OIDCIdentityCreated", "True", "authentication-oidc feature disabled", ""),
                cond("Ready", "True", "", ""),
                cond("SubscriberResolved", "True", "", ""),
                cond("SubscriptionReady", "True", "", ""),
            ],
            "observedGeneration": 1,
            "subscriberUri": "http://display.default.svc.cluster.local",
        })
    );
    assert_eq!(
        t["metadata"]["labels"],
        json!({"eventing.knative.dev/broker": "default"})
    );
    // Deleting works (no finalizer on brokers and triggers).
    brokers
        .delete("default", &Default::default())
        .await
        .expect("broker deleted");
    emulator.shutdown().await;
}

#[tokio::test]
async fn sources_report_their_sinks() {
    let (emulator, client) = common::start(Config::default()).await;
    let pings = api(&client, "sources.knative.dev/v1", "PingSource");
    create(&pings, json!({"apiVersion": "sources.knative.dev/v1", "kind": "PingSource", "metadata": {"name": "uri"},
        "spec": {"schedule": "*/2 * * * *", "data": "{\"value\": \"hello\"}", "sink": {"uri": "https://events.example.com"}}}))
    .await
    .expect("ping created");
    let p = wait_ready(&pings, "uri").await;
    assert_eq!(
        p["metadata"]["finalizers"],
        json!(["pingsources.sources.knative.dev"])
    );
    assert_eq!(p["status"]["sinkUri"], "https://events.example.com");
    assert_eq!(
        p["status"]["ceAttributes"],
        json!([{"source": "/apis/v1/namespaces/default/pingsources/uri", "type": "dev.knative.sources.ping"}])
    );
    create(&pings, json!({"apiVersion": "sources.knative.dev/v1", "kind": "PingSource", "metadata": {"name": "missing"},
        "spec": {"sink": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "nope"}}}}))
    .await
    .expect("ping created");
    let p = wait_condition(&pings, "missing", "SinkProvided", "False", "NotFound").await;
    assert_eq!(p["spec"]["schedule"], "* * * * *");
    assert_eq!(
        p["status"]["conditions"][2],
        cond("Ready", "False", "NotFound", "")
    );

    let containers = api(&client, "sources.knative.dev/v1", "ContainerSource");
    create(&containers, json!({"apiVersion": "sources.knative.dev/v1", "kind": "ContainerSource", "metadata": {"name": "heartbeat"},
        "spec": {"template": {"spec": {"containers": [{"image": "docker.io/example/heartbeats"}]}}, "sink": {"uri": "https://events.example.com"}}}))
    .await
    .expect("container source created");
    let c = wait_ready(&containers, "heartbeat").await;
    assert_eq!(c["status"]["sinkUri"], "https://events.example.com");
    let bindings = api(&client, "sources.knative.dev/v1", "SinkBinding");
    let sb = wait_ready(&bindings, "heartbeat-sinkbinding").await;
    assert_eq!(sb["metadata"]["ownerReferences"][0]["name"], "heartbeat");
    emulator.shutdown().await;
}

#[tokio::test]
async fn channel_subscription_and_eventtype() {
    let (emulator, client) = common::start(Config::default()).await;
    ksvc(&client, "display").await;
    let channels = api(&client, "messaging.knative.dev/v1", "Channel");
    create(&channels, json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "metadata": {"name": "pipe"}}))
        .await
        .expect("channel created");
    let ch = wait_ready(&channels, "pipe").await;
    assert_eq!(
        ch["status"]["address"],
        json!({"name": "http", "url": "http://pipe-kn-channel.default.svc.cluster.local"})
    );
    let subs = api(&client, "messaging.knative.dev/v1", "Subscription");
    create(&subs, json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Subscription", "metadata": {"name": "sub0"},
        "spec": {"channel": {"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "pipe"},
            "subscriber": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "display"}}}}))
    .await
    .expect("subscription created");
    let s = wait_ready(&subs, "sub0").await;
    assert_eq!(
        s["status"]["physicalSubscription"],
        json!({"subscriberUri": "http://display.default.svc.cluster.local"})
    );
    let ets = api(&client, "eventing.knative.dev/v1beta2", "EventType");
    create(&ets, json!({"apiVersion": "eventing.knative.dev/v1beta2", "kind": "EventType", "metadata": {"name": "et"},
        "spec": {"type": "dev.example.ping", "source": "https://example.com/src",
            "reference": {"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "pipe"}}}))
    .await
    .expect("eventtype created");
    let et = wait_ready(&ets, "et").await;
    assert_eq!(
        et["status"]["conditions"],
        json!([
            cond("Ready", "True", "", ""),
            cond("ReferenceExists", "True", "", "")
        ])
    );
    subs.delete("sub0", &Default::default())
        .await
        .expect("subscription deleted");
    emulator.shutdown().await;
}
