//! Small accessors over a JSON tree that create what is missing and keep everything else.

use serde_json::{Map, Value};

/// Makes `v` an object (replacing null or a wrong-typed value) and returns its map.
pub fn as_object(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(map) => map,
        _ => unreachable!("just made an object"),
    }
}

/// The object under `key` of `v`, created when missing.
pub fn object<'a>(v: &'a mut Value, key: &str) -> &'a mut Value {
    let entry = as_object(v)
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    as_object(entry);
    entry
}

/// The object at a path of keys below `v`, created level by level when missing.
pub fn object_path<'a>(v: &'a mut Value, path: &[&str]) -> &'a mut Value {
    let mut current = v;
    for key in path {
        current = object(current, key);
    }
    current
}

/// The array under `key` of `v`, created when missing.
pub fn array<'a>(v: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    let entry = as_object(v)
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !entry.is_array() {
        *entry = Value::Array(Vec::new());
    }
    match entry {
        Value::Array(items) => items,
        _ => unreachable!("just made an array"),
    }
}

/// Reads a value at a path of keys, if every level exists.
pub fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut current = v;
    for key in path {
        current = current.get(key)?;
    }
    Some(current)
}

/// Reads a string at a path of keys.
pub fn get_str<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(v, path).and_then(Value::as_str)
}

/// Sets `key` of the object `v` to `value`.
pub fn set(v: &mut Value, key: &str, value: Value) {
    as_object(v).insert(key.to_string(), value);
}

/// Removes `key` from `v` if `v` is an object.
pub fn remove(v: &mut Value, key: &str) -> Option<Value> {
    v.as_object_mut().and_then(|map| map.remove(key))
}

/// Removes `key` from `v` when it holds an empty object, empty array or null.
pub fn prune_empty(v: &mut Value, key: &str) {
    let empty = match v.get(key) {
        Some(Value::Object(map)) => map.is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Null) => true,
        _ => false,
    };
    if empty {
        remove(v, key);
    }
}

/// Sets `key=value` in the string map under `map_key` (e.g. `annotations`) of `meta`.
pub fn set_map_entry(meta: &mut Value, map_key: &str, key: &str, value: &str) {
    as_object(object(meta, map_key)).insert(key.to_string(), Value::String(value.to_string()));
}

/// Removes `key` from the string map under `map_key` of `meta`, dropping the map when it empties.
pub fn remove_map_entry(meta: &mut Value, map_key: &str, key: &str) {
    if let Some(map) = meta.get_mut(map_key).and_then(Value::as_object_mut) {
        map.remove(key);
    }
    prune_empty(meta, map_key);
}

/// Reads `key` from the string map under `map_key` of `meta`.
pub fn map_entry<'a>(meta: &'a Value, map_key: &str, key: &str) -> Option<&'a str> {
    meta.get(map_key)?.get(key)?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn object_path_creates_missing_levels_and_keeps_siblings() {
        let mut v = json!({"spec": {"other": 1}});
        object_path(&mut v, &["spec", "template", "metadata"]);
        assert_eq!(
            v,
            json!({"spec": {"other": 1, "template": {"metadata": {}}}})
        );
    }

    #[test]
    fn object_replaces_null() {
        let mut v = json!({"metadata": null});
        object(&mut v, "metadata");
        assert_eq!(v, json!({"metadata": {}}));
    }

    #[test]
    fn map_entry_roundtrip_prunes_empty_maps() {
        let mut meta = json!({"name": "a"});
        set_map_entry(&mut meta, "labels", "k", "v");
        assert_eq!(map_entry(&meta, "labels", "k"), Some("v"));
        remove_map_entry(&mut meta, "labels", "k");
        assert_eq!(meta, json!({"name": "a"}));
    }

    #[test]
    fn array_creates_and_get_str_reads() {
        let mut v = json!({});
        array(&mut v, "items").push(json!({"name": "x"}));
        assert_eq!(get_str(&v, &["items"]), None);
        assert_eq!(v["items"][0]["name"], "x");
    }
}
