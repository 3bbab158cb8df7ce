//! Sequence and Parallel (flows.knative.dev): defaulting (the namespace's default channel
//! template, reference namespaces) and validation, whose step and branch errors quote the Go
//! value (`%v`) of the step or branch, as `apis.ErrInvalidArrayValue` does.

use serde_json::{Value, json};

use super::Ctx;
use super::common::{default_destination, s, validate_destination};
use super::messaging::channel_template_errors;
use crate::knative::eventing::config::default_channel_template;
use crate::knative::meta::ensure_object;
use kuberules::fielderror::FieldError;
use kuberules::gourl::GoUrl;

/// What Go prints for a non-nil pointer inside a `%v` value (an address). The differential
/// compares such messages with addresses masked.
const GO_POINTER: &str = "0xc000000000";

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

fn pointer(v: Option<&Value>) -> &'static str {
    if present(v).is_some() {
        GO_POINTER
    } else {
        "<nil>"
    }
}

/// `%v` of a `duckv1.Destination` field: `{Ref URI CACerts Audience}`, where `*KReference`
/// and `*apis.URL` print through their `String` methods.
fn go_destination(d: Option<&Value>) -> String {
    let d = present(d);
    let field = |k: &str| d.and_then(|d| present(d.get(k)));
    let reference = field("ref").map_or("<nil>".to_string(), |r| {
        format!(
            "Kind = {}, Namespace = {}, Name = {}, APIVersion = {}, Group = {}, Address = {}",
            s(r, "kind"),
            s(r, "namespace"),
            s(r, "name"),
            s(r, "apiVersion"),
            s(r, "group"),
            s(r, "address")
        )
    });
    let uri = field("uri")
        .and_then(Value::as_str)
        .map(|u| GoUrl::parse(u).to_string())
        .unwrap_or_default();
    format!(
        "{{{reference} {uri} {} {}}}",
        pointer(field("CACerts")),
        pointer(field("audience"))
    )
}

fn channel_template_default(ctx: &Ctx<'_>, obj: &mut Value) {
    let template = default_channel_template(ctx.cluster, ctx.namespace);
    let spec = ensure_object(obj, "spec");
    if spec.get("channelTemplate").is_none_or(Value::is_null) {
        spec.insert("channelTemplate".into(), template);
    }
}

pub fn set_sequence_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    channel_template_default(ctx, obj);
    let spec = ensure_object(obj, "spec");
    if let Some(steps) = spec.get_mut("steps").and_then(Value::as_array_mut) {
        for step in steps {
            default_destination(Some(step), ctx.namespace);
        }
    }
    default_destination(spec.get_mut("reply"), ctx.namespace);
}

pub fn set_parallel_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    channel_template_default(ctx, obj);
    let spec = ensure_object(obj, "spec");
    if let Some(branches) = spec.get_mut("branches").and_then(Value::as_array_mut) {
        for branch in branches {
            for k in ["filter", "subscriber", "reply"] {
                default_destination(branch.get_mut(k), ctx.namespace);
            }
        }
    }
    default_destination(spec.get_mut("reply"), ctx.namespace);
}

fn items<'a>(spec: &'a Value, key: &str) -> &'a [Value] {
    spec.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// `Destination.Validate` on a pointer: nothing when absent.
fn optional_destination_fails(ctx: &Ctx<'_>, d: Option<&Value>) -> bool {
    present(d).is_some_and(|d| !validate_destination(ctx, d, None).is_empty())
}

fn validate_reply(ctx: &Ctx<'_>, spec: &Value) -> FieldError {
    match present(spec.get("reply")) {
        Some(r) => validate_destination(ctx, r, None).via_field("reply"),
        None => FieldError::none(),
    }
}

pub fn validate_sequence(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = FieldError::none();
    let steps = items(&spec, "steps");
    if steps.is_empty() {
        errs.push(FieldError::missing(&["steps"]));
    }
    for (i, step) in steps.iter().enumerate() {
        let mut e = validate_destination(ctx, step, None);
        if let Some(d) = present(step.get("delivery")) {
            e.push(super::common::validate_delivery(ctx, d, None).via_field("delivery"));
        }
        if !e.is_empty() {
            let value = format!(
                "{{{} {}}}",
                go_destination(Some(step)),
                pointer(step.get("delivery"))
            );
            errs.push(FieldError::invalid_value(value, &format!("steps[{i}]")));
        }
    }
    match present(spec.get("channelTemplate")) {
        None => errs.push(FieldError::missing(&["channelTemplate"])),
        Some(t) => errs.push(channel_template_errors(t).via_field("channelTemplate")),
    }
    errs.push(validate_reply(ctx, &spec));
    errs.via_field("spec")
}

pub fn validate_parallel(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = FieldError::none();
    let branches = items(&spec, "branches");
    if branches.is_empty() {
        errs.push(FieldError::missing(&["branches"]));
    }
    for (i, b) in branches.iter().enumerate() {
        let value = || {
            format!(
                "{{{} {} {} {}}}",
                pointer(b.get("filter")),
                go_destination(b.get("subscriber")),
                pointer(b.get("reply")),
                pointer(b.get("delivery"))
            )
        };
        if optional_destination_fails(ctx, b.get("filter")) {
            errs.push(FieldError::invalid_value(
                value(),
                &format!("branches.filter[{i}]"),
            ));
        }
        let subscriber = present(b.get("subscriber")).cloned().unwrap_or(json!({}));
        if !validate_destination(ctx, &subscriber, None).is_empty() {
            errs.push(FieldError::invalid_value(
                value(),
                &format!("branches.subscriber[{i}]"),
            ));
        }
        if optional_destination_fails(ctx, b.get("reply")) {
            errs.push(FieldError::invalid_value(
                value(),
                &format!("branches.reply[{i}]"),
            ));
        }
    }
    let Some(t) = present(spec.get("channelTemplate")) else {
        errs.push(FieldError::missing(&["channelTemplate"]));
        return errs.via_field("spec");
    };
    if s(t, "apiVersion").is_empty() {
        errs.push(FieldError::missing(&["channelTemplate.apiVersion"]));
    }
    if s(t, "kind").is_empty() {
        errs.push(FieldError::missing(&["channelTemplate.kind"]));
    }
    errs.push(validate_reply(ctx, &spec));
    errs.via_field("spec")
}
