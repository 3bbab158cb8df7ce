//! Structural validation of an object against its schema: types and formats, enums, bounds,
//! required and unknown fields, list sets and maps, with the API server's messages.

use super::*;

pub(super) fn cause(reason: &str, field: &str, message: String) -> Cause {
    Cause {
        reason: reason.to_string(),
        message,
        field: field.to_string(),
    }
}

/// `field.TypeInvalid`: `Invalid value: VALUE: PATH in body must be of type TYPE: "GOT"`.
pub(super) fn type_invalid(path: &str, type_name: &str, got: &str) -> Cause {
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
pub(super) fn invalid(path: &str, value: &Value, detail: String) -> Cause {
    cause(
        "FieldValueInvalid",
        path,
        format!("Invalid value: {}: {detail}", gofmt::bad_value(value)),
    )
}

pub(super) fn json_type(data: &Value) -> (&'static str, &'static str) {
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

pub(super) fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A number constraint as kube-openapi prints it (`%d` for integral bounds, `%v` otherwise).
pub(super) fn bound(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        format!("{}", f as i64)
    } else {
        gofmt::float(f)
    }
}

/// kube-openapi's schema validator (type, anyOf, string, format, number, slice, enum, object
/// checks, in that order) with apiextensions' conversion of its errors to field errors.
pub(super) fn validate(data: &Value, s: &Schema, path: &str, out: &mut Vec<Cause>) {
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

pub(super) fn type_invalid_value(path: &str, format: &str, text: &str) -> Cause {
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
pub(super) const SUPPORTED_FORMATS: [&str; 25] = [
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
pub(super) fn check_type(data: &Value, types: &[&str], format: &str, path: &str) -> Option<Cause> {
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

pub(super) fn validate_enum(data: &Value, s: &Schema, path: &str, out: &mut Vec<Cause>) {
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

pub(super) fn validate_object(
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
pub(super) fn list_sets_and_maps_object(
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

pub(super) fn list_sets_and_maps(v: &Value, s: &Schema, path: &str, out: &mut Vec<Cause>) {
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

pub(super) fn duplicate(path: &str, value: &Value) -> Cause {
    cause(
        "FieldValueDuplicate",
        path,
        format!("Duplicate value: {}", gofmt::bad_value(value)),
    )
}

/// Indices of the second occurrence of every repeated value (each repeated value reported once).
pub(super) fn first_repeats(items: &[Value]) -> Vec<usize> {
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

pub(super) fn validate_list_map(items: &[Value], s: &Schema, path: &str, out: &mut Vec<Cause>) {
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
