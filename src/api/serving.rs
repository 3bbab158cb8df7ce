//! Read models of Knative Serving kinds: Service, Configuration, Revision, Route, DomainMapping.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::duck::{Addressable, Condition};
use super::meta::{ObjectMeta, null_as_default, quantity_map, string_or_number};

/// Label naming the Service a Revision/Configuration/Route belongs to.
pub const SERVICE_LABEL: &str = "serving.knative.dev/service";
/// Label carrying the Configuration generation a Revision was created from.
pub const CONFIGURATION_GENERATION_LABEL: &str = "serving.knative.dev/configurationGeneration";
/// Label naming the Configuration of a Revision.
pub const CONFIGURATION_LABEL: &str = "serving.knative.dev/configuration";
/// Label with a Revision's routing state (`active`, `reserve`, `pending`).
pub const ROUTING_STATE_LABEL: &str = "serving.knative.dev/routingState";
/// Annotation with the image the user asked for (before digest pinning).
pub const USER_IMAGE_ANNOTATION: &str = "client.knative.dev/user-image";

/// `serving.knative.dev/v1` Service.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Service {
    pub metadata: ObjectMeta,
    pub spec: ServiceSpec,
    pub status: ServiceStatus,
}

/// A Service as the `service list` table reads it: `spec` is skipped, not decoded.
/// Read-only: never write an object back from this.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceListItem {
    pub metadata: ObjectMeta,
    pub status: ServiceStatus,
}

impl From<ServiceListItem> for Service {
    fn from(item: ServiceListItem) -> Self {
        Service {
            metadata: item.metadata,
            spec: ServiceSpec::default(),
            status: item.status,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceSpec {
    pub template: RevisionTemplate,
    #[serde(deserialize_with = "null_as_default")]
    pub traffic: Vec<TrafficTarget>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceStatus {
    pub observed_generation: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
    pub url: String,
    pub address: Addressable,
    pub latest_ready_revision_name: String,
    pub latest_created_revision_name: String,
    #[serde(deserialize_with = "null_as_default")]
    pub traffic: Vec<TrafficTarget>,
}

/// `spec.template` of a Service or Configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RevisionTemplate {
    pub metadata: ObjectMeta,
    pub spec: RevisionSpec,
}

/// The pod-spec-like part of a Revision.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RevisionSpec {
    #[serde(deserialize_with = "null_as_default")]
    pub containers: Vec<Container>,
    pub container_concurrency: Option<i64>,
    pub timeout_seconds: Option<i64>,
    pub service_account_name: String,
    #[serde(deserialize_with = "null_as_default")]
    pub image_pull_secrets: Vec<NamedRef>,
}

impl RevisionSpec {
    /// The "main" container: the one exposing a port, else the first (fixes kn's sidecar bug,
    /// kn-reference §12 item 10).
    pub fn main_container(&self) -> Option<&Container> {
        self.containers
            .iter()
            .find(|c| !c.ports.is_empty())
            .or_else(|| self.containers.first())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NamedRef {
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Container {
    pub name: String,
    pub image: String,
    #[serde(deserialize_with = "null_as_default")]
    pub ports: Vec<ContainerPort>,
    #[serde(deserialize_with = "null_as_default")]
    pub env: Vec<EnvVar>,
    #[serde(deserialize_with = "null_as_default")]
    pub env_from: Vec<EnvFromSource>,
    pub resources: Resources,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerPort {
    pub name: String,
    pub container_port: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnvVar {
    pub name: String,
    #[serde(deserialize_with = "string_or_number")]
    pub value: String,
    pub value_from: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnvFromSource {
    pub config_map_ref: Option<NamedRef>,
    pub secret_ref: Option<NamedRef>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Resources {
    #[serde(deserialize_with = "quantity_map")]
    pub limits: BTreeMap<String, String>,
    #[serde(deserialize_with = "quantity_map")]
    pub requests: BTreeMap<String, String>,
}

/// One `traffic` entry (spec or status).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct TrafficTarget {
    pub tag: String,
    pub revision_name: String,
    pub configuration_name: String,
    pub latest_revision: Option<bool>,
    pub percent: Option<i64>,
    pub url: String,
}

/// `serving.knative.dev/v1` Configuration (only what views need).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Configuration {
    pub metadata: ObjectMeta,
    pub status: ConfigurationStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConfigurationStatus {
    pub latest_ready_revision_name: String,
    pub latest_created_revision_name: String,
}

/// `serving.knative.dev/v1` Revision.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Revision {
    pub metadata: ObjectMeta,
    pub spec: RevisionSpec,
    pub status: RevisionStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RevisionStatus {
    pub observed_generation: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
    pub image_digest: String,
    #[serde(deserialize_with = "null_as_default")]
    pub container_statuses: Vec<ContainerStatus>,
    pub actual_replicas: Option<i64>,
    pub desired_replicas: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerStatus {
    pub name: String,
    pub image_digest: String,
}

impl Revision {
    /// The `serving.knative.dev/configurationGeneration` label as a number (0 when absent).
    pub fn configuration_generation(&self) -> i64 {
        self.metadata
            .label(CONFIGURATION_GENERATION_LABEL)
            .parse()
            .unwrap_or(0)
    }
}

/// `serving.knative.dev/v1` Route.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Route {
    pub metadata: ObjectMeta,
    pub status: RouteStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RouteStatus {
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
    pub url: String,
    #[serde(deserialize_with = "null_as_default")]
    pub traffic: Vec<TrafficTarget>,
}

/// `serving.knative.dev/v1beta1` DomainMapping.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DomainMapping {
    pub metadata: ObjectMeta,
    pub spec: DomainMappingSpec,
    pub status: DomainMappingStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DomainMappingSpec {
    #[serde(rename = "ref")]
    pub reference: KReference,
    pub tls: Option<DomainMappingTls>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DomainMappingTls {
    pub secret_name: String,
}

/// A Knative `KReference` (`kind`, `apiVersion`, `name`, `namespace`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KReference {
    pub kind: String,
    pub api_version: String,
    pub name: String,
    pub namespace: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DomainMappingStatus {
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
    pub url: String,
}
