//! Defaulting and validation shared by the eventing kinds: Destinations, KReferences,
//! DeliverySpecs, CloudEvent overrides and the creator/lastModifier annotations
//! (knative.dev/pkg `apis/duck/v1`, eventing `apis/duck/v1/delivery_types.go`).

use serde_json::{Value, json};

use super::Ctx;
use super::period;
use crate::json::At;
use crate::knative::meta::metadata_mut;
use kuberules::fielderror::FieldError;
use kuberules::gourl::GoUrl;

/// A string field ("" when absent).
pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The creator/lastModifier annotations of knative.dev/pkg's defaulting webhook, prefixed by
/// the resource's group: both on create, lastModifier on an update that changes the spec.
pub fn set_user_info(group: &str, user: &str, old: Option<&Value>, object: &mut Value) {
    if user.is_empty() {
        return;
    }
    if let Some(old) = old
        && old.get("spec") == object.get("spec")
    {
        return;
    }
    let meta = metadata_mut(object);
    let anns = meta.entry("annotations").or_insert_with(|| json!({}));
    if !anns.is_object() {
        *anns = json!({});
    }
    if let Some(m) = anns.as_object_mut() {
        if old.is_none() {
            m.insert(format!("{group}/creator"), json!(user));
        }
        m.insert(format!("{group}/lastModifier"), json!(user));
    }
}

/// What the webhook's Go round trip (`roundTripPatch`) writes into every reference it decodes:
/// the fields whose JSON tags lack `omitempty` (`duckv1.KReference`: kind and name;
/// `tracker.Reference`, a SinkBinding's subject: apiVersion, kind and namespace).
pub fn fill_go_reference_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let fields: &[&str] = match key.as_str() {
                    "ref" | "reference" | "brokerRef" => &["kind", "name"],
                    "subject" => &["apiVersion", "kind", "namespace"],
                    _ => &[],
                };
                if let Some(r) = child.as_object_mut() {
                    for f in fields {
                        r.entry(*f).or_insert_with(|| json!(""));
                    }
                }
                fill_go_reference_fields(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(fill_go_reference_fields),
        _ => {}
    }
}

