//! The workload types under a Revision as the real API server serves them: apps/v1 Deployments
//! and ReplicaSets, and the Table columns of Pods and Events (kubectl's printers in
//! `pkg/printers/internalversion`).

use serde_json::{Value, json};

use crate::catalog::{Column, TypeInfo};
use crate::json::At;
use crate::resource::ResourceType;
use crate::validation::NameRule;

/// The API group of Deployments and ReplicaSets.
pub const APPS_GROUP: &str = "apps";

fn apps(plural: &str, singular: &str, kind: &str, short: &[&str]) -> ResourceType {
    ResourceType {
        group: APPS_GROUP.into(),
        version: "v1".into(),
        plural: plural.into(),
        singular: singular.into(),
        kind: kind.into(),
        list_kind: format!("{kind}List"),
        namespaced: true,
        short_names: short.iter().map(|s| s.to_string()).collect(),
        categories: vec!["all".into()],
        has_status: true,
        storage: true,
        deprecation_warning: None,
    }
}

fn int_at(o: &Value, pointer: &str) -> i64 {
    o.at(pointer).and_then(Value::as_i64).unwrap_or(0)
}

fn age_column() -> Column {
    Column {
        type_: "string".into(),
        ..Column::age_column()
    }
}

/// A template's container names or images, comma separated.
fn template_containers(o: &Value, field: &str) -> Value {
    let items: Vec<&str> = o
        .at("/spec/template/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get(field).and_then(Value::as_str))
        .collect();
    json!(items.join(","))
}

/// A LabelSelector as `metav1.FormatLabelSelector` prints it.
pub fn format_selector(selector: Option<&Value>) -> String {
    let Some(selector) = selector else {
        return "<none>".into();
    };
    let mut parts: Vec<String> = selector
        .get("matchLabels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
        .collect();
    for e in selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        parts.push(match e.get("operator").and_then(Value::as_str) {
            Some("In") => format!("{key} in ({})", values.join(",")),
            Some("NotIn") => format!("{key} notin ({})", values.join(",")),
            Some("DoesNotExist") => format!("!{key}"),
            _ => key.to_string(),
        });
    }
    parts.sort();
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(",")
    }
}

fn wide_columns() -> Vec<Column> {
    vec![
        Column::computed(
            "Containers",
            "string",
            "Names of each container in the template.",
            1,
            |o| template_containers(o, "name"),
        ),
        Column::computed(
            "Images",
            "string",
            "Images referenced by each container in the template.",
            1,
            |o| template_containers(o, "image"),
        ),
        Column::computed(
            "Selector",
            "string",
            "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
            1,
            |o| json!(format_selector(o.at("/spec/selector"))),
        ),
    ]
}

/// Deployments and ReplicaSets.
pub fn apps_types() -> Vec<TypeInfo> {
    let info = |rt: ResourceType, mut columns: Vec<Column>| {
        let mut all = vec![Column::name_column()];
        all.append(&mut columns);
        all.extend(wide_columns());
        TypeInfo {
            rt,
            custom: false,
            name_rule: NameRule::Subdomain,
            extra_fields: vec![],
            columns: all,
            schema: None,
        }
    };
    vec![
        info(
            apps("deployments", "deployment", "Deployment", &["deploy"]),
            vec![
                Column::computed(
                    "Ready",
                    "string",
                    "Number of the pod with ready state",
                    0,
                    |o| {
                        json!(format!(
                            "{}/{}",
                            int_at(o, "/status/readyReplicas"),
                            int_at(o, "/spec/replicas")
                        ))
                    },
                ),
                Column::computed(
                    "Up-to-date",
                    "string",
                    "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
                    0,
                    |o| json!(int_at(o, "/status/updatedReplicas")),
                ),
                Column::computed(
                    "Available",
                    "string",
                    "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
                    0,
                    |o| json!(int_at(o, "/status/availableReplicas")),
                ),
                age_column(),
            ],
        ),
        info(
            apps("replicasets", "replicaset", "ReplicaSet", &["rs"]),
            vec![
                Column::computed("Desired", "integer", "Number of desired pods.", 0, |o| {
                    json!(int_at(o, "/spec/replicas"))
                }),
                Column::computed(
                    "Current",
                    "integer",
                    "Number of actually running pods.",
                    0,
                    |o| json!(int_at(o, "/status/replicas")),
                ),
                Column::computed("Ready", "integer", "Number of ready pods.", 0, |o| {
                    json!(int_at(o, "/status/readyReplicas"))
                }),
                age_column(),
            ],
        ),
    ]
}

