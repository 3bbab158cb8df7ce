//! The stored form of `metadata.managedFields`: each entry's `fieldsV1` is kept as its compact
//! JSON text, and written out as JSON wherever an object leaves the emulator.
//!
//! Why: `fieldsV1` trees are a third of a stored object's nodes, nearly all of them one-entry
//! maps, and every write copies the stored object and every version is freed in the end.
//! As text, an entry's fields are one string to copy or free. Only the field manager reads
//! them (`registry::managed`), and it parses the text of the entries a write changes.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The entries of `object`'s `metadata.managedFields`, when it has them.
fn entries_mut(object: &mut Value) -> Option<&mut Vec<Value>> {
    object
        .get_mut("metadata")?
        .get_mut("managedFields")?
        .as_array_mut()
}

/// Puts every `fieldsV1` tree of `object`'s `managedFields` into its stored (text) form.
pub fn compact(object: &mut Value) {
    for entry in entries_mut(object).into_iter().flatten() {
        if let Some(fields) = entry.get_mut("fieldsV1")
            && fields.is_object()
        {
            *fields = Value::String(fields.to_string());
        }
    }
}

/// Puts every stored `fieldsV1` text of `object` back into its tree (the API form).
pub fn expand(object: &mut Value) {
    for entry in entries_mut(object).into_iter().flatten() {
        if let Some(fields) = entry.get_mut("fieldsV1")
            && let Value::String(text) = fields
            && let Ok(tree @ Value::Object(_)) = serde_json::from_str::<Value>(text)
        {
            *fields = tree;
        }
    }
}

/// `object` in its API form, copied.
pub fn expanded(object: &Value) -> Value {
    let mut copy = object.clone();
    expand(&mut copy);
    copy
}

/// `value` (an object, a list, a watch event, a table) as JSON, every object's stored
/// `fieldsV1` text written out as the JSON it is.
pub fn to_vec(value: &Value) -> Vec<u8> {
    serde_json::to_vec(&Root(value)).unwrap_or_default()
}

/// [`to_vec`] of the object `value` without its fields `skip`.
pub fn to_vec_without(value: &Value, skip: &[&str]) -> Vec<u8> {
    serde_json::to_vec(&Without(value, skip)).unwrap_or_default()
}

/// Serializes a value where an object may be: the response itself, the `items` of a list,
/// the `object` of a watch event, the `rows` of a table and their `object`. Only there is
/// `metadata` an object's own (a `metadata` deeper, as in a pod template, is left as it is),
/// and only a list's `items`, a table's `rows` and an event's or a row's `object` hold
/// objects: a custom resource's own field of one of those names is data.
struct Root<'a>(&'a Value);

/// Serializes an object but some of its fields.
struct Without<'a>(&'a Value, &'a [&'a str]);

/// Serializes a `metadata` map, finding `managedFields` in it.
struct Metadata<'a>(&'a Value);

/// Serializes one `managedFields` entry, writing its `fieldsV1` text out as JSON.
struct Entry<'a>(&'a Value);

fn object<S: Serializer>(map: &Map<String, Value>, skip: &[&str], s: S) -> Result<S::Ok, S::Error> {
    let text = |field: &str| map.get(field).and_then(Value::as_str).unwrap_or("");
    // A list's metadata has no name; every object's has one.
    let list = || {
        text("kind").ends_with("List")
            && map.get("metadata").is_none_or(|m| m.get("name").is_none())
    };
    let table = || text("kind") == "Table" && text("apiVersion").starts_with("meta.k8s.io/");
    let holds_objects = |key: &str| match key {
        "items" => list(),
        "rows" => table(),
        // A watch event or a table row: neither is an object, which has metadata.
        "object" => !map.contains_key("metadata"),
        _ => false,
    };
    let mut out = s.serialize_map(None)?;
    for (key, value) in map.iter().filter(|(k, _)| !skip.contains(&k.as_str())) {
        if key == "metadata" {
            out.serialize_entry(key, &Metadata(value))?;
        } else if holds_objects(key) {
            out.serialize_entry(key, &Root(value))?;
        } else {
            out.serialize_entry(key, value)?;
        }
    }
    out.end()
}

impl Serialize for Without<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(map) => object(map, self.1, s),
            other => Root(other).serialize(s),
        }
    }
}

impl Serialize for Root<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(map) => object(map, &[], s),
            Value::Array(items) => {
                let mut out = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    out.serialize_element(&Root(item))?;
                }
                out.end()
            }
            other => other.serialize(s),
        }
    }
}

