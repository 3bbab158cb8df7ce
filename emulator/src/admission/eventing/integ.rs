//! The webhooks of the newer Eventing kinds, beside the older ones in `eventing.rs`: EventPolicy
//! and EventTransform (eventing.knative.dev/v1alpha1), IntegrationSource
//! (sources.knative.dev/v1alpha1) and IntegrationSink (sinks.knative.dev/v1alpha1), with the rules
//! and texts of knative/eventing's `pkg/apis/.../*_{defaults,validation}.go` (1.18 to 1.22).
//! They run under the same webhook names as the other Eventing kinds.

use serde_json::Value;

use super::common::{self, s};
use super::{Ctx, VALIDATION_WEBHOOK};
use crate::admission::{Admission, AdmissionRequest, Operation};
use crate::json::At;
use crate::knative::eventing::{EVENTING_GROUP, SOURCES_GROUP};
use crate::resource::ResourceType;
use crate::status::ApiError;
use kuberules::fielderror::{FieldError, Level};

const SINKS_GROUP: &str = "sinks.knative.dev";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    EventPolicy,
    EventTransform,
    IntegrationSource,
    IntegrationSink,
}

fn kind_of(resource: &ResourceType) -> Option<Kind> {
    Some(match (resource.group.as_str(), resource.plural.as_str()) {
        (EVENTING_GROUP, "eventpolicies") => Kind::EventPolicy,
        (EVENTING_GROUP, "eventtransforms") => Kind::EventTransform,
        (SOURCES_GROUP, "integrationsources") => Kind::IntegrationSource,
        (SINKS_GROUP, "integrationsinks") => Kind::IntegrationSink,
        _ => return None,
    })
}

/// The defaulting and validation webhooks of the four kinds.
#[derive(Debug, Default)]
pub struct IntegWebhooks;

impl Admission for IntegWebhooks {
    fn handles(&self, resource: &ResourceType) -> bool {
        kind_of(resource).is_some()
    }

