//! The validating webhook (`validation.webhook.serving.knative.dev`): `Validate` of Service,
//! Configuration, Revision, Route and DomainMapping with Knative's exact messages (§2.3).

use crate::crd::gofmt::quote;
use crate::json::At;
use std::collections::BTreeMap;

use serde_json::Value;

use super::diff::{Root, short_diff};
use super::podspec::validate_pod_spec;
use super::{CREATOR_ANNOTATION, Ctx, Kind, UPDATER_ANNOTATION};
use crate::knative::meta::{annotations, labels, string_map};
use crate::knative::names::go_string_slice;
use kuberules::autoscaling::{
    has_no_autoscaling_annotation, rollout_duration, validate_annotations,
};
use kuberules::fielderror::FieldError;
use kuberules::names::{dns1035_label, qualified_name};

const SERVICE_LABEL: &str = "serving.knative.dev/service";
const CONFIGURATION_LABEL: &str = "serving.knative.dev/configuration";

pub(crate) fn validate(ctx: &Ctx<'_>, kind: Kind, obj: &Value) -> FieldError {
    match kind {
        Kind::Service => validate_service(ctx, obj),
        Kind::Configuration => validate_configuration(ctx, obj),
        Kind::Revision => validate_revision(ctx, obj),
        Kind::Route => validate_route(ctx, obj),
        Kind::DomainMapping => validate_domain_mapping(ctx, obj),
    }
}