impl Serialize for Metadata<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Value::Object(map) = self.0 else {
            return self.0.serialize(s);
        };
        let mut out = s.serialize_map(Some(map.len()))?;
        for (key, value) in map {
            match value {
                Value::Array(entries) if key == "managedFields" => {
                    out.serialize_entry(key, &Entries(entries))?;
                }
                _ => out.serialize_entry(key, value)?,
            }
        }
        out.end()
    }
}

struct Entries<'a>(&'a [Value]);

impl Serialize for Entries<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_seq(Some(self.0.len()))?;
        for entry in self.0 {
            out.serialize_element(&Entry(entry))?;
        }
        out.end()
    }
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Value::Object(map) = self.0 else {
            return self.0.serialize(s);
        };
        let mut out = s.serialize_map(Some(map.len()))?;
        for (key, value) in map {
            let raw = match value {
                Value::String(text) if key == "fieldsV1" => {
                    serde_json::from_str::<&RawValue>(text).ok()
                }
                _ => None,
            };
            match raw {
                Some(raw) => out.serialize_entry(key, raw)?,
                None => out.serialize_entry(key, value)?,
            }
        }
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object() -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": "c",
                "managedFields": [
                    {"manager": "a", "fieldsType": "FieldsV1",
                     "fieldsV1": {"f:data": {".": {}, "f:k\"q": {}}}},
                    {"manager": "b", "fieldsV1": {}},
                ],
            },
            "data": {"k\"q": "v", "fieldsV1": "{}"},
            // A metadata below the object's own is not the object's: its text stays text.
            "spec": {"template": {"metadata": {"managedFields": [{"fieldsV1": "{}"}]}}},
        })
    }

    /// Compacted and written out, an object reads as it was; expanded, it is what it was.
    #[test]
    fn compact_text_is_written_out_as_the_tree() {
        let original = object();
        let mut stored = original.clone();
        compact(&mut stored);
        assert_eq!(
            stored["metadata"]["managedFields"][0]["fieldsV1"],
            json!(r#"{"f:data":{".":{},"f:k\"q":{}}}"#)
        );
        assert_eq!(
            stored["metadata"]["managedFields"][1]["fieldsV1"],
            json!("{}")
        );
        // Only managedFields entries change form.
        assert_eq!(stored["data"], original["data"]);
        let written: Value = serde_json::from_slice(&to_vec(&stored)).unwrap();
        assert_eq!(written, original);
        let list = json!({"kind": "List", "items": [stored.clone()], "metadata": {}});
        let written: Value = serde_json::from_slice(&to_vec(&list)).unwrap();
        assert_eq!(written["items"][0], original);
        let table = json!({"apiVersion": "meta.k8s.io/v1", "kind": "Table",
            "rows": [{"cells": [], "object": stored.clone()}]});
        let written: Value = serde_json::from_slice(&to_vec(&table)).unwrap();
        assert_eq!(written["rows"][0]["object"], original);
        let event = json!({"type": "ADDED", "object": stored.clone()});
        let written: Value = serde_json::from_slice(&to_vec(&event)).unwrap();
        assert_eq!(written["object"], original);
        assert_eq!(expanded(&stored), original);
        // An object in its API form is written out as serde_json writes it.
        assert_eq!(to_vec(&original), serde_json::to_vec(&original).unwrap());
        let written: Value =
            serde_json::from_slice(&to_vec_without(&stored, &["kind", "data"])).unwrap();
        assert_eq!(
            written,
            json!({"apiVersion": "v1", "metadata": original["metadata"], "spec": original["spec"]})
        );
    }

    /// A custom resource's own `items`, `rows` or `object` field is data, whatever it holds:
    /// a `fieldsV1` string in it is written as the string it is.
    #[test]
    fn fields_named_like_object_holders_are_data() {
        let inner =
            json!({"metadata": {"name": "x", "managedFields": [{"fieldsV1": "{\"f:a\":{}}"}]}});
        let custom = json!({
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": {"name": "w"},
            "items": [inner.clone()],
            "rows": [{"object": inner.clone()}],
            "object": inner.clone(),
        });
        let written: Value = serde_json::from_slice(&to_vec(&custom)).unwrap();
        assert_eq!(written, custom);
        // Nor is a custom kind named like a list, or a table outside meta.k8s.io, a holder.
        for (api_version, kind) in [
            ("example.com/v1", "WidgetList"),
            ("example.com/v1", "Table"),
        ] {
            let mut object = custom.clone();
            object["apiVersion"] = json!(api_version);
            object["kind"] = json!(kind);
            let written: Value = serde_json::from_slice(&to_vec(&object)).unwrap();
            assert_eq!(written, object, "{kind}");
        }
    }
}
