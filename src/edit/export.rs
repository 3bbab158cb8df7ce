//! `service export` and `service import`: a Service and its routed revisions reduced to what
//! recreates them, in kn's `Export` format or as a replayable `List` of Services.

use serde_json::{Map, Value, json};

use super::EditError;
use super::apply::LAST_APPLIED as LAST_APPLIED_ANNOTATION;
use super::digest::UPDATE_TIMESTAMP_ANNOTATION;
use super::json;

/// Server-set Service annotations that do not belong in an export.
pub const IGNORED_SERVICE_ANNOTATIONS: [&str; 3] = [
    "serving.knative.dev/creator",
    "serving.knative.dev/lastModifier",
    LAST_APPLIED_ANNOTATION,
];
/// Annotations dropped from the template and revisions.
pub const IGNORED_REVISION_ANNOTATIONS: [&str; 4] = [
    "serving.knative.dev/lastPinned",
    "serving.knative.dev/creator",
    "serving.knative.dev/routingStateModified",
    UPDATE_TIMESTAMP_ANNOTATION,
];
/// Labels dropped everywhere.
pub const IGNORED_LABELS: [&str; 2] = [
    "serving.knative.dev/configurationUID",
    "serving.knative.dev/serviceUID",
];

const CONFIGURATION_GENERATION_LABEL: &str = "serving.knative.dev/configurationGeneration";

/// The two export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportMode {
    /// kn's `client.knative.dev/v1alpha1` `Export`, read back by `service import`.
    Export,
    /// A `v1` `List` of Services, one per routed revision, that `kubectl apply` replays.
    Replay,
}

fn strip(meta: &mut Value, map_key: &str, keys: &[&str]) {
    for key in keys {
        json::remove_map_entry(meta, map_key, key);
    }
}

/// name, labels and annotations of an object's metadata, without the ignored ones.
fn clean_meta(meta: Option<&Value>, ignored_annotations: &[&str]) -> Value {
    let mut out = Map::new();
    for key in ["name", "labels", "annotations"] {
        if let Some(value) = meta.and_then(|m| m.get(key)) {
            out.insert(key.to_string(), value.clone());
        }
    }
    let mut out = Value::Object(out);
    strip(&mut out, "annotations", ignored_annotations);
    strip(&mut out, "labels", &IGNORED_LABELS);
    out
}

fn type_meta(object: &Value, default_kind: &str) -> (Value, Value) {
    (
        object
            .get("apiVersion")
            .cloned()
            .unwrap_or_else(|| json!("serving.knative.dev/v1")),
        object
            .get("kind")
            .cloned()
            .unwrap_or_else(|| json!(default_kind)),
    )
}

/// The Service as exported: metadata name/labels/annotations and the revision template, plus
/// the traffic block when asked for.
fn export_service(service: &Value, template_name: Option<&str>, with_traffic: bool) -> Value {
    let (api_version, kind) = type_meta(service, "Service");
    let template = json::get(service, &["spec", "template"])
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut template_meta = template
        .get("metadata")
        .cloned()
        .unwrap_or_else(|| json!({}));
    json::remove(&mut template_meta, "creationTimestamp");
    strip(
        &mut template_meta,
        "annotations",
        &IGNORED_REVISION_ANNOTATIONS,
    );
    strip(&mut template_meta, "labels", &IGNORED_LABELS);
    if let Some(name) = template_name {
        json::set(&mut template_meta, "name", json!(name));
    }
    let mut exported_template = template.clone();
    json::set(&mut exported_template, "metadata", template_meta);
    json::prune_empty(&mut exported_template, "metadata");
    let mut spec = json!({ "template": exported_template });
    if with_traffic && let Some(traffic) = json::get(service, &["spec", "traffic"]) {
        json::set(&mut spec, "traffic", traffic.clone());
    }
    json!({
        "apiVersion": api_version,
        "kind": kind,
        "metadata": clean_meta(service.get("metadata"), &IGNORED_SERVICE_ANNOTATIONS),
        "spec": spec,
    })
}

fn export_revision(revision: &Value) -> Value {
    let (api_version, kind) = type_meta(revision, "Revision");
    json!({
        "apiVersion": api_version,
        "kind": kind,
        "metadata": clean_meta(revision.get("metadata"), &IGNORED_REVISION_ANNOTATIONS),
        "spec": revision.get("spec").cloned().unwrap_or_else(|| json!({})),
    })
}

fn generation_of(revision: &Value) -> Option<i64> {
    json::get(revision, &["metadata"])
        .and_then(|meta| json::map_entry(meta, "labels", CONFIGURATION_GENERATION_LABEL))
        .and_then(|g| g.parse().ok())
}

fn name_of(object: &Value) -> &str {
    json::get_str(object, &["metadata", "name"]).unwrap_or("")
}

/// Revisions oldest generation first; same generation, by name descending (as kn sorts).
fn sorted(revisions: &[Value]) -> Vec<&Value> {
    let mut sorted: Vec<&Value> = revisions.iter().collect();
    sorted.sort_by(|a, b| match (generation_of(a), generation_of(b)) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        _ => name_of(b).cmp(name_of(a)),
    });
    sorted
}

