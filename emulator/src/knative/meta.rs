//! Small helpers over JSON objects: metadata fields, labels and annotations, owner references,
//! and the status write at the end of a Knative reconcile (observedGeneration, conditions,
//! no-op when nothing changed, retry on conflict).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::cluster::ClusterApi;
use crate::json::At;
use crate::knative::conditions::{ConditionSet, Conditions};
use crate::resource::GroupResource;
use crate::status::ApiError;

/// A string at a `/`-separated JSON pointer-like path ("" when absent or not a string).
pub fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.at(pointer).and_then(Value::as_str).unwrap_or("")
}

pub fn name(obj: &Value) -> &str {
    str_at(obj, "/metadata/name")
}

pub fn namespace(obj: &Value) -> &str {
    str_at(obj, "/metadata/namespace")
}

pub fn uid(obj: &Value) -> &str {
    str_at(obj, "/metadata/uid")
}

pub fn generation(obj: &Value) -> i64 {
    obj.at("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

pub fn observed_generation(obj: &Value) -> i64 {
    obj.at("/status/observedGeneration")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

pub fn is_deleting(obj: &Value) -> bool {
    obj.at("/metadata/deletionTimestamp")
        .is_some_and(|v| !v.is_null())
}

/// A string map (labels, annotations, nodeSelector …) as a BTreeMap.
pub fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

pub fn labels(obj: &Value) -> BTreeMap<String, String> {
    string_map(obj.at("/metadata/labels"))
}

pub fn annotations(obj: &Value) -> BTreeMap<String, String> {
    string_map(obj.at("/metadata/annotations"))
}

pub fn label<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.get("metadata")?.get("labels")?.get(key)?.as_str()
}

pub fn annotation<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.get("metadata")?.get("annotations")?.get(key)?.as_str()
}

/// `metadata` as a mutable object (created when missing).
pub fn metadata_mut(obj: &mut Value) -> &mut Map<String, Value> {
    ensure_object(obj, "metadata")
}

/// `obj[key]` as a mutable object, replacing anything that is not an object.
pub fn ensure_object<'a>(obj: &'a mut Value, key: &str) -> &'a mut Map<String, Value> {
    if !obj.is_object() {
        *obj = Value::Object(Map::new());
    }
    if !matches!(obj.get(key), Some(Value::Object(_)))
        && let Some(map) = obj.as_object_mut()
    {
        map.insert(key.to_string(), Value::Object(Map::new()));
    }
    match obj.get_mut(key) {
        Some(Value::Object(m)) => m,
        _ => unreachable!("`{key}` was just made an object"),
    }
}

/// Sets one annotation.
pub fn set_annotation(obj: &mut Value, key: &str, value: &str) {
    let meta = metadata_mut(obj);
    let anns = meta.entry("annotations").or_insert_with(|| json!({}));
    if !anns.is_object() {
        *anns = json!({});
    }
    if let Some(m) = anns.as_object_mut() {
        m.insert(key.to_string(), json!(value));
    }
}

/// Sets one label.
pub fn set_label(obj: &mut Value, key: &str, value: &str) {
    let meta = metadata_mut(obj);
    let labels = meta.entry("labels").or_insert_with(|| json!({}));
    if !labels.is_object() {
        *labels = json!({});
    }
    if let Some(m) = labels.as_object_mut() {
        m.insert(key.to_string(), json!(value));
    }
}

/// A controller owner reference to `owner` (kmeta.NewControllerRef).
pub fn controller_ref(owner: &Value) -> Value {
    json!({
        "apiVersion": str_at(owner, "/apiVersion"),
        "kind": str_at(owner, "/kind"),
        "name": name(owner),
        "uid": uid(owner),
        "controller": true,
        "blockOwnerDeletion": true,
    })
}

/// The controller owner reference of an object, if any.
pub fn controller_of(obj: &Value) -> Option<&Value> {
    crate::cluster::controller_ref_of(obj)
}

/// `metav1.IsControlledBy`: the controller reference carries the owner's uid.
pub fn is_controlled_by(obj: &Value, owner: &Value) -> bool {
    crate::cluster::is_controlled_by(obj, owner)
}

/// Name of the controlling owner of a given kind.
pub fn controller_name_of_kind<'a>(obj: &'a Value, kind: &str) -> Option<&'a str> {
    crate::cluster::controller_name_if_kind(controller_of(obj), kind)
}

/// The result of the reconcile-specific part of a status reconcile.
pub struct StatusReconcile<'a> {
    /// The object as read: its spec and metadata are read from here.
    pub original: &'a Value,
    /// The status being built, as `object["status"]` (a copy of the original's at first).
    /// Nothing else is copied: a status write copies the metadata only when the status
    /// changed, and sends no spec.
    pub object: Value,
    pub conditions: Conditions<'a>,
}

