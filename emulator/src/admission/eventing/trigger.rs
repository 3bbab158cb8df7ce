//! Trigger defaulting and validation (eventing `trigger_defaults.go`, `trigger_validation.go`,
//! `subscription_filters_validation.go`): filters, subscriber, broker and its immutability,
//! the dependency annotation.

use crate::crd::gofmt::quote;
use crate::json::At;
use serde_json::{Value, json};

use super::Ctx;
use super::common::{
    default_delivery, default_destination, s, validate_destination, validate_optional_delivery,
};
use super::diff;
use super::gojson;
use crate::knative::eventing::{BROKER_LABEL, DEPENDENCY_ANNOTATION};
use crate::knative::meta::{annotation, ensure_object, set_label};
use kuberules::fielderror::FieldError;

pub fn set_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    let ns = ctx.namespace;
    let spec = ensure_object(obj, "spec");
    if spec.get("filter").is_none_or(Value::is_null) {
        spec.insert("filter".into(), json!({}));
    }
    default_destination(spec.get_mut("subscriber"), ns);
    default_delivery(spec.get_mut("delivery"), ns);
    let broker = spec
        .get("broker")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !broker.is_empty() {
        set_label(obj, BROKER_LABEL, &broker);
    }
}

fn valid_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

const ATTRIBUTE_DETAIL: &str =
    "Attribute name must start with a letter and can only contain lowercase alphanumeric";

/// `ValidateAttributesNames` (map keys in sorted order; Go's order is random).
fn validate_attribute_names(attrs: Option<&Value>) -> FieldError {
    let mut errs = FieldError::none();
    if let Some(m) = attrs.and_then(Value::as_object) {
        for key in m.keys() {
            if !valid_attribute_name(key) {
                errs.push(
                    FieldError::invalid_key_name(key, "", &[ATTRIBUTE_DETAIL.to_string()])
                        .via_key(key),
                );
            }
        }
    }
    errs
}

/// `ValidateSingleAttributeMap`.
fn validate_single_attribute_map(expr: Option<&Value>) -> FieldError {
    if expr.and_then(Value::as_object).is_none_or(|m| m.is_empty()) {
        return FieldError::none();
    }
    // Several key-values in one `exact`/`prefix`/`suffix` are accepted (eventing 1.15 to 1.22).
    validate_attribute_names(expr)
}

fn non_empty_len(f: &Value, key: &str) -> bool {
    match f.get(key) {
        Some(Value::Object(m)) => !m.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        _ => false,
    }
}

fn has_multiple_dialects(f: &Value) -> bool {
    let mut count = ["exact", "prefix", "suffix", "all", "any"]
        .iter()
        .filter(|k| non_empty_len(f, k))
        .count();
    if f.get("not").is_some_and(|v| !v.is_null()) {
        count += 1;
    }
    if f.get("cesql")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
    {
        count += 1;
    }
    count > 1
}

/// `ValidateSubscriptionAPIFilter`.
fn validate_filter(f: Option<&Value>) -> FieldError {
    let Some(f) = f.filter(|f| !f.is_null()) else {
        return FieldError::none();
    };
    let mut errs = FieldError::none();
    if has_multiple_dialects(f) {
        errs.push(FieldError::new(
            "multiple dialects found, filters can have only one dialect set",
            &[],
        ));
    }
    errs.push(validate_single_attribute_map(f.get("exact")).via_field("exact"));
    errs.push(validate_single_attribute_map(f.get("prefix")).via_field("prefix"));
    errs.push(validate_single_attribute_map(f.get("suffix")).via_field("suffix"));
    errs.push(validate_filter_list(f.get("all")).via_field("all"));
    errs.push(validate_filter_list(f.get("any")).via_field("any"));
    errs.push(validate_filter(f.get("not")).via_field("not"));
    // `ValidateCESQLExpression`.
    if let Some(expr) = f.get("cesql").and_then(Value::as_str)
        && !expr.is_empty()
        && !super::cesql::parses(expr)
    {
        errs.push(FieldError::invalid_value(expr, "cesql"));
    }
    errs
}

/// `ValidateSubscriptionAPIFiltersList`, including its quirk of applying each index to every
/// error collected so far.
pub fn validate_filter_list(list: Option<&Value>) -> FieldError {
    let mut errs = FieldError::none();
    if let Some(items) = list.and_then(Value::as_array) {
        for (i, f) in items.iter().enumerate() {
            errs = errs.also(validate_filter(Some(f))).via_index(i);
        }
    }
    errs
}

