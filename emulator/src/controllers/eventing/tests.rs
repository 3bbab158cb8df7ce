//! Eventing controllers driven end to end over the in-memory cluster together with Serving's:
//! events go through every controller's `keys_for` and reconciles run until nothing changes;
//! the resulting objects are compared whole, with uids and times redacted.

use std::collections::VecDeque;

use serde_json::{Value, json};

use crate::cluster::ClusterApi;
use crate::controllers::{Controller, Requeue, knative_controllers};
use crate::knative::eventing::*;
use crate::knative::testing::FakeCluster;
use crate::resource::{GroupResource, ObjectKey};

const USER: &str = "alice";

pub(super) struct Harness {
    pub(super) cluster: FakeCluster,
    controllers: Vec<Box<dyn Controller>>,
}

pub(super) fn harness() -> Harness {
    Harness {
        cluster: FakeCluster::new(crate::Config::default()),
        controllers: knative_controllers(),
    }
}

impl Harness {
    pub(super) fn create(&self, gr: GroupResource, obj: Value) -> Value {
        let o = self
            .cluster
            .create_as(&gr, obj, USER)
            .unwrap_or_else(|e| panic!("{}", e.message));
        self.settle();
        o
    }

    pub(super) fn get(&self, gr: GroupResource, name: &str) -> Value {
        self.cluster
            .get(&gr, "default", name)
            .unwrap_or_else(|e| panic!("{}", e.message))
    }

    pub(super) fn settle(&self) {
        let mut queue: VecDeque<(usize, ObjectKey)> = VecDeque::new();
        let mut later: Vec<(usize, ObjectKey)> = Vec::new();
        for _ in 0..20_000 {
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
}

/// Replaces what varies between runs (uids, times, resourceVersions) with placeholders.
fn redact(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match k.as_str() {
                        "uid" | "resourceVersion" | "creationTimestamp" => json!(k.to_uppercase()),
                        "lastTransitionTime" => json!("T"),
                        _ => redact(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(redact).collect()),
        Value::String(s) if s.contains("uid-") => {
            // Names and URLs built from a uid.
            let i = s.find("uid-").unwrap_or(0);
            json!(format!("{}UID", &s[..i]))
        }
        other => other.clone(),
    }
}

pub(super) fn status(obj: &Value) -> Value {
    redact(&obj["status"])
}

pub(super) fn cond(t: &str, status: &str) -> Value {
    json!({"type": t, "status": status, "lastTransitionTime": "T"})
}

pub(super) fn cond_r(t: &str, status: &str, reason: &str, message: &str) -> Value {
    let mut c = cond(t, status);
    if !reason.is_empty() {
        c["reason"] = json!(reason);
    }
    if !message.is_empty() {
        c["message"] = json!(message);
    }
    c
}

pub(super) fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "default"})
}

pub(super) fn ksvc(h: &Harness, name: &str) {
    h.create(
        GroupResource::of("serving.knative.dev", "services"),
        json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": meta(name),
            "spec": {"template": {"spec": {"containers": [{"image": "docker.io/example/display"}]}}}}),
    );
}

fn ksvc_ref(name: &str) -> Value {
    json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": name}})
}

pub(super) fn broker(h: &Harness, name: &str) -> Value {
    h.create(
        brokers(),
        json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "metadata": meta(name)}),
    )
}

fn trigger(h: &Harness, name: &str, broker: &str, subscriber: Value) -> Value {
    h.create(
        triggers(),
        json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Trigger", "metadata": meta(name),
            "spec": {"broker": broker, "subscriber": subscriber}}),
    )
}

