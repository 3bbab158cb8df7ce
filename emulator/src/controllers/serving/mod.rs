//! Knative Serving's reconcilers (reference/knative-api.md §2.4–2.11): Service → Configuration
//! and Route, Configuration → Revision, Revision readiness, Route traffic and URLs, the labeler
//! that keeps routing metadata and the Route finalizer, and DomainMapping.

pub mod configuration;
pub mod deployment;
pub mod domainmapping;
pub mod labeler;
pub mod revision;
pub mod route;
pub mod service;

#[cfg(test)]
mod tests;

use crate::cluster::ObjectEvent;
use crate::controllers::Controller;
use crate::resource::{GroupResource, ObjectKey};

pub const GROUP: &str = "serving.knative.dev";
pub const API_VERSION: &str = "serving.knative.dev/v1";

pub const SERVICE_LABEL: &str = "serving.knative.dev/service";
pub const SERVICE_UID_LABEL: &str = "serving.knative.dev/serviceUID";
pub const CONFIGURATION_LABEL: &str = "serving.knative.dev/configuration";
pub const CONFIGURATION_UID_LABEL: &str = "serving.knative.dev/configurationUID";
pub const CONFIGURATION_GENERATION_LABEL: &str = "serving.knative.dev/configurationGeneration";
pub const ROUTING_STATE_LABEL: &str = "serving.knative.dev/routingState";
pub const ROUTES_ANNOTATION: &str = "serving.knative.dev/routes";
pub const ROUTING_STATE_MODIFIED_ANNOTATION: &str = "serving.knative.dev/routingStateModified";
pub const CREATOR_ANNOTATION: &str = "serving.knative.dev/creator";
pub const UPDATER_ANNOTATION: &str = "serving.knative.dev/lastModifier";
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub fn services() -> GroupResource {
    GroupResource::of(GROUP, "services")
}

pub fn configurations() -> GroupResource {
    GroupResource::of(GROUP, "configurations")
}

pub fn revisions() -> GroupResource {
    GroupResource::of(GROUP, "revisions")
}

pub fn routes() -> GroupResource {
    GroupResource::of(GROUP, "routes")
}

pub fn domain_mappings() -> GroupResource {
    GroupResource::of(GROUP, "domainmappings")
}

pub fn cluster_domain_claims() -> GroupResource {
    GroupResource::of("networking.internal.knative.dev", "clusterdomainclaims")
}

/// Every Serving controller, in the order the manager should offer events to them.
pub fn controllers() -> Vec<Box<dyn Controller>> {
    vec![
        Box::new(service::ServiceController),
        Box::new(configuration::ConfigurationController),
        Box::new(revision::RevisionController::default()),
        Box::new(route::RouteController::default()),
        Box::new(labeler::Labeler::default()),
        Box::new(domainmapping::DomainMappingController),
    ]
}

/// The key of the object an event is about.
fn own_key(event: &ObjectEvent) -> Vec<ObjectKey> {
    vec![event.key.clone()]
}

/// The key of the controlling owner of the event's object, if it is of `kind` in `gr`.
fn owner_key(event: &ObjectEvent, kind: &str, gr: GroupResource) -> Vec<ObjectKey> {
    event
        .controller_name_of_kind(kind)
        .map(|name| vec![ObjectKey::new(gr, &event.key.namespace, name)])
        .unwrap_or_default()
}

/// Whether an event is a change of one of the knative-serving ConfigMaps in `names`.
fn is_serving_configmap(event: &ObjectEvent, names: &[&str]) -> bool {
    event.key.gr == crate::knative::configmaps::configmaps_gr()
        && event.key.namespace == crate::knative::configmaps::SERVING_NAMESPACE
        && names.contains(&event.key.name.as_str())
}
