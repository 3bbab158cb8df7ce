//! Knative Serving's admission webhooks: `webhook.serving.knative.dev` (defaulting) and
//! `validation.webhook.serving.knative.dev` (validation) for Services, Configurations,
//! Revisions, Routes and DomainMappings, with the exact texts of reference/knative-api.md
//! §2.2–2.3. Settings come from the `knative-serving` ConfigMaps on every request.

mod defaults;
mod diff;
mod podspec;
#[cfg(test)]
mod tests;
mod validation;

use serde_json::Value;

use crate::admission::{Admission, AdmissionRequest, Operation};
use crate::knative::configmaps::{Defaults, Features, autoscaler_config};
use crate::resource::ResourceType;
use crate::status::ApiError;
use kuberules::autoscaling::AutoscalerConfig;

pub const GROUP: &str = "serving.knative.dev";
pub const DEFAULTING_WEBHOOK: &str = "webhook.serving.knative.dev";
pub const VALIDATION_WEBHOOK: &str = "validation.webhook.serving.knative.dev";

pub const CREATOR_ANNOTATION: &str = "serving.knative.dev/creator";
pub const UPDATER_ANNOTATION: &str = "serving.knative.dev/lastModifier";

/// The kinds the Serving webhooks handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Service,
    Configuration,
    Revision,
    Route,
    DomainMapping,
}

impl Kind {
    fn from_plural(plural: &str) -> Option<Kind> {
        Some(match plural {
            "services" => Kind::Service,
            "configurations" => Kind::Configuration,
            "revisions" => Kind::Revision,
            "routes" => Kind::Route,
            "domainmappings" => Kind::DomainMapping,
            _ => return None,
        })
    }
}

/// What one admission call knows: the operation, the user, the stored object and the
/// cluster's Serving settings.
pub(crate) struct Ctx<'a> {
    pub op: Operation,
    pub user: &'a str,
    pub old: Option<&'a Value>,
    pub defaults: Defaults,
    pub features: Features,
    pub autoscaler: AutoscalerConfig,
}

impl<'a> Ctx<'a> {
    fn load(req: &'a AdmissionRequest<'a>) -> Self {
        Ctx {
            op: req.operation,
            user: req.user,
            old: req.old,
            defaults: Defaults::read(req.cluster),
            features: Features::read(req.cluster),
            autoscaler: autoscaler_config(req.cluster),
        }
    }

    pub fn is_update(&self) -> bool {
        self.op == Operation::Update && self.old.is_some()
    }

    pub fn is_create(&self) -> bool {
        self.op == Operation::Create
    }
}

/// Knative Serving's defaulting and validation webhooks.
#[derive(Debug, Default)]
pub struct ServingWebhooks;

impl Admission for ServingWebhooks {
    fn handles(&self, resource: &ResourceType) -> bool {
        resource.group == GROUP && Kind::from_plural(&resource.plural).is_some()
    }

    fn mutate(
        &self,
        req: &AdmissionRequest<'_>,
        object: &mut Value,
    ) -> Result<Vec<String>, ApiError> {
        let Some(kind) = Kind::from_plural(&req.resource.plural) else {
            return Ok(Vec::new());
        };
        if req.operation == Operation::Delete {
            return Ok(Vec::new());
        }
        if let Some(message) = defaults::decode_error(kind, object) {
            return Err(ApiError::webhook_denied(
                DEFAULTING_WEBHOOK,
                &format!("mutation failed: {message}"),
            ));
        }
        let ctx = Ctx::load(req);
        defaults::set_defaults(&ctx, kind, object);
        Ok(Vec::new())
    }

    fn validate(
        &self,
        req: &AdmissionRequest<'_>,
        object: &Value,
    ) -> Result<Vec<String>, ApiError> {
        let Some(kind) = Kind::from_plural(&req.resource.plural) else {
            return Ok(Vec::new());
        };
        if req.operation == Operation::Delete {
            return Ok(Vec::new());
        }
        let ctx = Ctx::load(req);
        let errs = validation::validate(&ctx, kind, object);
        let warnings = errs
            .filter(kuberules::fielderror::Level::Warning)
            .rendered();
        let errors = errs.filter(kuberules::fielderror::Level::Error);
        if !errors.is_empty() {
            return Err(ApiError::webhook_denied(
                VALIDATION_WEBHOOK,
                &format!("validation failed: {errors}"),
            )
            .with_warnings(warnings));
        }
        Ok(warnings)
    }
}
