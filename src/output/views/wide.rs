//! The extra columns of `list -o wide`, per kind, read straight from the objects so that every
//! list gets them the same way (appended after kn's columns, as kubectl appends its wide ones).
//!
//! | kind | extra columns |
//! |---|---|
//! | Service | LATEST CREATED, IMAGE, TRAFFIC |
//! | Revision | IMAGE, CONCURRENCY |
//! | Route | TRAFFIC |
//! | DomainMapping | REF KIND, AGE |
//! | Broker | CLASS, DEAD LETTER SINK |
//! | Trigger | FILTER, FILTERS |
//! | PingSource | TIMEZONE, DATA |
//! | ApiServerSource | MODE, SERVICE ACCOUNT |
//! | SinkBinding, ContainerSource, IntegrationSource, EventTransform, sources | SINK URI (+ AGE for `source list`) |
//! | Channel | SUBSCRIBERS |
//! | Subscription | AGE |
//! | EventType | BROKER, DESCRIPTION |
//! | Secret | DATA, AGE |

use jiff::Timestamp;
use serde_json::Value;

use crate::output::age::table_age;
use crate::output::table::Table;

/// One wide column: its header and how to fill a cell.
#[derive(Clone, Copy)]
pub struct WideColumn {
    pub header: &'static str,
    pub cell: fn(&Value, Timestamp) -> String,
}

const fn col(header: &'static str, cell: fn(&Value, Timestamp) -> String) -> WideColumn {
    WideColumn { header, cell }
}

fn text(object: &Value, pointer: &str) -> String {
    match object.pointer(pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn age(object: &Value, now: Timestamp) -> String {
    let created = object
        .pointer("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .and_then(|t| t.parse().ok());
    table_age(created, now)
}

/// The images of a pod spec's containers, comma-separated.
fn images(object: &Value, pointer: &str) -> String {
    object
        .pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("image").and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join(",")
}

/// `status.traffic` as `revision=percent%` pairs (`#tag` appended for tagged targets).
fn traffic(object: &Value, _: Timestamp) -> String {
    object
        .pointer("/status/traffic")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| {
            let mut name = text(t, "/revisionName");
            if let Some(tag) = t.get("tag").and_then(Value::as_str) {
                name = format!("{name}#{tag}");
            }
            let percent = t.get("percent").and_then(Value::as_i64).unwrap_or(0);
            format!("{name}={percent}%")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A delivery target: its URI, else `kind:name` of its ref.
fn destination(object: &Value, pointer: &str) -> String {
    let Some(dest) = object.pointer(pointer) else {
        return String::new();
    };
    if let Some(Value::Object(r)) = dest.get("ref") {
        let kind = r.get("kind").and_then(Value::as_str).unwrap_or_default();
        let name = r.get("name").and_then(Value::as_str).unwrap_or_default();
        return format!("{}:{name}", kind.to_ascii_lowercase());
    }
    text(dest, "/uri")
}

fn filter(object: &Value, _: Timestamp) -> String {
    object
        .pointer("/spec/filter/attributes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(",")
}

const SERVICE: &[WideColumn] = &[
    col("Latest Created", |o, _| {
        text(o, "/status/latestCreatedRevisionName")
    }),
    col("Image", |o, _| images(o, "/spec/template/spec/containers")),
    col("Traffic", traffic),
];
const REVISION: &[WideColumn] = &[
    col("Image", |o, _| images(o, "/spec/containers")),
    col("Concurrency", |o, _| text(o, "/spec/containerConcurrency")),
];
const ROUTE: &[WideColumn] = &[col("Traffic", traffic)];
const DOMAIN: &[WideColumn] = &[
    col("Ref Kind", |o, _| text(o, "/spec/ref/kind")),
    col("Age", age),
];
const BROKER: &[WideColumn] = &[
    col("Class", |o, _| {
        text(
            o,
            "/metadata/annotations/eventing.knative.dev~1broker.class",
        )
    }),
    col("Dead Letter Sink", |o, _| {
        destination(o, "/spec/delivery/deadLetterSink")
    }),
];
const TRIGGER: &[WideColumn] = &[
    col("Filter", filter),
    col("Filters", |o, _| {
        crate::edit::eventing::filters::render_all(o.pointer("/spec/filters"))
    }),
];
const PING: &[WideColumn] = &[
    col("Timezone", |o, _| text(o, "/spec/timezone")),
    col("Data", |o, _| text(o, "/spec/data")),
];
const API_SERVER: &[WideColumn] = &[
    col("Mode", |o, _| text(o, "/spec/mode")),
    col("Service Account", |o, _| {
        text(o, "/spec/serviceAccountName")
    }),
];
const SINK_URI: &[WideColumn] = &[col("Sink URI", |o, _| text(o, "/status/sinkUri"))];
const SOURCE: &[WideColumn] = &[
    col("Sink URI", |o, _| text(o, "/status/sinkUri")),
    col("Age", age),
];
const CHANNEL: &[WideColumn] = &[col("Subscribers", |o, _| {
    o.pointer("/status/subscribers")
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
        .to_string()
})];
const SUBSCRIPTION: &[WideColumn] = &[col("Age", age)];
const EVENT_TYPE: &[WideColumn] = &[
    col("Broker", |o, _| text(o, "/spec/broker")),
    col("Description", |o, _| text(o, "/spec/description")),
];
const SECRET: &[WideColumn] = &[
    col("Data", |o, _| {
        o.get("data")
            .and_then(Value::as_object)
            .map_or(0, |d| d.len())
            .to_string()
    }),
    col("Age", age),
];

/// The wide columns of a kind (`Source` for the mixed `source list`).
pub fn columns(kind: &str) -> &'static [WideColumn] {
    match kind {
        "Service" => SERVICE,
        "Revision" => REVISION,
        "Route" => ROUTE,
        "DomainMapping" => DOMAIN,
        "Broker" => BROKER,
        "Trigger" => TRIGGER,
        "PingSource" => PING,
        "ApiServerSource" => API_SERVER,
        "SinkBinding" | "ContainerSource" | "IntegrationSource" | "EventTransform" => SINK_URI,
        "Source" => SOURCE,
        "Channel" => CHANNEL,
        "Subscription" => SUBSCRIPTION,
        "EventType" => EVENT_TYPE,
        "Secret" => SECRET,
        _ => &[],
    }
}

/// `table` (kn's columns, rows in `objects` order) with the wide columns appended.
pub fn widen(table: &Table, objects: &[&Value], columns: &[WideColumn], now: Timestamp) -> Table {
    let headers: Vec<String> = table
        .headers()
        .iter()
        .cloned()
        .chain(columns.iter().map(|c| c.header.to_string()))
        .collect();
    let mut wide = Table::new(&headers);
    for (row, object) in table.rows().iter().zip(objects) {
        let mut cells = row.clone();
        cells.extend(columns.iter().map(|c| (c.cell)(object, now)));
        wide.push(cells);
    }
    wide
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn service_columns() {
        let now: Timestamp = "2026-01-01T00:10:00Z".parse().unwrap();
        let svc = json!({
            "spec": {"template": {"spec": {"containers": [{"image": "a"}, {"image": "b"}]}}},
            "status": {"latestCreatedRevisionName": "s-2", "traffic": [
                {"revisionName": "s-1", "percent": 90},
                {"revisionName": "s-2", "percent": 10, "tag": "canary"}
            ]}
        });
        let cells: Vec<String> = columns("Service")
            .iter()
            .map(|c| (c.cell)(&svc, now))
            .collect();
        assert_eq!(cells, ["s-2", "a,b", "s-1=90%,s-2#canary=10%"]);
    }
}
