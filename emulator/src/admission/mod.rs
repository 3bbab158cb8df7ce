//! Knative's admission webhooks: defaulting (mutating) and validation, with the exact messages
//! of reference/knative-api.md §1.2, §2.2–2.3 and the eventing equivalents.
//!
//! The registry calls [`Admission::mutate`] before schema validation and
//! [`Admission::validate`] after it, for every create and update (including patches and
//! server-side apply) of the resources the webhook claims, whether they come over HTTP or
//! from a controller. A returned error is sent to the client as is (normally
//! [`ApiError::webhook_denied`], HTTP 400).

pub mod eventing;
pub mod serving;

use serde_json::Value;

use crate::cluster::ClusterApi;
use crate::resource::ResourceType;
use crate::status::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
}

/// What a webhook is told about one request.
pub struct AdmissionRequest<'a> {
    pub operation: Operation,
    /// The resource type (and version) the request was made to.
    pub resource: &'a ResourceType,
    pub namespace: &'a str,
    pub name: &'a str,
    /// The requesting user (for creator/lastModifier annotations).
    pub user: &'a str,
    /// The stored object, for updates and deletes.
    pub old: Option<&'a Value>,
    pub dry_run: bool,
    /// Read access to the cluster (e.g. ConfigMaps `config-defaults`, `config-features`,
    /// `config-autoscaler` in `knative-serving`).
    pub cluster: &'a dyn ClusterApi,
}

/// One admission webhook (e.g. Knative Serving's pair).
pub trait Admission: Send + Sync {
    /// Whether this webhook handles the resource (by group/resource).
    fn handles(&self, resource: &ResourceType) -> bool;

    /// Defaulting. May change `object`. Returns warnings (sent as `Warning: 299` headers).
    fn mutate(
        &self,
        req: &AdmissionRequest<'_>,
        object: &mut Value,
    ) -> Result<Vec<String>, ApiError>;

    /// Validation. Returns warnings; an error denies the request.
    fn validate(&self, req: &AdmissionRequest<'_>, object: &Value)
    -> Result<Vec<String>, ApiError>;
}

/// Every Knative webhook the emulated cluster runs, in the order the API server calls them.
pub fn knative_webhooks() -> Vec<Box<dyn Admission>> {
    vec![
        Box::new(serving::ServingWebhooks),
        Box::new(eventing::EventingWebhooks),
        Box::new(eventing::IntegWebhooks),
    ]
}
