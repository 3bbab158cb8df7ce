//! The events.k8s.io/v1 Event type as served: its type entry and printer, its field selectors
//! (renamed to the stored core names) and the create/update validation of both versions.
//! The shared storage and the conversion are `event_versions`'.

use serde_json::Value;

use crate::catalog::{CellSource, Column, TypeInfo};
use crate::event_versions::*;
use crate::json::At;
use crate::resource::ResourceType;
use crate::status::Cause;
use crate::validation::{self, NameRule};
use kuberules::selectors::FieldSelector;

/// Whether `ti` serves Events (either version).
pub fn is_event(ti: &TypeInfo) -> bool {
    !ti.custom && ti.rt.kind == KIND && ti.rt.plural == "events"
}

/// The events.k8s.io/v1 type: served from the core Events' storage, with its printer.
pub fn type_info() -> TypeInfo {
    let columns = crate::apps::event_columns()
        .into_iter()
        .map(|column| match column.source {
            // The printer reads the internal (core) object whichever version is asked for.
            CellSource::Compute(f) => Column {
                source: CellSource::Compute(std::sync::Arc::new(move |o: &Value| {
                    f(&convert(o, "v1"))
                })),
                ..column
            },
            _ => column,
        })
        .collect();
    TypeInfo {
        rt: ResourceType {
            group: GROUP.into(),
            version: "v1".into(),
            plural: "events".into(),
            singular: "event".into(),
            kind: KIND.into(),
            list_kind: "EventList".into(),
            namespaced: true,
            short_names: vec!["ev".into()],
            categories: vec![],
            has_status: false,
            storage: false,
            deprecation_warning: None,
        },
        custom: false,
        name_rule: NameRule::Subdomain,
        extra_fields: FIELD_LABELS.iter().map(|(v1, _)| *v1).collect(),
        columns,
        schema: None,
    }
}

/// A field selector on events.k8s.io names, rewritten to the stored (core) names; any other
/// type's selector unchanged.
pub fn storage_fields(ti: &TypeInfo, selector: FieldSelector) -> FieldSelector {
    if !(is_event(ti) && ti.rt.group == GROUP) {
        return selector;
    }
    selector.rename(|field| {
        FIELD_LABELS
            .iter()
            .find(|(v1, _)| *v1 == field)
            .map(|(_, core)| core.to_string())
            .unwrap_or_else(|| field.to_string())
    })
}

fn invalid(field: &str, value: &str, message: &str) -> Cause {
    Cause {
        reason: "FieldValueInvalid".into(),
        message: format!(
            "Invalid value: {}: {message}",
            crate::crd::gofmt::quote(value)
        ),
        field: field.into(),
    }
}

fn required(field: &str) -> Cause {
    Cause {
        reason: "FieldValueRequired".into(),
        message: "Required value".into(),
        field: field.into(),
    }
}

fn text<'a>(object: &'a Value, pointer: &str) -> &'a str {
    object.at(pointer).and_then(Value::as_str).unwrap_or("")
}

fn set(object: &Value, pointer: &str) -> bool {
    !empty(object.at(pointer))
}

