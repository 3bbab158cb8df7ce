//! Knative Eventing's admission webhooks: `webhook.eventing.knative.dev` (defaulting) and
//! `validation.webhook.eventing.knative.dev` (validation) for Brokers, Triggers, EventTypes,
//! Channels, InMemoryChannels, Subscriptions, the sources (PingSource, ApiServerSource,
//! ContainerSource, SinkBinding) the flows (Sequence, Parallel), JobSinks and RequestReplies, with the texts of reference/knative-api.md §3. Settings come
//! from the `knative-eventing` ConfigMaps on every request.

mod broker;
mod cesql;
mod common;
mod cron;
mod diff;
mod eventtype;
mod flows;
mod gojson;
mod integ;
mod jobsink;
mod messaging;
mod period;
mod requestreply;
#[cfg(test)]
mod requestreply_tests;
mod sources;
#[cfg(test)]
mod tests;
mod trigger;

pub use integ::IntegWebhooks;
use serde_json::Value;

use crate::admission::{Admission, AdmissionRequest, Operation};
use crate::cluster::ClusterApi;
use crate::json::At;
use crate::knative::eventing::config::Features;
use crate::knative::eventing::{EVENTING_GROUP, FLOWS_GROUP, MESSAGING_GROUP, SOURCES_GROUP};
use crate::resource::ResourceType;
use crate::status::ApiError;
use kuberules::fielderror::{FieldError, Level};

pub const DEFAULTING_WEBHOOK: &str = "webhook.eventing.knative.dev";
pub const VALIDATION_WEBHOOK: &str = "validation.webhook.eventing.knative.dev";
/// InMemoryChannels have their own webhook, served by the in-memory channel's controller
/// (`config/channels/in-memory-channel/webhooks`).
pub const IMC_VALIDATION_WEBHOOK: &str = "validation.inmemorychannel.eventing.knative.dev";

/// The group of JobSinks.
const SINKS_GROUP: &str = "sinks.knative.dev";

/// The kinds the Eventing webhooks handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Broker,
    Trigger,
    EventType,
    Channel,
    InMemoryChannel,
    Subscription,
    PingSource,
    ApiServerSource,
    ContainerSource,
    SinkBinding,
    Sequence,
    Parallel,
    JobSink,
    RequestReply,
}

impl Kind {
    fn from_resource(group: &str, plural: &str) -> Option<Kind> {
        Some(match (group, plural) {
            (EVENTING_GROUP, "brokers") => Kind::Broker,
            (EVENTING_GROUP, "triggers") => Kind::Trigger,
            (EVENTING_GROUP, "eventtypes") => Kind::EventType,
            (MESSAGING_GROUP, "channels") => Kind::Channel,
            (MESSAGING_GROUP, "inmemorychannels") => Kind::InMemoryChannel,
            (MESSAGING_GROUP, "subscriptions") => Kind::Subscription,
            (SOURCES_GROUP, "pingsources") => Kind::PingSource,
            (SOURCES_GROUP, "apiserversources") => Kind::ApiServerSource,
            (SOURCES_GROUP, "containersources") => Kind::ContainerSource,
            (SOURCES_GROUP, "sinkbindings") => Kind::SinkBinding,
            (FLOWS_GROUP, "sequences") => Kind::Sequence,
            (FLOWS_GROUP, "parallels") => Kind::Parallel,
            (SINKS_GROUP, "jobsinks") => Kind::JobSink,
            (EVENTING_GROUP, "requestreplies") => Kind::RequestReply,
            _ => return None,
        })
    }
}

/// What one admission call knows.
pub(crate) struct Ctx<'a> {
    pub op: Operation,
    /// The object's namespace (the "parent" of its references).
    pub namespace: &'a str,
    pub old: Option<&'a Value>,
    pub version: &'a str,
    pub features: Features,
    pub cluster: &'a dyn ClusterApi,
}

impl<'a> Ctx<'a> {
    fn load(req: &'a AdmissionRequest<'a>, object: &'a Value) -> Self {
        let ns = object
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or(req.namespace);
        Ctx {
            op: req.operation,
            namespace: ns,
            old: req.old,
            version: &req.resource.version,
            features: Features::read(req.cluster),
            cluster: req.cluster,
        }
    }

