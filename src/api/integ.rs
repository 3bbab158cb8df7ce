//! Read models of the newer Eventing kinds knit manages: EventPolicy, IntegrationSource,
//! IntegrationSink and EventTransform. Their variable parts (timer, AWS, log settings) stay JSON:
//! views print them field by field without knowing every key.

use serde::Deserialize;
use serde_json::Value;

use super::duck::{Addressable, Condition};
use super::eventing::{CeOverrides, Destination};
use super::meta::{ObjectMeta, null_as_default};

/// `eventing.knative.dev/v1alpha1` EventPolicy.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventPolicy {
    pub metadata: ObjectMeta,
    pub spec: EventPolicySpec,
    pub status: EventPolicyStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventPolicySpec {
    #[serde(deserialize_with = "null_as_default")]
    pub to: Vec<PolicyTo>,
    #[serde(deserialize_with = "null_as_default")]
    pub from: Vec<PolicyFrom>,
    #[serde(deserialize_with = "null_as_default")]
    pub filters: Vec<Value>,
}

/// A reference in `spec.to[].ref` or `spec.from[].ref`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct PolicyRef {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

/// `spec.to[].selector`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct PolicySelector {
    pub api_version: String,
    pub kind: String,
    #[serde(deserialize_with = "null_as_default")]
    pub match_labels: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct PolicyTo {
    #[serde(rename = "ref")]
    pub reference: Option<PolicyRef>,
    pub selector: Option<PolicySelector>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct PolicyFrom {
    #[serde(rename = "ref")]
    pub reference: Option<PolicyRef>,
    pub sub: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventPolicyStatus {
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
    /// The subjects the policy admits, as resolved by the controller.
    #[serde(deserialize_with = "null_as_default")]
    pub from: Vec<String>,
}

/// `sources.knative.dev/v1alpha1` IntegrationSource.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IntegrationSource {
    pub metadata: ObjectMeta,
    pub spec: IntegrationSourceSpec,
    pub status: IntegrationStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IntegrationSourceSpec {
    pub sink: Destination,
    pub ce_overrides: Option<CeOverrides>,
    pub timer: Option<Value>,
    pub aws: Option<Value>,
}

/// The status of IntegrationSources, IntegrationSinks and EventTransforms.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IntegrationStatus {
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
    pub sink_uri: String,
    pub address: Option<Addressable>,
}

impl IntegrationStatus {
    /// `status.address.url`, "" when not addressable yet.
    pub fn url(&self) -> &str {
        self.address.as_ref().map(|a| a.url.as_str()).unwrap_or("")
    }
}

/// `sinks.knative.dev/v1alpha1` IntegrationSink.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IntegrationSink {
    pub metadata: ObjectMeta,
    pub spec: IntegrationSinkSpec,
    pub status: IntegrationStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IntegrationSinkSpec {
    pub log: Option<Value>,
    pub aws: Option<Value>,
}

/// `eventing.knative.dev/v1alpha1` EventTransform.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventTransform {
    pub metadata: ObjectMeta,
    pub spec: EventTransformSpec,
    pub status: IntegrationStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventTransformSpec {
    pub sink: Option<Destination>,
    pub jsonata: Option<Jsonata>,
    pub reply: Option<TransformReply>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Jsonata {
    pub expression: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TransformReply {
    pub jsonata: Option<Jsonata>,
    pub discard: Option<bool>,
}