/// `legacyValidateEvent`: what every Event must satisfy, in either version. The reporting
/// controller's field is named as the request's version names it.
fn legacy(e: &Value, v1: bool) -> Vec<Cause> {
    let mut causes = Vec::new();
    let namespace = text(e, "/metadata/namespace");
    let involved = text(e, "/involvedObject/namespace");
    let mismatch = || {
        invalid(
            "involvedObject.namespace",
            involved,
            "does not match event.namespace",
        )
    };
    if !set(e, "/eventTime") {
        let ok = if involved.is_empty() {
            namespace.is_empty() || namespace == "default"
        } else {
            namespace == involved
        };
        if !ok {
            causes.push(mismatch());
        }
        return causes;
    }
    if involved.is_empty() && namespace != "default" && namespace != "kube-system" {
        causes.push(mismatch());
    }
    let controller_field = if v1 {
        "reportingController"
    } else {
        "reportingComponent"
    };
    let controller = text(e, "/reportingComponent");
    if controller.is_empty() {
        causes.push(required(controller_field));
    }
    for msg in kuberules::names::qualified_name(controller) {
        causes.push(invalid(controller_field, controller, &msg));
    }
    let limited = |causes: &mut Vec<Cause>, field: &str, value: &str, limit: usize, need: bool| {
        if need && value.is_empty() {
            causes.push(required(field));
        }
        if value.len() > limit {
            causes.push(invalid(
                field,
                "",
                &format!("can have at most {limit} characters"),
            ));
        }
    };
    limited(
        &mut causes,
        "reportingInstance",
        text(e, "/reportingInstance"),
        128,
        true,
    );
    limited(&mut causes, "action", text(e, "/action"), 128, true);
    limited(&mut causes, "reason", text(e, "/reason"), 128, true);
    limited(&mut causes, "message", text(e, "/message"), 1024, false);
    causes
}

/// The series checks of events.k8s.io/v1.
fn series_causes(e: &Value) -> Vec<Cause> {
    let mut causes = Vec::new();
    if e.get("series").is_some_and(Value::is_object) {
        if e.at("/series/count").and_then(Value::as_i64).unwrap_or(0) < 2 {
            causes.push(invalid("series.count", "", "should be at least 2"));
        }
        if !set(e, "/series/lastObservedTime") {
            causes.push(required("series.lastObservedTime"));
        }
    }
    causes
}

/// `ValidateEventCreate` / `ValidateEventUpdate` for a request body (`object`, in the request's
/// version) followed, when they pass, by the generic metadata checks (whose name rule is only
/// a path segment's). `old` is the stored object on update. Also returns the core form it
/// checked, from which the object's storage form is made (see
/// [`crate::event_versions::store_from_core`]).
pub fn validate(object: &Value, old: Option<&Value>) -> (Vec<Cause>, Value) {
    let v1 = is_v1(object);
    let e = to_core(object);
    let mut causes = legacy(&e, v1);
    if v1 {
        match old {
            None => {
                causes.extend(validation::validate_metadata(object, NameRule::Subdomain));
                causes.extend(series_causes(&e));
                if !set(&e, "/eventTime") {
                    causes.push(required("eventTime"));
                }
                let type_ = text(&e, "/type");
                if type_ != "Normal" && type_ != "Warning" {
                    causes.push(invalid("type", "", &format!("has invalid value: {type_}")));
                }
                for (field, unset) in [
                    ("firstTimestamp", !set(&e, "/firstTimestamp")),
                    ("lastTimestamp", !set(&e, "/lastTimestamp")),
                    ("count", !set(&e, "/count")),
                    (
                        "source",
                        !set(&e, "/source/component") && !set(&e, "/source/host"),
                    ),
                ] {
                    if !unset {
                        causes.push(invalid(field, "", "needs to be unset"));
                    }
                }
            }
            Some(old) => {
                let before = to_core(old);
                if e.get("series") != before.get("series") {
                    causes.extend(series_causes(&e));
                }
                causes.extend(immutable_changes(&e, &before));
            }
        }
    }
    if causes.is_empty() {
        causes = validation::validate_metadata(object, NameRule::PathSegment);
    }
    (causes, e)
}

/// Go's `%#v` of a `core.ObjectReference`.
fn go_reference(v: Option<&Value>) -> String {
    let f = |k: &str| {
        crate::crd::gofmt::quote(
            v.and_then(|v| v.get(k))
                .and_then(Value::as_str)
                .unwrap_or(""),
        )
    };
    format!(
        "core.ObjectReference{{Kind:{}, Namespace:{}, Name:{}, UID:{}, APIVersion:{}, ResourceVersion:{}, FieldPath:{}}}",
        f("kind"),
        f("namespace"),
        f("name"),
        f("uid"),
        f("apiVersion"),
        f("resourceVersion"),
        f("fieldPath")
    )
}

