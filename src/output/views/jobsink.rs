//! JobSink views: the `jobsink list` table and the `jobsink describe` layout.

use jiff::Timestamp;
use serde_json::Value;

use super::listing::{kn_order, namespaced_table};
use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
use crate::api::flows::JobSink;
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

fn first_image(js: &JobSink) -> String {
    js.containers()
        .first()
        .and_then(|c| c.get("image"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// `NAME IMAGE URL AGE CONDITIONS READY REASON` (IMAGE: the first container's), by name.
pub fn list_table(items: &[JobSink], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&JobSink> = items.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |j| j.metadata.namespace.as_str(),
        |j| j.metadata.name.as_str(),
    );
    namespaced_table(
        &[
            "Name",
            "Image",
            "URL",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ],
        rows,
        all_namespaces,
        |j| j.metadata.namespace.as_str(),
        |j| {
            let conditions = &j.status.conditions;
            vec![
                j.metadata.name.clone(),
                first_image(j),
                j.status.url().to_string(),
                table_age(j.metadata.creation_timestamp, now),
                conditions_ok(conditions),
                ready_cell(conditions),
                reason_cell(conditions),
            ]
        },
    )
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Metadata, address, then per container: Image, Command, Args and Env (`NAME=VALUE`, or
/// `NAME` from a reference), then the conditions.
pub fn describe(js: &JobSink, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &js.metadata, verbose, now);
    dw.blank();
    dw.attr(0, "Address", "");
    dw.attr(1, "URL", js.status.url());
    for c in js.containers() {
        let name = c.get("name").and_then(Value::as_str).unwrap_or_default();
        dw.attr(0, "Container", name);
        let image = c.get("image").and_then(Value::as_str).unwrap_or_default();
        dw.attr(1, "Image", image);
        let command = strings(c.get("command"));
        if !command.is_empty() {
            dw.attr(1, "Command", &command.join(" "));
        }
        let args = strings(c.get("args"));
        if !args.is_empty() {
            dw.attr(1, "Args", &args.join(" "));
        }
        let env: Vec<String> = c
            .get("env")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|e| {
                let name = e.get("name").and_then(Value::as_str).unwrap_or_default();
                match e.get("value").and_then(Value::as_str) {
                    Some(v) => format!("{name}={v}"),
                    None => name.to_string(),
                }
            })
            .collect();
        if !env.is_empty() {
            dw.attr(1, "Env", &env.join(", "));
        }
    }
    dw.blank();
    write_conditions(&mut dw, &js.status.conditions, verbose, now);
    dw.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::from_value;
    use serde_json::json;

    #[test]
    fn views() {
        let now: Timestamp = "2026-01-01T00:10:00Z".parse().unwrap();
        let js: JobSink = from_value(&json!({
            "metadata": {"name": "js", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {"job": {"spec": {"template": {"spec": {"containers": [
                {"name": "main", "image": "bash:5", "command": ["cat"], "args": ["/etc/jobsink-event/event"],
                 "env": [{"name": "A", "value": "1"}, {"name": "S", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]}
            ]}}}}},
            "status": {"address": {"url": "http://job-sink.knative-eventing.svc.cluster.local/default/js"},
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}]}
        }))
        .unwrap();
        assert_eq!(
            list_table(std::slice::from_ref(&js), false, now).render(true),
            "NAME   IMAGE    URL                                                             AGE   CONDITIONS   READY   REASON\n\
             js     bash:5   http://job-sink.knative-eventing.svc.cluster.local/default/js   60s   1 OK / 1     True    \n"
        );
        assert_eq!(
            describe(&js, false, now),
            "Name:       js\n\
             Namespace:  default\n\
             Age:        1m\n\
             \n\
             Address:    \n  \
             URL:      http://job-sink.knative-eventing.svc.cluster.local/default/js\n\
             Container:  main\n  \
             Image:    bash:5\n  \
             Command:  cat\n  \
             Args:     /etc/jobsink-event/event\n  \
             Env:      A=1, S\n\
             \n\
             Conditions:  \n  \
             OK TYPE     AGE REASON\n  \
             ++ Ready     1m \n"
        );
    }
}
