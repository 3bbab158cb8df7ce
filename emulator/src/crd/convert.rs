//! Conversion between the served versions of one resource, as the API server does it with
//! Knative's conversion webhook (`eventing-webhook`, `/resource-conversion`).
//!
//! The webhook decodes into the Go type of the input version, converts through a hub version
//! (EventType: v1beta1; PingSource: v1beta2), applies the output type's `SetDefaults` and
//! encodes; the API server keeps the original metadata and then prunes and defaults with the
//! target version's schema. Every other Knative kind has one served version, so conversion is
//! only a new `apiVersion`.
//!
//! EventType mappings (knative/eventing `pkg/apis/eventing/v1beta{1,2}/eventtype_conversion.go`
//! and knative-api.md §3.8): v1beta1 and v1beta2 share their fields except that v1beta1's
//! deprecated `broker` becomes a Broker `reference` in v1beta2 and is never produced; v1beta2 →
//! v1beta3 keeps `reference` and `description` and turns `type`, `source` and `schema` into
//! `attributes` after the required `specversion` and `id`; back, only the `source`, `type` and
//! `schemadata` attributes survive. These round trips lose data, as on a real cluster.

use serde_json::{Map, Value, json};

use super::CrdVersion;
use crate::json::At;
use crate::status::ApiError;

/// Converts `object` (any served version of `to`'s resource) to the version `to`.
pub fn convert(mut object: Value, to: &CrdVersion) -> Result<Value, ApiError> {
    let target = &to.resource;
    let api_version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ApiError::internal(format!(
                "cannot convert to {}: the object has no apiVersion",
                target.api_version()
            ))
        })?
        .to_string();
    let (group, from) = match api_version.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version.as_str()),
    };
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or(&target.kind);
    if group != target.group || kind != target.kind {
        return Err(ApiError::internal(format!(
            "cannot convert {api_version}, Kind={kind} to {}, Kind={}",
            target.api_version(),
            target.kind
        )));
    }
    if from == target.version {
        return Ok(object);
    }
    let served = super::CrdSet::knative().versions(&target.group_resource());
    if !served.iter().any(|v| v.resource.version == from) {
        return Err(ApiError::internal(format!(
            "conversion webhook for {}, Kind={} failed: conversion not supported for type {api_version}, Kind={kind}",
            target.api_version(),
            target.kind
        )));
    }
    let namespace = object
        .at("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    match (target.group.as_str(), target.plural.as_str()) {
        ("eventing.knative.dev", "eventtypes") => {
            let spec = object
                .get("spec")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let pivot = match from {
                "v1beta1" => event_type_v1beta1_to_v1beta2(&spec),
                "v1beta3" => event_type_v1beta3_to_v1beta2(&spec),
                _ => spec,
            };
            let mut out = match target.version.as_str() {
                "v1beta1" => event_type_v1beta2_to_v1beta1(&pivot),
                "v1beta3" => event_type_v1beta2_to_v1beta3(&pivot),
                _ => event_type_v1beta2_spec(&pivot),
            };
            // SetDefaults of v1beta2 and v1beta3: a reference without a namespace gets the object's.
            if target.version != "v1beta1"
                && let Some(Value::Object(reference)) = out.get_mut("reference")
                && reference
                    .get("namespace")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .is_empty()
            {
                reference.insert("namespace".to_string(), Value::String(namespace.clone()));
            }
            object["spec"] = Value::Object(out);
            keep_duck_status(&mut object);
        }
        ("sources.knative.dev", "pingsources") => {
            // v1 and v1beta2 have the same fields; both default an empty schedule.
            if let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut)
                && spec
                    .get("schedule")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .is_empty()
            {
                spec.insert("schedule".to_string(), json!("* * * * *"));
            }
        }
        _ => {}
    }
    // The webhook encodes its Go type, whose status struct is never omitted: `status: {}`.
    if matches!(
        (target.group.as_str(), target.plural.as_str()),
        ("eventing.knative.dev", "eventtypes") | ("sources.knative.dev", "pingsources")
    ) && object.get("status").is_none_or(Value::is_null)
    {
        object["status"] = json!({});
    }
    object["apiVersion"] = Value::String(target.api_version());
    to.schema.prune(&mut object);
    to.schema.prune_nulls(&mut object);
    to.schema.default(&mut object);
    Ok(object)
}

