//! Broker defaulting and validation (eventing `broker_defaults.go`, `broker_validation.go`):
//! class annotation, config and delivery from `config-br-defaults`, immutable spec and class.

use serde_json::{Value, json};

use super::Ctx;
use super::common::{default_delivery, default_kref, validate_delivery, validate_kref};
use super::diff::{self, GoType};
use crate::knative::eventing::BROKER_CLASS_ANNOTATION;
use crate::knative::eventing::config::BrokerDefaults;
use crate::knative::meta::{annotation, ensure_object, set_annotation};
use kuberules::fielderror::FieldError;

pub fn set_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    let ns = ctx.namespace;
    let defaults = BrokerDefaults::read(ctx.cluster);
    let class = match annotation(obj, BROKER_CLASS_ANNOTATION) {
        Some(c) if !c.is_empty() => c.to_string(),
        _ => defaults.broker_class(ns),
    };
    let spec = ensure_object(obj, "spec");
    if spec.get("config").is_none_or(Value::is_null)
        && let Some(c) = defaults.config(ns, &class)
    {
        spec.insert("config".into(), c);
    }
    if let Some(c) = spec.get_mut("config").filter(|c| c.is_object()) {
        default_kref(c, ns);
    }
    if spec.get("delivery").is_none_or(Value::is_null)
        && let Some(d) = defaults.delivery(ns, &class)
    {
        spec.insert("delivery".into(), d);
    }
    default_delivery(spec.get_mut("delivery"), ns);
    if annotation(obj, BROKER_CLASS_ANNOTATION).is_none_or(str::is_empty) {
        set_annotation(obj, BROKER_CLASS_ANNOTATION, &class);
    }
}

pub fn validate(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let defaults = BrokerDefaults::read(ctx.cluster);
    // Broker configs may live in another namespace unless the namespace's defaults forbid it.
    let parent = defaults
        .disallow_different_namespace_config(ctx.namespace)
        .then_some(ctx.namespace);
    let mut errs = FieldError::none();
    if let Some(c) = spec.get("config").filter(|c| !c.is_null()) {
        errs.push(validate_kref(ctx, c, parent).via_field("config"));
    }
    if let Some(d) = spec.get("delivery").filter(|d| !d.is_null()) {
        errs.push(validate_delivery(ctx, d, None).via_field("delivery"));
    }
    let mut errs = errs.via_field("spec");
    if annotation(obj, BROKER_CLASS_ANNOTATION).is_none_or(str::is_empty) {
        errs.push(FieldError::missing(&[BROKER_CLASS_ANNOTATION]));
    }
    if ctx.is_update()
        && let Some(old) = ctx.old
    {
        errs.push(check_immutable(old, obj));
    }
    errs
}

fn check_immutable(old: &Value, new: &Value) -> FieldError {
    let null = Value::Null;
    let d = diff::spec(
        "v1.BrokerSpec",
        &[("config", "Config", GoType::KReference, true)],
        old.get("spec").unwrap_or(&null),
        new.get("spec").unwrap_or(&null),
    );
    if !d.is_empty() {
        return FieldError::with_details("Immutable fields changed (-old +new)", &["spec"], d);
    }
    let d = diff::strings(
        annotation(old, BROKER_CLASS_ANNOTATION).unwrap_or(""),
        annotation(new, BROKER_CLASS_ANNOTATION).unwrap_or(""),
    );
    if !d.is_empty() {
        return FieldError::with_details(
            "Immutable annotations changed (-old +new)",
            &["annotations"],
            d,
        );
    }
    FieldError::none()
}
