//! Defaulting and validation of the built-in sources (eventing `apis/sources/v1`): PingSource
//! (schedule, time zone, data), ApiServerSource (mode, resources), ContainerSource
//! (containers) and SinkBinding (subject), each with its sink and CloudEvent overrides.

use base64::Engine;
use serde_json::{Value, json};

use super::Ctx;
use super::common::{default_destination, s, validate_ce_overrides, validate_destination};
use super::cron;
use super::gojson;
use crate::json::At;
use crate::knative::eventing::config::ping_data_max_size;
use crate::knative::meta::{ensure_object, name};
use kuberules::fielderror::FieldError;
use kuberules::names;

fn sink_errors(ctx: &Ctx<'_>, spec: &Value) -> FieldError {
    let empty = json!({});
    let sink = spec.get("sink").filter(|v| !v.is_null()).unwrap_or(&empty);
    validate_destination(ctx, sink, None).via_field("sink")
}

pub fn set_ping_defaults(_ctx: &Ctx<'_>, obj: &mut Value) {
    let spec = ensure_object(obj, "spec");
    if spec
        .get("schedule")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        spec.insert("schedule".into(), json!("* * * * *"));
    }
}

pub fn validate_ping(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = FieldError::none();
    let mut schedule = s(&spec, "schedule").to_string();
    if schedule.contains("@every") {
        errs.push(FieldError::invalid_value(
            "unsupported descriptor @every",
            "schedule",
        ));
    }
    let tz = s(&spec, "timezone");
    if !tz.is_empty() {
        schedule = format!("CRON_TZ={tz} {schedule}");
    }
    if let Err(e) = cron::parse_standard(&schedule) {
        let field = if e.starts_with("provided bad location") {
            "timezone"
        } else {
            "schedule"
        };
        errs.push(FieldError::invalid_value(e, field));
    }
    errs.push(sink_errors(ctx, &spec));
    let max = ping_data_max_size(ctx.cluster);
    let data = s(&spec, "data");
    let data64 = s(&spec, "dataBase64");
    let json_content = s(&spec, "contentType") == "application/json";
    if !data.is_empty() && !data64.is_empty() {
        errs.push(FieldError::multiple_one_of(&["data", "dataBase64"]));
    } else if !data64.is_empty() {
        let size = data64.len() as i64;
        if max > -1 && size > max {
            errs.push(FieldError::invalid_value(
                format!("the dataBase64 length of {size} bytes exceeds limit set at {max}."),
                "dataBase64",
            ));
        }
        match base64::engine::general_purpose::STANDARD.decode(data64) {
            Err(e) => errs.push(FieldError::invalid_value(go_base64_error(&e), "dataBase64")),
            Ok(decoded) => {
                if json_content
                    && let Some(e) =
                        gojson::unmarshal_object_error(&String::from_utf8_lossy(&decoded))
                {
                    errs.push(FieldError::invalid_value(e, "dataBase64"));
                }
            }
        }
    } else if !data.is_empty() {
        let size = data.len() as i64;
        if max > -1 && size > max {
            errs.push(FieldError::invalid_value(
                format!("the data length of {size} bytes exceeds limit set at {max}."),
                "data",
            ));
        }
        if json_content && let Some(e) = gojson::unmarshal_object_error(data) {
            errs.push(FieldError::invalid_value(e, "data"));
        }
    }
    errs.push(validate_ce_overrides(&spec));
    errs.via_field("spec")
}

/// Go's `base64.CorruptInputError` text.
fn go_base64_error(e: &base64::DecodeError) -> String {
    let offset = match e {
        base64::DecodeError::InvalidByte(o, _) | base64::DecodeError::InvalidLastSymbol(o, _) => *o,
        base64::DecodeError::InvalidLength(o) => *o,
        base64::DecodeError::InvalidPadding => 0,
    };
    format!("illegal base64 data at input byte {offset}")
}

pub fn set_apiserver_defaults(_ctx: &Ctx<'_>, obj: &mut Value) {
    let spec = ensure_object(obj, "spec");
    for (key, value) in [("mode", "Reference"), ("serviceAccountName", "default")] {
        if spec
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty()
        {
            spec.insert(key.into(), json!(value));
        }
    }
}

/// apimachinery `schema.ParseGroupVersion` failure.
fn bad_group_version(gv: &str) -> bool {
    gv.matches('/').count() > 1
}

