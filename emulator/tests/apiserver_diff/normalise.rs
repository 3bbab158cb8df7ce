//! What is compared of an answer: everything but uids, timestamps, resourceVersion values,
//! continue tokens and allocated cluster IPs; some requests compare only a view of the body
//! (the part of discovery the emulator serves).

use serde_json::{Map, Value};

/// The part of a body a request compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The whole body.
    Full,
    /// `/apis` (APIGroupList): only the Knative groups, apiextensions.k8s.io, RBAC and
    /// events.k8s.io.
    ServedGroups,
    /// `/api/v1` (APIResourceList): only the core resources the emulator serves.
    ServedCoreResources,
    /// A SelfSubjectReview without `status.userInfo.uid`: the reference authenticates with a
    /// static token file, whose users carry a uid; the emulator's user (like a kubeadm client
    /// certificate's) has none.
    WithoutUid,
}

/// The core/v1 resources the emulator serves (it is not a full Kubernetes).
const CORE_SERVED: [&str; 11] = [
    "namespaces",
    "namespaces/status",
    "configmaps",
    "secrets",
    "services",
    "services/status",
    "serviceaccounts",
    "events",
    "resourcequotas",
    "resourcequotas/status",
    "limitranges",
];

pub fn normalise(body: Value, view: View) -> Value {
    let body = match view {
        View::Full => body,
        View::ServedGroups => retain_items(body, "groups", |g| {
            let name = g.get("name").and_then(Value::as_str).unwrap_or("");
            name.ends_with("knative.dev")
                || name == "apiextensions.k8s.io"
                || name == "rbac.authorization.k8s.io"
                || name == "events.k8s.io"
        }),
        View::WithoutUid => {
            let mut body = body;
            if let Some(info) = body
                .pointer_mut("/status/userInfo")
                .and_then(Value::as_object_mut)
            {
                info.remove("uid");
            }
            body
        }
        View::ServedCoreResources => retain_items(body, "resources", |r| {
            let name = r.get("name").and_then(Value::as_str).unwrap_or("");
            CORE_SERVED.contains(&name)
        }),
    };
    scrub(ages(sort_conflicts(sort_discovery(body))))
}

/// The real server lists the causes of an apply conflict in map order, which varies from run
/// to run (its message is sorted): both sides are compared sorted by field.
fn sort_conflicts(mut body: Value) -> Value {
    if body.get("reason").and_then(Value::as_str) != Some("Conflict") {
        return body;
    }
    if let Some(causes) = body
        .pointer_mut("/details/causes")
        .and_then(Value::as_array_mut)
    {
        causes.sort_by_key(|c| c.to_string());
    }
    body
}

/// The real server lists custom resources' groups and resources in the order its informers
/// saw the CRDs, which varies from run to run: both sides are compared sorted by name.
fn sort_discovery(mut body: Value) -> Value {
    let key = match body.get("kind").and_then(Value::as_str) {
        Some("APIGroupList") => "groups",
        Some("APIResourceList") => "resources",
        _ => return body,
    };
    if let Some(items) = body.get_mut(key).and_then(Value::as_array_mut) {
        items.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    }
    body
}

/// A Table's `Age` cells ("0s", "1s") depend on when the request came.
fn ages(mut body: Value) -> Value {
    if body.get("kind").and_then(Value::as_str) != Some("Table") {
        return body;
    }
    let age = body
        .get("columnDefinitions")
        .and_then(Value::as_array)
        .and_then(|cols| {
            cols.iter()
                .position(|c| c.get("name") == Some(&Value::from("Age")))
        });
    if let (Some(age), Some(rows)) = (age, body.get_mut("rows").and_then(Value::as_array_mut)) {
        for row in rows {
            if let Some(cell) = row.get_mut("cells").and_then(|c| c.get_mut(age)) {
                *cell = Value::from("<age>");
            }
        }
    }
    body
}

fn retain_items(mut body: Value, key: &str, keep: impl Fn(&Value) -> bool) -> Value {
    if let Some(items) = body.get_mut(key).and_then(Value::as_array_mut) {
        items.retain(keep);
    }
    body
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && s.ends_with('Z')
        && b[..4].iter().all(u8::is_ascii_digit)
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Replaces every UUID inside a message by `<uid>`.
fn scrub_uuids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text.is_char_boundary(i)
            && i + 36 <= text.len()
            && text.is_char_boundary(i + 36)
            && is_uuid(&text[i..i + 36])
        {
            out.push_str("<uid>");
            i += 36;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Messages that quote a whole object (a patch upstream could not decode) hold its timestamps
/// and resourceVersion.
fn scrub_embedded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        if i + 20 <= text.len()
            && text.is_char_boundary(i)
            && text.is_char_boundary(i + 20)
            && is_timestamp(&text[i..i + 20])
        {
            out.push_str("<time>");
            i += 20;
            continue;
        }
        let marker = "resourceVersion\\\":\\\"";
        if text[i..].starts_with(marker) {
            out.push_str(marker);
            i += marker.len();
            let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 0 {
                out.push_str("<rv>");
                i += digits;
            }
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// A precondition message names the stored resourceVersion: `in record (123)`.
fn scrub_record_rv(text: &str) -> String {
    let marker = "ResourceVersion in record (";
    match text.find(marker) {
        Some(i) => {
            let start = i + marker.len();
            let end = text[start..].find(')').map_or(text.len(), |e| start + e);
            format!("{}<rv>{}", &text[..start], &text[end..])
        }
        None => text.to_string(),
    }
}

fn scrub(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let v = match k.as_str() {
                    "uid" if v.is_string() => Value::from("<uid>"),
                    "resourceVersion" if v.as_str().is_some_and(|s| !s.is_empty()) => {
                        Value::from("<rv>")
                    }
                    "continue" if v.as_str().is_some_and(|s| !s.is_empty()) => {
                        Value::from("<continue>")
                    }
                    "clusterIP" if v.as_str().is_some_and(|s| s.contains('.')) => {
                        Value::from("<ip>")
                    }
                    "clusterIPs" => Value::from("<ips>"),
                    // Entries sort by their time (seconds) first, so their order depends on
                    // when the requests ran: compared in an order without the time.
                    "managedFields" => {
                        let mut entries = scrub(v);
                        if let Some(list) = entries.as_array_mut() {
                            list.sort_by_key(|e| {
                                let mut e = e.clone();
                                e.as_object_mut().map(|m| m.remove("fieldsV1"));
                                e.to_string()
                            });
                        }
                        entries
                    }
                    // Where the server listens (a free port each run).
                    "serverAddressByClientCIDRs" => Value::from("<addresses>"),
                    _ => scrub(v),
                };
                out.insert(k, v);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(scrub).collect()),
        Value::String(s) if is_timestamp(&s) => Value::from("<time>"),
        Value::String(s) => Value::String(scrub_embedded(&scrub_record_rv(&scrub_uuids(&s)))),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_random_and_time_values_are_replaced() {
        let body = json!({
            "metadata": {"uid": "0d5c3f7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f", "resourceVersion": "42",
                         "creationTimestamp": "2026-01-02T03:04:05Z", "name": "x"},
            "message": "UID in object meta: 0d5c3f7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f!",
            "n": 3,
        });
        assert_eq!(
            normalise(body, View::Full),
            json!({
                "metadata": {"uid": "<uid>", "resourceVersion": "<rv>",
                             "creationTimestamp": "<time>", "name": "x"},
                "message": "UID in object meta: <uid>!",
                "n": 3,
            })
        );
    }
}
