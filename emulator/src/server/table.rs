//! The `meta.k8s.io` `Table` and `PartialObjectMetadata` renderings that `kubectl get` and
//! friends ask for with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.

use serde_json::{Value, json};

use crate::catalog::CellSource;
use crate::json::At;
use crate::registry::TypeInfo;

/// Which form rows carry the object in (`includeObject`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeObject {
    None,
    Metadata,
    Object,
}

/// apimachinery's `HumanDuration` of an age in seconds.
pub fn human_duration(seconds: i64) -> String {
    kubetext::age::human_duration(seconds)
}

fn age(object: &Value) -> Value {
    let Some(created) = object
        .at("/metadata/creationTimestamp")
        .and_then(Value::as_str)
    else {
        return Value::Null;
    };
    match created.parse::<jiff::Timestamp>() {
        Ok(ts) => json!(human_duration(
            jiff::Timestamp::now().as_second() - ts.as_second()
        )),
        Err(_) => Value::Null,
    }
}

/// The object's metadata as a `PartialObjectMetadata`.
pub fn partial_metadata(object: &Value) -> Value {
    json!({
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": object.get("metadata").cloned().unwrap_or_else(|| json!({})),
    })
}

fn column_definitions(ti: &TypeInfo) -> Vec<Value> {
    ti.columns
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "type": c.type_,
                "format": c.format,
                "description": c.description,
                "priority": c.priority,
            })
        })
        .collect()
}

/// One row: the cells of every column and the object in the requested form.
pub fn row(ti: &TypeInfo, object: &Value, include: IncludeObject, version: &str) -> Value {
    let cells: Vec<Value> = ti
        .columns
        .iter()
        .map(|c| match &c.source {
            CellSource::Name => object.at("/metadata/name").cloned().unwrap_or(Value::Null),
            CellSource::Age => age(object),
            CellSource::Compute(f) => f(object),
        })
        .collect();
    let mut row = json!({"cells": cells});
    match include {
        IncludeObject::None => row["object"] = Value::Null,
        IncludeObject::Metadata => {
            // The row's metadata object is of the Table's own meta.k8s.io version.
            let mut partial = partial_metadata(object);
            partial["apiVersion"] = json!(format!("meta.k8s.io/{version}"));
            row["object"] = partial;
        }
        IncludeObject::Object => row["object"] = object.clone(),
    }
    row
}

/// A Table of `objects`; `list_meta` is the list's metadata (`resourceVersion`, `continue` …).
/// Without headers (later watch events) `columnDefinitions` is null, as upstream sends.
pub fn table(
    ti: &TypeInfo,
    version: &str,
    objects: &[Value],
    list_meta: Value,
    include: IncludeObject,
    headers: bool,
) -> Value {
    json!({
        "kind": "Table",
        "apiVersion": format!("meta.k8s.io/{version}"),
        "metadata": list_meta,
        "columnDefinitions": if headers { Value::Array(column_definitions(ti)) } else { Value::Null },
        "rows": objects.iter().map(|o| row(ti, o, include, version)).collect::<Vec<_>>(),
    })
}

/// The same Table as [`table`], serialized row by row from `objects` so a large list never
/// exists as one JSON tree (keys in the order `serde_json` would write them).
pub fn table_bytes<'a>(
    ti: &TypeInfo,
    version: &str,
    objects: impl Iterator<Item = Value> + 'a,
    list_meta: &Value,
    include: IncludeObject,
) -> Vec<u8> {
    let mut out = Vec::new();
    let to_vec = crate::fields_form::to_vec;
    out.extend_from_slice(b"{\"apiVersion\":");
    out.extend_from_slice(&to_vec(&json!(format!("meta.k8s.io/{version}"))));
    out.extend_from_slice(b",\"columnDefinitions\":");
    out.extend_from_slice(&to_vec(&Value::Array(column_definitions(ti))));
    out.extend_from_slice(b",\"kind\":\"Table\",\"metadata\":");
    out.extend_from_slice(&to_vec(list_meta));
    out.extend_from_slice(b",\"rows\":[");
    for (i, object) in objects.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&to_vec(&row(ti, &object, include, version)));
    }
    out.extend_from_slice(b"]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations_match_apimachinery() {
        let cases = [
            (0, "0s"),
            (119, "119s"),
            (120, "2m"),
            (125, "2m5s"),
            (600, "10m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 120, "3h2m"),
            (47 * 3600, "47h"),
            (50 * 3600, "2d2h"),
            (10 * 86400, "10d"),
            (3 * 365 * 86400 + 86400, "3y1d"),
            (9 * 365 * 86400, "9y"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(secs), want, "{secs}");
        }
        assert_eq!(human_duration(-5), "<invalid>");
    }

    #[test]
    fn streamed_table_equals_the_built_one() {
        let ti = crate::builtin::core_types()
            .into_iter()
            .find(|t| t.rt.plural == "configmaps")
            .unwrap();
        let objects = vec![
            json!({"metadata": {"name": "a", "creationTimestamp": "2020-01-01T00:00:00Z"}, "data": {"x": "1"}}),
            json!({"metadata": {"name": "b"}}),
        ];
        let meta = json!({"resourceVersion": "7"});
        let built = table(
            &ti,
            "v1",
            &objects,
            meta.clone(),
            IncludeObject::Metadata,
            true,
        );
        let streamed = table_bytes(
            &ti,
            "v1",
            objects.into_iter(),
            &meta,
            IncludeObject::Metadata,
        );
        assert_eq!(String::from_utf8(streamed).unwrap(), built.to_string());
    }
}