pub fn validate_apiserver(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = FieldError::none();
    let mode = s(&spec, "mode");
    if mode != "Reference" && mode != "Resource" {
        errs.push(FieldError::invalid_value(mode, "mode"));
    }
    errs.push(sink_errors(ctx, &spec));
    let resources = spec
        .get("resources")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if resources.is_empty() {
        errs.push(FieldError::missing(&["resources"]));
    }
    for (i, r) in resources.iter().enumerate() {
        let api_version = s(r, "apiVersion");
        if bad_group_version(api_version) {
            errs.push(
                FieldError::invalid_value(api_version, "apiVersion")
                    .via_field_index("resources", i),
            );
        }
        if s(r, "kind").trim().is_empty() {
            errs.push(FieldError::missing(&["kind"]).via_field_index("resources", i));
        }
    }
    if let Some(owner) = spec.get("owner").filter(|o| !o.is_null()) {
        let api_version = s(owner, "apiVersion");
        if bad_group_version(api_version) {
            errs.push(FieldError::invalid_value(api_version, "apiVersion").via_field("owner"));
        }
        if s(owner, "kind").trim().is_empty() {
            errs.push(FieldError::missing(&["kind"]).via_field("owner"));
        }
    }
    errs.push(validate_ce_overrides(&spec));
    // `validateSubscriptionAPIFiltersList`: filters need their feature.
    let filters = spec.get("filters").and_then(Value::as_array);
    if !ctx.features.enabled("new-apiserversource-filters") {
        if filters.is_some_and(|f| !f.is_empty()) {
            errs.push(FieldError::new(
                "Filters is not empty but the NewAPIServerFilters feature is disabled.",
                &[],
            ));
        }
    } else {
        errs.push(super::trigger::validate_filter_list(spec.get("filters")).via_field("filters"));
    }
    errs.via_field("spec")
}

pub fn set_container_defaults(_ctx: &Ctx<'_>, obj: &mut Value) {
    let source = name(obj).to_string();
    // The Go round trip of the pod template: its metadata and every container's resources are
    // structs, never omitted.
    if let Some(template) = obj
        .pointer_mut("/spec/template")
        .and_then(Value::as_object_mut)
    {
        template.entry("metadata").or_insert_with(|| json!({}));
    }
    if let Some(containers) = obj
        .pointer_mut("/spec/template/spec/containers")
        .and_then(Value::as_array_mut)
    {
        for c in containers.iter_mut().filter_map(Value::as_object_mut) {
            c.entry("resources").or_insert_with(|| json!({}));
        }
    }
    let containers = obj
        .pointer_mut("/spec/template/spec/containers")
        .and_then(Value::as_array_mut);
    if let Some(containers) = containers {
        for (i, c) in containers.iter_mut().enumerate() {
            if let Some(m) = c.as_object_mut()
                && m.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .is_empty()
            {
                m.insert("name".into(), json!(format!("{source}-{i}")));
            }
        }
    }
}

pub fn validate_container(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = sink_errors(ctx, &spec);
    let containers = spec
        .at("/template/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if containers.is_empty() {
        errs.push(FieldError::missing(&["containers"]));
    }
    for (i, c) in containers.iter().enumerate() {
        let mut ce = FieldError::none();
        if s(c, "name").is_empty() {
            ce.push(FieldError::missing(&["name"]));
        }
        if s(c, "image").is_empty() {
            ce.push(FieldError::missing(&["image"]));
        }
        errs.push(ce.via_field_index("containers", i));
    }
    errs.push(validate_ce_overrides(&spec));
    errs.via_field("spec")
}

pub fn set_sinkbinding_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    let ns = ctx.namespace;
    let spec = ensure_object(obj, "spec");
    if let Some(subject) = spec.get_mut("subject").and_then(Value::as_object_mut)
        && subject
            .get("namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty()
    {
        subject.insert("namespace".into(), json!(ns));
    }
    default_destination(spec.get_mut("sink"), ns);
}

/// `tracker.Reference.Validate` of the subject (paths relative to the subject).
fn validate_subject(subject: &Value) -> FieldError {
    let mut errs = FieldError::none();
    let api_version = s(subject, "apiVersion");
    if api_version.is_empty() {
        errs.push(FieldError::missing(&["apiVersion"]));
    } else if bad_group_version(api_version) {
        errs.push(FieldError::invalid_value(api_version, "apiVersion"));
    }
    if s(subject, "kind").is_empty() {
        errs.push(FieldError::missing(&["kind"]));
    }
    let ns = s(subject, "namespace");
    if ns.is_empty() {
        errs.push(FieldError::missing(&["namespace"]));
    } else if !names::dns1123_label(ns).is_empty() {
        errs.push(FieldError::invalid_value(ns, "namespace"));
    }
    let name = s(subject, "name");
    let selector = subject.get("selector").filter(|v| !v.is_null());
    match (name.is_empty(), selector) {
        (false, Some(_)) => errs.push(FieldError::multiple_one_of(&["selector", "name"])),
        (true, None) => errs.push(FieldError::missing_one_of(&["selector", "name"])),
        (false, None) => {
            let msgs = names::dns1123_subdomain(name);
            if !msgs.is_empty() {
                errs.push(FieldError::new(
                    format!("invalid name {name:?}: {}", msgs.join(", ")),
                    &["name"],
                ));
            }
        }
        (true, Some(_)) => {}
    }
    errs
}

pub fn validate_sinkbinding(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let empty = json!({});
    let subject = spec
        .get("subject")
        .filter(|v| !v.is_null())
        .unwrap_or(&empty);
    let mut errs = validate_subject(subject)
        .via_field("subject")
        .also(sink_errors(ctx, &spec));
    errs.push(validate_ce_overrides(&spec));
    let mut errs = errs.via_field("spec");
    let subject_ns = s(subject, "namespace");
    if !subject_ns.is_empty() && subject_ns != ctx.namespace {
        errs.push(FieldError::invalid_value(
            subject_ns,
            "spec.subject.namespace",
        ));
    }
    errs
}
