//! The one Event storage under two group versions, as the real API server keeps it: core/v1
//! `events` served also as `events.k8s.io/v1` with its fields renamed (involvedObject ↔ regarding,
//! message ↔ note, source ↔ deprecatedSource, …), and the Go JSON form of each version. Below the
//! catalog, which converts and stores through it; the served type is `events_v1`'s.

use serde_json::{Map, Value, json};

use crate::resource::GroupResource;

/// The API group of the new Events API.
pub const GROUP: &str = "events.k8s.io";
/// `GROUP/v1`.
pub const API_VERSION: &str = "events.k8s.io/v1";
/// The kind both versions share.
pub const KIND: &str = "Event";

/// events.k8s.io's selectable fields and the core field each one reads.
pub(crate) const FIELD_LABELS: [(&str, &str); 10] = [
    ("reason", "reason"),
    ("regarding.kind", "involvedObject.kind"),
    ("regarding.namespace", "involvedObject.namespace"),
    ("regarding.name", "involvedObject.name"),
    ("regarding.uid", "involvedObject.uid"),
    ("regarding.apiVersion", "involvedObject.apiVersion"),
    (
        "regarding.resourceVersion",
        "involvedObject.resourceVersion",
    ),
    ("regarding.fieldPath", "involvedObject.fieldPath"),
    ("reportingController", "reportingComponent"),
    ("type", "type"),
];

pub(crate) const CORE_FIELDS: [&str; 17] = [
    "apiVersion",
    "kind",
    "metadata",
    "involvedObject",
    "reason",
    "message",
    "source",
    "firstTimestamp",
    "lastTimestamp",
    "count",
    "type",
    "eventTime",
    "series",
    "action",
    "related",
    "reportingComponent",
    "reportingInstance",
];

pub(crate) const V1_FIELDS: [&str; 17] = [
    "apiVersion",
    "kind",
    "metadata",
    "eventTime",
    "series",
    "reportingController",
    "reportingInstance",
    "action",
    "reason",
    "regarding",
    "related",
    "note",
    "type",
    "deprecatedSource",
    "deprecatedFirstTimestamp",
    "deprecatedLastTimestamp",
    "deprecatedCount",
];

pub(crate) const OBJECT_REFERENCE: [&str; 7] = [
    "kind",
    "namespace",
    "name",
    "uid",
    "apiVersion",
    "resourceVersion",
    "fieldPath",
];

/// The group/resource objects of `gr` are stored under.
pub fn stored_gr(gr: GroupResource) -> GroupResource {
    if gr.group == GROUP && gr.resource == "events" {
        GroupResource::of("", "events")
    } else {
        gr
    }
}

pub(crate) fn is_v1(object: &Value) -> bool {
    object.get("apiVersion").and_then(Value::as_str) == Some(API_VERSION)
}

/// The top-level fields an Event of `object`'s version has.
pub fn known_fields(object: &Value) -> &'static [&'static str] {
    if is_v1(object) {
        &V1_FIELDS
    } else {
        &CORE_FIELDS
    }
}

/// A value Go would leave out under `omitempty`: absent, null, "", 0, false.
pub(crate) fn empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(Value::Bool(b)) => !b,
        _ => false,
    }
}

pub(crate) fn put_nonempty(out: &mut Map<String, Value>, key: &str, v: Option<&Value>) {
    if !empty(v) {
        out.insert(key.into(), v.cloned().unwrap_or(Value::Null));
    }
}

/// A struct field (never omitted): the value, or `{}`.
pub(crate) fn structure(v: Option<&Value>, fields: &[&str]) -> Value {
    let mut out = Map::new();
    if let Some(map) = v.and_then(Value::as_object) {
        for f in fields {
            put_nonempty(&mut out, f, map.get(*f));
        }
    }
    Value::Object(out)
}

pub(crate) fn reference(v: Option<&Value>) -> Value {
    structure(v, &OBJECT_REFERENCE)
}

/// A `metav1.Time` field (never omitted): the value, or null.
pub(crate) fn time(v: Option<&Value>) -> Value {
    v.filter(|v| !empty(Some(v)))
        .cloned()
        .unwrap_or(Value::Null)
}