impl<'a> StatusReconcile<'a> {
    /// Starts a reconcile of `object`: conditions initialised, a new generation flagged
    /// (`PreProcessReconcile`).
    pub fn begin(object: &'a Value, set: ConditionSet) -> Self {
        let conditions = {
            let mut c = Conditions::from_status(set, object.get("status"));
            c.pre_process(generation(object), observed_generation(object));
            c
        };
        let mut status = Map::new();
        if let Some(s) = object.get("status") {
            status.insert("status".into(), s.clone());
        }
        StatusReconcile {
            original: object,
            object: Value::Object(status),
            conditions,
        }
    }

    /// `status` as a mutable object.
    pub fn status(&mut self) -> &mut Map<String, Value> {
        ensure_object(&mut self.object, "status")
    }

    /// Finishes: sets observedGeneration and conditions, and writes the status through the
    /// `/status` subresource when it changed (`PostProcessReconcile`).
    pub fn finish(mut self, cluster: &dyn ClusterApi, gr: &GroupResource) -> Result<(), ApiError> {
        let gen_ = generation(self.original);
        let conds = self.conditions.to_json();
        let status = self.status();
        status.insert("observedGeneration".into(), json!(gen_));
        status.insert("conditions".into(), conds);
        let status = self.object["status"].take();
        write_status(cluster, gr, self.original, status)
    }
}

/// Writes `status` unless it equals `original["status"]`; on a conflict the latest object is
/// read again and the status re-applied (a few times).
pub fn write_status(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    original: &Value,
    status: Value,
) -> Result<(), ApiError> {
    if original.get("status") == Some(&status) {
        return Ok(());
    }
    let mut latest: Option<Arc<Value>> = None;
    for _ in 0..5 {
        let read = latest.as_deref().unwrap_or(original);
        match cluster.update_status_of(gr, read, status.clone()) {
            Ok(_) => return Ok(()),
            Err(e) if e.code == 409 => {
                let now = cluster.get_shared(gr, namespace(original), name(original))?;
                if now.get("status") == Some(&status) {
                    return Ok(());
                }
                latest = Some(now);
            }
            Err(e) => return Err(e),
        }
    }
    Err(ApiError::conflict(gr, name(original)))
}

/// Adds a finalizer with a merge patch; the object as it is afterwards (`obj` itself when the
/// finalizer was there).
pub fn add_finalizer(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    obj: Arc<Value>,
    finalizer: &str,
) -> Result<Arc<Value>, ApiError> {
    let mut finalizers = finalizers(&obj);
    if finalizers.iter().any(|f| f == finalizer) {
        return Ok(obj);
    }
    finalizers.push(finalizer.to_string());
    let patch = json!({"metadata": {"finalizers": finalizers, "resourceVersion": str_at(&obj, "/metadata/resourceVersion")}});
    cluster.merge_patch(gr, namespace(&obj), name(&obj), &patch)
}

/// Removes a finalizer with a merge patch (no-op when absent).
pub fn remove_finalizer(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    obj: &Value,
    finalizer: &str,
) -> Result<(), ApiError> {
    let finalizers = finalizers(obj);
    if !finalizers.iter().any(|f| f == finalizer) {
        return Ok(());
    }
    let rest: Vec<String> = finalizers.into_iter().filter(|f| f != finalizer).collect();
    let patch = json!({"metadata": {"finalizers": if rest.is_empty() { Value::Null } else { json!(rest) },
        "resourceVersion": str_at(obj, "/metadata/resourceVersion")}});
    match cluster.merge_patch(gr, namespace(obj), name(obj), &patch) {
        Ok(_) => Ok(()),
        Err(e) if e.code == 404 => Ok(()),
        Err(e) => Err(e),
    }
}

pub fn finalizers(obj: &Value) -> Vec<String> {
    obj.at("/metadata/finalizers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controller_refs() {
        let owner = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "a", "uid": "u1"}});
        let child = json!({"metadata": {"ownerReferences": [controller_ref(&owner)]}});
        assert!(is_controlled_by(&child, &owner));
        assert_eq!(controller_name_of_kind(&child, "Service"), Some("a"));
        let other = json!({"metadata": {"name": "a", "uid": "u2"}});
        assert!(!is_controlled_by(&child, &other));
    }

    #[test]
    fn set_label_creates_maps() {
        let mut o = json!({});
        set_label(&mut o, "a", "b");
        set_annotation(&mut o, "c", "d");
        assert_eq!(
            o,
            json!({"metadata": {"labels": {"a": "b"}, "annotations": {"c": "d"}}})
        );
    }
}
