//! `metadata.managedFields`: field sets in the `FieldsV1` format and who owns which fields.
//! Updates give the writer ownership of the fields it changed (taking them from others);
//! server-side apply (see `apply.rs`) owns exactly the fields of its configuration.
//! Field sets are in `managed/field_set.rs`; the `managedFields` entries and ownership
//! bookkeeping in `managed/entries.rs`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::catalog::{ListKind, TypeInfo};

mod created;
mod entries;
mod field_set;
pub use created::created_fields_text;
pub use entries::*;
pub use field_set::FieldSet;

/// One path element in FieldsV1 notation: `f:name`, `k:{"name":"x"}`, `v:"x"`, `i:0`.
pub type Path = Vec<String>;

/// `.spec.containers[name="x"].image` as structured-merge-diff prints paths.
pub fn path_string(path: &Path) -> String {
    let mut out = String::new();
    for elem in path {
        if let Some(field) = elem.strip_prefix("f:") {
            out.push('.');
            out.push_str(field);
        } else if let Some(keys) = elem.strip_prefix("k:") {
            let parsed: Map<String, Value> = serde_json::from_str(keys).unwrap_or_default();
            let parts: Vec<String> = parsed.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push_str(&format!("[{}]", parts.join(",")));
        } else if let Some(value) = elem.strip_prefix("v:") {
            out.push_str(&format!("[={value}]"));
        } else if let Some(index) = elem.strip_prefix("i:") {
            out.push_str(&format!("[{index}]"));
        }
    }
    out
}

/// Metadata fields the server owns; never part of a field set.
const SYSTEM_METADATA: [&str; 10] = [
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "selfLink",
];

/// How lists at a field path merge (from the CRD schema; core types: atomic).
pub fn list_kind(ti: &TypeInfo, fields: &[&str]) -> ListKind {
    match fields {
        ["metadata", "finalizers"] => ListKind::Set,
        ["metadata", "ownerReferences"] => ListKind::Map(vec!["uid".into()]),
        ["spec", "ports"] if !ti.custom && ti.rt.plural == "services" => {
            ListKind::Map(vec!["port".into(), "protocol".into()])
        }
        _ => ti
            .schema
            .as_ref()
            .map(|s| s.list_keys(fields))
            .unwrap_or(ListKind::Atomic),
    }
}

/// The key element of a list item of a map-list (`k:{"name":"x"}`), if it has the keys.
pub fn item_key(item: &Value, keys: &[String]) -> Option<String> {
    let mut map = Map::new();
    for k in keys {
        map.insert(k.clone(), item.get(k)?.clone());
    }
    Some(format!("k:{}", Value::Object(map)))
}

/// Whether a non-empty object at `fields` is itself a member of a field set (FieldsV1 `"."`),
/// as structured-merge-diff records a map it saw added: every object of a custom resource,
/// but of the built-in Go types only what the zero-valued Go object lacks: the
/// `map[string]…` fields and the pointer structs, not the value structs (`spec`).
fn is_map_member(ti: &TypeInfo, fields: &[String]) -> bool {
    if ti.custom {
        return true;
    }
    matches!(
        fields.last().map(String::as_str),
        Some(
            "labels"
                | "annotations"
                | "data"
                | "binaryData"
                | "stringData"
                | "selector"
                | "matchLabels"
                | "hard"
                | "used"
                | "requests"
                | "limits"
                | "nodeSelector"
                | "aggregationRule"
                | "sessionAffinityConfig"
                | "clientIP"
                | "series"
                | "related"
        )
    )
}

/// Structs and maps of built-in types that are `+structType=atomic` / `+mapType=atomic`
/// upstream: a binding's roleRef, a Service's selector, an Event's object references.
fn is_atomic_struct(ti: &TypeInfo, fields: &[String]) -> bool {
    if ti.custom {
        return false;
    }
    match fields {
        [only] if ti.rt.kind == "Event" => {
            matches!(only.as_str(), "involvedObject" | "regarding" | "related")
        }
        [only] => only == "roleRef",
        [spec, selector] => ti.rt.plural == "services" && spec == "spec" && selector == "selector",
        _ => false,
    }
}