pub(crate) fn series(v: Option<&Value>, count_always: bool) -> Option<Value> {
    let s = v.and_then(Value::as_object)?;
    let mut out = Map::new();
    match s.get("count") {
        c if !empty(c) => {
            out.insert("count".into(), c.cloned().unwrap_or(Value::Null));
        }
        _ if count_always => {
            out.insert("count".into(), json!(0));
        }
        _ => {}
    }
    out.insert("lastObservedTime".into(), time(s.get("lastObservedTime")));
    Some(Value::Object(out))
}

pub(crate) fn head(object: &Value, api_version: &str) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("apiVersion".into(), json!(api_version));
    out.insert("kind".into(), json!(KIND));
    if let Some(meta) = object.get("metadata") {
        out.insert("metadata".into(), meta.clone());
    }
    out
}

/// The core/v1 form of an Event of either version, with Go's `omitempty` rules.
pub(crate) fn to_core(object: &Value) -> Value {
    let v1 = is_v1(object);
    let field = |core: &str, new: &str| object.get(if v1 { new } else { core });
    let mut out = head(object, "v1");
    out.insert(
        "involvedObject".into(),
        reference(field("involvedObject", "regarding")),
    );
    put_nonempty(&mut out, "reason", object.get("reason"));
    put_nonempty(&mut out, "message", field("message", "note"));
    out.insert(
        "source".into(),
        structure(field("source", "deprecatedSource"), &["component", "host"]),
    );
    out.insert(
        "firstTimestamp".into(),
        time(field("firstTimestamp", "deprecatedFirstTimestamp")),
    );
    out.insert(
        "lastTimestamp".into(),
        time(field("lastTimestamp", "deprecatedLastTimestamp")),
    );
    put_nonempty(&mut out, "count", field("count", "deprecatedCount"));
    put_nonempty(&mut out, "type", object.get("type"));
    out.insert("eventTime".into(), time(object.get("eventTime")));
    if let Some(s) = series(object.get("series"), false) {
        out.insert("series".into(), s);
    }
    put_nonempty(&mut out, "action", object.get("action"));
    if !empty(object.get("related")) {
        out.insert("related".into(), reference(object.get("related")));
    }
    for (core, new) in [
        ("reportingComponent", "reportingController"),
        ("reportingInstance", "reportingInstance"),
    ] {
        let v = field(core, new).filter(|v| v.is_string()).cloned();
        out.insert(core.into(), v.unwrap_or(json!("")));
    }
    Value::Object(out)
}

/// The events.k8s.io/v1 form of a core/v1 Event.
pub(crate) fn core_to_v1(core: &Value) -> Value {
    let mut out = head(core, API_VERSION);
    out.insert("eventTime".into(), time(core.get("eventTime")));
    if let Some(s) = series(core.get("series"), true) {
        out.insert("series".into(), s);
    }
    put_nonempty(
        &mut out,
        "reportingController",
        core.get("reportingComponent"),
    );
    put_nonempty(&mut out, "reportingInstance", core.get("reportingInstance"));
    put_nonempty(&mut out, "action", core.get("action"));
    put_nonempty(&mut out, "reason", core.get("reason"));
    out.insert("regarding".into(), reference(core.get("involvedObject")));
    if !empty(core.get("related")) {
        out.insert("related".into(), reference(core.get("related")));
    }
    put_nonempty(&mut out, "note", core.get("message"));
    put_nonempty(&mut out, "type", core.get("type"));
    out.insert(
        "deprecatedSource".into(),
        structure(core.get("source"), &["component", "host"]),
    );
    out.insert(
        "deprecatedFirstTimestamp".into(),
        time(core.get("firstTimestamp")),
    );
    out.insert(
        "deprecatedLastTimestamp".into(),
        time(core.get("lastTimestamp")),
    );
    put_nonempty(&mut out, "deprecatedCount", core.get("count"));
    Value::Object(out)
}

/// An Event of either version in `api_version`'s Go JSON form (`v1` or `events.k8s.io/v1`).
pub fn convert(object: &Value, api_version: &str) -> Value {
    let core = to_core(object);
    if api_version == API_VERSION {
        core_to_v1(&core)
    } else {
        core
    }
}

/// How an admitted Event is stored in its request version: Go's JSON form of that version.
pub fn storage_form(object: &mut Value) {
    let core = to_core(object);
    store_from_core(object, core);
}

/// [`storage_form`] with the object's core form (`to_core` of it) already made.
pub fn store_from_core(object: &mut Value, core: Value) {
    *object = if is_v1(object) {
        core_to_v1(&core)
    } else {
        core
    };
}
