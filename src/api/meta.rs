//! Object metadata as knit reads it, plus lenient deserializers for loosely typed fields.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Deserializer};

/// The parts of `metadata` knit reads.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub resource_version: String,
    pub generation: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub labels: BTreeMap<String, String>,
    #[serde(deserialize_with = "null_as_default")]
    pub annotations: BTreeMap<String, String>,
    #[serde(deserialize_with = "timestamp")]
    pub creation_timestamp: Option<Timestamp>,
    #[serde(deserialize_with = "timestamp")]
    pub deletion_timestamp: Option<Timestamp>,
    #[serde(deserialize_with = "null_as_default")]
    pub owner_references: Vec<OwnerReference>,
}

impl ObjectMeta {
    /// A label value, or "" when absent.
    pub fn label(&self, key: &str) -> &str {
        self.labels.get(key).map(String::as_str).unwrap_or_default()
    }
    /// An annotation value, or "" when absent.
    pub fn annotation(&self, key: &str) -> &str {
        self.annotations
            .get(key)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// One `ownerReferences` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct OwnerReference {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    pub controller: Option<bool>,
}

/// `null` (or absence) becomes the type's default instead of an error.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// An RFC 3339 timestamp; a missing, null or unparsable value reads as `None` (kn prints those
/// as unknown rather than failing).
pub fn timestamp<'de, D>(deserializer: D) -> Result<Option<Timestamp>, D::Error>
where
    D: Deserializer<'de>,
{
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text.and_then(|t| t.parse::<Timestamp>().ok()))
}

/// A value that may be written as a string or a number (quantities, `cpu: 1`), read as text.
pub fn string_or_number<'de, D>(deserializer: D) -> Result<String, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(match value {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    })
}

/// A map of quantities (`limits`, `requests`) whose values may be strings or numbers.
pub fn quantity_map<'de, D>(deserializer: D) -> Result<BTreeMap<String, String>, D::Error>
where
    D: Deserializer<'de>,
{
    let raw = Option::<BTreeMap<String, serde_json::Value>>::deserialize(deserializer)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_metadata_leniently() {
        let meta: ObjectMeta = serde_json::from_value(json!({
            "name": "hello",
            "namespace": "default",
            "labels": null,
            "annotations": {"a": "b"},
            "creationTimestamp": "2026-01-02T03:04:05Z",
            "deletionTimestamp": "not a time",
            "generation": 3,
            "somethingNew": {"x": 1}
        }))
        .unwrap();
        assert_eq!(meta.name, "hello");
        assert!(meta.labels.is_empty());
        assert_eq!(meta.annotation("a"), "b");
        assert_eq!(
            meta.creation_timestamp.unwrap().to_string(),
            "2026-01-02T03:04:05Z"
        );
        assert_eq!(meta.deletion_timestamp, None);
        assert_eq!(meta.generation, 3);
    }
}