fn ready_broker_status(name: &str) -> Value {
    json!({
        "address": {"name": "http", "url": format!("http://broker-ingress.knative-eventing.svc.cluster.local/default/{name}")},
        "annotations": {
            "knative.dev/channelAPIVersion": "messaging.knative.dev/v1",
            "knative.dev/channelAddress": format!("http://{name}-kne-trigger-kn-channel.default.svc.cluster.local"),
            "knative.dev/channelKind": "InMemoryChannel",
            "knative.dev/channelName": format!("{name}-kne-trigger"),
        },
        "conditions": [
            cond("Addressable", "True"),
            cond_r("DeadLetterSinkResolved", "True", "DeadLetterSinkNotConfigured", "No dead letter sink is configured."),
            cond_r("EventPoliciesReady", "True", "OIDCDisabled", "Feature \"authentication-oidc\" must be enabled to support Authorization"),
            cond("FilterReady", "True"),
            cond("IngressReady", "True"),
            cond("Ready", "True"),
            cond("TriggerChannelReady", "True"),
        ],
        "observedGeneration": 1,
    })
}

#[test]
fn broker_becomes_ready_with_its_ingress_url_and_trigger_channel() {
    let h = harness();
    broker(&h, "default");
    assert_eq!(
        status(&h.get(brokers(), "default")),
        ready_broker_status("default")
    );
    let imc = h.get(inmemorychannels(), "default-kne-trigger");
    assert_eq!(
        imc["metadata"]["labels"],
        json!({"eventing.knative.dev/broker": "default", "eventing.knative.dev/brokerEverything": "true"})
    );
    assert_eq!(
        imc["metadata"]["annotations"]["eventing.knative.dev/scope"],
        "cluster"
    );
    assert_eq!(imc["metadata"]["ownerReferences"][0]["kind"], "Broker");
    assert_eq!(
        imc["status"]["address"],
        json!({"name": "http", "url": "http://default-kne-trigger-kn-channel.default.svc.cluster.local"})
    );
}

fn ready_trigger_status(subscriber_uri: &str) -> Value {
    json!({
        "conditions": [
            cond("BrokerReady", "True"),
            cond_r("DeadLetterSinkResolved", "True", "DeadLetterSinkNotConfigured", "No dead letter sink is configured."),
            cond("DependencyReady", "True"),
            cond_r("OIDCIdentityCreated", "True", "authentication-oidc feature disabled", ""),
            cond("Ready", "True"),
            cond("SubscriberResolved", "True"),
            cond("SubscriptionReady", "True"),
        ],
        "observedGeneration": 1,
        "subscriberUri": subscriber_uri,
    })
}

#[test]
fn trigger_with_a_ksvc_subscriber_becomes_ready() {
    let h = harness();
    ksvc(&h, "display");
    broker(&h, "default");
    trigger(&h, "t1", "default", ksvc_ref("display"));
    let t = h.get(triggers(), "t1");
    assert_eq!(
        status(&t),
        ready_trigger_status("http://display.default.svc.cluster.local")
    );
    let subs = h.cluster.list(&subscriptions(), "default");
    assert_eq!(subs.len(), 1);
    let sub = redact(&subs[0]);
    assert_eq!(sub["metadata"]["name"], "default-t1-UID");
    assert_eq!(
        sub["metadata"]["labels"],
        json!({"eventing.knative.dev/broker": "default", "eventing.knative.dev/trigger": "t1"})
    );
    assert_eq!(
        sub["spec"],
        json!({
            "channel": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "name": "default-kne-trigger"},
            "subscriber": {"uri": "http://broker-filter.knative-eventing.svc.cluster.local/triggers/default/t1/UID"},
            "reply": {"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default", "namespace": "default"}},
            "delivery": {"backoffDelay": "PT0.2S", "backoffPolicy": "exponential", "retry": 10},
        })
    );
    assert_eq!(
        sub["metadata"]["finalizers"],
        json!(["subscriptions.messaging.knative.dev"])
    );
    assert_eq!(
        sub["status"]["physicalSubscription"],
        json!({
            "subscriberUri": "http://broker-filter.knative-eventing.svc.cluster.local/triggers/default/t1/UID",
            "replyUri": "http://broker-ingress.knative-eventing.svc.cluster.local/default/default",
        })
    );
}