    pub fn is_update(&self) -> bool {
        self.op == Operation::Update && self.old.is_some()
    }
}

/// Knative Eventing's defaulting and validation webhooks.
#[derive(Debug, Default)]
pub struct EventingWebhooks;

impl Admission for EventingWebhooks {
    fn handles(&self, resource: &ResourceType) -> bool {
        Kind::from_resource(&resource.group, &resource.plural).is_some()
    }

    fn mutate(
        &self,
        req: &AdmissionRequest<'_>,
        object: &mut Value,
    ) -> Result<Vec<String>, ApiError> {
        let Some(kind) = Kind::from_resource(&req.resource.group, &req.resource.plural) else {
            return Ok(Vec::new());
        };
        if req.operation == Operation::Delete {
            return Ok(Vec::new());
        }
        let snapshot = object.clone();
        let ctx = Ctx::load(req, &snapshot);
        match kind {
            Kind::Broker => broker::set_defaults(&ctx, object),
            Kind::Trigger => trigger::set_defaults(&ctx, object),
            Kind::EventType => eventtype::set_defaults(&ctx, object),
            Kind::Channel => messaging::set_channel_defaults(&ctx, object),
            Kind::InMemoryChannel => messaging::set_imc_defaults(&ctx, object),
            Kind::Subscription => messaging::set_subscription_defaults(&ctx, object),
            Kind::PingSource => sources::set_ping_defaults(&ctx, object),
            Kind::ApiServerSource => sources::set_apiserver_defaults(&ctx, object),
            Kind::ContainerSource => sources::set_container_defaults(&ctx, object),
            Kind::SinkBinding => sources::set_sinkbinding_defaults(&ctx, object),
            Kind::Sequence => flows::set_sequence_defaults(&ctx, object),
            Kind::Parallel => flows::set_parallel_defaults(&ctx, object),
            Kind::JobSink => jobsink::set_defaults(object),
            Kind::RequestReply => requestreply::set_defaults(&ctx, object),
        }
        if let Some(spec) = object.get_mut("spec") {
            common::fill_go_reference_fields(spec);
        }
        common::set_user_info(&req.resource.group, req.user, req.old, object);
        Ok(Vec::new())
    }

    fn validate(
        &self,
        req: &AdmissionRequest<'_>,
        object: &Value,
    ) -> Result<Vec<String>, ApiError> {
        let Some(kind) = Kind::from_resource(&req.resource.group, &req.resource.plural) else {
            return Ok(Vec::new());
        };
        if req.operation == Operation::Delete {
            return Ok(Vec::new());
        }
        let ctx = Ctx::load(req, object);
        let errs = validate(&ctx, kind, object);
        let warnings = errs.filter(Level::Warning).rendered();
        let errors = errs.filter(Level::Error);
        if !errors.is_empty() {
            let webhook = if kind == Kind::InMemoryChannel {
                IMC_VALIDATION_WEBHOOK
            } else {
                VALIDATION_WEBHOOK
            };
            return Err(
                ApiError::webhook_denied(webhook, &format!("validation failed: {errors}"))
                    .with_warnings(warnings),
            );
        }
        Ok(warnings)
    }
}

fn validate(ctx: &Ctx<'_>, kind: Kind, object: &Value) -> FieldError {
    match kind {
        Kind::Broker => broker::validate(ctx, object),
        Kind::Trigger => trigger::validate(ctx, object),
        Kind::EventType => eventtype::validate(ctx, object),
        Kind::Channel => messaging::validate_channel(ctx, object),
        Kind::InMemoryChannel => messaging::validate_imc(ctx, object),
        Kind::Subscription => messaging::validate_subscription(ctx, object),
        Kind::PingSource => sources::validate_ping(ctx, object),
        Kind::ApiServerSource => sources::validate_apiserver(ctx, object),
        Kind::ContainerSource => sources::validate_container(ctx, object),
        Kind::SinkBinding => sources::validate_sinkbinding(ctx, object),
        Kind::Sequence => flows::validate_sequence(ctx, object),
        Kind::Parallel => flows::validate_parallel(ctx, object),
        Kind::JobSink => jobsink::validate(object),
        Kind::RequestReply => requestreply::validate(ctx, object),
    }
}