    fn mutate(
        &self,
        req: &AdmissionRequest<'_>,
        object: &mut Value,
    ) -> Result<Vec<String>, ApiError> {
        let Some(kind) = kind_of(req.resource) else {
            return Ok(Vec::new());
        };
        if req.operation == Operation::Delete {
            return Ok(Vec::new());
        }
        // Only EventPolicy has defaults: a `from` reference is in the policy's namespace.
        if kind == Kind::EventPolicy {
            let snapshot = object.clone();
            let ctx = Ctx::load(req, &snapshot);
            set_policy_defaults(ctx.namespace, object);
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
        let Some(kind) = kind_of(req.resource) else {
            return Ok(Vec::new());
        };
        if req.operation == Operation::Delete {
            return Ok(Vec::new());
        }
        let ctx = Ctx::load(req, object);
        let errs = match kind {
            Kind::EventPolicy => validate_policy(&ctx, object),
            Kind::EventTransform => validate_transform(&ctx, object),
            Kind::IntegrationSource => validate_integration_source(object),
            Kind::IntegrationSink => validate_integration_sink(object),
        };
        let errors = errs.filter(Level::Error);
        if !errors.is_empty() {
            return Err(ApiError::webhook_denied(
                VALIDATION_WEBHOOK,
                &format!("validation failed: {errors}"),
            ));
        }
        Ok(errs.filter(Level::Warning).rendered())
    }
}

fn set_policy_defaults(namespace: &str, object: &mut Value) {
    let Some(from) = object
        .pointer_mut("/spec/from")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for entry in from {
        if let Some(r) = entry.get_mut("ref").and_then(Value::as_object_mut)
            && r.get("namespace")
                .and_then(Value::as_str)
                .unwrap_or("")
                .is_empty()
        {
            r.insert("namespace".into(), Value::from(namespace));
        }
    }
}

/// A reference's required fields (`EventPolicy{From,To}Reference.Validate`).
fn validate_ref(r: &Value) -> FieldError {
    let mut errs = FieldError::none();
    for field in ["kind", "apiVersion", "name"] {
        if s(r, field).is_empty() {
            errs.push(FieldError::missing(&[field]));
        }
    }
    errs
}

/// `validateSub`: a `*` anywhere but at the end is refused.
fn validate_sub(sub: &str) -> FieldError {
    if sub.len() <= 1 {
        return FieldError::none();
    }
    match sub.find('*') {
        Some(i) if i <= sub.len() - 2 => {
            FieldError::invalid_value_details(sub, "", &["'*' is only allowed as suffix"])
        }
        _ => FieldError::none(),
    }
}

fn validate_policy(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    // Checked on create and on updates of the spec (status updates pass).
    let spec_changed = ctx.old.is_none_or(|old| old.get("spec") != obj.get("spec"));
    if spec_changed && !ctx.features.enabled("authentication-oidc") {
        return FieldError::new("oidc-authentication feature not enabled", &[]);
    }
    let empty = Value::Null;
    let spec = obj.get("spec").unwrap_or(&empty);
    let mut errs = FieldError::none();
    let items = |key: &str| {
        spec.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for (i, f) in items("from").iter().enumerate() {
        let r = f.get("ref").filter(|r| !r.is_null());
        let sub = f.get("sub").and_then(Value::as_str);
        if r.is_none() && sub.is_none_or(str::is_empty) {
            errs.push(FieldError::missing_one_of(&["ref", "sub"]).via_field_index("from", i));
        }
        if r.is_some() && sub.is_some() {
            errs.push(FieldError::multiple_one_of(&["ref", "sub"]).via_field_index("from", i));
        }
        if let Some(r) = r {
            errs.push(validate_ref(r).via_field("ref").via_field_index("from", i));
        }
        if let Some(sub) = sub {
            errs.push(
                validate_sub(sub)
                    .via_field("sub")
                    .via_field_index("from", i),
            );
        }
    }
    for (i, t) in items("to").iter().enumerate() {
        let r = t.get("ref").filter(|r| !r.is_null());
        let selector = t.get("selector").filter(|r| !r.is_null());
        if r.is_none() && selector.is_none() {
            errs.push(FieldError::missing_one_of(&["ref", "selector"]).via_field_index("to", i));
        }
        if r.is_some() && selector.is_some() {
            errs.push(FieldError::multiple_one_of(&["ref", "selector"]).via_field_index("to", i));
        }
        if let Some(r) = r {
            errs.push(validate_ref(r).via_field("ref").via_field_index("to", i));
        }
    }
    errs.push(super::trigger::validate_filter_list(spec.get("filters")).via_field("filters"));
    errs.via_field("spec")
}

/// Whether `spec.aws.auth.secret.ref.name` is set (`AWSAuth.HasAuth`).
fn has_aws_auth(aws: &Value) -> bool {
    aws.at("/auth/secret/ref/name")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.is_empty())
}

/// The rule IntegrationSource and IntegrationSink share: exactly one of `plain` (timer, log) and
/// the AWS services, and for an AWS service a secret and the service's required fields.
fn validate_integration(
    obj: &Value,
    what: &str,
    plain: &str,
    services: &[(&str, &str, &str)],
) -> FieldError {
    let empty = Value::Null;
    let spec = obj.get("spec").unwrap_or(&empty);
    let present = |v: Option<&Value>| v.is_some_and(|v| !v.is_null());
    let aws = spec.get("aws").filter(|v| !v.is_null());
    let mut count = usize::from(present(spec.get(plain)));
    if let Some(aws) = aws {
        count += services
            .iter()
            .filter(|(key, _, _)| present(aws.get(*key)))
            .count();
    }
    let mut errs = FieldError::none();
    if count > 1 {
        errs.push(FieldError::new(
            format!("only one {what} type can be set"),
            &["spec"],
        ));
    } else if count == 0 {
        errs.push(FieldError::new(
            format!("at least one {what} type must be specified"),
            &["spec"],
        ));
    }
    if count == 1
        && let Some(aws) = aws
    {
        let used: Vec<_> = services
            .iter()
            .filter(|(key, _, _)| present(aws.get(*key)))
            .collect();
        if !used.is_empty() && !has_aws_auth(aws) {
            errs.push(FieldError::missing(&["aws.auth.secret.ref.name"]));
        }
        for (key, path, first) in used {
            let service = &aws[*key];
            for field in [*first, "region"] {
                if s(service, field).is_empty() {
                    errs.push(FieldError::missing(&[&format!("aws.{path}.{field}")]));
                }
            }
        }
    }
    // Upstream adds these under `spec` once more (ViaField on errors that already name it).
    errs.via_field("spec")
}

fn validate_integration_source(obj: &Value) -> FieldError {
    validate_integration(
        obj,
        "source",
        "timer",
        &[
            ("s3", "s3", "arn"),
            ("sqs", "sqs", "arn"),
            ("ddbStreams", "ddb-streams", "table"),
        ],
    )
}

fn validate_integration_sink(obj: &Value) -> FieldError {
    validate_integration(
        obj,
        "sink",
        "log",
        &[
            ("s3", "s3", "arn"),
            ("sqs", "sqs", "arn"),
            ("sns", "sns", "arn"),
        ],
    )
}

fn validate_transform(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let empty = Value::Null;
    let spec = obj.get("spec").unwrap_or(&empty);
    let present = |v: Option<&Value>| v.is_some_and(|v| !v.is_null());
    let mut errs = FieldError::none();
    if !present(spec.get("jsonata")) {
        errs.push(FieldError::missing_one_of(&["jsonata"]));
    }
    if let Some(sink) = spec.get("sink").filter(|v| !v.is_null()) {
        errs.push(super::common::validate_destination(ctx, sink, None).via_field("sink"));
        if present(sink.get("CACerts")) && present(spec.get("jsonata")) {
            errs.push(FieldError::new(
                "CACerts for the sink is not supported for JSONata transformations, to propagate CA trust bundles use labeled ConfigMaps: https://knative.dev/docs/eventing/features/transport-encryption/#configure-additional-ca-trust-bundles",
                &["CACerts"],
            ).via_field("sink"));
        }
    }
    if let Some(reply) = spec.get("reply").filter(|v| !v.is_null()) {
        errs.push(validate_reply(spec, reply).via_field("reply"));
    }
    if ctx.is_update()
        && let Some(old) = ctx.old
    {
        let was = present(old.at("/spec/jsonata"));
        let is = present(spec.get("jsonata"));
        const SUGGESTION: &str = "Suggestion: create a new transformation, migrate services to the new one, and delete this transformation.";
        if is && !was {
            errs.push(FieldError::new(format!("Transformations types are immutable, jsonata transformation cannot be changed to a different transformation type. {SUGGESTION}"), &[]).via_field("jsonata"));
        } else if was && !is {
            errs.push(FieldError::new(format!("Transformations types are immutable, transformation type cannot be changed to a jsonata transformation. {SUGGESTION}"), &[]).via_field("jsonata"));
        }
    }
    errs.via_field("spec")
}

/// `ReplySpec.Validate`: a reply needs a sink, and holds at most one of the top-level
/// transformation type and `discard`.
fn validate_reply(spec: &Value, reply: &Value) -> FieldError {
    if spec.get("sink").is_none_or(Value::is_null) {
        return FieldError::new("reply is set without spec.sink", &[""]);
    }
    let mut kinds = Vec::new();
    if reply.get("jsonata").is_some_and(|v| !v.is_null()) {
        kinds.push("jsonata");
    }
    if reply.get("discard").and_then(Value::as_bool) == Some(true) {
        kinds.push("discard");
    }
    if kinds.len() > 1 {
        return FieldError::multiple_one_of(&kinds);
    }
    FieldError::none()
}

#[cfg(test)]
#[path = "integ_tests.rs"]
mod tests;
