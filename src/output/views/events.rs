//! The events table of `service events` / `revision events`, as `kubectl events` prints it:
//! LAST SEEN (with `(xN over AGE)` for repeated events), TYPE, REASON, OBJECT (`Kind/name`),
//! MESSAGE.

use jiff::Timestamp;
use serde_json::Value;

use crate::output::age::table_age;
use crate::output::table::Table;

const HEADERS: [&str; 5] = ["Last Seen", "Type", "Reason", "Object", "Message"];

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn time_at(v: &Value, pointer: &str) -> Option<Timestamp> {
    str_at(v, pointer).parse().ok()
}

/// kubectl's `getInterval`: when the event was first seen, or `LAST (xN over FIRST)`.
fn interval(event: &Value, now: Timestamp) -> String {
    let first = match time_at(event, "/eventTime") {
        Some(t) => table_age(Some(t), now),
        None => table_age(time_at(event, "/firstTimestamp"), now),
    };
    if event.get("series").is_some_and(|s| !s.is_null()) {
        let count = event
            .pointer("/series/count")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let last = table_age(time_at(event, "/series/lastObservedTime"), now);
        return format!("{last} (x{count} over {first})");
    }
    let count = event.get("count").and_then(Value::as_i64).unwrap_or(0);
    if count > 1 {
        let last = table_age(time_at(event, "/lastTimestamp"), now);
        return format!("{last} (x{count} over {first})");
    }
    first
}

/// One event's cells.
pub fn row(event: &Value, now: Timestamp) -> Vec<String> {
    vec![
        interval(event, now),
        str_at(event, "/type").to_string(),
        str_at(event, "/reason").to_string(),
        format!(
            "{}/{}",
            str_at(event, "/involvedObject/kind"),
            str_at(event, "/involvedObject/name")
        ),
        str_at(event, "/message").trim().to_string(),
    ]
}

/// The table of `events` (already sorted), with its header.
pub fn table(events: &[Value], now: Timestamp) -> String {
    let mut table = Table::new(&HEADERS);
    for event in events {
        table.push(row(event, now));
    }
    table.render(true)
}

/// One followed event as a table line of its own (no header).
pub fn line(event: &Value, now: Timestamp) -> String {
    let mut table = Table::new(&HEADERS);
    table.push(row(event, now));
    table.render(false)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rows_read_like_kubectl_events() {
        let now: Timestamp = "2026-01-01T00:10:00Z".parse().unwrap();
        let once = json!({"type": "Normal", "reason": "Created", "message": "Created Route \"hello\" ",
            "involvedObject": {"kind": "Service", "name": "hello"}, "count": 1,
            "firstTimestamp": "2026-01-01T00:09:00Z", "lastTimestamp": "2026-01-01T00:09:00Z"});
        let again = json!({"type": "Warning", "reason": "BackOff", "message": "m",
            "involvedObject": {"kind": "Pod", "name": "p"}, "count": 3,
            "firstTimestamp": "2026-01-01T00:05:00Z", "lastTimestamp": "2026-01-01T00:09:30Z"});
        assert_eq!(
            table(&[once, again], now),
            "LAST SEEN            TYPE      REASON    OBJECT          MESSAGE\n\
             60s                  Normal    Created   Service/hello   Created Route \"hello\"\n\
             30s (x3 over 5m)     Warning   BackOff   Pod/p           m\n"
        );
    }
}