#[test]
fn trigger_waits_for_its_broker_and_subscriber() {
    let h = harness();
    trigger(&h, "t1", "default", ksvc_ref("display"));
    let t = h.get(triggers(), "t1");
    assert_eq!(
        status(&t)["conditions"],
        json!([
            cond_r(
                "BrokerReady",
                "False",
                "BrokerDoesNotExist",
                "Broker \"default\" does not exist"
            ),
            cond("DeadLetterSinkResolved", "Unknown"),
            cond("DependencyReady", "Unknown"),
            cond("OIDCIdentityCreated", "Unknown"),
            cond_r(
                "Ready",
                "False",
                "BrokerDoesNotExist",
                "Broker \"default\" does not exist"
            ),
            cond("SubscriberResolved", "Unknown"),
            cond("SubscriptionReady", "Unknown"),
        ])
    );
    broker(&h, "default");
    let t = h.get(triggers(), "t1");
    let missing =
        "failed to get object default/display: services.serving.knative.dev \"display\" not found";
    assert_eq!(
        status(&t)["conditions"][5],
        cond_r(
            "SubscriberResolved",
            "False",
            "Unable to get the Subscriber's URI",
            missing
        )
    );
    assert_eq!(
        status(&t)["conditions"][4],
        cond_r(
            "Ready",
            "False",
            "Unable to get the Subscriber's URI",
            missing
        )
    );
    assert!(t["status"].get("subscriberUri").is_none());
    ksvc(&h, "display");
    assert_eq!(
        status(&h.get(triggers(), "t1")),
        ready_trigger_status("http://display.default.svc.cluster.local")
    );
}

fn ping(h: &Harness, name: &str, sink: Value) -> Value {
    h.create(
        pingsources(),
        json!({"apiVersion": "sources.knative.dev/v1", "kind": "PingSource", "metadata": meta(name),
            "spec": {"sink": sink, "data": "hello"}}),
    )
}

#[test]
fn ping_source_to_a_uri_is_ready() {
    let h = harness();
    ping(&h, "p1", json!({"uri": "https://events.example.com/in"}));
    let p = h.get(pingsources(), "p1");
    assert_eq!(
        p["metadata"]["finalizers"],
        json!(["pingsources.sources.knative.dev"])
    );
    assert_eq!(
        status(&p),
        json!({
            "ceAttributes": [{"source": "/apis/v1/namespaces/default/pingsources/p1", "type": "dev.knative.sources.ping"}],
            "conditions": [
                cond("Deployed", "True"),
                cond_r("OIDCIdentityCreated", "True", "authentication-oidc feature disabled", ""),
                cond("Ready", "True"),
                cond("SinkProvided", "True"),
            ],
            "observedGeneration": 1,
            "sinkUri": "https://events.example.com/in",
        })
    );
}

#[test]
fn ping_source_to_a_missing_ksvc_is_not_ready_until_it_exists() {
    let h = harness();
    ping(&h, "p1", ksvc_ref("later"));
    let p = h.get(pingsources(), "p1");
    assert_eq!(p["spec"]["sink"], ksvc_ref("later"));
    assert_eq!(
        status(&p),
        json!({
            "conditions": [
                cond("Deployed", "Unknown"),
                cond("OIDCIdentityCreated", "Unknown"),
                cond_r("Ready", "False", "NotFound", ""),
                cond_r("SinkProvided", "False", "NotFound", ""),
            ],
            "observedGeneration": 1,
        })
    );
    ksvc(&h, "later");
    let p = h.get(pingsources(), "p1");
    assert_eq!(
        p["status"]["sinkUri"],
        "http://later.default.svc.cluster.local"
    );
    assert_eq!(status(&p)["conditions"][2], cond("Ready", "True"));
}