fn text<'a>(spec: &'a Map<String, Value>, key: &str) -> &'a str {
    spec.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Copies string fields that are set (Go's `omitempty`).
fn copy_strings(from: &Map<String, Value>, to: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        let value = text(from, key);
        if !value.is_empty() {
            to.insert((*key).to_string(), Value::String(value.to_string()));
        }
    }
}

fn copy_reference(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    if let Some(reference @ Value::Object(_)) = from.get("reference") {
        to.insert("reference".to_string(), reference.clone());
    }
}

/// What v1beta1 and v1beta2 specs share as their Go types encode them: `type` (always
/// present), the optional `strings` that version has, and the reference.
fn event_type_spec(spec: &Map<String, Value>, strings: &[&str]) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert(
        "type".to_string(),
        Value::String(text(spec, "type").to_string()),
    );
    copy_strings(spec, &mut out, strings);
    copy_reference(spec, &mut out);
    out
}

/// The strings of a v1beta1 spec and, with `broker`, of a v1beta2 one.
const EVENT_TYPE_STRINGS: [&str; 4] = ["source", "schema", "schemaData", "description"];

/// A v1beta2 spec as its Go type encodes it.
fn event_type_v1beta2_spec(spec: &Map<String, Value>) -> Map<String, Value> {
    event_type_spec(
        spec,
        &["source", "schema", "schemaData", "broker", "description"],
    )
}

/// v1beta1 `ConvertTo` v1beta2: the deprecated broker becomes a reference when there is none.
fn event_type_v1beta1_to_v1beta2(spec: &Map<String, Value>) -> Map<String, Value> {
    let mut out = event_type_spec(spec, &EVENT_TYPE_STRINGS);
    let broker = text(spec, "broker");
    if !out.contains_key("reference") && !broker.is_empty() {
        out.insert(
            "reference".to_string(),
            json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": broker}),
        );
    }
    out
}

/// v1beta1 `ConvertFrom` v1beta2: every field but the broker.
fn event_type_v1beta2_to_v1beta1(spec: &Map<String, Value>) -> Map<String, Value> {
    event_type_spec(spec, &EVENT_TYPE_STRINGS)
}

/// v1beta2 `ConvertTo` v1beta3. The broker is not carried over: upstream assigns the Broker
/// reference it builds to the input object instead of the output.
fn event_type_v1beta2_to_v1beta3(spec: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    copy_reference(spec, &mut out);
    copy_strings(spec, &mut out, &["description"]);
    let attribute = |name: &str, required: bool, value: &str| {
        let mut a = json!({"name": name, "required": required});
        if !value.is_empty() {
            a["value"] = Value::String(value.to_string());
        }
        a
    };
    let mut attributes = vec![
        attribute("specversion", true, ""),
        attribute("id", true, ""),
    ];
    // `type` and `source` are always listed (without a value when unset), then the schema.
    attributes.push(attribute("type", true, text(spec, "type")));
    attributes.push(attribute("source", true, text(spec, "source")));
    if !text(spec, "schema").is_empty() {
        attributes.push(attribute("schemadata", false, text(spec, "schema")));
    }
    out.insert("attributes".to_string(), Value::Array(attributes));
    out
}

/// v1beta2 `ConvertFrom` v1beta3: only the `source`, `type` and `schemadata` attributes map back.
fn event_type_v1beta3_to_v1beta2(spec: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    copy_reference(spec, &mut out);
    copy_strings(spec, &mut out, &["description"]);
    let mut ty = String::new();
    for a in spec
        .get("attributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let value = a.get("value").and_then(Value::as_str).unwrap_or_default();
        match a.get("name").and_then(Value::as_str) {
            Some("type") => ty = value.to_string(),
            Some("source") if !value.is_empty() => {
                out.insert("source".to_string(), Value::String(value.to_string()));
            }
            Some("schemadata") if !value.is_empty() => {
                out.insert("schema".to_string(), Value::String(value.to_string()));
            }
            _ => {}
        }
    }
    out.insert("type".to_string(), Value::String(ty));
    out
}

