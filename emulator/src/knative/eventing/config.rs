//! Readers of Knative Eventing's ConfigMaps in `knative-eventing` (`config-br-defaults`,
//! `default-ch-webhook`, `config-features`, `config-ping-defaults`) and of a Broker's channel
//! template ConfigMap, read on every use so `kubectl edit cm …` applies to the next request.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::cluster::ClusterApi;
use crate::json::At;
use crate::knative::configmaps::{EVENTING_NAMESPACE, read_data};

pub const CONFIG_BR_DEFAULTS: &str = "config-br-defaults";
pub const DEFAULT_CH_WEBHOOK: &str = "default-ch-webhook";
pub const CONFIG_FEATURES: &str = "config-features";
pub const CONFIG_PING_DEFAULTS: &str = "config-ping-defaults";

/// The broker class Knative ships as the cluster default.
pub const MT_CHANNEL_BASED_BROKER: &str = "MTChannelBasedBroker";

fn parse_yaml(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or(Value::Null)
}

/// `config-br-defaults`: default broker class, config reference and delivery, per namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokerDefaults {
    doc: Value,
}

impl BrokerDefaults {
    pub fn read(cluster: &dyn ClusterApi) -> Self {
        let data = read_data(cluster, EVENTING_NAMESPACE, CONFIG_BR_DEFAULTS);
        Self::from_data(&data)
    }

    pub fn from_data(data: &BTreeMap<String, String>) -> Self {
        BrokerDefaults {
            doc: data
                .get("default-br-config")
                .map(|t| parse_yaml(t))
                .unwrap_or(Value::Null),
        }
    }

    /// The entry that applies to a namespace: its namespace default, else the cluster default.
    fn entry(&self, namespace: &str) -> Option<&Value> {
        self.doc
            .at(&format!("/namespaceDefaults/{namespace}"))
            .filter(|v| v.is_object())
            .or_else(|| self.doc.get("clusterDefault").filter(|v| v.is_object()))
    }

    /// The default broker class for a namespace (Knative falls back to MTChannelBasedBroker).
    pub fn broker_class(&self, namespace: &str) -> String {
        self.entry(namespace)
            .and_then(|e| e.get("brokerClass"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or(MT_CHANNEL_BASED_BROKER)
            .to_string()
    }

    /// The default `spec.config` KReference for a namespace and class, if configured.
    pub fn config(&self, namespace: &str, class: &str) -> Option<Value> {
        let entry = self.entry(namespace)?;
        let by_class = entry
            .at(&format!("/brokerClasses/{class}"))
            .filter(|v| v.is_object());
        let src = by_class.unwrap_or(entry);
        let mut r = Map::new();
        for k in ["kind", "namespace", "name", "apiVersion"] {
            if let Some(v) = src.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()) {
                r.insert(k.to_string(), json!(v));
            }
        }
        if !r.contains_key("name") {
            return None;
        }
        Some(Value::Object(r))
    }

    /// The default `spec.delivery` for a namespace and class, if configured.
    pub fn delivery(&self, namespace: &str, class: &str) -> Option<Value> {
        let entry = self.entry(namespace)?;
        entry
            .at(&format!("/brokerClasses/{class}/delivery"))
            .or_else(|| entry.get("delivery"))
            .filter(|v| v.as_object().is_some_and(|m| !m.is_empty()))
            .cloned()
    }

    /// Whether a namespace forbids brokers whose config lives in another namespace.
    pub fn disallow_different_namespace_config(&self, namespace: &str) -> bool {
        self.entry(namespace)
            .and_then(|e| e.get("disallowDifferentNamespaceConfig"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
}

/// `default-ch-webhook`: the channel template a Channel without one gets.
pub fn default_channel_template(cluster: &dyn ClusterApi, namespace: &str) -> Value {
    let data = read_data(cluster, EVENTING_NAMESPACE, DEFAULT_CH_WEBHOOK);
    let doc = data
        .get("default-ch-config")
        .map(|t| parse_yaml(t))
        .unwrap_or(Value::Null);
    doc.at(&format!("/namespaceDefaults/{namespace}"))
        .or_else(|| doc.get("clusterDefault"))
        .filter(|v| v.get("kind").is_some())
        .cloned()
        .unwrap_or_else(
            || json!({"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel"}),
        )
}

/// The channel template of a Broker's config ConfigMap (`channel-template-spec`).
pub fn broker_channel_template(
    cluster: &dyn ClusterApi,
    namespace: &str,
    name: &str,
) -> Result<Value, String> {
    let cm = cluster
        .get(
            &crate::knative::configmaps::configmaps_gr(),
            namespace,
            name,
        )
        .map_err(|e| e.message)?;
    let text = cm
        .at("/data/channel-template-spec")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            format!("channel-template-spec not found in ConfigMap {namespace}/{name}")
        })?;
    let v = serde_saphyr::from_str::<Value>(text).map_err(|e| e.to_string())?;
    if v.get("kind").and_then(Value::as_str).is_none() {
        return Err(format!(
            "channel-template-spec in ConfigMap {namespace}/{name} has no kind"
        ));
    }
    Ok(v)
}

/// Eventing's `config-features` flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    flags: BTreeMap<String, String>,
}

const FEATURE_DEFAULTS: &[(&str, &str)] = &[
    ("kreference-group", "disabled"),
    ("delivery-retryafter", "disabled"),
    ("delivery-timeout", "enabled"),
    ("kreference-mapping", "disabled"),
    ("new-trigger-filters", "enabled"),
    ("transport-encryption", "disabled"),
    ("eventtype-auto-create", "disabled"),
    ("authentication-oidc", "disabled"),
    ("cross-namespace-event-links", "disabled"),
];

impl Features {
    pub fn read(cluster: &dyn ClusterApi) -> Self {
        Self::from_data(&read_data(cluster, EVENTING_NAMESPACE, CONFIG_FEATURES))
    }