/// The (type, reason, message) of the Events recorded about `name`, oldest first.
fn events_about(h: &Harness, name: &str) -> Vec<(String, String, String)> {
    let events = crate::controllers::kube::events::events();
    h.cluster
        .list(&events, "default")
        .iter()
        .filter(|e| e["involvedObject"]["name"] == name)
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("type"), s("reason"), s("message"))
        })
        .collect()
}

#[test]
fn ping_source_records_knatives_events_once() {
    let h = harness();
    ping(&h, "p1", ksvc_ref("later"));
    // Reconciled again (a change elsewhere): the same warning is not recorded twice.
    ksvc(&h, "other");
    let expected = [
        ("Normal", "FinalizerUpdate", "Updated \"p1\" finalizers"),
        (
            "Warning",
            "SinkNotFound",
            r#"Sink not found: {"ref":{"kind":"Service","namespace":"default","name":"later","apiVersion":"serving.knative.dev/v1"}}"#,
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(t, r, m)| (t.to_string(), r.to_string(), m.to_string()))
        .collect();
    assert_eq!(events_about(&h, "p1"), expected);
}

#[test]
fn container_source_and_subscription_record_their_events() {
    let h = harness();
    ksvc(&h, "display");
    h.create(
        containersources(),
        json!({"apiVersion": "sources.knative.dev/v1", "kind": "ContainerSource", "metadata": meta("src"),
            "spec": {"template": {"spec": {"containers": [{"image": "img"}]}}, "sink": ksvc_ref("display")}}),
    );
    let reasons: Vec<String> = events_about(&h, "src").into_iter().map(|e| e.1).collect();
    assert_eq!(
        reasons,
        [
            "ContainerSourceSinkBindingCreated",
            "ContainerSourceReconciled"
        ]
    );
    h.create(
        subscriptions(),
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Subscription", "metadata": meta("s"),
            "spec": {"channel": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "name": "ch"},
                     "subscriber": ksvc_ref("nope")}}),
    );
    h.create(
        inmemorychannels(),
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "metadata": meta("ch")}),
    );
    let reasons: Vec<String> = events_about(&h, "s").into_iter().map(|e| e.1).collect();
    assert_eq!(
        reasons,
        ["ChannelReferenceFailed", "SubscriberResolveFailed"]
    );
    ksvc(&h, "nope");
    let last = events_about(&h, "s").pop().expect("an event");
    assert_eq!(
        last,
        (
            "Normal".to_string(),
            "SubscriberSync".to_string(),
            "Subscription was synchronized to channel \"ch\"".to_string()
        )
    );
}

#[test]
fn deleting_a_ping_source_removes_its_finalizer() {
    let h = harness();
    ping(&h, "p1", json!({"uri": "https://x.example.com"}));
    h.cluster.delete(&pingsources(), "default", "p1").unwrap();
    h.settle();
    assert_eq!(
        h.cluster
            .get(&pingsources(), "default", "p1")
            .unwrap_err()
            .code,
        404
    );
}

#[test]
fn container_source_reports_its_sink_binding() {
    let h = harness();
    ksvc(&h, "display");
    h.create(
        containersources(),
        json!({"apiVersion": "sources.knative.dev/v1", "kind": "ContainerSource", "metadata": meta("src"),
            "spec": {"template": {"spec": {"containers": [{"image": "docker.io/example/heartbeats"}]}}, "sink": ksvc_ref("display")}}),
    );
    let c = h.get(containersources(), "src");
    assert_eq!(
        c["spec"]["template"]["spec"]["containers"][0]["name"],
        "src-0"
    );
    assert_eq!(
        status(&c),
        json!({
            "conditions": [cond("Ready", "True"), cond("ReceiveAdapterReady", "True"), cond("SinkBindingReady", "True")],
            "observedGeneration": 1,
            "sinkUri": "http://display.default.svc.cluster.local",
        })
    );
    let sb = h.get(sinkbindings(), "src-sinkbinding");
    assert_eq!(
        sb["spec"]["subject"],
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "name": "src-deployment", "namespace": "default"})
    );
    assert_eq!(
        sb["metadata"]["ownerReferences"][0]["kind"],
        "ContainerSource"
    );
}