fn meta_str<'a>(obj: &'a Value, key: &str) -> &'a str {
    obj.get("metadata")
        .and_then(|m| m.get(key))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn has_owner_references(obj: &Value) -> bool {
    obj.at("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

/// knative.dev/pkg `apis.ValidateObjectMetadata`: paths relative to `metadata`.
fn pkg_object_metadata(obj: &Value) -> FieldError {
    let name = meta_str(obj, "name");
    let generate_name = meta_str(obj, "generateName");
    if !generate_name.is_empty() {
        let errs = dns1035_prefix_errors(generate_name);
        if !errs.is_empty() {
            return FieldError::new(
                format!("not a DNS 1035 label prefix: {}", go_string_slice(&errs)),
                &["generateName"],
            );
        }
    }
    if !name.is_empty() {
        let errs = dns1035_label(name);
        if !errs.is_empty() {
            return FieldError::new(
                format!("not a DNS 1035 label: {}", go_string_slice(&errs)),
                &["name"],
            );
        }
    }
    if name.is_empty() && generate_name.is_empty() {
        return FieldError::new("name or generateName is required", &["name"]);
    }
    FieldError::none()
}

/// `NameIsDNS1035Label(prefix, true)`: a trailing `-` is allowed in a generateName.
fn dns1035_prefix_errors(prefix: &str) -> Vec<String> {
    let trimmed = prefix.strip_suffix('-').unwrap_or(prefix);
    dns1035_label(trimmed)
}

/// serving's `ValidateObjectMetadata`: pkg's rules plus the autoscaling annotations.
fn serving_object_metadata(ctx: &Ctx<'_>, obj: &Value, allow_autoscaling: bool) -> FieldError {
    let anns = annotations(obj);
    let ann_errs = if allow_autoscaling {
        validate_annotations(&ctx.autoscaler, &anns)
    } else {
        has_no_autoscaling_annotation(&anns)
    };
    pkg_object_metadata(obj).also(ann_errs.via_field("annotations"))
}

/// `verifyLabelOwnerRef`: the label must name an owner of that kind.
fn label_owner_ref(obj: &Value, label: &str, kind: &str) -> FieldError {
    let Some(val) = labels(obj).get(label).cloned() else {
        return FieldError::none();
    };
    let owned = obj
        .at("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|r| {
            r.get("kind").and_then(Value::as_str) == Some(kind)
                && r.get("name").and_then(Value::as_str) == Some(&val)
        });
    if owned {
        FieldError::none()
    } else {
        FieldError::missing(&[label])
    }
}

/// `apis.ValidateCreatorAndModifier`; paths relative to `metadata.annotations`.
fn creator_and_modifier(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let Some(old) = ctx.old else {
        return FieldError::none();
    };
    let (Some(old_anns), Some(new_anns)) = (
        old.at("/metadata/annotations").filter(|v| v.is_object()),
        obj.at("/metadata/annotations").filter(|v| v.is_object()),
    ) else {
        return FieldError::none();
    };
    let (old_anns, new_anns) = (string_map(Some(old_anns)), string_map(Some(new_anns)));
    let get = |m: &BTreeMap<String, String>, k: &str| m.get(k).cloned().unwrap_or_default();
    let mut errs = FieldError::none();
    if get(&old_anns, CREATOR_ANNOTATION) != get(&new_anns, CREATOR_ANNOTATION) {
        errs.push(FieldError::new(
            "annotation value is immutable",
            &[CREATOR_ANNOTATION],
        ));
    }
    if old.get("spec") == obj.get("spec") {
        let new_updater = get(&new_anns, UPDATER_ANNOTATION);
        if get(&old_anns, UPDATER_ANNOTATION) != new_updater {
            errs.push(FieldError::invalid_value(new_updater, UPDATER_ANNOTATION));
        }
    }
    errs
}

/// `RevisionTemplateSpec.VerifyNameChange`.
fn verify_name_change(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let Some(old) = ctx.old else {
        return FieldError::none();
    };
    let null = Value::Null;
    let new_t = obj.at("/spec/template").unwrap_or(&null);
    let old_t = old.at("/spec/template").unwrap_or(&null);
    let name = new_t
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if name.is_empty() || Some(name) != old_t.at("/metadata/name").and_then(Value::as_str) {
        return FieldError::none();
    }
    let diff = short_diff(Root::RevisionTemplate, old_t, new_t);
    if diff.is_empty() {
        return FieldError::none();
    }
    FieldError::with_details(
        "Saw the following changes without a name change (-old +new)",
        &["metadata.name"],
        diff,
    )
}

fn validate_service(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let anns = annotations(obj);
    let mut errs = serving_object_metadata(ctx, obj, false)
        .also(rollout_duration(&anns).via_field("annotations"))
        .via_field("metadata");
    let null = Value::Null;
    let spec = obj.get("spec").unwrap_or(&null);
    let spec_errs = validate_template(ctx, obj, spec.get("template").unwrap_or(&null))
        .via_field("template")
        .also(validate_traffic(spec, true));
    errs.push(spec_errs.via_field("spec"));
    if ctx.is_update() {
        errs.push(creator_and_modifier(ctx, obj).via_field("metadata.annotations"));
        errs.push(verify_name_change(ctx, obj).via_field("spec.template"));
    }
    errs
}

fn validate_configuration(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let mut errs = serving_object_metadata(ctx, obj, false)
        .also(label_owner_ref(obj, SERVICE_LABEL, "Service").via_field("labels"))
        .via_field("metadata");
    let null = Value::Null;
    let template = obj.at("/spec/template").unwrap_or(&null);
    errs.push(
        validate_template(ctx, obj, template)
            .via_field("template")
            .via_field("spec"),
    );
    if ctx.is_update() {
        if !has_owner_references(obj) {
            errs.push(creator_and_modifier(ctx, obj).via_field("metadata.annotations"));
        }
        errs.push(verify_name_change(ctx, obj).via_field("spec.template"));
    }
    errs
}

fn validate_revision(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let errs = serving_object_metadata(ctx, obj, true)
        .also(label_owner_ref(obj, CONFIGURATION_LABEL, "Configuration").via_field("labels"))
        .via_field("metadata");
    let null = Value::Null;
    let spec = obj.get("spec").unwrap_or(&null);
    if ctx.is_update() {
        let old_spec = ctx.old.and_then(|o| o.get("spec")).unwrap_or(&null);
        let diff = short_diff(Root::RevisionSpec, old_spec, spec);
        if !diff.is_empty() {
            return FieldError::with_details(
                "Immutable fields changed (-old +new)",
                &["spec"],
                diff,
            );
        }
        errs
    } else {
        errs.also(validate_revision_spec(ctx, spec).via_field("spec"))
    }
}

fn validate_route(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let anns = annotations(obj);
    let mut errs = serving_object_metadata(ctx, obj, false)
        .also(label_owner_ref(obj, SERVICE_LABEL, "Service").via_field("labels"))
        .also(rollout_duration(&anns).via_field("annotations"))
        .via_field("metadata");
    let null = Value::Null;
    errs.push(validate_traffic(obj.get("spec").unwrap_or(&null), false).via_field("spec"));
    if ctx.is_update() && !has_owner_references(obj) {
        errs.push(creator_and_modifier(ctx, obj).via_field("metadata.annotations"));
    }
    errs
}

fn validate_domain_mapping(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let name = meta_str(obj, "name");
    let mut meta = FieldError::none();
    if !meta_str(obj, "generateName").is_empty() {
        meta.push(FieldError::disallowed(&["generateName"]));
    }
    if let Some(e) = crate::knative::names::fqdn_error("name", name) {
        meta.push(FieldError::new(
            format!("invalid name {}: {e}", quote(name)),
            &["name"],
        ));
    }
    if name.ends_with(".cluster.local") {
        meta.push(FieldError::new(
            format!("invalid name {}: must not be a subdomain of cluster local domain \"cluster.local\"", quote(name)),
            &["name"],
        ));
    }
    if ctx.is_update() {
        meta.push(creator_and_modifier(ctx, obj).via_field("annotations"));
    }
    let mut errs = meta.via_field("metadata");

    let null = Value::Null;
    let r = obj.at("/spec/ref").unwrap_or(&null);
    let mut ref_errs = FieldError::none();
    let field = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("");
    if r.is_null() {
        ref_errs.push(FieldError::missing(&["name", "apiVersion", "kind"]));
    } else {
        for k in ["name", "apiVersion", "kind"] {
            if field(k).is_empty() {
                ref_errs.push(FieldError::missing(&[k]));
            }
        }
        let ns = field("namespace");
        let parent = meta_str(obj, "namespace");
        if !ns.is_empty() && !parent.is_empty() && ns != parent {
            ref_errs.push(FieldError::with_details(
                "mismatched namespaces",
                &["namespace"],
                format!(
                    "parent namespace: {} does not match ref: {}",
                    quote(parent),
                    quote(ns)
                ),
            ));
        }
    }
    errs.push(ref_errs.via_field("ref").via_field("spec"));
    errs
}

/// `RevisionTemplateSpec.Validate`: paths relative to the template.
fn validate_template(ctx: &Ctx<'_>, parent: &Value, template: &Value) -> FieldError {
    let null = Value::Null;
    let spec = template.get("spec").unwrap_or(&null);
    let mut errs = validate_revision_spec(ctx, spec).via_field("spec");
    let anns = string_map(template.at("/metadata/annotations"));
    errs.push(validate_annotations(&ctx.autoscaler, &anns).via_field("metadata.annotations"));
    let name = template
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let generate_name = template
        .at("/metadata/generateName")
        .and_then(Value::as_str)
        .unwrap_or("");
    errs.push(validate_revision_name(parent, name, generate_name));
    errs
}

/// `validateRevisionName` (BYO revision names).
fn validate_revision_name(parent: &Value, name: &str, generate_name: &str) -> FieldError {
    if !generate_name.is_empty() {
        let errs = dns1035_prefix_errors(generate_name);
        if !errs.is_empty() {
            return FieldError::invalid_value(
                format!("not a DNS 1035 label prefix: {}", go_string_slice(&errs)),
                "metadata.generateName",
            );
        }
    }
    if name.is_empty() {
        return FieldError::none();
    }
    let errs = dns1035_label(name);
    if !errs.is_empty() {
        return FieldError::invalid_value(
            format!("not a DNS 1035 label: {}", go_string_slice(&errs)),
            "metadata.name",
        );
    }
    let parent_name = meta_str(parent, "name");
    if parent_name.is_empty() && !meta_str(parent, "generateName").is_empty() {
        return FieldError::disallowed(&["metadata.name"]);
    }
    let prefix = format!("{parent_name}-");
    if !name.starts_with(&prefix) {
        return FieldError::invalid_value(
            format!("{} must have prefix {}", quote(name), quote(&prefix)),
            "metadata.name",
        );
    }
    FieldError::none()
}

/// `RevisionSpec.Validate`: paths relative to the RevisionSpec.
fn validate_revision_spec(ctx: &Ctx<'_>, spec: &Value) -> FieldError {
    let mut errs = validate_pod_spec(&ctx.features, spec);
    let max = ctx.defaults.max_revision_timeout_seconds;
    let timeout = spec.get("timeoutSeconds").and_then(Value::as_i64);
    if let Some(t) = timeout
        && t != 0
        && (t > max || t < 0)
    {
        errs.push(FieldError::out_of_bounds(t, 0, max, "timeoutSeconds"));
    }
    // responseStartTimeoutSeconds and idleTimeoutSeconds are not validated (serving 1.15
    // to 1.23 `RevisionSpec.Validate`).
    if let Some(cc) = spec.get("containerConcurrency").and_then(Value::as_i64) {
        let min = if ctx.defaults.allow_container_concurrency_zero {
            0
        } else {
            1
        };
        let max = ctx.defaults.container_concurrency_max_limit;
        if cc < min || cc > max {
            errs.push(FieldError::out_of_bounds(
                cc,
                min,
                max,
                "containerConcurrency",
            ));
        }
    }
    errs
}

/// `validateTrafficList` with the per-target rules; paths relative to the RouteSpec.
fn validate_traffic(spec: &Value, default_configuration_name: bool) -> FieldError {
    let traffic = spec
        .get("traffic")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut errs = FieldError::none();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut sum: i64 = 0;
    for (i, tt) in traffic.iter().enumerate() {
        errs.push(validate_target(tt, default_configuration_name).via_index(i));
        if let Some(p) = tt.get("percent").and_then(Value::as_i64) {
            sum += p;
        }
        let tag = tt.get("tag").and_then(Value::as_str).unwrap_or("");
        if tag.is_empty() {
            continue;
        }
        let msgs = dns1035_label(tag);
        if !msgs.is_empty() {
            errs.push(
                FieldError::invalid_value(
                    format!("not a DNS 1035 label: {}", go_string_slice(&msgs)),
                    "",
                )
                .via_field_index("tag", i),
            );
        }
        match seen.get(tag) {
            Some(j) => errs.push(FieldError::new(
                format!("Multiple definitions for {}", quote(tag)),
                &[&format!("[{i}].tag"), &format!("[{j}].tag")],
            )),
            None => {
                seen.insert(tag.to_string(), i);
            }
        }
    }
    if sum != 100 {
        errs.push(FieldError::new(
            format!("Traffic targets sum to {sum}, want 100"),
            &[""],
        ));
    }
    errs.via_field("traffic")
}

fn validate_target(tt: &Value, default_configuration_name: bool) -> FieldError {
    let s = |k: &str| tt.get(k).and_then(Value::as_str).unwrap_or("");
    let rev = s("revisionName");
    let cfg = s("configurationName");
    let mut errs = FieldError::none();
    if let Some(lr) = tt.get("latestRevision").and_then(Value::as_bool) {
        let pinned = !rev.is_empty();
        if pinned == lr {
            errs.push(FieldError::new(
                format!(
                    "may not set revisionName {} when latestRevision is {lr}",
                    quote(rev)
                ),
                &["latestRevision"],
            ));
        }
    }
    if default_configuration_name && !cfg.is_empty() {
        errs.push(FieldError::disallowed(&["configurationName"]));
    } else if !rev.is_empty() && !cfg.is_empty() {
        errs.push(FieldError::multiple_one_of(&[
            "revisionName",
            "configurationName",
        ]));
    } else if !rev.is_empty() {
        let el = qualified_name(rev);
        if !el.is_empty() {
            errs.push(FieldError::invalid_key_name(rev, "revisionName", &el));
        }
    } else if !cfg.is_empty() {
        let el = qualified_name(cfg);
        if !el.is_empty() {
            errs.push(FieldError::invalid_key_name(cfg, "configurationName", &el));
        }
    } else if !default_configuration_name {
        errs.push(FieldError::missing_one_of(&[
            "revisionName",
            "configurationName",
        ]));
    }
    if let Some(p) = tt.get("percent").and_then(Value::as_i64)
        && !(0..=100).contains(&p)
    {
        errs.push(FieldError::out_of_bounds(p, 0, 100, "percent"));
    }
    let url = s("url");
    if !url.is_empty() {
        errs.push(FieldError::disallowed(&["url"]));
        if s("tag").is_empty() {
            errs.push(FieldError::disallowed(&["url"]));
        }
    }
    errs
}
