//! What a write changes: whether it touches the spec (a new `metadata.generation`) or nothing
//! at all (a no-op, which upstream does not store).

use super::*;

/// Built-in kinds whose `metadata.generation` the API server maintains (apps/v1 workloads).
pub(super) fn tracks_generation(ti: &TypeInfo) -> bool {
    ti.rt.group == crate::apps::APPS_GROUP
}

/// Whether anything outside `metadata` and `status` differs (what bumps `generation`).
pub(super) fn spec_changed(old: &Value, new: &Value) -> bool {
    let strip = |v: &Value| -> Map<String, Value> {
        let mut m = v.as_object().cloned().unwrap_or_default();
        for k in ["metadata", "status", "apiVersion", "kind"] {
            m.remove(k);
        }
        m
    };
    strip(old) != strip(new)
}

/// Whether two versions differ only in what a no-op write may still change (managedFields
/// timestamps and order). Compares in place: copying both objects to normalise them cost a
/// tenth of every write. `status` first, where a controller's write differs, and
/// managedFields last, normalised only when the entries differ.
pub(super) fn same_but_field_times(a: &Value, b: &Value) -> bool {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return a == b;
    };
    if a.len() != b.len() || a.get("status") != b.get("status") {
        return false;
    }
    let rest_same = a
        .iter()
        .filter(|(key, _)| *key != "metadata" && *key != "status")
        .all(|(key, va)| b.get(key) == Some(va));
    if !rest_same {
        return false;
    }
    match (a.get("metadata"), b.get("metadata")) {
        (Some(Value::Object(ma)), Some(Value::Object(mb))) => {
            ma.len() == mb.len()
                && ma
                    .iter()
                    .filter(|(k, _)| *k != "managedFields")
                    .all(|(k, x)| mb.get(k) == Some(x))
                && match (ma.get("managedFields"), mb.get("managedFields")) {
                    (Some(x), Some(y)) => x == y || comparable_fields(x) == comparable_fields(y),
                    (x, y) => x == y,
                }
        }
        (ma, mb) => ma == mb,
    }
}

/// managedFields without times, in a stable order (a no-op apply may reorder the entries).
pub(super) fn comparable_fields(fields: &Value) -> Value {
    let mut fields = fields.clone();
    if let Some(entries) = fields.as_array_mut() {
        for entry in entries.iter_mut() {
            if let Some(e) = entry.as_object_mut() {
                e.remove("time");
            }
        }
        entries.sort_by_key(|e| e.to_string());
    }
    fields
}