#[test]
fn sink_binding_status_and_missing_subject() {
    let h = harness();
    h.create(
        sinkbindings(),
        json!({"apiVersion": "sources.knative.dev/v1", "kind": "SinkBinding", "metadata": meta("b1"),
            "spec": {"subject": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "app"}, "sink": {"uri": "http://sink.example.com"}}}),
    );
    let b = h.get(sinkbindings(), "b1");
    assert_eq!(
        b["metadata"]["finalizers"],
        json!(["sinkbindings.sources.knative.dev"])
    );
    assert_eq!(
        status(&b),
        json!({
            "conditions": [
                cond_r("OIDCIdentityCreated", "True", "authentication-oidc feature disabled", ""),
                cond_r("OIDCTokenSecretCreated", "True", "authentication-oidc feature disabled", ""),
                cond("Ready", "True"),
                cond("SinkBindingAvailable", "True"),
                cond("SinkProvided", "True"),
                cond("TrustBundlePropagated", "True"),
            ],
            "observedGeneration": 1,
            "sinkUri": "http://sink.example.com",
        })
    );
    h.create(
        sinkbindings(),
        json!({"apiVersion": "sources.knative.dev/v1", "kind": "SinkBinding", "metadata": meta("b2"),
            "spec": {"subject": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "nope"}, "sink": {"uri": "http://sink.example.com"}}}),
    );
    let b = h.get(sinkbindings(), "b2");
    assert_eq!(
        status(&b)["conditions"][2],
        cond_r(
            "Ready",
            "False",
            "SubjectMissing",
            "services.serving.knative.dev \"nope\" not found"
        )
    );
}

#[test]
fn channel_and_subscription_become_ready() {
    let h = harness();
    ksvc(&h, "display");
    h.create(
        channels(),
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "metadata": meta("pipe")}),
    );
    let ch = h.get(channels(), "pipe");
    assert_eq!(
        status(&ch),
        json!({
            "address": {"name": "http", "url": "http://pipe-kn-channel.default.svc.cluster.local"},
            "channel": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "name": "pipe", "namespace": "default"},
            "conditions": [
                cond("Addressable", "True"),
                cond("BackingChannelReady", "True"),
                cond_r("DeadLetterSinkResolved", "True", "DeadLetterSinkNotConfigured", "No dead letter sink is configured."),
                cond_r("EventPoliciesReady", "True", "OIDCDisabled", "Feature \"authentication-oidc\" must be enabled to support Authorization"),
                cond("Ready", "True"),
            ],
            "observedGeneration": 1,
        })
    );
    h.create(
        subscriptions(),
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Subscription", "metadata": meta("sub0"),
            "spec": {"channel": {"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "pipe"},
                "subscriber": ksvc_ref("display"),
                "delivery": {"deadLetterSink": {"uri": "http://dls.example.com"}}}}),
    );
    let sub = h.get(subscriptions(), "sub0");
    assert_eq!(
        status(&sub),
        json!({
            "conditions": [
                cond("AddedToChannel", "True"),
                cond("ChannelReady", "True"),
                cond_r("OIDCIdentityCreated", "True", "authentication-oidc feature disabled", ""),
                cond("Ready", "True"),
                cond("ReferencesResolved", "True"),
            ],
            "observedGeneration": 1,
            "physicalSubscription": {
                "deadLetterSinkUri": "http://dls.example.com",
                "subscriberUri": "http://display.default.svc.cluster.local",
            },
        })
    );
    let imc = redact(&h.get(inmemorychannels(), "pipe"));
    assert_eq!(
        imc["spec"]["subscribers"],
        json!([{"uid": "UID", "generation": 1, "subscriberUri": "http://display.default.svc.cluster.local",
            "deadLetterSinkUri": "http://dls.example.com", "delivery": {"deadLetterSink": {"uri": "http://dls.example.com"}}}])
    );
    assert_eq!(
        redact(&h.get(channels(), "pipe"))["status"]["subscribers"],
        json!([{"uid": "UID", "observedGeneration": 1, "ready": "True"}])
    );
    // Deleting the subscription takes it out of the channel.
    h.cluster
        .delete(&subscriptions(), "default", "sub0")
        .unwrap();
    h.settle();
    assert!(
        h.get(inmemorychannels(), "pipe")["spec"]
            .get("subscribers")
            .is_none()
    );
}

