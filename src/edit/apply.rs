//! Server-side apply preparation, pure: the apply configuration sent for an object, and the
//! one-time move of client-side-apply ownership (kn's and knit's old `service apply`) to knit's
//! `Apply` field manager, the way kubectl's `csaupgrade` does it for `kubectl apply`.

use serde_json::{Map, Value, json};

/// The annotation of client-side apply (kubectl, kn and knit's old `service apply`).
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The field managers whose `Update` entries hold a client-side apply that knit's server-side
/// apply continues: kn (`kn/…` User-Agent), knit, and knit before it sent a User-Agent ("").
pub const CLIENT_SIDE_APPLIERS: [&str; 3] = ["kn", "knit", ""];

/// The configuration sent as the apply patch: the object as declared, without server-owned
/// metadata and status, and without the client-side apply annotation.
pub fn apply_configuration(object: &Value) -> Value {
    let mut config = object.clone();
    if let Some(map) = config.as_object_mut() {
        map.remove("status");
    }
    if let Some(meta) = config.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in [
            "managedFields",
            "resourceVersion",
            "uid",
            "creationTimestamp",
            "generation",
            "selfLink",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
        ] {
            meta.remove(field);
        }
        if let Some(Value::Object(annotations)) = meta.get_mut("annotations") {
            annotations.remove(LAST_APPLIED);
            if annotations.is_empty() {
                meta.remove("annotations");
            }
        }
    }
    config
}

/// The two sides a client dry run of an apply shows: the declared part of the live object (see
/// [`declared_part`]) and the apply configuration of `desired`.
pub fn client_dry_run(live: Option<&Value>, desired: &Value) -> (Option<Value>, Value) {
    let config = apply_configuration(desired);
    (live.map(|live| declared_part(live, &config)), config)
}

/// The part of `live` that `config` declares: the fields present in both, list items paired by
/// position, and live items beyond the declared ones in full (an atomic list would lose them).
/// A client dry run diffs this against `config`, so the diff shows what the apply changes in the
/// fields it sets instead of every field the server defaulted (which the apply leaves alone).
pub fn declared_part(live: &Value, config: &Value) -> Value {
    match (live, config) {
        (Value::Object(live), Value::Object(config)) => Value::Object(
            config
                .iter()
                .filter_map(|(key, declared)| {
                    live.get(key)
                        .map(|value| (key.clone(), declared_part(value, declared)))
                })
                .collect(),
        ),
        (Value::Array(live), Value::Array(config)) => Value::Array(
            live.iter()
                .enumerate()
                .map(|(i, value)| match config.get(i) {
                    Some(declared) => declared_part(value, declared),
                    None => value.clone(),
                })
                .collect(),
        ),
        _ => live.clone(),
    }
}

/// For an object last written by a client-side apply of kn or knit (it carries
/// [`LAST_APPLIED`]), the merge patch that hands the fields of those appliers' `Update` entries
/// to `manager`'s `Apply` entry and drops the annotation. The patch carries the object's
/// resourceVersion, so it fails (409) rather than overwrite ownership that changed meanwhile.
///
/// Without this, the first server-side apply would conflict with the old applier on every
/// field whose stored value differs from the declared one, including lists that Knative's
/// webhook filled with defaults. `None` when there is nothing to move.
pub fn client_side_apply_upgrade(live: &Value, manager: &str, api_version: &str) -> Option<Value> {
    let meta = live.get("metadata")?;
    meta.get("annotations")?.get(LAST_APPLIED)?;
    let entries = meta.get("managedFields")?.as_array()?;
    let is_client_side = |e: &Value| {
        e.get("operation").and_then(Value::as_str) == Some("Update")
            && e.get("subresource").is_none()
            && CLIENT_SIDE_APPLIERS
                .contains(&e.get("manager").and_then(Value::as_str).unwrap_or(""))
    };
    let is_mine = |e: &Value| {
        e.get("operation").and_then(Value::as_str) == Some("Apply")
            && e.get("subresource").is_none()
            && e.get("manager").and_then(Value::as_str) == Some(manager)
    };
    if !entries.iter().any(is_client_side) {
        return None;
    }
    let mut fields = entries
        .iter()
        .find(|e| is_mine(e))
        .and_then(|e| e.get("fieldsV1").cloned())
        .unwrap_or_else(|| json!({}));
    for entry in entries.iter().filter(|e| is_client_side(e)) {
        if let Some(set) = entry.get("fieldsV1") {
            union_fields(&mut fields, set);
        }
    }
    let mut upgraded: Vec<Value> = entries
        .iter()
        .filter(|e| !is_client_side(e) && !is_mine(e))
        .cloned()
        .collect();
    upgraded.push(json!({
        "manager": manager,
        "operation": "Apply",
        "apiVersion": api_version,
        "fieldsType": "FieldsV1",
        "fieldsV1": fields,
    }));
    let mut patch_meta = Map::new();
    if let Some(rv) = meta.get("resourceVersion") {
        patch_meta.insert("resourceVersion".into(), rv.clone());
    }
    patch_meta.insert("managedFields".into(), Value::Array(upgraded));
    patch_meta.insert("annotations".into(), json!({ LAST_APPLIED: null }));
    Some(json!({ "metadata": patch_meta }))
}