/// The path element of the field `key`: `f:key`.
fn field_element(key: &str) -> String {
    let mut element = String::with_capacity(key.len() + 2);
    element.push_str("f:");
    element.push_str(key);
    element
}

/// Both sides of an update's leaves, borrowed from the two objects.
type Sides<'a> = (
    BTreeMap<Path, Cow<'a, Value>>,
    BTreeMap<Path, Cow<'a, Value>>,
);

/// Appends the leaves of `value`, found at `path` (the JSON `fields` leading to it); the
/// values are borrowed from `value`, not copied.
fn walk<'a>(
    ti: &TypeInfo,
    value: &'a Value,
    path: &mut Path,
    fields: &mut Vec<String>,
    out: &mut BTreeMap<Path, Cow<'a, Value>>,
) {
    match value {
        // A struct marked atomic upstream (a binding's roleRef) is one leaf.
        Value::Object(map) if !map.is_empty() && !is_atomic_struct(ti, fields) => {
            if is_map_member(ti, fields) && !path.last().is_some_and(|p| p.starts_with("k:")) {
                out.insert(path.clone(), Cow::Owned(json!({})));
            }
            for (key, child) in map {
                path.push(field_element(key));
                fields.push(key.clone());
                walk(ti, child, path, fields, out);
                fields.pop();
                path.pop();
            }
        }
        Value::Array(items) => {
            let field_refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            match list_kind(ti, &field_refs) {
                ListKind::Atomic => {
                    out.insert(path.clone(), Cow::Borrowed(value));
                }
                ListKind::Set => {
                    // A granular list is a member itself, as a map is (FieldsV1 ".").
                    if !items.is_empty() {
                        out.insert(path.clone(), Cow::Owned(json!({})));
                    }
                    for item in items {
                        path.push(format!("v:{item}"));
                        out.insert(path.clone(), Cow::Borrowed(item));
                        path.pop();
                    }
                }
                ListKind::Map(keys) => {
                    if !items.is_empty() && items.iter().all(|i| item_key(i, &keys).is_some()) {
                        out.insert(path.clone(), Cow::Owned(json!({})));
                    }
                    for item in items {
                        let Some(key) = item_key(item, &keys) else {
                            // An item without its keys cannot be addressed: own the list whole.
                            out.insert(path.clone(), Cow::Borrowed(value));
                            return;
                        };
                        path.push(key);
                        out.insert(path.clone(), Cow::Owned(Value::Null));
                        walk(ti, item, path, fields, out);
                        path.pop();
                    }
                }
            }
        }
        other => {
            out.insert(path.clone(), Cow::Borrowed(other));
        }
    }
}

/// The subtrees of an object whose leaves count for field ownership, with their paths.
fn roots(object: &Value, status: bool) -> Vec<(Path, Vec<String>, &Value)> {
    (root_refs(object, status).into_iter())
        .map(|(in_metadata, key, value)| {
            let (path, fields) = root_path(in_metadata, key);
            (path, fields, value)
        })
        .collect()
}

/// The roots of [`roots`], named without allocating: whether the field is one of `metadata`'s,
/// and its name.
fn root_refs(object: &Value, status: bool) -> Vec<(bool, &str, &Value)> {
    let mut out = Vec::new();
    let Some(map) = object.as_object() else {
        return out;
    };
    for (key, child) in map {
        match key.as_str() {
            "apiVersion" | "kind" => continue,
            "status" if !status => continue,
            "metadata" => {
                let Some(meta) = child.as_object() else {
                    continue;
                };
                // Status writes reset only spec (upstream's ResetFieldsFor): metadata counts.
                for (mk, mv) in meta {
                    if SYSTEM_METADATA.contains(&mk.as_str()) {
                        continue;
                    }
                    out.push((true, mk.as_str(), mv));
                }
                continue;
            }
            _ if status && key != "status" => continue,
            _ => {}
        }
        out.push((false, key.as_str(), child));
    }
    out
}

/// The path and field names of a root (see [`root_refs`]).
fn root_path(in_metadata: bool, key: &str) -> (Path, Vec<String>) {
    if in_metadata {
        (
            vec!["f:metadata".to_string(), field_element(key)],
            vec!["metadata".to_string(), key.to_string()],
        )
    } else {
        (vec![field_element(key)], vec![key.to_string()])
    }
}