    pub fn from_data(data: &BTreeMap<String, String>) -> Self {
        let mut flags: BTreeMap<String, String> = FEATURE_DEFAULTS
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (k, v) in data {
            flags.insert(k.clone(), v.trim().to_ascii_lowercase());
        }
        Features { flags }
    }

    /// `IsEnabled` (the value `enabled`).
    pub fn enabled(&self, name: &str) -> bool {
        self.flags.get(name).is_some_and(|v| v == "enabled")
    }

    /// `IsAllowed` (`enabled` or `allowed`).
    pub fn allowed(&self, name: &str) -> bool {
        self.flags
            .get(name)
            .is_some_and(|v| v == "enabled" || v == "allowed")
    }
}

/// `config-ping-defaults` `data-max-size` (-1: no limit).
pub fn ping_data_max_size(cluster: &dyn ClusterApi) -> i64 {
    read_data(cluster, EVENTING_NAMESPACE, CONFIG_PING_DEFAULTS)
        .get("data-max-size")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(-1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> BrokerDefaults {
        BrokerDefaults::from_data(&BTreeMap::from([(
            "default-br-config".to_string(),
            "clusterDefault:\n  brokerClass: MTChannelBasedBroker\n  apiVersion: v1\n  kind: ConfigMap\n  name: config-br-default-channel\n  namespace: knative-eventing\n  delivery:\n    retry: 10\n    backoffPolicy: exponential\n    backoffDelay: PT0.2S\nnamespaceDefaults:\n  special:\n    brokerClass: Kafka\n".to_string(),
        )]))
    }

    #[test]
    fn cluster_default_broker_settings() {
        let d = shipped();
        assert_eq!(d.broker_class("default"), "MTChannelBasedBroker");
        assert_eq!(
            d.config("default", "MTChannelBasedBroker"),
            Some(
                json!({"apiVersion": "v1", "kind": "ConfigMap", "name": "config-br-default-channel", "namespace": "knative-eventing"})
            )
        );
        assert_eq!(
            d.delivery("default", "MTChannelBasedBroker"),
            Some(json!({"retry": 10, "backoffPolicy": "exponential", "backoffDelay": "PT0.2S"}))
        );
    }

    #[test]
    fn namespace_defaults_override_the_cluster_default() {
        let d = shipped();
        assert_eq!(d.broker_class("special"), "Kafka");
        assert_eq!(d.config("special", "Kafka"), None);
    }

    #[test]
    fn features_defaults() {
        let f = Features::from_data(&BTreeMap::new());
        assert!(f.enabled("new-trigger-filters"));
        assert!(!f.enabled("authentication-oidc"));
        let f = Features::from_data(&BTreeMap::from([(
            "delivery-retryafter".to_string(),
            "Enabled".to_string(),
        )]));
        assert!(f.enabled("delivery-retryafter"));
    }
}
