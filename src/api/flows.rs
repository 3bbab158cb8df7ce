//! Read models of the `flows` nouns: Sequence and Parallel (flows.knative.dev/v1), JobSink
//! (sinks.knative.dev/v1alpha1) and RequestReply (eventing.knative.dev/v1alpha1).

use serde::Deserialize;
use serde_json::Value;

use super::eventing::{AddressableStatus, DeliverySpec, Destination, KReference, TypeMeta};
use super::meta::{ObjectMeta, null_as_default};

/// `flows.knative.dev/v1` Sequence.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Sequence {
    pub metadata: ObjectMeta,
    pub spec: SequenceSpec,
    pub status: AddressableStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SequenceSpec {
    #[serde(deserialize_with = "null_as_default")]
    pub steps: Vec<SequenceStep>,
    pub channel_template: Option<TypeMeta>,
    pub reply: Option<Destination>,
}

/// One step: a Destination plus its own delivery.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SequenceStep {
    #[serde(flatten)]
    pub destination: Destination,
    pub delivery: Option<DeliverySpec>,
}

/// `flows.knative.dev/v1` Parallel.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Parallel {
    pub metadata: ObjectMeta,
    pub spec: ParallelSpec,
    pub status: AddressableStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ParallelSpec {
    #[serde(deserialize_with = "null_as_default")]
    pub branches: Vec<ParallelBranch>,
    pub channel_template: Option<TypeMeta>,
    pub reply: Option<Destination>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ParallelBranch {
    pub filter: Option<Destination>,
    pub subscriber: Destination,
    pub reply: Option<Destination>,
    pub delivery: Option<DeliverySpec>,
}

/// `sinks.knative.dev/v1alpha1` JobSink: the Job template is read as JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JobSink {
    pub metadata: ObjectMeta,
    pub spec: JobSinkSpec,
    pub status: AddressableStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JobSinkSpec {
    pub job: Option<Value>,
}

impl JobSink {
    /// The Job's containers (`spec.job.spec.template.spec.containers`).
    pub fn containers(&self) -> &[Value] {
        self.spec
            .job
            .as_ref()
            .and_then(|j| j.pointer("/spec/template/spec/containers"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// `eventing.knative.dev/v1alpha1` RequestReply.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestReply {
    pub metadata: ObjectMeta,
    pub spec: RequestReplySpec,
    pub status: AddressableStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestReplySpec {
    pub broker_ref: KReference,
    pub correlation_attribute: Option<String>,
    pub reply_attribute: Option<String>,
    pub timeout: Option<String>,
    pub delivery: Option<DeliverySpec>,
}
