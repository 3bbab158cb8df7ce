//! The Sequence, Parallel, JobSink and RequestReply reconcilers over the in-memory cluster: the
//! children they make and the statuses they write, compared whole.

use serde_json::{Value, json};

use super::jobsink::jobsinks;
use super::requestreply::requestreplies;
use super::tests::{Harness, broker, cond, cond_r, harness, ksvc, meta, status};
use crate::cluster::ClusterApi;
use crate::knative::eventing::*;

const OIDC: &str = "Feature \"authentication-oidc\" must be enabled to support Authorization";

fn kref(kind: &str, api_version: &str, name: &str) -> Value {
    json!({"ref": {"apiVersion": api_version, "kind": kind, "name": name, "namespace": "default"}})
}

fn ksvc_dest(name: &str) -> Value {
    kref("Service", "serving.knative.dev/v1", name)
}

fn imc(name: &str) -> Value {
    kref("InMemoryChannel", "messaging.knative.dev/v1", name)
}

fn child_ref(kind: &str, api_version: &str, name: &str) -> Value {
    json!({"apiVersion": api_version, "kind": kind, "name": name, "namespace": "default"})
}

fn subscription(h: &Harness, name: &str) -> Value {
    h.get(subscriptions(), name)
}

fn sequence(h: &Harness, steps: Value, reply: Option<Value>) {
    let mut spec = json!({"steps": steps});
    if let Some(r) = reply {
        spec["reply"] = r;
    }
    let obj = json!({"apiVersion": "flows.knative.dev/v1", "kind": "Sequence", "metadata": meta("seq"), "spec": spec});
    match h.cluster.get(&sequences(), "default", "seq") {
        Ok(mut old) => {
            old["spec"] = obj["spec"].clone();
            h.cluster.update(&sequences(), old).expect("update");
            h.settle();
        }
        Err(_) => {
            h.create(sequences(), obj);
        }
    }
}

#[test]
fn sequence_chains_its_steps_through_channels() {
    let h = harness();
    ksvc(&h, "a");
    ksvc(&h, "b");
    broker(&h, "default");
    sequence(
        &h,
        json!([ksvc_dest("a"), ksvc_dest("b")]),
        Some(kref("Broker", "eventing.knative.dev/v1", "default")),
    );
    let sub0 = subscription(&h, "seq-kn-sequence-0");
    assert_eq!(
        sub0["spec"],
        json!({"channel": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "name": "seq-kn-sequence-0"},
            "subscriber": ksvc_dest("a"), "reply": imc("seq-kn-sequence-1")})
    );
    assert_eq!(
        subscription(&h, "seq-kn-sequence-1")["spec"]["reply"],
        kref("Broker", "eventing.knative.dev/v1", "default")
    );
    let seq = h.get(sequences(), "seq");
    let st = status(&seq);
    assert_eq!(
        st["address"],
        json!({"url": "http://seq-kn-sequence-0-kn-channel.default.svc.cluster.local"})
    );
    assert_eq!(
        st["channelStatuses"][1]["channel"],
        child_ref(
            "InMemoryChannel",
            "messaging.knative.dev/v1",
            "seq-kn-sequence-1"
        )
    );
    assert_eq!(st["channelStatuses"][1]["ready"]["status"], "True");
    assert_eq!(
        st["subscriptionStatuses"][0]["subscription"],
        child_ref(
            "Subscription",
            "messaging.knative.dev/v1",
            "seq-kn-sequence-0"
        )
    );
    assert_eq!(
        st["conditions"],
        json!([
            cond("Addressable", "True"),
            cond("ChannelsReady", "True"),
            cond_r("EventPoliciesReady", "True", "OIDCDisabled", OIDC),
            cond("Ready", "True"),
            cond("SubscriptionsReady", "True"),
        ])
    );

    // One step fewer: the second channel and subscription go, the first no longer replies.
    sequence(&h, json!([ksvc_dest("b")]), None);
    assert!(
        h.cluster
            .get(&subscriptions(), "default", "seq-kn-sequence-1")
            .is_err()
    );
    assert!(
        h.cluster
            .get(&inmemorychannels(), "default", "seq-kn-sequence-1")
            .is_err()
    );
    let sub0 = subscription(&h, "seq-kn-sequence-0");
    assert_eq!(sub0["spec"]["subscriber"], ksvc_dest("b"));
    assert!(sub0["spec"].get("reply").is_none());
}

#[test]
fn sequence_waits_for_a_missing_subscriber() {
    let h = harness();
    sequence(&h, json!([ksvc_dest("absent")]), None);
    let st = status(&h.get(sequences(), "seq"));
    assert_eq!(
        st["conditions"],
        json!([
            cond("Addressable", "True"),
            cond("ChannelsReady", "True"),
            cond_r("EventPoliciesReady", "True", "OIDCDisabled", OIDC),
            cond_r(
                "Ready",
                "Unknown",
                "SubscriptionsNotReady",
                "Subscriptions are not ready yet, or there are none"
            ),
            cond_r(
                "SubscriptionsReady",
                "Unknown",
                "SubscriptionsNotReady",
                "Subscriptions are not ready yet, or there are none"
            ),
        ])
    );
}