fn validate_dependency(value: &str, namespace: &str) -> FieldError {
    if let Some(err) = gojson::unmarshal_struct_error(value, "v1.ObjectReference") {
        return FieldError::with_details(
            format!(
                "The provided annotation was not a corev1.ObjectReference: {}",
                quote(value)
            ),
            &[""],
            err,
        );
    }
    let r: Value = serde_json::from_str(value).unwrap_or(Value::Null);
    let mut errs = FieldError::none();
    let ns = s(&r, "namespace");
    if !ns.is_empty() && ns != namespace {
        errs.push(FieldError::new(
            format!(
                "Namespace must be empty or equal to the trigger namespace {}",
                quote(namespace)
            ),
            &["namespace"],
        ));
    }
    if s(&r, "kind").is_empty() {
        errs.push(FieldError::missing(&["kind"]));
    }
    if s(&r, "name").is_empty() {
        errs.push(FieldError::missing(&["name"]));
    }
    if s(&r, "apiVersion").is_empty() {
        errs.push(FieldError::missing(&["apiVersion"]));
    }
    errs
}

/// Asks for a default Broker in the namespace (`enabled`/`disabled`, default broker only).
const INJECTION_ANNOTATION: &str = "eventing.knative.dev/injection";

pub fn validate(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = FieldError::none();
    let broker = s(&spec, "broker");
    let broker_ref = spec.get("brokerRef").is_some_and(|v| !v.is_null());
    if broker.is_empty() && !broker_ref {
        errs.push(FieldError::missing(&["broker"]));
    }
    if !broker.is_empty() && broker_ref {
        errs.push(FieldError::multiple_one_of(&["broker", "brokerRef"]));
    }
    // Without cross-namespace links a brokerRef may not name a namespace; upstream reports the
    // field without its `brokerRef` prefix.
    if let Some(r) = spec.get("brokerRef").filter(|v| !v.is_null())
        && !ctx.features.enabled("cross-namespace-event-links")
        && !s(r, "namespace").is_empty()
    {
        errs.push(FieldError::with_details(
            "must not set the field(s)",
            &["namespace"],
            "only name, apiVersion and kind are supported fields when feature.CrossNamespaceEventLinks is disabled",
        ));
    }
    if let Some(f) = spec.get("filter").filter(|f| !f.is_null()) {
        errs.push(
            validate_attribute_names(f.get("attributes"))
                .via_field("attributes")
                .via_field("filter"),
        );
    }
    if ctx.features.enabled("new-trigger-filters") {
        errs.push(validate_filter_list(spec.get("filters")).via_field("filters"));
    }
    let empty = json!({});
    let subscriber = spec
        .get("subscriber")
        .filter(|v| !v.is_null())
        .unwrap_or(&empty);
    errs.push(validate_destination(ctx, subscriber, None).via_field("subscriber"));
    errs.push(validate_optional_delivery(ctx, &spec, None));
    let mut errs = errs.via_field("spec");
    if let Some(dep) = annotation(obj, DEPENDENCY_ANNOTATION) {
        errs.push(
            validate_dependency(dep, ctx.namespace)
                .via_field(&format!("metadata.annotations[{DEPENDENCY_ANNOTATION}]")),
        );
    }
    // `validateInjectionAnnotation`.
    if let Some(value) = annotation(obj, INJECTION_ANNOTATION) {
        let message = if value != "enabled" && value != "disabled" {
            Some(format!(
                "The provided injection annotation value can only be \"enabled\" or \"disabled\", not {}",
                quote(value)
            ))
        } else if broker != "default" {
            Some(format!(
                "The provided injection annotation is only used for default broker, but non-default broker specified here: {}",
                quote(broker)
            ))
        } else {
            None
        };
        if let Some(message) = message {
            errs.push(
                FieldError::new(message, &[""])
                    .via_field(&format!("metadata.annotations[{INJECTION_ANNOTATION}]")),
            );
        }
    }
    if ctx.is_update()
        && let Some(old) = ctx.old
    {
        let old_broker = old.at("/spec/broker").and_then(Value::as_str).unwrap_or("");
        let d = diff::strings(old_broker, broker);
        if !d.is_empty() {
            errs.push(FieldError::with_details(
                "Immutable fields changed (-old +new)",
                &["spec", "broker"],
                d,
            ));
        }
    }
    errs
}
