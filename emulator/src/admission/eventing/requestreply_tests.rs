//! RequestReply's webhook: defaults and each validation message.

use serde_json::{Value, json};

use super::tests::{admit, denied, meta};

fn rr(spec: Value) -> Value {
    json!({"apiVersion": "eventing.knative.dev/v1alpha1", "kind": "RequestReply", "metadata": meta("rr"), "spec": spec})
}

fn broker_ref() -> Value {
    json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default"})
}

#[test]
fn defaults() {
    let out = admit(rr(json!({"brokerRef": broker_ref()}))).unwrap();
    assert_eq!(out["spec"]["timeout"], "PT30S");
    assert_eq!(out["spec"]["correlationAttribute"], "correlationid");
    assert_eq!(out["spec"]["replyAttribute"], "replyid");
    assert_eq!(
        out["metadata"]["labels"],
        json!({"eventing.knative.dev/broker": "default"})
    );
    // Given values stay.
    let out = admit(rr(
        json!({"brokerRef": broker_ref(), "timeout": "PT5S", "replyAttribute": "rid"}),
    ))
    .unwrap();
    assert_eq!(out["spec"]["timeout"], "PT5S");
    assert_eq!(out["spec"]["replyAttribute"], "rid");
}

#[test]
fn validation_messages() {
    let err = |spec: Value| admit(rr(spec)).unwrap_err();
    assert_eq!(
        err(
            json!({"brokerRef": {"apiVersion": "v1", "kind": "Service", "name": "s", "namespace": "other"}})
        ),
        denied(
            "invalid value: Service: spec.brokerRef.kind\nbrokerRef kind must be Broker\nmismatched namespaces: spec.brokerRef.namespace\nparent namespace: \"default\" does not match ref: \"other\"\nmust not set the field(s): spec.brokerRef.namespace"
        )
    );
    assert_eq!(
        err(json!({"brokerRef": broker_ref(), "timeout": "30s"})),
        denied("invalid value: 30s: spec.timeout\nexpected 'P' period mark at the start: 30s")
    );
    assert_eq!(
        err(json!({"brokerRef": broker_ref(), "timeout": "-PT1S"})),
        denied("invalid value: -PT1S: spec.timeout\ntimeout must be a positive duration")
    );
    assert_eq!(
        err(json!({"brokerRef": broker_ref(), "correlationAttribute": "id"})),
        denied(
            "invalid value: id: spec.correlationattribute\ncorrelationattribute must be non-empty and cannot be a core cloudevent attribute (id, type, specversion, source)"
        )
    );
    assert_eq!(
        err(json!({"brokerRef": broker_ref(), "delivery": {"retry": -1}})),
        denied("invalid value: -1: spec.delivery.retry")
    );
}