/// `KReference.SetDefaults`: an empty namespace becomes the parent's.
pub fn default_kref(r: &mut Value, namespace: &str) {
    if let Some(m) = r.as_object_mut()
        && m.get("namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty()
    {
        m.insert("namespace".into(), json!(namespace));
    }
}

/// `Destination.SetDefaults`: the ref's empty namespace becomes the parent's.
pub fn default_destination(dest: Option<&mut Value>, namespace: &str) {
    if let Some(r) = dest
        .and_then(|d| d.get_mut("ref"))
        .filter(|r| r.is_object())
    {
        default_kref(r, namespace);
    }
}

/// `DeliverySpec.SetDefaults`: defaults the dead-letter sink.
pub fn default_delivery(delivery: Option<&mut Value>, namespace: &str) {
    if let Some(d) = delivery {
        default_destination(d.get_mut("deadLetterSink"), namespace);
    }
}

/// `KReference.Validate`. `parent_ns` is set when references must stay in the parent's
/// namespace (the validator was given the parent and other namespaces are not allowed).
pub fn validate_kref(ctx: &Ctx<'_>, r: &Value, parent_ns: Option<&str>) -> FieldError {
    let mut errs = FieldError::none();
    if s(r, "name").is_empty() {
        errs.push(FieldError::missing(&["name"]));
    }
    let group = s(r, "group");
    let api_version = s(r, "apiVersion");
    if ctx.features.enabled("kreference-group") {
        if api_version.is_empty() && group.is_empty() {
            errs.push(FieldError::missing(&["apiVersion"]));
            errs.push(FieldError::missing(&["group"]));
        }
        if !api_version.is_empty() && !group.is_empty() {
            errs.push(FieldError::with_details(
                "both apiVersion and group are specified",
                &["apiVersion", "group"],
                "Only one of them must be specified",
            ));
        }
    } else {
        if !group.is_empty() {
            errs.push(FieldError::disallowed(&["group"]));
        }
        if api_version.is_empty() {
            errs.push(FieldError::missing(&["apiVersion"]));
        }
    }
    if s(r, "kind").is_empty() {
        errs.push(FieldError::missing(&["kind"]));
    }
    let ns = s(r, "namespace");
    if let Some(parent) = parent_ns
        && !ns.is_empty()
        && !parent.is_empty()
        && ns != parent
    {
        errs.push(FieldError::with_details(
            "mismatched namespaces",
            &["namespace"],
            format!("parent namespace: {parent:?} does not match ref: {ns:?}"),
        ));
    }
    errs
}

/// `ValidateDestination` (paths relative to the destination).
pub fn validate_destination(ctx: &Ctx<'_>, dest: &Value, parent_ns: Option<&str>) -> FieldError {
    let r = dest.get("ref").filter(|r| !r.is_null());
    let uri = dest.get("uri").and_then(Value::as_str);
    match (r, uri) {
        (None, None) => FieldError::new("expected at least one, got none", &["ref", "uri"]),
        (Some(_), Some(u)) if GoUrl::parse(u).is_abs() => FieldError::new(
            "Absolute URI is not allowed when Ref or [apiVersion, kind, name] is present",
            &["[apiVersion, kind, name]", "ref", "uri"],
        ),
        (None, Some(u)) => {
            let parsed = GoUrl::parse(u);
            if !parsed.is_abs() || parsed.host.is_empty() {
                FieldError::invalid_value(
                    "Relative URI is not allowed when Ref and [apiVersion, kind, name] is absent",
                    "uri",
                )
            } else {
                FieldError::none()
            }
        }
        (Some(r), None) => validate_kref(ctx, r, parent_ns).via_field("ref"),
        (Some(_), Some(_)) => FieldError::none(),
    }
}

fn go_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `DeliverySpec.Validate` (paths relative to the delivery spec).
pub fn validate_delivery(ctx: &Ctx<'_>, d: &Value, parent_ns: Option<&str>) -> FieldError {
    let mut errs = FieldError::none();
    if let Some(dls) = d.get("deadLetterSink").filter(|v| !v.is_null()) {
        let e = validate_destination(ctx, dls, parent_ns);
        if !e.is_empty() {
            errs = errs.also(e).via_field("deadLetterSink");
        }
    }
    if let Some(retry) = d.get("retry").and_then(Value::as_i64)
        && retry < 0
    {
        errs.push(FieldError::invalid_value(retry, "retry"));
    }
    if let Some(t) = d.get("timeout").filter(|v| !v.is_null()) {
        if ctx.features.enabled("delivery-timeout") {
            let text = go_value(t);
            if period::parse(&text).is_none_or(|p| p.zero) {
                errs.push(FieldError::invalid_value(text, "timeout"));
            }
        } else {
            errs.push(FieldError::disallowed(&["timeout"]));
        }
    }
    if let Some(p) = d.get("backoffPolicy").filter(|v| !v.is_null()) {
        let text = go_value(p);
        if text != "linear" && text != "exponential" {
            errs.push(FieldError::invalid_value(text, "backoffPolicy"));
        }
    }
    if let Some(b) = d.get("backoffDelay").filter(|v| !v.is_null()) {
        let text = go_value(b);
        if period::parse(&text).is_none() {
            errs.push(FieldError::invalid_value(text, "backoffDelay"));
        }
    }
    if let Some(f) = d.get("format").filter(|v| !v.is_null()) {
        let text = go_value(f);
        if text != "json" && text != "binary" {
            errs.push(FieldError::invalid_value(text, "format"));
        }
    }
    if let Some(m) = d.get("retryAfterMax").filter(|v| !v.is_null()) {
        if ctx.features.enabled("delivery-retryafter") {
            let text = go_value(m);
            if period::parse(&text).is_none_or(|p| p.negative) {
                errs.push(FieldError::invalid_value(text, "retryAfterMax"));
            }
        } else {
            errs.push(FieldError::disallowed(&["retryAfterMax"]));
        }
    }
    errs
}

/// A pointer-held DeliverySpec under `field`.
pub fn validate_optional_delivery(
    ctx: &Ctx<'_>,
    spec: &Value,
    parent_ns: Option<&str>,
) -> FieldError {
    match spec.get("delivery").filter(|v| !v.is_null()) {
        Some(d) => validate_delivery(ctx, d, parent_ns).via_field("delivery"),
        None => FieldError::none(),
    }
}

/// `CloudEventOverrides.Validate` of a source spec (paths relative to the spec).
pub fn validate_ce_overrides(spec: &Value) -> FieldError {
    let Some(ext) = spec
        .at("/ceOverrides/extensions")
        .and_then(Value::as_object)
    else {
        return FieldError::none();
    };
    let mut keys: Vec<&String> = ext.keys().collect();
    keys.sort();
    for key in keys {
        let detail = if key.is_empty() {
            "keys MUST NOT be empty"
        } else if key.len() > 20 {
            "keys SHOULD NOT be longer than 20 characters"
        } else if !key.chars().all(|c| c.is_ascii_alphanumeric()) {
            "keys are expected to be alphanumeric"
        } else {
            continue;
        };
        return FieldError::invalid_key_name(key, "", &[detail.to_string()])
            .via_field("extensions")
            .via_field("ceOverrides");
    }
    FieldError::none()
}
