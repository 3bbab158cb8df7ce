//! EventType (v1beta2) objects for `eventtype create`.

use serde_json::{Value, json};

use crate::edit::json;

/// A new EventType of CloudEvent `type`, with an optional source URL and reference.
pub fn new_eventtype(
    name: &str,
    namespace: &str,
    type_: &str,
    source: Option<&str>,
    reference: Option<Value>,
) -> Value {
    let mut et = super::new_object("eventing.knative.dev/v1beta2", "EventType", name, namespace);
    let spec = super::spec(&mut et);
    json::set(spec, "type", json!(type_));
    if let Some(source) = source.filter(|s| !s.is_empty()) {
        json::set(spec, "source", json!(source));
    }
    if let Some(reference) = reference {
        json::set(spec, "reference", reference);
    }
    et
}

/// The reference `--broker NAME` stands for.
pub fn broker_reference(broker: &str) -> Value {
    json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": broker})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eventtypes() {
        assert_eq!(
            new_eventtype("e", "ns", "example.type", None, None),
            json!({"apiVersion": "eventing.knative.dev/v1beta2", "kind": "EventType", "metadata": {"name": "e", "namespace": "ns"}, "spec": {"type": "example.type"}})
        );
        assert_eq!(
            new_eventtype(
                "e",
                "ns",
                "t",
                Some("https://src"),
                Some(broker_reference("default"))
            )["spec"],
            json!({"type": "t", "source": "https://src", "reference": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default"}})
        );
    }
}