/// Builds the export of `service` given all its revisions (those labelled with the service).
///
/// Unlike kn, traffic that mixes `@latest` with named revisions exports as it is (no
/// `revisionName` is forced onto `latestRevision` targets), and with revisions the template is
/// given the name of the revision it produced, so importing recreates the same names.
pub fn export(
    service: &Value,
    revisions: &[Value],
    with_revisions: bool,
    mode: ExportMode,
) -> Result<Value, EditError> {
    let service_name = name_of(service).to_string();
    if !with_revisions {
        let exported = export_service(service, None, false);
        return Ok(match mode {
            ExportMode::Replay => exported,
            ExportMode::Export => json!({
                "apiVersion": "client.knative.dev/v1alpha1",
                "kind": "Export",
                "spec": {"service": exported},
            }),
        });
    }
    if revisions.is_empty() {
        return Err(EditError::new(format!(
            "no revisions found for the service {service_name}"
        )));
    }
    let template_name = json::get_str(service, &["spec", "template", "metadata", "name"])
        .filter(|n| !n.is_empty())
        .or_else(|| json::get_str(service, &["status", "latestCreatedRevisionName"]))
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let routed: Vec<&str> = json::get(service, &["spec", "traffic"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("revisionName").and_then(Value::as_str))
        .collect();
    let older: Vec<&Value> = sorted(revisions)
        .into_iter()
        .filter(|r| routed.contains(&name_of(r)) && Some(name_of(r)) != template_name.as_deref())
        .collect();
    let latest = export_service(service, template_name.as_deref(), revisions.len() > 1);
    Ok(match mode {
        ExportMode::Export => {
            let exported: Vec<Value> = older.iter().map(|r| export_revision(r)).collect();
            let mut spec = json!({ "service": latest });
            if !exported.is_empty() {
                json::set(&mut spec, "revisions", Value::Array(exported));
            }
            json!({
                "apiVersion": "client.knative.dev/v1alpha1",
                "kind": "Export",
                "spec": spec,
            })
        }
        ExportMode::Replay => {
            let mut items: Vec<Value> = older
                .iter()
                .map(|revision| service_for_revision(service, revision))
                .collect();
            items.push(latest);
            json!({"apiVersion": "v1", "kind": "List", "items": items})
        }
    })
}

/// A Service whose template is an older revision, to replay that revision under its name.
fn service_for_revision(service: &Value, revision: &Value) -> Value {
    let mut exported = export_service(service, Some(name_of(revision)), false);
    let mut annotations = revision
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .cloned()
        .unwrap_or_else(|| json!({}));
    if let Some(map) = annotations.as_object_mut() {
        for key in IGNORED_REVISION_ANNOTATIONS {
            map.remove(key);
        }
    }
    let template = json::object_path(&mut exported, &["spec", "template"]);
    json::set(
        template,
        "spec",
        revision.get("spec").cloned().unwrap_or_else(|| json!({})),
    );
    let meta = json::object(template, "metadata");
    if annotations.as_object().is_some_and(|m| !m.is_empty()) {
        json::set(meta, "annotations", annotations);
    } else {
        json::remove(meta, "annotations");
    }
    exported
}

/// What `service import` creates: the Service, then each revision.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    pub service: Value,
    pub revisions: Vec<Value>,
}

/// Reads kn's `Export` document.
pub fn import_plan(document: &Value, namespace: &str) -> Result<ImportPlan, EditError> {
    let no_name = || {
        EditError::new(
            "provided import file doesn't contain service name, please note that only kn's custom export format is supported",
        )
    };
    let mut service = json::get(document, &["spec", "service"])
        .cloned()
        .ok_or_else(no_name)?;
    if json::get_str(&service, &["metadata", "name"]).is_none_or(str::is_empty) {
        return Err(no_name());
    }
    let meta = json::object(&mut service, "metadata");
    json::set(meta, "namespace", json!(namespace));
    let object = json::as_object(&mut service);
    object
        .entry("apiVersion")
        .or_insert_with(|| json!("serving.knative.dev/v1"));
    object.entry("kind").or_insert_with(|| json!("Service"));
    let revisions = json::get(document, &["spec", "revisions"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut revision| {
            let meta = json::object(&mut revision, "metadata");
            json::set(meta, "namespace", json!(namespace));
            let object = json::as_object(&mut revision);
            object
                .entry("apiVersion")
                .or_insert_with(|| json!("serving.knative.dev/v1"));
            object.entry("kind").or_insert_with(|| json!("Revision"));
            revision
        })
        .collect();
    Ok(ImportPlan { service, revisions })
}

/// Makes a revision owned by its Configuration, so the controller adopts it.
pub fn set_owner(revision: &mut Value, configuration: &Value) {
    let owner = json!({
        "apiVersion": configuration.get("apiVersion").cloned().unwrap_or_else(|| json!("serving.knative.dev/v1")),
        "kind": configuration.get("kind").cloned().unwrap_or_else(|| json!("Configuration")),
        "name": name_of(configuration),
        "uid": json::get_str(configuration, &["metadata", "uid"]).unwrap_or(""),
        "controller": true,
        "blockOwnerDeletion": true,
    });
    json::set(
        json::object(revision, "metadata"),
        "ownerReferences",
        json!([owner]),
    );
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
