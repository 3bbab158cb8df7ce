//! Server-side apply: merges an apply configuration into the live object (maps by key,
//! map-lists by their keys, sets by value, atomic lists whole), reports conflicts with other
//! field managers (409, or taken over with `force`), and removes fields the applier owned
//! before but no longer applies (unless someone else owns them).

use serde_json::{Value, json};

use super::managed::{self, Entry, FieldSet, Path, path_string};
use crate::catalog::{ListKind, TypeInfo};
use crate::status::ApiError;

fn merge(ti: &TypeInfo, live: &Value, config: &Value, fields: &mut Vec<String>) -> Value {
    match (live, config) {
        (Value::Object(l), Value::Object(c)) => {
            let mut out = l.clone();
            for (key, cv) in c {
                fields.push(key.clone());
                let merged = match l.get(key) {
                    Some(lv) => merge(ti, lv, cv, fields),
                    None => cv.clone(),
                };
                fields.pop();
                out.insert(key.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(l), Value::Array(c)) => {
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            match managed::list_kind(ti, &refs) {
                ListKind::Atomic => config.clone(),
                ListKind::Set => {
                    let mut out = l.clone();
                    for item in c {
                        if !out.contains(item) {
                            out.push(item.clone());
                        }
                    }
                    Value::Array(out)
                }
                ListKind::Map(keys) => {
                    let mut out = l.clone();
                    for item in c {
                        let key = managed::item_key(item, &keys);
                        let pos = key.as_ref().and_then(|k| {
                            out.iter()
                                .position(|o| managed::item_key(o, &keys).as_ref() == Some(k))
                        });
                        match pos {
                            Some(i) => out[i] = merge(ti, &out[i], item, fields),
                            None => out.push(item.clone()),
                        }
                    }
                    Value::Array(out)
                }
            }
        }
        _ => config.clone(),
    }
}

/// Removes the member at `path` from `object`.
fn remove_path(ti: &TypeInfo, object: &mut Value, path: &[String], fields: &mut Vec<String>) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if let Some(field) = first.strip_prefix("f:") {
        let Some(map) = object.as_object_mut() else {
            return;
        };
        if rest.is_empty() {
            map.remove(field);
            return;
        }
        if let Some(child) = map.get_mut(field) {
            fields.push(field.to_string());
            remove_path(ti, child, rest, fields);
            fields.pop();
        }
    } else if let Some(items) = object.as_array_mut() {
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        let kind = managed::list_kind(ti, &refs);
        let pos = items
            .iter()
            .position(|item| match (&kind, first.strip_prefix("v:")) {
                (ListKind::Map(keys), None) => {
                    managed::item_key(item, keys).as_deref() == Some(first.as_str())
                }
                (_, Some(value)) => {
                    serde_json::from_str::<Value>(value).ok().as_ref() == Some(item)
                }
                _ => false,
            });
        if let Some(i) = pos {
            if rest.is_empty() {
                items.remove(i);
            } else {
                remove_path(ti, &mut items[i], rest, fields);
            }
        }
    }
}

fn conflict_error(conflicts: &[(Entry, Path)]) -> ApiError {
    // structured-merge-diff lists conflicts by field path.
    let mut sorted = conflicts.to_vec();
    sorted.sort_by(|a, b| {
        (path_string(&a.1), a.0.describe()).cmp(&(path_string(&b.1), b.0.describe()))
    });
    let conflicts = sorted.as_slice();
    let causes: Vec<Value> = conflicts
        .iter()
        .map(|(e, p)| json!({"reason": "FieldManagerConflict", "message": format!("conflict with {}", e.describe()), "field": path_string(p)}))
        .collect();
    let message = match conflicts {
        [(entry, path)] => format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            entry.describe(),
            path_string(path)
        ),
        _ => {
            let mut managers: Vec<String> = conflicts.iter().map(|(e, _)| e.describe()).collect();
            managers.sort();
            managers.dedup();
            let mut lines = Vec::new();
            for manager in &managers {
                lines.push(format!("conflicts with {manager}:"));
                for (e, p) in conflicts.iter().filter(|(e, _)| &e.describe() == manager) {
                    let _ = e;
                    lines.push(format!("- {}", path_string(p)));
                }
            }
            format!(
                "Apply failed with {} conflicts: {}",
                conflicts.len(),
                lines.join("\n")
            )
        }
    };
    ApiError::new(409, "Conflict", message).with_details(json!({"causes": causes}))
}