/// Adds the field set `other` to `into` (FieldsV1: nested maps whose keys are path elements).
fn union_fields(into: &mut Value, other: &Value) {
    let (Some(into), Some(other)) = (into.as_object_mut(), other.as_object()) else {
        return;
    };
    for (key, value) in other {
        match into.get_mut(key) {
            Some(existing) => union_fields(existing, value),
            None => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(manager: &str, operation: &str, fields: Value) -> Value {
        json!({"manager": manager, "operation": operation, "apiVersion": "serving.knative.dev/v1",
               "fieldsType": "FieldsV1", "fieldsV1": fields})
    }

    #[test]
    fn the_declared_part_keeps_what_the_configuration_sets() {
        let live = json!({
            "metadata": {"name": "a", "annotations": {"creator": "x"}},
            "spec": {"template": {"spec": {
                "containers": [{"name": "user-container", "image": "old", "env": [{"name": "A", "value": "1"}]}],
                "timeoutSeconds": 300}},
                     "traffic": [{"latestRevision": true, "percent": 90}, {"revisionName": "r1", "percent": 10}]}
        });
        let config = json!({
            "metadata": {"name": "a"},
            "spec": {"template": {"spec": {"containers": [{"image": "new", "env": [{"name": "A", "value": "2"}, {"name": "B", "value": "3"}]}]}},
                     "traffic": [{"latestRevision": true, "percent": 100}], "absent": {"x": 1}}
        });
        assert_eq!(
            declared_part(&live, &config),
            json!({
                "metadata": {"name": "a"},
                "spec": {"template": {"spec": {"containers": [{"image": "old", "env": [{"name": "A", "value": "1"}]}]}},
                         "traffic": [{"latestRevision": true, "percent": 90}, {"revisionName": "r1", "percent": 10}]}
            })
        );
    }

    #[test]
    fn the_configuration_leaves_out_server_fields_and_the_annotation() {
        let object = json!({
            "apiVersion": "v1", "kind": "X",
            "metadata": {"name": "a", "resourceVersion": "3", "uid": "u",
                         "annotations": {LAST_APPLIED: "{}"}},
            "spec": {"a": 1}, "status": {"b": 2}
        });
        assert_eq!(
            apply_configuration(&object),
            json!({"apiVersion": "v1", "kind": "X", "metadata": {"name": "a"}, "spec": {"a": 1}})
        );
    }

    #[test]
    fn client_side_ownership_moves_to_the_applier() {
        let live = json!({"metadata": {
            "resourceVersion": "7",
            "annotations": {LAST_APPLIED: "{}", "other": "x"},
            "managedFields": [
                entry("kn", "Update", json!({"f:spec": {"f:template": {"f:spec": {"f:containers": {}}}}})),
                entry("knit", "Update", json!({"f:metadata": {"f:labels": {"f:a": {}}}})),
                entry("kubectl-edit", "Update", json!({"f:metadata": {"f:labels": {"f:b": {}}}})),
                {"manager": "controller", "operation": "Update", "subresource": "status",
                 "fieldsV1": {"f:status": {}}},
            ]
        }});
        let patch = client_side_apply_upgrade(&live, "knit", "serving.knative.dev/v1").unwrap();
        assert_eq!(
            patch,
            json!({"metadata": {
                "resourceVersion": "7",
                "managedFields": [
                    entry("kubectl-edit", "Update", json!({"f:metadata": {"f:labels": {"f:b": {}}}})),
                    {"manager": "controller", "operation": "Update", "subresource": "status",
                     "fieldsV1": {"f:status": {}}},
                    entry("knit", "Apply", json!({
                        "f:spec": {"f:template": {"f:spec": {"f:containers": {}}}},
                        "f:metadata": {"f:labels": {"f:a": {}}}
                    })),
                ],
                "annotations": {LAST_APPLIED: null}
            }})
        );
    }

    #[test]
    fn nothing_moves_without_a_client_side_apply() {
        let created = json!({"metadata": {"managedFields": [entry("knit", "Update", json!({"f:spec": {}}))]}});
        assert_eq!(client_side_apply_upgrade(&created, "knit", "v1"), None);
        let kubectl = json!({"metadata": {
            "annotations": {LAST_APPLIED: "{}"},
            "managedFields": [entry("kubectl-client-side-apply", "Update", json!({"f:spec": {}}))]
        }});
        assert_eq!(client_side_apply_upgrade(&kubectl, "knit", "v1"), None);
    }
}
