//! The structural OpenAPI v3 schema of a CRD version and what the API server does with it:
//! pruning of unknown fields, structural defaulting and validation with its exact messages.

use std::collections::BTreeMap;

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use super::gofmt;
use crate::status::Cause;

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
        let pruned = self.prune(object);
        self.prune_nulls(object);
        self.default(object);
        SchemaOutcome {
            pruned,
            causes: self.validate(object),
        }
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

fn cause(reason: &str, field: &str, message: String) -> Cause {
    Cause {
        reason: reason.to_string(),
        message,
        field: field.to_string(),
    }
}

/// `field.TypeInvalid`: `Invalid value: VALUE: PATH in body must be of type TYPE: "GOT"`.
fn type_invalid(path: &str, type_name: &str, got: &str) -> Cause {
    cause(
        "FieldValueTypeInvalid",
        path,
        format!(
            "Invalid value: {}: {path} in body must be of type {type_name}: {}",
            gofmt::quote(got),
            gofmt::quote(got)
        ),
    )
}

/// `field.Invalid` with a kube-openapi message about the value.
fn invalid(path: &str, value: &Value, detail: String) -> Cause {
    cause(
        "FieldValueInvalid",
        path,
        format!("Invalid value: {}: {detail}", gofmt::bad_value(value)),
    )
}

fn json_type(data: &Value) -> (&'static str, &'static str) {
    match data {
        Value::Null => ("null", ""),
        Value::Bool(_) => ("boolean", ""),
        Value::String(_) => ("string", ""),
        Value::Number(n) if n.is_i64() || n.is_u64() => ("integer", "int64"),
        Value::Number(_) => ("number", "float64"),
        Value::Array(_) => ("array", ""),
        Value::Object(_) => ("object", ""),
    }
}

fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A number constraint as kube-openapi prints it (`%d` for integral bounds, `%v` otherwise).
fn bound(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        format!("{}", f as i64)
    } else {
        gofmt::float(f)
    }
}

/// kube-openapi's schema validator (type, anyOf, string, format, number, slice, enum, object
/// checks, in that order) with apiextensions' conversion of its errors to field errors.
fn validate(data: &Value, s: &Schema, path: &str, out: &mut Vec<Cause>) {
    let types = s.types();
    if data.is_null() {
        if !types.is_empty() && !s.nullable {
            out.push(type_invalid(path, &types.join(","), "null"));
        }
        validate_enum(data, s, path, out);
        return;
    }
    let format = s.effective_format();
    if (!types.is_empty() || !format.is_empty())
        && let Some(c) = check_type(data, &types, format, path)
    {
        out.push(c);
    }
    if !s.any_of.is_empty() {
        let mut first_failure = None;
        let mut matched = false;
        for alt in &s.any_of {
            let mut alt_causes = Vec::new();
            validate(data, alt, path, &mut alt_causes);
            if alt_causes.is_empty() {
                matched = true;
                break;
            }
            first_failure.get_or_insert(alt_causes);
        }
        if !matched {
            // A plain error in kube-openapi, which apiextensions reports without a field path.
            out.push(cause(
                "FieldValueInvalid",
                "<nil>",
                format!(
                    "Invalid value: \"\": {} must validate at least one schema (anyOf)",
                    gofmt::quote(path)
                ),
            ));
            out.extend(first_failure.unwrap_or_default());
        }
    }
    match data {
        Value::String(text) => {
            let chars = text.chars().count() as u64;
            if let Some(max) = s.max_length.filter(|m| chars > *m) {
                let detail = if max == 1 {
                    "may not be more than 1 byte".to_string()
                } else {
                    format!("may not be more than {max} bytes")
                };
                out.push(cause(
                    "FieldValueTooLong",
                    path,
                    format!("Too long: {detail}"),
                ));
            } else if let Some(min) = s.min_length.filter(|m| chars < *m) {
                out.push(invalid(
                    path,
                    data,
                    format!("{path} in body should be at least {min} chars long"),
                ));
            } else if let (Some(pattern), Some(re)) = (s.pattern.as_deref(), s.pattern_regex())
                && !re.is_match(text)
            {
                out.push(invalid(
                    path,
                    data,
                    format!("{path} in body should match '{pattern}'"),
                ));
            }
            let bad_format = match format {
                "date-time" | "datetime" => text.parse::<jiff::Timestamp>().is_err(),
                "date" => text.parse::<jiff::civil::Date>().is_err(),
                _ => false,
            };
            if bad_format {
                out.push(type_invalid_value(path, format, text));
            }
        }
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            if let Some(m) = s
                .multiple_of
                .filter(|m| *m != 0.0 && (f / m).fract() != 0.0)
            {
                out.push(invalid(
                    path,
                    data,
                    format!("{path} in body should be a multiple of {}", bound(m)),
                ));
            }
            if let Some(max) = s.maximum {
                let over = if s.exclusive_maximum {
                    f >= max
                } else {
                    f > max
                };
                if over {
                    let op = if s.exclusive_maximum {
                        "less than"
                    } else {
                        "less than or equal to"
                    };
                    out.push(invalid(
                        path,
                        data,
                        format!("{path} in body should be {op} {}", bound(max)),
                    ));
                }
            }
            if let Some(min) = s.minimum {
                let under = if s.exclusive_minimum {
                    f <= min
                } else {
                    f < min
                };
                if under {
                    let op = if s.exclusive_minimum {
                        "greater than"
                    } else {
                        "greater than or equal to"
                    };
                    out.push(invalid(
                        path,
                        data,
                        format!("{path} in body should be {op} {}", bound(min)),
                    ));
                }
            }
        }
        Value::Array(items) => {
            if let Some(items_schema) = &s.items {
                for (i, item) in items.iter().enumerate() {
                    validate(item, items_schema, &index(path, i), out);
                }
            }
            let size = items.len() as u64;
            if let Some(min) = s.min_items.filter(|m| size < *m) {
                out.push(invalid(
                    path,
                    &Value::from(size),
                    format!("{path} in body should have at least {min} items"),
                ));
            }
            if let Some(max) = s.max_items.filter(|m| size > *m) {
                out.push(cause(
                    "FieldValueTooMany",
                    path,
                    format!("Too many: {size}: must have at most {max} items"),
                ));
            }
            if s.unique_items
                && items
                    .iter()
                    .enumerate()
                    .any(|(i, a)| items[..i].iter().any(|b| json_equal(a, b)))
            {
                out.push(invalid(
                    path,
                    &Value::String(String::new()),
                    format!("{path} in body shouldn't contain duplicates"),
                ));
            }
        }
        _ => {}
    }
    validate_enum(data, s, path, out);
    if let Value::Object(map) = data {
        validate_object(map, s, path, out);
    }
}