/// A pod's STATUS cell: Terminating, the reason of a waiting or terminated container, or the
/// phase (kubectl's `printPod`, without init containers' and readiness-gate subtleties).
pub fn pod_status_reason(o: &Value) -> String {
    if o.at("/metadata/deletionTimestamp").is_some() {
        return "Terminating".into();
    }
    let mut reason = o
        .at("/status/reason")
        .or_else(|| o.at("/status/phase"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    for status in statuses(o) {
        let waiting = status.at("/state/waiting/reason");
        let terminated = status.at("/state/terminated/reason");
        if let Some(r) = waiting.or(terminated).and_then(Value::as_str) {
            reason = r.to_string();
        }
    }
    reason
}

fn statuses(o: &Value) -> impl Iterator<Item = &Value> {
    o.at("/status/containerStatuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The Pod columns of `kubectl get pods`.
pub fn pod_columns() -> Vec<Column> {
    let or_none = |o: &Value, p: &str| {
        json!(
            o.at(p)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .unwrap_or("<none>")
        )
    };
    vec![
        Column::computed(
            "Ready",
            "string",
            "The aggregate readiness state of this pod for accepting traffic.",
            0,
            |o| {
                let total = o
                    .at("/spec/containers")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                let ready = statuses(o)
                    .filter(|s| s.get("ready").and_then(Value::as_bool) == Some(true))
                    .count();
                json!(format!("{ready}/{total}"))
            },
        ),
        Column::computed(
            "Status",
            "string",
            "The aggregate status of the containers in this pod.",
            0,
            |o| json!(pod_status_reason(o)),
        ),
        Column::computed(
            "Restarts",
            "string",
            "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
            0,
            |o| {
                let n: i64 = statuses(o)
                    .map(|s| s.get("restartCount").and_then(Value::as_i64).unwrap_or(0))
                    .sum();
                json!(n.to_string())
            },
        ),
        age_column(),
        Column::computed("IP", "string", "IP address assigned to pod", 1, move |o| {
            or_none(o, "/status/podIP")
        }),
        Column::computed(
            "Node",
            "string",
            "Name of the node assigned to the pod",
            1,
            move |o| or_none(o, "/spec/nodeName"),
        ),
        Column::computed(
            "Nominated Node",
            "string",
            "Name of the node nominated for the pod",
            1,
            move |o| or_none(o, "/status/nominatedNodeName"),
        ),
        Column::computed(
            "Readiness Gates",
            "string",
            "The readiness gates of the pod",
            1,
            |_| json!("<none>"),
        ),
    ]
}

/// Seconds since an RFC 3339 timestamp, as a human duration.
fn since(o: &Value, pointer: &str) -> Value {
    match o
        .at(pointer)
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
    {
        Some(ts) => json!(kubetext::age::human_duration(
            jiff::Timestamp::now().as_second() - ts.as_second()
        )),
        None => json!("<unknown>"),
    }
}

/// `printEvent`'s times: First Seen falls back to eventTime, Last Seen to First Seen, and a
/// series' last observation wins; its count likewise (a singleton new-style event counts 1).
fn event_times(o: &Value) -> (Value, Value, i64) {
    let set = |p: &str| o.at(p).and_then(Value::as_str).is_some();
    let first = if set("/firstTimestamp") {
        since(o, "/firstTimestamp")
    } else {
        since(o, "/eventTime")
    };
    let mut last = if set("/lastTimestamp") {
        since(o, "/lastTimestamp")
    } else {
        first.clone()
    };
    let mut count = o.get("count").and_then(Value::as_i64).unwrap_or(0);
    if o.get("series").is_some_and(Value::is_object) {
        last = since(o, "/series/lastObservedTime");
        count = o.at("/series/count").and_then(Value::as_i64).unwrap_or(0);
    } else if count == 0 {
        count = 1;
    }
    (first, last, count)
}

/// The Event columns of `kubectl get events` (a core/v1 Event's cells).
pub fn event_columns() -> Vec<Column> {
    let text =
        |p: &'static str| move |o: &Value| json!(o.at(p).and_then(Value::as_str).unwrap_or(""));
    vec![
        Column::computed(
            "Last Seen",
            "string",
            "The time at which the most recent occurrence of this event was recorded.",
            0,
            |o| event_times(o).1,
        ),
        Column::computed(
            "Type",
            "string",
            "Type of this event (Normal, Warning), new types could be added in the future",
            0,
            text("/type"),
        ),
        Column::computed(
            "Reason",
            "string",
            "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
            0,
            text("/reason"),
        ),
        Column::computed(
            "Object",
            "string",
            "The object that this event is about.",
            0,
            |o| json!(involved_object_text(o)),
        ),
        Column::computed(
            "Subobject",
            "string",
            "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.",
            1,
            text("/involvedObject/fieldPath"),
        ),
        Column::computed(
            "Source",
            "string",
            "The component reporting this event. Should be a short machine understandable string.",
            1,
            |o| json!(event_source(o)),
        ),
        Column::computed(
            "Message",
            "string",
            "A human-readable description of the status of this operation.",
            0,
            |o| {
                json!(
                    o.get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .trim()
                )
            },
        ),
        Column::computed(
            "First Seen",
            "string",
            "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
            1,
            |o| event_times(o).0,
        ),
        Column::computed(
            "Count",
            "string",
            "The number of times this event has occurred.",
            1,
            |o| json!(event_times(o).2),
        ),
        Column {
            priority: 1,
            ..Column::name_column()
        },
    ]
}

/// `formatEventSource`: `component, host`, or for new-style events the reporting controller
/// and instance.
fn event_source(o: &Value) -> String {
    let text = |p: &str| o.at(p).and_then(Value::as_str).unwrap_or("");
    let (who, where_) = if text("/source/component").is_empty() {
        (text("/reportingComponent"), text("/reportingInstance"))
    } else {
        (text("/source/component"), text("/source/host"))
    };
    if where_.is_empty() {
        who.to_string()
    } else {
        format!("{who}, {where_}")
    }
}

/// `kind/name` of an event's object, the kind in lower case (kubectl's OBJECT column); just
/// the kind when the reference has no name.
pub fn involved_object_text(o: &Value) -> String {
    let kind = o
        .at("/involvedObject/kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_lowercase();
    match o.at("/involvedObject/name").and_then(Value::as_str) {
        Some(name) if !name.is_empty() => format!("{kind}/{name}"),
        _ => kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_print_as_apimachinery_does() {
        let sel = json!({"matchLabels": {"b": "2", "a": "1"}, "matchExpressions": [{"key": "k", "operator": "In", "values": ["x", "y"]}]});
        assert_eq!(format_selector(Some(&sel)), "a=1,b=2,k in (x,y)");
        assert_eq!(format_selector(None), "<none>");
    }

    #[test]
    fn pod_status_prefers_a_waiting_reason() {
        let pod = json!({"status": {"phase": "Pending", "containerStatuses": [
            {"name": "a", "state": {"running": {}}},
            {"name": "b", "state": {"waiting": {"reason": "ErrImagePull"}}},
        ]}});
        assert_eq!(pod_status_reason(&pod), "ErrImagePull");
        let gone = json!({"metadata": {"deletionTimestamp": "x"}, "status": {"phase": "Running"}});
        assert_eq!(pod_status_reason(&gone), "Terminating");
    }
}
