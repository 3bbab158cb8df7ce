//! The structural OpenAPI v3 schema of a CRD version and what the API server does with it:
//! pruning of unknown fields, structural defaulting and validation with its exact messages.
//! Validation itself is in `schema/validate.rs`.

use std::collections::BTreeMap;

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use super::gofmt;
use crate::status::Cause;

mod validate;
use validate::*;

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
    pub multiple_of: Option<f64>,
    #[serde(default)]
    pub unique_items: bool,
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
    /// `pattern`, compiled on first use.
    #[serde(skip)]
    pattern_re: OnceLock<Option<regex::Regex>>,
}

/// What [`Schema::apply`] did to an object: the unknown fields it dropped and what is invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaOutcome {
    /// Paths of pruned unknown fields (`spec.foo`, `spec.template.spec.containers[0].bar`), sorted.
    pub pruned: Vec<String>,
    /// Field errors in the order the API server reports them; empty when the object is valid.
    pub causes: Vec<Cause>,
}

impl SchemaOutcome {
    /// The `Warning` texts the API server sends for pruned fields (`fieldValidation=Warn`).
    pub fn warnings(&self) -> Vec<String> {
        self.pruned
            .iter()
            .map(|p| format!("unknown field {}", gofmt::quote(p)))
            .collect()
    }
}

/// `apiVersion`, `kind` and `metadata` are never pruned at the root of a resource.
const META_FIELDS: [&str; 3] = ["apiVersion", "kind", "metadata"];

/// String formats apiextensions-apiserver validates (names without dashes, as it normalises them).
const SUPPORTED_STRING_FORMATS: [&str; 26] = [
    "bsonobjectid",
    "uri",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "byte",
    "password",
    "date",
    "duration",
    "datetime",
    "quantity",
    "k8sshortname",
];

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

impl Schema {
    /// Create/update processing of a custom resource body, in the API server's order:
    /// pruning of unknown fields (and of non-nullable nulls without a default), structural
    /// defaulting, then validation against the schema and the list-type invariants.
    pub fn apply(&self, object: &mut Value) -> SchemaOutcome {
        let pruned = self.decode(object);
        SchemaOutcome {
            pruned,
            causes: self.validate(object),
        }
    }

    /// The pruning and defaulting of [`Schema::apply`] without its validation, as decoding a
    /// request body does (validation follows admission): the pruned paths.
    pub fn decode(&self, object: &mut Value) -> Vec<String> {
        let pruned = self.prune(object);
        self.prune_nulls(object);
        self.default(object);
        pruned
    }

    /// [`Schema::apply`] after mutating admission, whose result keeps its nulls (only the
    /// request body loses non-nullable nulls).
    pub fn apply_keeping_nulls(&self, object: &mut Value) -> SchemaOutcome {
        let pruned = self.prune(object);
        self.default(object);
        SchemaOutcome {
            pruned,
            causes: self.validate(object),
        }
    }

    /// [`Schema::apply`] for a write of the `status` subresource, whose object is the stored
    /// one with the request's status: only `status` is pruned, defaulted and validated, as the
    /// API server's status strategy validates against the status schema alone (the rest was
    /// processed when it was stored). `keep_nulls`: after admission, where nulls stay.
    pub fn apply_status(&self, object: &mut Value, keep_nulls: bool) -> SchemaOutcome {
        let pruned = self.decode_status(object, keep_nulls);
        let mut causes = Vec::new();
        match (self.properties.get("status"), object.as_object_mut()) {
            (Some(schema), Some(map)) => {
                if let Some(status) = map.get_mut("status") {
                    validate(status, schema, "status", &mut causes);
                    list_sets_and_maps(status, schema, "status", &mut causes);
                }
            }
            _ => causes = self.validate(object),
        }
        SchemaOutcome { pruned, causes }
    }

    /// The pruning and defaulting of [`Schema::apply_status`] without its validation (see
    /// [`Schema::decode`]): the pruned paths.
    pub fn decode_status(&self, object: &mut Value, keep_nulls: bool) -> Vec<String> {
        let (Some(schema), Some(map)) = (self.properties.get("status"), object.as_object_mut())
        else {
            let pruned = self.prune(object);
            if !keep_nulls {
                self.prune_nulls(object);
            }
            self.default(object);
            return pruned;
        };
        let mut pruned = Vec::new();
        if let Some(status) = map.get_mut("status") {
            prune(status, Some(schema), false, "status", &mut pruned);
            pruned.sort();
            if !keep_nulls {
                if status.is_null() && !schema.nullable && schema.default.is_none() {
                    map.remove("status");
                } else {
                    prune_nulls(status, Some(schema));
                }
            }
        }
        // The root's defaulting, for `status` alone.
        if let Some(d) = &schema.default
            && map
                .get("status")
                .is_none_or(|s| s.is_null() && !schema.nullable)
        {
            map.insert("status".into(), d.clone());
        }
        if let Some(status) = map.get_mut("status") {
            default(status, schema);
        }
        pruned
    }

    /// Removes fields the schema does not know (apiextensions `pruning.PruneWithOptions` on a
    /// resource root) and returns their paths, sorted.
    pub fn prune(&self, object: &mut Value) -> Vec<String> {
        let mut pruned = Vec::new();
        prune(object, Some(self), true, "", &mut pruned);
        pruned.sort();
        pruned
    }

    /// Drops `null` values of fields that are neither nullable nor defaulted.
    pub fn prune_nulls(&self, object: &mut Value) {
        prune_nulls(object, Some(self));
    }

    /// Applies the schema's `default`s (apiextensions structural defaulting).
    pub fn default(&self, object: &mut Value) {
        default(object, self);
    }

