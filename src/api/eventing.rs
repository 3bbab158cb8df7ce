//! Read models of Knative Eventing kinds: Broker, Trigger, Channel, Subscription, EventType, the
//! four built-in sources, and the duck types they share (Destination, KReference, delivery).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::duck::{Addressable, Condition};
use super::meta::{ObjectMeta, null_as_default};

/// Annotation holding a Broker's class.
pub const BROKER_CLASS_ANNOTATION: &str = "eventing.knative.dev/broker.class";

/// A reference to an object (`duckv1.KReference`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct KReference {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub api_version: String,
}

/// Where events go (`duckv1.Destination`): a reference, a URI, or a reference plus a relative URI.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Destination {
    #[serde(rename = "ref")]
    pub reference: Option<KReference>,
    pub uri: Option<String>,
}

impl Destination {
    /// True when neither a reference nor a URI is set.
    pub fn is_empty(&self) -> bool {
        self.reference.is_none() && self.uri.as_deref().unwrap_or_default().is_empty()
    }
}

/// `spec.delivery` (`DeliverySpec`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct DeliverySpec {
    pub dead_letter_sink: Option<Destination>,
    pub retry: Option<i64>,
    pub timeout: Option<String>,
    pub backoff_policy: Option<String>,
    pub backoff_delay: Option<String>,
    pub retry_after_max: Option<String>,
}

/// The status every Addressable eventing kind has.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct AddressableStatus {
    pub observed_generation: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
    pub address: Option<Addressable>,
}

impl AddressableStatus {
    /// `status.address.url`, "" when not addressable yet.
    pub fn url(&self) -> &str {
        self.address.as_ref().map(|a| a.url.as_str()).unwrap_or("")
    }
}

/// `eventing.knative.dev/v1` Broker.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Broker {
    pub metadata: ObjectMeta,
    pub spec: BrokerSpec,
    pub status: AddressableStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BrokerSpec {
    pub config: Option<KReference>,
    pub delivery: Option<DeliverySpec>,
}

/// `eventing.knative.dev/v1` Trigger.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Trigger {
    pub metadata: ObjectMeta,
    pub spec: TriggerSpec,
    pub status: TriggerStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TriggerSpec {
    pub broker: String,
    pub filter: Option<TriggerFilter>,
    #[serde(deserialize_with = "null_as_default")]
    pub filters: Vec<SubscriptionsApiFilter>,
    pub subscriber: Destination,
    pub delivery: Option<DeliverySpec>,
}

/// `spec.filter`: exact attribute matches (sorted by key, so views are deterministic).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TriggerFilter {
    pub attributes: Option<BTreeMap<String, String>>,
}

/// One entry of the SubscriptionsAPI `spec.filters` tree.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubscriptionsApiFilter {
    #[serde(deserialize_with = "null_as_default")]
    pub all: Vec<SubscriptionsApiFilter>,
    #[serde(deserialize_with = "null_as_default")]
    pub any: Vec<SubscriptionsApiFilter>,
    pub not: Option<Box<SubscriptionsApiFilter>>,
    #[serde(deserialize_with = "null_as_default")]
    pub exact: BTreeMap<String, String>,
    #[serde(deserialize_with = "null_as_default")]
    pub prefix: BTreeMap<String, String>,
    #[serde(deserialize_with = "null_as_default")]
    pub suffix: BTreeMap<String, String>,
    #[serde(rename = "cesql")]
    pub cesql: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TriggerStatus {
    pub observed_generation: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
    pub subscriber_uri: String,
}

/// `messaging.knative.dev/v1` Channel.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Channel {
    pub metadata: ObjectMeta,
    pub spec: ChannelSpec,
    pub status: AddressableStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChannelSpec {
    pub channel_template: Option<TypeMeta>,
    pub delivery: Option<DeliverySpec>,
}

/// `apiVersion` + `kind` (a channel template, a reference without a name).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct TypeMeta {
    pub api_version: String,
    pub kind: String,
}

/// `messaging.knative.dev/v1` Subscription.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Subscription {
    pub metadata: ObjectMeta,
    pub spec: SubscriptionSpec,
    pub status: SourceStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubscriptionSpec {
    pub channel: KReference,
    pub subscriber: Option<Destination>,
    pub reply: Option<Destination>,
    pub delivery: Option<DeliverySpec>,
}

impl SubscriptionSpec {
    /// The dead letter sink of the delivery spec, if any.
    pub fn dead_letter_sink(&self) -> Option<&Destination> {
        self.delivery
            .as_ref()
            .and_then(|d| d.dead_letter_sink.as_ref())
    }
}

/// `eventing.knative.dev/v1beta2` EventType.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventType {
    pub metadata: ObjectMeta,
    pub spec: EventTypeSpec,
    pub status: SourceStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventTypeSpec {
    #[serde(rename = "type")]
    pub type_: String,
    pub source: String,
    pub broker: String,
    pub reference: Option<KReference>,
    pub description: String,
}

