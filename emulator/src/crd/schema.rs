//! The structural OpenAPI v3 schema of a CRD version, as apiextensions-apiserver reads it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// One node of a structural schema (the keywords the API server acts on; docs are skipped).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub format: Option<String>,
    #[serde(default)]
    pub properties: BTreeMap<String, Schema>,
    pub items: Option<Box<Schema>>,
    pub additional_properties: Option<Box<Schema>>,
    #[serde(default)]
    pub required: Vec<String>,
    /// Parsed with YAML 1.2 booleans only, so a string default such as `on` stays a string.
    pub default: Option<Value>,
    #[serde(default)]
    pub nullable: bool,
    pub pattern: Option<String>,
    #[serde(default)]
    pub any_of: Vec<Schema>,
    #[serde(rename = "enum")]
    pub enum_: Option<Vec<Value>>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    #[serde(default)]
    pub exclusive_minimum: bool,
    #[serde(default)]
    pub exclusive_maximum: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    #[serde(rename = "x-kubernetes-preserve-unknown-fields", default)]
    pub preserve_unknown_fields: bool,
    #[serde(rename = "x-kubernetes-int-or-string", default)]
    pub int_or_string: bool,
    #[serde(rename = "x-kubernetes-embedded-resource", default)]
    pub embedded_resource: bool,
    #[serde(rename = "x-kubernetes-list-type")]
    pub list_type: Option<String>,
    #[serde(rename = "x-kubernetes-list-map-keys", default)]
    pub list_map_keys: Vec<String>,
}