/// Applies `config` as `manager` to the live object; returns the new object with its
/// `managedFields` updated.
pub fn apply(
    ti: &TypeInfo,
    live: &Value,
    config: &Value,
    manager: &str,
    force: bool,
    status: bool,
) -> Result<Value, ApiError> {
    let mut config = config.clone();
    if let Some(meta) = config.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    let config_leaves = managed::leaves(ti, &config, status);
    let live_leaves = managed::leaves(ti, live, status);
    let config_set = managed::applied_set(ti, &config, status);
    let subresource = status.then(|| "status".to_string());
    let mut entries = managed::stored_entries(live);
    let is_mine =
        |e: &Entry| e.manager == manager && e.operation == "Apply" && e.subresource == subresource;

    let mut conflicts: Vec<(Entry, Path)> = Vec::new();
    for entry in entries.iter().filter(|e| !is_mine(e)) {
        for path in entry.fields.intersection(&config_set).paths {
            let wanted = config_leaves.get(&path);
            // List-item members carry no value of their own: only leaves can conflict.
            if wanted.is_some_and(|v| v.is_null())
                && path.last().is_some_and(|p| p.starts_with("k:"))
            {
                continue;
            }
            if live_leaves.get(&path) != wanted {
                conflicts.push((entry.clone(), path));
            }
        }
    }
    if !conflicts.is_empty() {
        if !force {
            return Err(conflict_error(&conflicts));
        }
        let taken = FieldSet {
            paths: conflicts.iter().map(|(_, p)| p.clone()).collect(),
        };
        for entry in entries.iter_mut().filter(|e| !is_mine(e)) {
            entry.give_up(&taken);
        }
    }

    let mut result = merge(ti, live, &config, &mut Vec::new());
    if status {
        // Only status is applied on the status subresource.
        result = match (live.clone(), result.get("status")) {
            (mut l, Some(s)) => {
                l["status"] = s.clone();
                l
            }
            (l, None) => l,
        };
    }
    let previous = entries
        .iter()
        .find(|e| is_mine(e))
        .map(|e| e.fields.clone())
        .unwrap_or_default();
    let others = entries
        .iter()
        .filter(|e| !is_mine(e))
        .fold(FieldSet::default(), |acc, e| acc.union(&e.fields));
    // Remove deeper paths first so list items go before their parents.
    let mut dropped: Vec<Path> = previous
        .difference(&config_set)
        .difference(&others)
        .paths
        .into_iter()
        .collect();
    dropped.sort_by_key(|p| std::cmp::Reverse(p.len()));
    // A map (or list) that is a member itself is not removed whole: its items that were the
    // applier's go one by one, the rest (others', or nobody's, such as what a webhook added)
    // stays, as structured-merge-diff adds back what prune removed but was not owned.
    dropped.retain(|p| {
        p.last().is_some_and(|e| e.starts_with("k:"))
            || !live_leaves
                .range(p.clone()..)
                .nth(1)
                .is_some_and(|(next, _)| next.len() > p.len() && next.starts_with(p))
    });
    for path in dropped {
        remove_path(ti, &mut result, &path, &mut Vec::new());
    }

    // Upstream stamps the applier's entry only when the object changed; an apply that changes
    // nothing keeps the entry's old time (none for a new entry).
    let without_managed = |v: &Value| {
        let mut v = v.clone();
        if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("managedFields");
        }
        v
    };
    let time = if without_managed(&result) == without_managed(live) {
        entries
            .iter()
            .find(|e| is_mine(e))
            .and_then(|e| e.time.clone())
    } else {
        Some(crate::registry::now_timestamp())
    };
    entries.retain(|e| !is_mine(e));
    let mut list = entries;
    list.push(Entry::new(
        manager,
        "Apply",
        &ti.rt.api_version(),
        time,
        subresource,
        config_set,
    ));
    managed::set_entries(&mut result, list);
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::core_types;

    fn configmaps() -> TypeInfo {
        core_types()
            .into_iter()
            .find(|t| t.rt.plural == "configmaps")
            .unwrap()
    }

    fn cm(data: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": data})
    }

    #[test]
    fn apply_owns_and_removes_its_fields() {
        let ti = configmaps();
        let live = cm(json!({}));
        let first = apply(
            &ti,
            &live,
            &cm(json!({"a": "1", "b": "2"})),
            "me",
            false,
            false,
        )
        .unwrap();
        assert_eq!(first["data"], json!({"a": "1", "b": "2"}));
        let second = apply(&ti, &first, &cm(json!({"a": "1"})), "me", false, false).unwrap();
        assert_eq!(second["data"], json!({"a": "1"}));
        let entries = managed::entries(&second);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].operation, "Apply");
        // An applied configuration owns no map nodes (no FieldsV1 "."), unlike an update.
        assert_eq!(
            entries[0].fields.to_fields_v1(),
            json!({"f:data": {"f:a": {}}})
        );
    }

    #[test]
    fn conflicts_are_reported_and_forced() {
        let ti = configmaps();
        let live = apply(
            &ti,
            &cm(json!({})),
            &cm(json!({"a": "1"})),
            "alice",
            false,
            false,
        )
        .unwrap();
        let err = apply(&ti, &live, &cm(json!({"a": "2"})), "bob", false, false).unwrap_err();
        assert_eq!(err.code, 409);
        assert_eq!(
            err.message,
            "Apply failed with 1 conflict: conflict with \"alice\": .data.a"
        );
        assert_eq!(
            err.details.unwrap()["causes"],
            json!([{"reason": "FieldManagerConflict", "message": "conflict with \"alice\"", "field": ".data.a"}])
        );
        // Same value: shared ownership, no conflict.
        let shared = apply(&ti, &live, &cm(json!({"a": "1"})), "bob", false, false).unwrap();
        assert_eq!(managed::entries(&shared).len(), 2);
        let forced = apply(&ti, &live, &cm(json!({"a": "2"})), "bob", true, false).unwrap();
        assert_eq!(forced["data"]["a"], "2");
        // Alice loses her only field, so her entry goes.
        let entries = managed::entries(&forced);
        assert_eq!(
            entries
                .iter()
                .map(|e| (e.manager.as_str(), e.fields.to_fields_v1()))
                .collect::<Vec<_>>(),
            [("bob", json!({"f:data": {"f:a": {}}}))]
        );
    }
}