fn type_invalid_value(path: &str, format: &str, text: &str) -> Cause {
    cause(
        "FieldValueTypeInvalid",
        path,
        format!(
            "Invalid value: {}: {path} in body must be of type {format}: {}",
            gofmt::quote(text),
            gofmt::quote(text)
        ),
    )
}

/// The formats apiextensions keeps in a CRD's validation schema (`supportedFormats`).
const SUPPORTED_FORMATS: [&str; 25] = [
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
    "date-time",
];

/// kube-openapi's `typeValidator`, including its handling of `format` (a boolean where an
/// `int32` is expected is reported against the format, with an empty type name).
fn check_type(data: &Value, types: &[&str], format: &str, path: &str) -> Option<Cause> {
    // apiextensions strips the formats kube-openapi does not validate (int32, int64, float,
    // double, …) before it validates a custom resource, so those never name the error.
    let format = if SUPPORTED_FORMATS.contains(&format) {
        format
    } else {
        ""
    };
    let (sch_type, data_format) = json_type(data);
    let contains = |t: &str| types.contains(&t);
    let is_float_int = sch_type == "number"
        && data.as_f64().is_some_and(|f| f.fract() == 0.0)
        && contains("integer");
    let is_int_float = sch_type == "integer" && contains("number");
    let string_or_slice = matches!(data, Value::String(_) | Value::Array(_));
    let accepted = contains(sch_type) || is_float_int || is_int_float;
    let has_format = !format.is_empty();
    if has_format && !string_or_slice && !accepted && data_format != format {
        return Some(type_invalid(path, format, data_format));
    }
    let numeric = contains("number") || contains("integer");
    if has_format && string_or_slice && !numeric {
        return None;
    }
    if !accepted {
        return Some(type_invalid(path, &types.join(","), sch_type));
    }
    None
}

fn validate_enum(data: &Value, s: &Schema, path: &str, out: &mut Vec<Cause>) {
    let Some(values) = &s.enum_ else { return };
    if values.is_empty() || values.iter().any(|v| json_equal(v, data)) {
        return;
    }
    let supported: Vec<String> = values
        .iter()
        .map(|v| match v {
            Value::String(s) => gofmt::quote(s),
            other => gofmt::quote(&other.to_string()),
        })
        .collect();
    out.push(cause(
        "FieldValueNotSupported",
        path,
        format!(
            "Unsupported value: {}: supported values: {}",
            gofmt::bad_value(data),
            supported.join(", ")
        ),
    ));
}