/// EventType status is the duck `Status`: only its fields survive the typed round trip.
fn keep_duck_status(object: &mut Value) {
    if let Some(status) = object.get_mut("status").and_then(Value::as_object_mut) {
        status.retain(|k, _| {
            matches!(
                k.as_str(),
                "observedGeneration" | "conditions" | "annotations"
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crd::CrdSet;

    fn version(group: &str, version: &str, plural: &str) -> &'static CrdVersion {
        CrdSet::knative()
            .version(group, version, plural)
            .expect("served version")
    }

    fn event_type(version: &str, spec: Value) -> Value {
        json!({
            "apiVersion": format!("eventing.knative.dev/{version}"),
            "kind": "EventType",
            "metadata": {"name": "et", "namespace": "ns", "uid": "u-1", "resourceVersion": "7", "labels": {"a": "b"}},
            "spec": spec,
            "status": {"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "True"}]},
        })
    }

    fn et(v: &str) -> &'static CrdVersion {
        version("eventing.knative.dev", v, "eventtypes")
    }

    #[test]
    fn event_type_v1beta2_to_v1beta3_and_back() {
        let v1beta2 = event_type(
            "v1beta2",
            json!({
                "type": "dev.knative.example",
                "source": "https://example.com/src",
                "schema": "https://example.com/schema.json",
                "schemaData": "{}",
                "reference": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default"},
                "description": "an event",
            }),
        );
        let v1beta3 = convert(v1beta2.clone(), et("v1beta3")).expect("to v1beta3");
        assert_eq!(
            v1beta3,
            json!({
                "apiVersion": "eventing.knative.dev/v1beta3",
                "kind": "EventType",
                "metadata": {"name": "et", "namespace": "ns", "uid": "u-1", "resourceVersion": "7", "labels": {"a": "b"}},
                "spec": {
                    "reference": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default", "namespace": "ns"},
                    "description": "an event",
                    "attributes": [
                        {"name": "specversion", "required": true},
                        {"name": "id", "required": true},
                        {"name": "type", "required": true, "value": "dev.knative.example"},
                        {"name": "source", "required": true, "value": "https://example.com/src"},
                        {"name": "schemadata", "required": false, "value": "https://example.com/schema.json"},
                    ],
                },
                "status": {"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "True"}]},
            })
        );
        let back = convert(v1beta3, et("v1beta2")).expect("to v1beta2");
        let mut expected = v1beta2;
        expected["spec"] = json!({
            "type": "dev.knative.example",
            "source": "https://example.com/src",
            "schema": "https://example.com/schema.json",
            "reference": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default", "namespace": "ns"},
            "description": "an event",
        });
        // schemaData has no v1beta3 counterpart: lost, as on a real cluster.
        assert_eq!(back, expected);
    }

    #[test]
    fn event_type_v1beta3_extension_attributes_do_not_survive_storage() {
        let v1beta3 = event_type(
            "v1beta3",
            json!({"attributes": [
                {"name": "type", "required": true, "value": "t"},
                {"name": "myext", "required": false, "value": "x"},
                {"name": "source", "required": true, "value": "/src"},
            ]}),
        );
        let stored = convert(v1beta3, et("v1beta2")).expect("to storage");
        assert_eq!(stored["spec"], json!({"type": "t", "source": "/src"}));
        let read = convert(stored, et("v1beta3")).expect("read back");
        assert_eq!(
            read["spec"],
            json!({"attributes": [
                {"name": "specversion", "required": true},
                {"name": "id", "required": true},
                {"name": "type", "required": true, "value": "t"},
                {"name": "source", "required": true, "value": "/src"},
            ]})
        );
    }

    #[test]
    fn event_type_broker_field() {
        // v1beta2's deprecated broker is dropped on the way to v1beta3 (upstream quirk) ...
        let v1beta2 = event_type("v1beta2", json!({"type": "t", "broker": "default"}));
        let v1beta3 = convert(v1beta2.clone(), et("v1beta3")).expect("to v1beta3");
        assert_eq!(
            v1beta3["spec"],
            json!({"attributes": [
                {"name": "specversion", "required": true},
                {"name": "id", "required": true},
                {"name": "type", "required": true, "value": "t"},
                {"name": "source", "required": true},
            ]})
        );
        // ... and when read as v1beta1 through the v1beta1 hub.
        let v1beta1 = convert(v1beta2, et("v1beta1")).expect("to v1beta1");
        assert_eq!(v1beta1["apiVersion"], json!("eventing.knative.dev/v1beta1"));
        assert_eq!(v1beta1["spec"], json!({"type": "t"}));
        // A v1beta1 broker becomes a Broker reference in the storage version.
        let v1beta1 = event_type(
            "v1beta1",
            json!({"type": "t", "broker": "default", "source": "/s"}),
        );
        let stored = convert(v1beta1, et("v1beta2")).expect("to v1beta2");
        assert_eq!(
            stored["spec"],
            json!({
                "type": "t",
                "source": "/s",
                "reference": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default", "namespace": "ns"},
            })
        );
    }

    #[test]
    fn event_type_status_keeps_the_duck_fields() {
        let mut v1beta2 = event_type("v1beta2", json!({"type": "t"}));
        v1beta2["status"]["annotations"] = json!({"k": "v"});
        v1beta2["status"]["bogus"] = json!(1);
        let v1beta3 = convert(v1beta2, et("v1beta3")).expect("to v1beta3");
        assert_eq!(
            v1beta3["status"],
            json!({"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "True"}], "annotations": {"k": "v"}})
        );
    }

    #[test]
    fn ping_source_round_trip() {
        let v1 = json!({
            "apiVersion": "sources.knative.dev/v1",
            "kind": "PingSource",
            "metadata": {"name": "p", "namespace": "ns"},
            "spec": {
                "schedule": "*/2 * * * *",
                "timezone": "Europe/Paris",
                "contentType": "application/json",
                "data": "{\"m\": 1}",
                "sink": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "s"}},
                "ceOverrides": {"extensions": {"x": "y"}},
            },
            "status": {"sinkUri": "http://s.ns.svc.cluster.local", "ceAttributes": [{"type": "dev.knative.sources.ping", "source": "/apis/v1/namespaces/ns/pingsources/p"}]},
        });
        let ps = |v: &str| version("sources.knative.dev", v, "pingsources");
        let v1beta2 = convert(v1.clone(), ps("v1beta2")).expect("to v1beta2");
        let mut expected = v1.clone();
        expected["apiVersion"] = json!("sources.knative.dev/v1beta2");
        assert_eq!(v1beta2, expected);
        assert_eq!(convert(v1beta2, ps("v1")).expect("back"), v1);

        let unscheduled = json!({"apiVersion": "sources.knative.dev/v1beta2", "kind": "PingSource", "metadata": {"name": "p"}, "spec": {"data": "x"}});
        assert_eq!(
            convert(unscheduled, ps("v1")).expect("to v1")["spec"],
            json!({"data": "x", "schedule": "* * * * *"})
        );
    }

    #[test]
    fn single_version_kinds_and_same_version_are_identity() {
        let ksvc = version("serving.knative.dev", "v1", "services");
        let svc = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"x": 1}});
        assert_eq!(convert(svc.clone(), ksvc).expect("identity"), svc);
        let v1beta2 = event_type("v1beta2", json!({"type": "t", "unknown": 1}));
        assert_eq!(
            convert(v1beta2.clone(), et("v1beta2")).expect("identity"),
            v1beta2
        );
    }

    #[test]
    fn mismatched_objects_are_internal_errors() {
        let svc = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "s"}});
        let err = convert(svc, et("v1beta3")).expect_err("wrong kind");
        assert_eq!((err.code, err.reason.as_str()), (500, "InternalError"));
        assert_eq!(
            err.message,
            "cannot convert serving.knative.dev/v1, Kind=Service to eventing.knative.dev/v1beta3, Kind=EventType"
        );
        let old = event_type("v1alpha1", json!({}));
        let err = convert(old, et("v1beta3")).expect_err("unserved version");
        assert_eq!(
            err.message,
            "conversion webhook for eventing.knative.dev/v1beta3, Kind=EventType failed: conversion not supported for type eventing.knative.dev/v1alpha1, Kind=EventType"
        );
        let err = convert(json!({"kind": "EventType"}), et("v1beta3")).expect_err("no apiVersion");
        assert_eq!(
            err.message,
            "cannot convert to eventing.knative.dev/v1beta3: the object has no apiVersion"
        );
    }
}
