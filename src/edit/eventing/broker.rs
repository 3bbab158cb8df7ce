//! Broker edits: `broker create` (class annotation, `--broker-config`, delivery) and
//! `broker update` (delivery only).

use std::str::FromStr;

use serde_json::{Value, json};

use super::delivery::DeliveryEdit;
use crate::api::eventing::BROKER_CLASS_ANNOTATION;
use crate::edit::json;

/// `--broker-config`: a reference to the broker's configuration object, in 1 to 4 colon-separated
/// parts (kn's `ConfigFlags`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerConfigArg {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

/// The kinds `--broker-config` knows by short name, and their API versions.
fn known_kind(kind: &str) -> Option<(&'static str, &'static str)> {
    match kind.to_ascii_lowercase().as_str() {
        "cm" | "configmap" => Some(("v1", "ConfigMap")),
        "sc" | "secret" => Some(("v1", "Secret")),
        "rmq" | "rabbitmq" | "rabbitmqcluster" => Some(("rabbitmq.com/v1beta1", "RabbitmqCluster")),
        _ => None,
    }
}

impl FromStr for BrokerConfigArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.splitn(4, ':').collect();
        let config = |api_version: &str, kind: &str, name: &str, namespace: Option<&str>| {
            if name.is_empty() || kind.is_empty() || api_version.is_empty() {
                return Err("the configuration reference is incomplete; expected NAME, KIND:NAME, KIND:NAME:NAMESPACE, APIVERSION:KIND:NAME or APIVERSION:KIND:NAME:NAMESPACE".to_string());
            }
            Ok(BrokerConfigArg {
                api_version: api_version.to_string(),
                kind: kind.to_string(),
                name: name.to_string(),
                namespace: namespace.filter(|n| !n.is_empty()).map(str::to_string),
            })
        };
        match parts.as_slice() {
            [name] => config("v1", "ConfigMap", name, None),
            [kind, name] => match known_kind(kind) {
                Some((api_version, kind)) => config(api_version, kind, name, None),
                None => Err(format!(
                    "APIVersion could not be determined for kind \"{kind}\". Provide config in format: \"<apiVersion>:<kind>:<name>:<namespace>\""
                )),
            },
            [first, second, third] => match known_kind(first) {
                Some((api_version, kind)) => config(api_version, kind, second, Some(third)),
                None => config(first, second, third, None),
            },
            [api_version, kind, name, namespace] => {
                config(api_version, kind, name, Some(namespace))
            }
            _ => Err("the configuration reference is empty".to_string()),
        }
    }
}

impl BrokerConfigArg {
    /// The `spec.config` KReference.
    pub fn to_reference(&self) -> Value {
        let mut reference = json!({
            "apiVersion": self.api_version,
            "kind": self.kind,
            "name": self.name,
        });
        if let Some(ns) = &self.namespace {
            json::set(&mut reference, "namespace", json!(ns));
        }
        reference
    }
}

/// A new Broker.
pub fn new_broker(
    name: &str,
    namespace: &str,
    class: Option<&str>,
    config: Option<&BrokerConfigArg>,
    delivery: &DeliveryEdit,
) -> Value {
    let mut broker = super::new_object("eventing.knative.dev/v1", "Broker", name, namespace);
    if let Some(class) = class.filter(|c| !c.is_empty()) {
        json::set_map_entry(
            json::object(&mut broker, "metadata"),
            "annotations",
            BROKER_CLASS_ANNOTATION,
            class,
        );
    }
    let spec = super::spec(&mut broker);
    if let Some(config) = config {
        json::set(spec, "config", config.to_reference());
    }
    delivery.apply(spec);
    broker
}

/// `broker update`: the delivery flags that were given.
pub fn update_broker(broker: &mut Value, delivery: &DeliveryEdit) {
    delivery.apply(super::spec(broker));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::eventing::delivery::BackoffPolicy;

    fn config(s: &str) -> BrokerConfigArg {
        s.parse().unwrap()
    }

    #[test]
    fn broker_config_forms_follow_kn() {
        assert_eq!(
            config("spec-cm").to_reference(),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "name": "spec-cm"})
        );
        assert_eq!(
            config("cm:spec-cm").to_reference(),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "name": "spec-cm"})
        );
        assert_eq!(
            config("SC:spec-sc:test").to_reference(),
            json!({"apiVersion": "v1", "kind": "Secret", "name": "spec-sc", "namespace": "test"})
        );
        assert_eq!(
            config("rabbitmqcluster:c").to_reference()["apiVersion"],
            "rabbitmq.com/v1beta1"
        );
        assert_eq!(
            config("example.com/v1:Thing:t").to_reference(),
            json!({"apiVersion": "example.com/v1", "kind": "Thing", "name": "t"})
        );
        assert_eq!(
            config("rabbitmq.com/v1beta1:RabbitmqCluster:mycluster:test").to_reference(),
            json!({"apiVersion": "rabbitmq.com/v1beta1", "kind": "RabbitmqCluster", "name": "mycluster", "namespace": "test"})
        );
        assert_eq!(
            "unknown:x".parse::<BrokerConfigArg>().unwrap_err(),
            "APIVersion could not be determined for kind \"unknown\". Provide config in format: \"<apiVersion>:<kind>:<name>:<namespace>\""
        );
        assert!("cm:".parse::<BrokerConfigArg>().is_err());
        assert!("".parse::<BrokerConfigArg>().is_err());
    }

    #[test]
    fn new_broker_sets_only_what_was_given() {
        assert_eq!(
            new_broker("b", "ns", None, None, &DeliveryEdit::default()),
            json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "metadata": {"name": "b", "namespace": "ns"}, "spec": {}})
        );
        let delivery = DeliveryEdit {
            retry: Some(3),
            backoff_policy: Some(BackoffPolicy::Linear),
            ..Default::default()
        };
        assert_eq!(
            new_broker("b", "ns", Some("Kafka"), Some(&config("cm:c")), &delivery),
            json!({
                "apiVersion": "eventing.knative.dev/v1", "kind": "Broker",
                "metadata": {"name": "b", "namespace": "ns", "annotations": {"eventing.knative.dev/broker.class": "Kafka"}},
                "spec": {"config": {"apiVersion": "v1", "kind": "ConfigMap", "name": "c"}, "delivery": {"retry": 3, "backoffPolicy": "linear"}}
            })
        );
    }

    #[test]
    fn update_keeps_unknown_fields() {
        let mut broker = json!({"metadata": {"name": "b", "x": 1}, "spec": {"config": {"name": "c"}, "delivery": {"retry": 10, "backoffPolicy": "exponential"}, "x-spec": true}, "status": {"x": 2}});
        update_broker(
            &mut broker,
            &DeliveryEdit {
                retry: Some(2),
                ..Default::default()
            },
        );
        assert_eq!(
            broker,
            json!({"metadata": {"name": "b", "x": 1}, "spec": {"config": {"name": "c"}, "delivery": {"retry": 2, "backoffPolicy": "exponential"}, "x-spec": true}, "status": {"x": 2}})
        );
    }
}