/// Go's `time.Time.String()` of a timestamp (the zero time when unset).
fn go_time(v: Option<&Value>) -> String {
    let Some(ts) = v
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
    else {
        return "0001-01-01 00:00:00 +0000 UTC".into();
    };
    let nanos = ts.subsec_nanosecond();
    let fraction = if nanos > 0 {
        format!(".{nanos:09}").trim_end_matches('0').to_string()
    } else {
        String::new()
    };
    format!("{}{fraction} +0000 UTC", ts.strftime("%Y-%m-%d %H:%M:%S"))
}

/// `ValidateEventUpdate`'s `ValidateImmutableField` checks, in upstream's order (reason twice),
/// each value shown as Go prints it.
fn immutable_changes(e: &Value, before: &Value) -> Vec<Cause> {
    let mut causes = Vec::new();
    let fields = [
        "involvedObject",
        "reason",
        "message",
        "source",
        "firstTimestamp",
        "lastTimestamp",
        "count",
        "reason",
        "type",
        "eventTime",
        "action",
        "related",
        "reportingComponent",
        "reportingInstance",
    ];
    for field in fields {
        let now = e.get(field);
        if now == before.get(field) {
            continue;
        }
        let shown = match field {
            "involvedObject" => go_reference(now),
            "related" if empty(now) => "\"null\"".into(),
            "related" => go_reference(now),
            "source" => format!(
                "core.EventSource{{Component:{}, Host:{}}}",
                crate::crd::gofmt::quote(text(e, "/source/component")),
                crate::crd::gofmt::quote(text(e, "/source/host"))
            ),
            "firstTimestamp" | "lastTimestamp" | "eventTime" => go_time(now),
            "count" => now.and_then(Value::as_i64).unwrap_or(0).to_string(),
            _ => crate::crd::gofmt::quote(now.and_then(Value::as_str).unwrap_or("")),
        };
        let field = if field == "reportingComponent" {
            "reportingController"
        } else {
            field
        };
        causes.push(Cause {
            reason: "FieldValueInvalid".into(),
            message: format!("Invalid value: {shown}: field is immutable"),
            field: field.into(),
        });
    }
    causes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn core_event() -> Value {
        json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "ns"},
            "involvedObject": {"kind": "Pod", "name": "p", "namespace": "ns", "fieldPath": ""},
            "reason": "Pulled", "message": "ok", "source": {"component": "kubelet", "host": "n1"},
            "firstTimestamp": "2026-12-06T21:28:32Z", "lastTimestamp": "2026-12-06T21:28:33Z",
            "count": 3, "type": "Normal"})
    }

    #[test]
    fn core_events_read_as_v1_with_renamed_fields() {
        let v1 = convert(&core_event(), API_VERSION);
        assert_eq!(
            v1,
            json!({"apiVersion": "events.k8s.io/v1", "kind": "Event",
                "metadata": {"name": "e", "namespace": "ns"}, "eventTime": null,
                "reason": "Pulled", "regarding": {"kind": "Pod", "name": "p", "namespace": "ns"},
                "note": "ok", "type": "Normal",
                "deprecatedSource": {"component": "kubelet", "host": "n1"},
                "deprecatedFirstTimestamp": "2026-12-06T21:28:32Z",
                "deprecatedLastTimestamp": "2026-12-06T21:28:33Z", "deprecatedCount": 3})
        );
        // And back: the core form Go writes (non-omitempty fields present).
        let back = convert(&v1, "v1");
        let mut want = core_event();
        want["involvedObject"] = json!({"kind": "Pod", "name": "p", "namespace": "ns"});
        want["eventTime"] = Value::Null;
        want["reportingComponent"] = json!("");
        want["reportingInstance"] = json!("");
        assert_eq!(back, want);
    }

    #[test]
    fn v1_events_need_the_new_fields_on_create() {
        let body = json!({"apiVersion": API_VERSION, "kind": "Event",
            "metadata": {"name": "bad", "namespace": "ns"}, "regarding": {"kind": "Pod"},
            "type": "Odd", "deprecatedCount": 2, "series": {"count": 1}});
        let fields: Vec<String> = validate(&body, None)
            .0
            .into_iter()
            .map(|c| format!("{}: {}", c.field, c.message))
            .collect();
        assert_eq!(
            fields,
            [
                "involvedObject.namespace: Invalid value: \"\": does not match event.namespace",
                "series.count: Invalid value: \"\": should be at least 2",
                "series.lastObservedTime: Required value",
                "eventTime: Required value",
                "type: Invalid value: \"\": has invalid value: Odd",
                "count: Invalid value: \"\": needs to be unset",
            ]
        );
    }

    #[test]
    fn core_events_name_the_reporting_component() {
        let body = json!({"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": "Odd_Name", "namespace": "ns"},
            "involvedObject": {"namespace": "ns"}, "eventTime": "2026-12-06T21:28:32.000001Z"});
        let fields: Vec<String> = validate(&body, None)
            .0
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(
            fields,
            [
                "reportingComponent",
                "reportingComponent",
                "reportingComponent",
                "reportingInstance",
                "action",
                "reason"
            ]
        );
        // A core Event's name need only be a path segment.
        let old_style = json!({"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": "Odd_Name", "namespace": "ns"}, "involvedObject": {"namespace": "ns"}});
        assert!(validate(&old_style, None).0.is_empty());
    }

    #[test]
    fn v1_updates_keep_what_the_event_says() {
        let old = convert(
            &json!({"apiVersion": API_VERSION, "kind": "Event", "metadata": {"name": "e", "namespace": "ns"},
                "regarding": {"kind": "Pod", "name": "p", "namespace": "ns"}, "related": {"kind": "Node", "name": "n"},
                "eventTime": "2015-01-02T03:04:05.123456Z", "reason": "R", "type": "Normal",
                "reportingController": "c", "reportingInstance": "i", "action": "A"}),
            API_VERSION,
        );
        let mut new = old.clone();
        new["regarding"]["name"] = json!("q");
        new["related"] = Value::Null;
        new["eventTime"] = json!("2016-01-02T03:04:05.000001Z");
        new["deprecatedCount"] = json!(5);
        let causes: Vec<String> = validate(&new, Some(&old))
            .0
            .into_iter()
            .map(|c| format!("{}: {}", c.field, c.message))
            .collect();
        assert_eq!(
            causes,
            [
                "involvedObject: Invalid value: core.ObjectReference{Kind:\"Pod\", Namespace:\"ns\", Name:\"q\", UID:\"\", APIVersion:\"\", ResourceVersion:\"\", FieldPath:\"\"}: field is immutable",
                "count: Invalid value: 5: field is immutable",
                "eventTime: Invalid value: 2016-01-02 03:04:05.000001 +0000 UTC: field is immutable",
                "related: Invalid value: \"null\": field is immutable",
            ]
        );
    }

    #[test]
    fn selectors_on_v1_names_read_core_fields() {
        let ti = type_info();
        let sel = FieldSelector::parse(
            "regarding.name=p,reportingController=c",
            &ti.supported_fields(),
        )
        .unwrap();
        let core = storage_fields(&ti, sel);
        assert!(core.matches(&json!({"involvedObject": {"name": "p"}, "reportingComponent": "c"})));
        assert!(
            !core.matches(&json!({"involvedObject": {"name": "q"}, "reportingComponent": "c"}))
        );
        assert!(FieldSelector::parse("involvedObject.name=p", &ti.supported_fields()).is_err());
    }
}