fn validate_object(
    map: &serde_json::Map<String, Value>,
    s: &Schema,
    path: &str,
    out: &mut Vec<Cause>,
) {
    let count = map.len() as u64;
    if let Some(min) = s.min_properties.filter(|m| count < *m) {
        out.push(invalid(
            path,
            &Value::from(count),
            format!("{path} in body should have at least {min} properties"),
        ));
        return;
    }
    if let Some(max) = s.max_properties.filter(|m| count > *m) {
        out.push(cause(
            "FieldValueTooMany",
            path,
            format!("Too many: {count}: must have at most {max} items"),
        ));
        return;
    }
    // Go iterates these maps in random order; sorted keys keep the emulator deterministic.
    if let Some(extra) = &s.additional_properties {
        for (k, v) in map.iter().filter(|(k, _)| !s.properties.contains_key(*k)) {
            validate(v, extra, &format!("{path}.{k}"), out);
        }
    }
    for (name, prop) in &s.properties {
        if let Some(v) = map.get(name) {
            validate(v, prop, &child(path, name), out);
        }
    }
    for name in &s.required {
        if !map.contains_key(name) {
            out.push(cause(
                "FieldValueRequired",
                &child(path, name),
                "Required value".to_string(),
            ));
        }
    }
}

/// apiextensions `listtype.ValidateListSetsAndMaps`: duplicate keys of `x-kubernetes-list-type`
/// `map` lists and duplicate items of `set` lists. Paths use `[key]` for map entries.
fn list_sets_and_maps_object(
    map: &serde_json::Map<String, Value>,
    s: &Schema,
    path: &str,
    out: &mut Vec<Cause>,
) {
    if let Some(extra) = &s.additional_properties {
        for (k, v) in map {
            list_sets_and_maps(v, extra, &format!("{path}[{k}]"), out);
        }
    }
    for (k, v) in map {
        if let Some(prop) = s.properties.get(k) {
            list_sets_and_maps(v, prop, &child(path, k), out);
        }
    }
}

fn list_sets_and_maps(v: &Value, s: &Schema, path: &str, out: &mut Vec<Cause>) {
    match v {
        Value::Object(map) => list_sets_and_maps_object(map, s, path, out),
        Value::Array(items) => {
            match s.list_type.as_deref() {
                Some("set") => {
                    for i in first_repeats(items) {
                        out.push(duplicate(&index(path, i), &items[i]));
                    }
                }
                Some("map") => validate_list_map(items, s, path, out),
                _ => {}
            }
            if let Some(items_schema) = &s.items {
                for (i, item) in items.iter().enumerate() {
                    list_sets_and_maps(item, items_schema, &index(path, i), out);
                }
            }
        }
        _ => {}
    }
}

fn duplicate(path: &str, value: &Value) -> Cause {
    cause(
        "FieldValueDuplicate",
        path,
        format!("Duplicate value: {}", gofmt::bad_value(value)),
    )
}

/// Indices of the second occurrence of every repeated value (each repeated value reported once).
fn first_repeats(items: &[Value]) -> Vec<usize> {
    let mut seen: Vec<(&Value, usize)> = Vec::new();
    let mut repeats = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match seen.iter_mut().find(|(v, _)| *v == item) {
            Some((_, times)) => {
                *times += 1;
                if *times == 2 {
                    repeats.push(i);
                }
            }
            None => seen.push((item, 1)),
        }
    }
    repeats
}

fn validate_list_map(items: &[Value], s: &Schema, path: &str, out: &mut Vec<Cause>) {
    if let Some((i, x)) = items
        .iter()
        .enumerate()
        .find(|(_, x)| !x.is_object() && !x.is_null())
    {
        out.push(invalid(
            &index(path, i),
            x,
            "must be an object for an array of list-type map".to_string(),
        ));
        return;
    }
    if items.len() <= 1 {
        return;
    }
    // The key of an entry: the map of its key fields that are present (absent ones left out).
    let keys: Vec<Value> = items
        .iter()
        .map(|x| {
            let mut key = serde_json::Map::new();
            if let Some(entry) = x.as_object() {
                for field in &s.list_map_keys {
                    if let Some(k) = entry.get(field) {
                        key.insert(field.clone(), k.clone());
                    }
                }
            }
            Value::Object(key)
        })
        .collect();
    for i in first_repeats(&keys) {
        out.push(duplicate(&index(path, i), &keys[i]));
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