/// The status of sources (and of kinds without an address): conditions and the resolved sink.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SourceStatus {
    pub observed_generation: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
    pub sink_uri: String,
}

/// `spec.ceOverrides`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CeOverrides {
    #[serde(deserialize_with = "null_as_default")]
    pub extensions: BTreeMap<String, String>,
}

/// `sources.knative.dev/v1` PingSource.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PingSource {
    pub metadata: ObjectMeta,
    pub spec: PingSourceSpec,
    pub status: SourceStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PingSourceSpec {
    pub schedule: String,
    pub timezone: String,
    pub content_type: String,
    pub data: String,
    pub data_base64: String,
    pub sink: Destination,
    pub ce_overrides: Option<CeOverrides>,
}

/// `sources.knative.dev/v1` ApiServerSource.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApiServerSource {
    pub metadata: ObjectMeta,
    pub spec: ApiServerSourceSpec,
    pub status: SourceStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApiServerSourceSpec {
    #[serde(deserialize_with = "null_as_default")]
    pub resources: Vec<ApiServerResource>,
    pub mode: String,
    pub service_account_name: String,
    pub sink: Destination,
    pub ce_overrides: Option<CeOverrides>,
}

/// One watched resource of an ApiServerSource.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ApiServerResource {
    pub api_version: String,
    pub kind: String,
    pub selector: Option<LabelSelector>,
}

/// `metav1.LabelSelector`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct LabelSelector {
    #[serde(deserialize_with = "null_as_default")]
    pub match_labels: BTreeMap<String, String>,
    #[serde(deserialize_with = "null_as_default")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: String,
    #[serde(deserialize_with = "null_as_default")]
    pub values: Vec<String>,
}

/// `sources.knative.dev/v1` ContainerSource. The pod template stays raw JSON: the view reads only
/// a few fields of its first container.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerSource {
    pub metadata: ObjectMeta,
    pub spec: ContainerSourceSpec,
    pub status: SourceStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerSourceSpec {
    pub template: Value,
    pub sink: Destination,
    pub ce_overrides: Option<CeOverrides>,
}

impl ContainerSourceSpec {
    /// The first container of the pod template, if any.
    pub fn container(&self) -> Option<&Value> {
        self.template.pointer("/spec/containers/0")
    }
}

/// `sources.knative.dev/v1` SinkBinding.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SinkBinding {
    pub metadata: ObjectMeta,
    pub spec: SinkBindingSpec,
    pub status: SourceStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SinkBindingSpec {
    pub subject: Subject,
    pub sink: Destination,
    pub ce_overrides: Option<CeOverrides>,
}

/// The workload a SinkBinding binds: by name or by label selector.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Subject {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub selector: Option<LabelSelector>,
}

/// Any source, read through the source duck type (`source list`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DuckSource {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: DuckSourceSpec,
    pub status: SourceStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DuckSourceSpec {
    /// Kept raw: a sink that does not parse as a Destination shows as `<unknown>`.
    pub sink: Option<Value>,
}

/// Core v1 Secret (only what `secret list` shows).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Secret {
    pub metadata: ObjectMeta,
    #[serde(rename = "type")]
    pub type_: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_trigger_with_filters_and_unknown_fields() {
        let trigger: Trigger = serde_json::from_value(json!({
            "metadata": {"name": "t", "namespace": "default"},
            "spec": {
                "broker": "default",
                "filter": {"attributes": {"type": "x", "source": "y"}},
                "filters": [{"any": [{"exact": {"type": "a"}}, {"prefix": {"source": "b"}}]}],
                "subscriber": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "s", "namespace": "default"}, "uri": "/path"},
                "somethingNew": true
            },
            "status": {"subscriberUri": "http://s.default.svc.cluster.local/path", "conditions": null}
        }))
        .unwrap();
        let attributes = trigger.spec.filter.unwrap().attributes.unwrap();
        assert_eq!(
            attributes.keys().collect::<Vec<_>>(),
            vec!["source", "type"]
        );
        assert_eq!(trigger.spec.filters[0].any.len(), 2);
        assert_eq!(trigger.spec.subscriber.uri.as_deref(), Some("/path"));
        assert_eq!(
            trigger.spec.subscriber.reference.unwrap().kind,
            "Service".to_string()
        );
        assert!(trigger.status.conditions.is_empty());
    }

    #[test]
    fn addressable_url_is_empty_until_set() {
        let broker: Broker = serde_json::from_value(json!({"metadata": {"name": "b"}})).unwrap();
        assert_eq!(broker.status.url(), "");
        let broker: Broker = serde_json::from_value(json!({
            "status": {"address": {"url": "http://broker-ingress/default/b"}}
        }))
        .unwrap();
        assert_eq!(broker.status.url(), "http://broker-ingress/default/b");
        assert!(Destination::default().is_empty());
    }
}