#[test]
fn parallel_fans_out_through_filters() {
    let h = harness();
    for name in ["f", "s", "t"] {
        ksvc(&h, name);
    }
    h.create(
        parallels(),
        json!({"apiVersion": "flows.knative.dev/v1", "kind": "Parallel", "metadata": meta("par"),
            "spec": {"branches": [
                {"filter": ksvc_dest("f"), "subscriber": ksvc_dest("s")},
                {"subscriber": ksvc_dest("t"), "reply": {"uri": "http://r.example.com"}},
            ], "reply": ksvc_dest("f")}}),
    );
    let ingress = json!({"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "name": "par-kn-parallel"});
    assert_eq!(
        subscription(&h, "par-kn-parallel-filter-0")["spec"],
        json!({"channel": ingress, "subscriber": ksvc_dest("f"), "reply": imc("par-kn-parallel-0")})
    );
    assert_eq!(
        subscription(&h, "par-kn-parallel-filter-1")["spec"],
        json!({"channel": ingress, "subscriber": imc("par-kn-parallel-1")})
    );
    // A branch's own reply wins over the parallel's.
    assert_eq!(
        subscription(&h, "par-kn-parallel-0")["spec"]["reply"],
        ksvc_dest("f")
    );
    assert_eq!(
        subscription(&h, "par-kn-parallel-1")["spec"]["reply"],
        json!({"uri": "http://r.example.com"})
    );
    let st = status(&h.get(parallels(), "par"));
    assert_eq!(
        st["ingressChannelStatus"],
        json!({"channel": child_ref("InMemoryChannel", "messaging.knative.dev/v1", "par-kn-parallel"),
            "ready": {"type": "Ready", "status": "True"}})
    );
    assert_eq!(
        st["branchStatuses"][1]["filterSubscriptionStatus"]["subscription"]["name"],
        "par-kn-parallel-filter-1"
    );
    assert_eq!(
        st["address"]["url"],
        "http://par-kn-parallel-kn-channel.default.svc.cluster.local"
    );
    let conditions: Vec<(String, String)> = st["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap().into(),
                c["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        conditions.iter().all(|(_, s)| s == "True"),
        "{conditions:?}"
    );
    assert_eq!(conditions.len(), 5);
}

#[test]
fn jobsink_status() {
    let h = harness();
    h.create(
        jobsinks(),
        json!({"apiVersion": "sinks.knative.dev/v1alpha1", "kind": "JobSink", "metadata": meta("js"),
            "spec": {"job": {"spec": {"template": {"spec": {"restartPolicy": "Never",
                "containers": [{"name": "main", "image": "bash"}]}}}}}}),
    );
    assert_eq!(
        status(&h.get(jobsinks(), "js")),
        json!({
            "address": {"name": "http", "url": "http://job-sink.knative-eventing.svc.cluster.local/default/js"},
            "conditions": [
                cond("Addressable", "True"),
                cond_r("EventPoliciesReady", "True", "OIDCDisabled", OIDC),
                cond("Ready", "True"),
            ],
            "job": {"selector": "sinks.knative.dev/job-sink-name=js"},
            "observedGeneration": 1,
        })
    );
}

#[test]
fn requestreply_follows_its_broker() {
    let h = harness();
    h.create(
        requestreplies(),
        json!({"apiVersion": "eventing.knative.dev/v1alpha1", "kind": "RequestReply", "metadata": meta("rr"),
            "spec": {"brokerRef": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "b"}}}),
    );
    let st = status(&h.get(requestreplies(), "rr"));
    assert_eq!(
        st["conditions"],
        json!([
            cond_r("Addressable", "Unknown", "", ""),
            cond_r(
                "BrokerReady",
                "Unknown",
                "NotFound",
                "could not get broker: broker.eventing.knative.dev \"b\" not found"
            ),
            cond_r("EventPoliciesReady", "Unknown", "", ""),
            cond_r(
                "Ready",
                "Unknown",
                "NotFound",
                "could not get broker: broker.eventing.knative.dev \"b\" not found"
            ),
            cond("TriggersReady", "True"),
        ])
    );
    assert!(st.get("address").is_none());
    broker(&h, "b");
    assert_eq!(
        status(&h.get(requestreplies(), "rr")),
        json!({
            "address": {"name": "http", "url": "http://request-reply.knative-eventing.svc.cluster.local/default/rr"},
            "annotations": {"knative.dev/brokerAddress": "http://broker-ingress.knative-eventing.svc.cluster.local/default/b"},
            "conditions": [
                cond("Addressable", "True"),
                cond("BrokerReady", "True"),
                cond_r("EventPoliciesReady", "True", "NotImplemented", "Event policies not implemented for RequestReply yet"),
                cond("Ready", "True"),
                cond("TriggersReady", "True"),
            ],
            "desiredReplicas": 1,
            "observedGeneration": 1,
            "readyReplicas": 1,
        })
    );
}