/// The leaf values of an object, keyed by path; list items are members with the item as value,
/// and maps that are members themselves (see [`is_map_member`]) have an empty object.
pub fn leaves<'a>(
    ti: &TypeInfo,
    object: &'a Value,
    status: bool,
) -> BTreeMap<Path, Cow<'a, Value>> {
    let mut out = BTreeMap::new();
    for (mut path, mut fields, value) in roots(object, status) {
        walk(ti, value, &mut path, &mut fields, &mut out);
    }
    out
}

/// What an update changes, as the difference of [`leaves`] of `old` and `new`: the leaves of
/// `new` that are new or hold another value, and the paths of `old` that are gone. Only the
/// subtrees that differ are walked: a status write to a large object costs its status.
pub fn changed_leaves(
    ti: &TypeInfo,
    old: &Value,
    new: &Value,
    status: bool,
) -> (FieldSet, FieldSet) {
    fn diff<'a>(
        ti: &TypeInfo,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
        path: &mut Path,
        fields: &mut Vec<String>,
        sides: &mut Sides<'a>,
    ) {
        match (old, new) {
            (Some(o), Some(n)) if o == n => {}
            // Both maps with members: the map's own entry is the same on both sides.
            (Some(Value::Object(o)), Some(Value::Object(n)))
                if !o.is_empty() && !n.is_empty() && !is_atomic_struct(ti, fields) =>
            {
                for key in o.keys().chain(n.keys().filter(|k| !o.contains_key(*k))) {
                    path.push(field_element(key));
                    fields.push(key.clone());
                    diff(ti, o.get(key), n.get(key), path, fields, sides);
                    fields.pop();
                    path.pop();
                }
            }
            _ => {
                if let Some(o) = old {
                    walk(ti, o, path, fields, &mut sides.0);
                }
                if let Some(n) = new {
                    walk(ti, n, path, fields, &mut sides.1);
                }
            }
        }
    }
    let mut sides = (BTreeMap::new(), BTreeMap::new());
    // Roots are paired by name; paths are made only for those that differ.
    let mut new_roots: BTreeMap<(bool, &str), &Value> = (root_refs(new, status).into_iter())
        .map(|(in_metadata, key, value)| ((in_metadata, key), value))
        .collect();
    for (in_metadata, key, value) in root_refs(old, status) {
        let other = new_roots.remove(&(in_metadata, key));
        if other == Some(value) {
            continue;
        }
        let (mut path, mut fields) = root_path(in_metadata, key);
        diff(ti, Some(value), other, &mut path, &mut fields, &mut sides);
    }
    for ((in_metadata, key), value) in new_roots {
        let (mut path, mut fields) = root_path(in_metadata, key);
        diff(ti, None, Some(value), &mut path, &mut fields, &mut sides);
    }
    let (before, after) = sides;
    let changed = FieldSet {
        paths: after
            .iter()
            .filter(|(p, v)| before.get(*p) != Some(*v))
            .map(|(p, _)| p.clone())
            .collect(),
    };
    let removed = FieldSet {
        paths: before
            .keys()
            .filter(|p| !after.contains_key(*p))
            .cloned()
            .collect(),
    };
    (changed, removed)
}

/// The field set of an object (all its leaves and list items).
pub fn field_set(ti: &TypeInfo, object: &Value, status: bool) -> FieldSet {
    FieldSet {
        paths: leaves(ti, object, status).into_keys().collect(),
    }
}

/// The field set a server-side apply configuration owns: its leaves and list items, not the
/// maps around them (structured-merge-diff's `ToFieldSet`), unlike an update that adds a map.
pub fn applied_set(ti: &TypeInfo, config: &Value, status: bool) -> FieldSet {
    let all = leaves(ti, config, status);
    FieldSet {
        paths: all
            .keys()
            .filter(|p| {
                p.last().is_some_and(|e| e.starts_with("k:"))
                    || !all
                        .range((*p).clone()..)
                        .nth(1)
                        .is_some_and(|(next, _)| next.len() > p.len() && next.starts_with(p))
            })
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
#[path = "managed_tests.rs"]
mod tests;
