//! RequestReply (eventing.knative.dev/v1alpha1): defaulting (timeout from `config-features`'
//! `requestreply-default-timeout`, the correlation and reply attribute names, the broker label)
//! and validation (`requestreply_validation.go`).

use serde_json::{Value, json};

use super::Ctx;
use super::common::{s, validate_delivery, validate_kref};
use super::period;
use crate::json::At;
use crate::knative::configmaps::read_data;
use crate::knative::eventing::BROKER_LABEL;
use crate::knative::eventing::config::CONFIG_FEATURES;
use crate::knative::meta::{ensure_object, set_label};
use kuberules::fielderror::FieldError;

/// `feature.DefaultRequestReplyTimeout`.
const DEFAULT_TIMEOUT: &str = "PT30S";
const TIMEOUT_FLAG: &str = "requestreply-default-timeout";
/// CloudEvent attributes that cannot carry the correlation id (upstream's list, as written).
const CORE_ATTRIBUTES: [&str; 4] = ["id", "course", "specversion", "type"];

pub fn set_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    let broker = obj
        .at("/spec/brokerRef/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let spec = ensure_object(obj, "spec");
    if spec
        .get("timeout")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        let features = read_data(
            ctx.cluster,
            crate::knative::configmaps::EVENTING_NAMESPACE,
            CONFIG_FEATURES,
        );
        let timeout = features
            .get(TIMEOUT_FLAG)
            .cloned()
            .unwrap_or_else(|| DEFAULT_TIMEOUT.to_string());
        spec.insert("timeout".into(), json!(timeout));
    }
    for (key, default) in [
        ("correlationAttribute", "correlationid"),
        ("replyAttribute", "replyid"),
    ] {
        if spec
            .get(key)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            spec.insert(key.into(), json!(default));
        }
    }
    set_label(obj, BROKER_LABEL, &broker);
}

/// The error `period.Parse` (rickb777/date v1.13) gives for a text that is not a period; the
/// texts of its component-level errors are approximated by its last, general one.
fn period_error(text: &str) -> String {
    let unsigned = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('+'))
        .unwrap_or(text);
    if unsigned.is_empty() {
        "cannot parse a blank string as a period".to_string()
    } else if !unsigned.starts_with('P') {
        format!("expected 'P' period mark at the start: {text}")
    } else {
        format!("expected 'Y', 'M', 'W', 'D', 'H', 'M', or 'S' marker: {text}")
    }
}

fn attribute_error(value: &str, field: &str) -> FieldError {
    FieldError::invalid_value_details(
        value,
        field,
        &[&format!(
            "{field} must be non-empty and cannot be a core cloudevent attribute (id, type, specversion, source)"
        )],
    )
}

pub fn validate(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = FieldError::none();
    let broker_ref = spec.get("brokerRef").cloned().unwrap_or(json!({}));
    let parent = (!ctx.features.enabled("cross-namespace-event-links")).then_some(ctx.namespace);
    errs.push(validate_kref(ctx, &broker_ref, parent).via_field("brokerRef"));
    let kind = s(&broker_ref, "kind");
    if !kind.eq_ignore_ascii_case("broker") {
        errs.push(
            FieldError::invalid_value_details(kind, ".kind", &["brokerRef kind must be Broker"])
                .via_field("brokerRef"),
        );
    }
    if !s(&broker_ref, "namespace").is_empty() {
        errs.push(FieldError::disallowed(&["namespace"]).via_field("brokerRef"));
    }
    if let Some(d) = spec.get("delivery").filter(|d| !d.is_null()) {
        errs.push(validate_delivery(ctx, d, parent).via_field("delivery"));
    }
    match spec.get("timeout").and_then(Value::as_str) {
        None => errs.push(FieldError::missing(&["timeout"])),
        Some(t) => match period::parse(t) {
            None => errs.push(FieldError::invalid_value_details(
                t,
                "timeout",
                &[&period_error(t)],
            )),
            Some(p) if p.negative || p.zero => errs.push(FieldError::invalid_value_details(
                t,
                "timeout",
                &["timeout must be a positive duration"],
            )),
            Some(_) => {}
        },
    }
    for (key, field) in [
        ("correlationAttribute", "correlationattribute"),
        ("replyAttribute", "replyattribute"),
    ] {
        let v = s(&spec, key);
        if v.is_empty() || CORE_ATTRIBUTES.contains(&v) {
            errs.push(attribute_error(v, field));
        }
    }
    errs.via_field("spec")
}