#[test]
fn subscription_to_a_missing_channel() {
    let h = harness();
    h.create(
        subscriptions(),
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Subscription", "metadata": meta("sub0"),
            "spec": {"channel": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "name": "nope"},
                "subscriber": {"uri": "http://x.example.com"}}}),
    );
    let sub = h.get(subscriptions(), "sub0");
    let msg = "Failed to get Spec.Channel or backing channel: inmemorychannels.messaging.knative.dev \"nope\" not found";
    assert_eq!(
        status(&sub)["conditions"][4],
        cond_r(
            "ReferencesResolved",
            "Unknown",
            "ChannelReferenceFailed",
            msg
        )
    );
    assert_eq!(
        status(&sub)["conditions"][3],
        cond_r("Ready", "Unknown", "ChannelReferenceFailed", msg)
    );
}

#[test]
fn eventtype_reference_conditions() {
    let h = harness();
    let et = |name: &str, spec: Value| json!({"apiVersion": "eventing.knative.dev/v1beta2", "kind": "EventType", "metadata": meta(name), "spec": spec});
    h.create(eventtypes(), et("e1", json!({"type": "dev.example.a"})));
    assert_eq!(
        status(&h.get(eventtypes(), "e1")),
        json!({
            "conditions": [
                cond("Ready", "True"),
                cond_r("ReferenceExists", "True", "ReferenceNotSet", "spec.reference is not set"),
            ],
            "observedGeneration": 1,
        })
    );
    let reference =
        json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default"});
    h.create(
        eventtypes(),
        et(
            "e2",
            json!({"type": "dev.example.b", "reference": reference}),
        ),
    );
    assert_eq!(
        status(&h.get(eventtypes(), "e2"))["conditions"][1],
        cond_r(
            "ReferenceExists",
            "False",
            "ResourceDoesNotExist",
            "Resource in spec.reference does not exist"
        )
    );
    broker(&h, "default");
    assert_eq!(
        status(&h.get(eventtypes(), "e2"))["conditions"][1],
        cond("ReferenceExists", "True")
    );
}

#[test]
fn apiserver_source_attributes() {
    let h = harness();
    h.create(
        apiserversources(),
        json!({"apiVersion": "sources.knative.dev/v1", "kind": "ApiServerSource", "metadata": meta("k8s"),
            "spec": {"resources": [{"apiVersion": "v1", "kind": "Event"}], "sink": {"uri": "http://x.example.com"}}}),
    );
    let a = h.get(apiserversources(), "k8s");
    assert_eq!(
        a["metadata"]["finalizers"],
        json!(["apiserversources.sources.knative.dev"])
    );
    assert_eq!(
        status(&a)["ceAttributes"],
        json!([
            {"source": "https://10.96.0.1:443", "type": "dev.knative.apiserver.ref.add"},
            {"source": "https://10.96.0.1:443", "type": "dev.knative.apiserver.ref.delete"},
            {"source": "https://10.96.0.1:443", "type": "dev.knative.apiserver.ref.update"},
        ])
    );
    assert_eq!(status(&a)["conditions"][2], cond("Ready", "True"));
}
