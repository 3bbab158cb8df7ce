//! JSON merge patches (RFC 7386) and kubectl's three-way merge patch, as `service apply` uses
//! them with the `last-applied-configuration` annotation.

use serde_json::{Map, Value};

/// The annotation that holds what was applied last.
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Changes and additions that turn `from` into `to`, ignoring keys `to` lacks.
fn additions(from: &Map<String, Value>, to: &Map<String, Value>) -> Map<String, Value> {
    let mut patch = Map::new();
    for (key, wanted) in to {
        match (from.get(key), wanted) {
            (Some(Value::Object(have)), Value::Object(want)) => {
                let nested = additions(have, want);
                if !nested.is_empty() {
                    patch.insert(key.clone(), Value::Object(nested));
                }
            }
            (Some(have), want) if have == want => {}
            (_, want) => {
                patch.insert(key.clone(), want.clone());
            }
        }
    }
    patch
}

/// Keys present in `from` but gone from `to`, as `null`s.
fn deletions(from: &Map<String, Value>, to: &Map<String, Value>) -> Map<String, Value> {
    let mut patch = Map::new();
    for (key, had) in from {
        match (had, to.get(key)) {
            (_, None) => {
                patch.insert(key.clone(), Value::Null);
            }
            (Value::Object(had), Some(Value::Object(want))) => {
                let nested = deletions(had, want);
                if !nested.is_empty() {
                    patch.insert(key.clone(), Value::Object(nested));
                }
            }
            _ => {}
        }
    }
    patch
}

fn merge_maps(base: &mut Map<String, Value>, overlay: Map<String, Value>) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(Value::Object(existing)), Value::Object(nested)) => merge_maps(existing, nested),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// kubectl's `CreateThreeWayJSONMergePatch`: what changed between `current` (live) and
/// `modified` (desired), plus deletions of what `original` (last applied) had and `modified`
/// dropped. Arrays are replaced whole. An empty object means "nothing to do".
pub fn three_way_merge_patch(original: Option<&Value>, modified: &Value, current: &Value) -> Value {
    let empty = Map::new();
    let as_map = |v: Option<&Value>| -> Map<String, Value> {
        v.and_then(Value::as_object).cloned().unwrap_or_default()
    };
    let modified_map = as_map(Some(modified));
    let mut patch = deletions(&as_map(original), &modified_map);
    let delta = additions(current.as_object().unwrap_or(&empty), &modified_map);
    merge_maps(&mut patch, delta);
    Value::Object(patch)
}

/// Applies an RFC 7386 merge patch in place.
pub fn apply_merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch_map) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(target_map) = target else {
        return;
    };
    for (key, value) in patch_map {
        if value.is_null() {
            target_map.remove(key);
        } else {
            apply_merge_patch(target_map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// What `service apply` declares: the desired Service without status or creation timestamps
/// (and without a container name or empty resources, which the server defaults), carrying its
/// own JSON in the last-applied annotation.
pub fn declared_configuration(service: &Value) -> Value {
    let mut declared = service.clone();
    if let Some(map) = declared.as_object_mut() {
        map.remove("status");
    }
    super::json::remove(
        super::json::object(&mut declared, "metadata"),
        "creationTimestamp",
    );
    super::json::remove_map_entry(
        super::json::object(&mut declared, "metadata"),
        "annotations",
        LAST_APPLIED_ANNOTATION,
    );
    if let Some(template) = declared.pointer_mut("/spec/template") {
        if let Some(meta) = template.get_mut("metadata") {
            super::json::remove(meta, "creationTimestamp");
        }
        if let Some(container) = template.pointer_mut("/spec/containers/0") {
            super::json::remove(container, "name");
            super::json::prune_empty(container, "resources");
        }
    }
    let text = declared.to_string();
    super::json::set_map_entry(
        super::json::object(&mut declared, "metadata"),
        "annotations",
        LAST_APPLIED_ANNOTATION,
        &text,
    );
    declared
}

/// The last-applied configuration recorded on a live object, if it parses.
pub fn last_applied(live: &Value) -> Option<Value> {
    let text = super::json::get(live, &["metadata"])
        .and_then(|meta| super::json::map_entry(meta, "annotations", LAST_APPLIED_ANNOTATION))?;
    serde_json::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unchanged_is_empty() {
        let live =
            json!({"metadata": {"name": "a", "uid": "1"}, "spec": {"x": [1, 2]}, "status": {}});
        let desired = json!({"metadata": {"name": "a"}, "spec": {"x": [1, 2]}});
        assert_eq!(
            three_way_merge_patch(Some(&desired), &desired, &live),
            json!({})
        );
    }

    #[test]
    fn changes_additions_and_deletions() {
        let original = json!({"spec": {"a": 1, "b": 2, "nested": {"gone": true, "kept": 1}}});
        let modified = json!({"spec": {"a": 10, "nested": {"kept": 1}, "new": "x"}});
        let live =
            json!({"spec": {"a": 1, "b": 2, "nested": {"gone": true, "kept": 1}, "server": "set"}});
        let patch = three_way_merge_patch(Some(&original), &modified, &live);
        assert_eq!(
            patch,
            json!({"spec": {"a": 10, "b": null, "nested": {"gone": null}, "new": "x"}})
        );
        // Fields set by others (not in last-applied) survive.
        let mut result = live.clone();
        apply_merge_patch(&mut result, &patch);
        assert_eq!(
            result,
            json!({"spec": {"a": 10, "nested": {"kept": 1}, "new": "x", "server": "set"}})
        );
    }

    #[test]
    fn arrays_are_replaced_whole() {
        let modified = json!({"list": [{"name": "a", "v": 2}]});
        let live = json!({"list": [{"name": "a", "v": 1}, {"name": "b"}]});
        assert_eq!(
            three_way_merge_patch(None, &modified, &live),
            json!({"list": [{"name": "a", "v": 2}]})
        );
    }

    #[test]
    fn declared_configuration_records_itself() {
        let svc = json!({
            "metadata": {"name": "a", "creationTimestamp": null},
            "spec": {"template": {"metadata": {"creationTimestamp": null}, "spec": {"containers": [{"name": "", "image": "x", "resources": {}}]}}},
            "status": {}
        });
        let declared = declared_configuration(&svc);
        let recorded = last_applied(&declared).unwrap();
        assert_eq!(
            recorded,
            json!({"metadata": {"name": "a"}, "spec": {"template": {"metadata": {}, "spec": {"containers": [{"image": "x"}]}}}})
        );
        let mut expected = recorded.clone();
        expected["metadata"]["annotations"] =
            json!({LAST_APPLIED_ANNOTATION: recorded.to_string()});
        assert_eq!(declared, expected);
        // Applying the same declaration again changes nothing.
        assert_eq!(
            three_way_merge_patch(Some(&recorded), &declared, &declared),
            json!({})
        );
    }

    #[test]
    fn merge_patch_null_removes_and_scalars_replace() {
        let mut doc = json!({"a": {"b": 1, "c": 2}, "d": 3});
        apply_merge_patch(
            &mut doc,
            &json!({"a": {"b": null, "e": {"f": 1}}, "d": [1]}),
        );
        assert_eq!(doc, json!({"a": {"c": 2, "e": {"f": 1}}, "d": [1]}));
    }
}
