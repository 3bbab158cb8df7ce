//! Channel, InMemoryChannel and Subscription defaulting and validation (eventing
//! `apis/messaging/v1`): channel templates from `default-ch-webhook`, the subscribable
//! annotation, immutable templates and channels, subscriber/reply/delivery destinations.

use serde_json::{Value, json};

use super::Ctx;
use super::common::{
    default_delivery, default_destination, s, validate_destination, validate_kref,
    validate_optional_delivery,
};
use super::diff::{self, GoType};
use crate::knative::eventing::config::default_channel_template;
use crate::knative::eventing::{SCOPE_ANNOTATION, SUBSCRIBABLE_ANNOTATION};
use crate::knative::meta::{annotation, ensure_object, set_annotation};
use kuberules::fielderror::FieldError;

fn set_subscribable(obj: &mut Value) {
    if annotation(obj, SUBSCRIBABLE_ANNOTATION).is_none() {
        set_annotation(obj, SUBSCRIBABLE_ANNOTATION, "v1");
    }
}

pub fn set_channel_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    set_subscribable(obj);
    let template = default_channel_template(ctx.cluster, ctx.namespace);
    let spec = ensure_object(obj, "spec");
    if spec.get("channelTemplate").is_none_or(Value::is_null) {
        spec.insert("channelTemplate".into(), template);
    }
    default_delivery(spec.get_mut("delivery"), ctx.namespace);
}

pub fn set_imc_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    set_subscribable(obj);
    let spec = ensure_object(obj, "spec");
    default_delivery(spec.get_mut("delivery"), ctx.namespace);
}

/// `IsValidChannelTemplate` (paths relative to the template).
pub fn channel_template_errors(t: &Value) -> FieldError {
    let mut errs = FieldError::none();
    if s(t, "kind").is_empty() {
        errs.push(FieldError::missing(&["kind"]));
    }
    if s(t, "apiVersion").is_empty() {
        errs.push(FieldError::missing(&["apiVersion"]));
    }
    errs
}

pub fn validate_channel(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = FieldError::none();
    match spec.get("channelTemplate").filter(|v| !v.is_null()) {
        None => errs.push(FieldError::missing(&["channelTemplate"])),
        Some(t) => errs.push(channel_template_errors(t).via_field("channelTemplate")),
    }
    if spec
        .get("subscribers")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        errs.push(FieldError::disallowed(&["subscribers"]).via_field("subscribable"));
    }
    errs.push(validate_optional_delivery(ctx, &spec, Some(ctx.namespace)));
    let mut errs = errs.via_field("spec");
    if ctx.is_update()
        && let Some(old) = ctx.old
    {
        let null = Value::Null;
        let d = diff::spec(
            "v1.ChannelSpec",
            &[
                (
                    "channelTemplate",
                    "ChannelTemplate",
                    GoType::ChannelTemplate,
                    true,
                ),
                (
                    "delivery",
                    "ChannelableSpec.Delivery",
                    GoType::Delivery,
                    true,
                ),
            ],
            old.get("spec").unwrap_or(&null),
            obj.get("spec").unwrap_or(&null),
        );
        if !d.is_empty() {
            errs.push(FieldError::with_details(
                "Immutable fields changed (-old +new)",
                &["spec"],
                d,
            ));
        }
    }
    errs
}

pub fn validate_imc(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = FieldError::none();
    if let Some(subs) = spec.get("subscribers").and_then(Value::as_array) {
        for (i, sub) in subs.iter().enumerate() {
            if sub.get("replyUri").is_none() && sub.get("subscriberUri").is_none() {
                errs.push(
                    FieldError::with_details(
                        "missing field(s)",
                        &["replyURI", "subscriberURI"],
                        "expected at least one of, got none",
                    )
                    .via_field(&format!("subscriber[{i}]"))
                    .via_field("subscribable"),
                );
            }
        }
    }
    errs.push(validate_optional_delivery(ctx, &spec, None));
    let mut errs = errs.via_field("spec");
    if let Some(scope) = annotation(obj, SCOPE_ANNOTATION)
        && scope != "namespace"
        && scope != "cluster"
    {
        errs.push(
            FieldError::invalid_value_details(
                scope,
                "",
                &["expected either 'cluster' or 'namespace'"],
            )
            .via_key(SCOPE_ANNOTATION)
            .via_field("annotations")
            .via_field("metadata"),
        );
    }
    errs
}

pub fn set_subscription_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    let ns = ctx.namespace;
    let spec = ensure_object(obj, "spec");
    default_destination(spec.get_mut("subscriber"), ns);
    default_destination(spec.get_mut("reply"), ns);
    default_delivery(spec.get_mut("delivery"), ns);
}

/// `isDestinationNilOrEmpty`.
fn destination_empty(d: Option<&Value>) -> bool {
    match d {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.values().all(|v| {
            v.is_null() || v.as_str() == Some("") || v.as_object().is_some_and(|o| o.is_empty())
        }),
        Some(_) => false,
    }
}

pub fn validate_subscription(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let channel = spec.get("channel").filter(|c| !c.is_null());
    let channel_empty = channel
        .and_then(Value::as_object)
        .is_none_or(|m| m.values().all(|v| v.as_str().unwrap_or("").is_empty()));
    if channel_empty {
        return FieldError::with_details(
            "missing field(s)",
            &["channel"],
            "the Subscription must reference a channel",
        )
        .via_field("spec");
    }
    let mut errs = FieldError::none();
    if let Some(c) = channel {
        // `isValidChannel`: without cross-namespace links, any namespace is refused.
        let mut channel_errs = validate_kref(ctx, c, None);
        if !ctx.features.enabled("cross-namespace-event-links") && !s(c, "namespace").is_empty() {
            channel_errs.push(FieldError::with_details(
                "must not set the field(s)",
                &["namespace"],
                "only name, apiVersion and kind are supported fields when feature.CrossNamespaceEventLinks is disabled",
            ));
        }
        errs.push(channel_errs.via_field("channel"));
    }
    let missing_subscriber = destination_empty(spec.get("subscriber"));
    if missing_subscriber {
        errs.push(FieldError::with_details(
            "missing field(s)",
            &["subscriber"],
            "the Subscription must reference a subscriber",
        ));
    }
    if !missing_subscriber && let Some(d) = spec.get("subscriber") {
        errs.push(validate_destination(ctx, d, None).via_field("subscriber"));
    }
    if !destination_empty(spec.get("reply"))
        && let Some(d) = spec.get("reply")
    {
        errs.push(validate_destination(ctx, d, None).via_field("reply"));
    }
    errs.push(validate_optional_delivery(ctx, &spec, None));
    let mut errs = errs.via_field("spec");
    if ctx.is_update()
        && let Some(old) = ctx.old
    {
        let null = Value::Null;
        let d = diff::spec(
            "v1.SubscriptionSpec",
            &[("channel", "Channel", GoType::KReference, false)],
            old.get("spec").unwrap_or(&null),
            obj.get("spec").unwrap_or(&null),
        );
        if !d.is_empty() {
            errs.push(FieldError::with_details(
                "Immutable fields changed (-old +new)",
                &["spec"],
                d,
            ));
        }
    }
    errs
}