    /// The field errors of an object, as the API server's schema validation reports them.
    pub fn validate(&self, object: &Value) -> Vec<Cause> {
        let mut causes = Vec::new();
        validate(object, self, "", &mut causes);
        if let Value::Object(map) = object {
            list_sets_and_maps_object(map, self, "", &mut causes);
        }
        causes
    }

    /// The node's types as the validator sees them (`x-kubernetes-int-or-string` is both).
    fn types(&self) -> Vec<&str> {
        if self.int_or_string {
            vec!["integer", "string"]
        } else {
            self.type_.as_deref().into_iter().collect()
        }
    }

    /// The format left after the API server strips the ones it does not support for the type.
    fn effective_format(&self) -> &str {
        let Some(format) = self.format.as_deref().filter(|f| !f.is_empty()) else {
            return "";
        };
        let single = if self.int_or_string {
            ""
        } else {
            self.type_.as_deref().unwrap_or("")
        };
        let keep = match single {
            "" | "string" => SUPPORTED_STRING_FORMATS.contains(&format.replace('-', "").as_str()),
            "integer" => format == "int32" || format == "int64",
            "number" => format == "float" || format == "double",
            _ => false,
        };
        if keep { format } else { "" }
    }

    fn pattern_regex(&self) -> Option<&regex::Regex> {
        let pattern = self.pattern.as_deref()?;
        self.pattern_re
            .get_or_init(|| regex::Regex::new(pattern).ok())
            .as_ref()
    }
}

fn prune(x: &mut Value, s: Option<&Schema>, root: bool, path: &str, pruned: &mut Vec<String>) {
    if let Some(s) = s
        && s.preserve_unknown_fields
    {
        skip_prune(x, s, root, path, pruned);
        return;
    }
    match x {
        Value::Object(map) => {
            let Some(s) = s else {
                pruned.extend(map.keys().map(|k| child(path, k)));
                map.clear();
                return;
            };
            let embedded = root || s.embedded_resource;
            map.retain(|k, v| {
                if embedded && META_FIELDS.contains(&k.as_str()) {
                    return true;
                }
                if let Some(prop) = s.properties.get(k) {
                    prune(v, Some(prop), false, &child(path, k), pruned);
                    true
                } else if let Some(extra) = &s.additional_properties {
                    prune(v, Some(extra), false, &child(path, k), pruned);
                    true
                } else {
                    if !META_FIELDS.contains(&k.as_str()) || !path.is_empty() {
                        pruned.push(child(path, k));
                    }
                    false
                }
            });
        }
        Value::Array(items) => {
            let items_schema = s.and_then(|s| s.items.as_deref());
            for (i, v) in items.iter_mut().enumerate() {
                prune(v, items_schema, false, &index(path, i), pruned);
            }
        }
        _ => {}
    }
}

/// Under `x-kubernetes-preserve-unknown-fields`: unknown fields stay, known ones are pruned inside.
fn skip_prune(x: &mut Value, s: &Schema, root: bool, path: &str, pruned: &mut Vec<String>) {
    match x {
        Value::Object(map) => {
            let embedded = root || s.embedded_resource;
            for (k, v) in map.iter_mut() {
                if embedded && META_FIELDS.contains(&k.as_str()) {
                    continue;
                }
                if let Some(prop) = s.properties.get(k) {
                    prune(v, Some(prop), false, &child(path, k), pruned);
                } else if let Some(extra) = &s.additional_properties {
                    prune(v, Some(extra), false, &child(path, k), pruned);
                }
            }
        }
        Value::Array(items) => {
            if let Some(items_schema) = &s.items {
                for (i, v) in items.iter_mut().enumerate() {
                    skip_prune(v, items_schema, false, &index(path, i), pruned);
                }
            }
        }
        _ => {}
    }
}

fn field_schema<'a>(s: Option<&'a Schema>, key: &str) -> Option<&'a Schema> {
    let s = s?;
    s.properties.get(key).or(s.additional_properties.as_deref())
}

fn prune_nulls(x: &mut Value, s: Option<&Schema>) {
    match x {
        Value::Object(map) => map.retain(|k, v| {
            let sub = field_schema(s, k);
            if v.is_null() && sub.is_some_and(|sub| !sub.nullable && sub.default.is_none()) {
                return false;
            }
            prune_nulls(v, sub);
            true
        }),
        Value::Array(items) => {
            let items_schema = s.and_then(|s| s.items.as_deref());
            for v in items {
                prune_nulls(v, items_schema);
            }
        }
        _ => {}
    }
}

fn default(x: &mut Value, s: &Schema) {
    match x {
        Value::Object(map) => {
            for (k, prop) in &s.properties {
                let Some(d) = &prop.default else { continue };
                match map.get(k) {
                    None => {
                        map.insert(k.clone(), d.clone());
                    }
                    Some(Value::Null) if !prop.nullable => {
                        map.insert(k.clone(), d.clone());
                    }
                    Some(_) => {}
                }
            }
            for (k, v) in map.iter_mut() {
                if let Some(prop) = s.properties.get(k) {
                    default(v, prop);
                } else if let Some(extra) = &s.additional_properties {
                    if v.is_null() && !extra.nullable {
                        *v = extra.default.clone().unwrap_or(Value::Null);
                    }
                    default(v, extra);
                }
            }
        }
        Value::Array(items) => {
            if let Some(items_schema) = &s.items {
                for v in items {
                    if v.is_null() && !items_schema.nullable {
                        *v = items_schema.default.clone().unwrap_or(Value::Null);
                    }
                    default(v, items_schema);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
