//! SinkBinding views: `source binding list` and `source binding describe`.

use jiff::Timestamp;

use super::listing::namespaced_table;
use super::sink::{short_form, write_ce_overrides, write_sink};
use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
use crate::api::eventing::{SinkBinding, Subject};
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// `Kind:apiVersion:name`, or `Kind:apiVersion:k=v,…` (keys sorted; kn used map order).
pub fn subject_text(subject: &Subject) -> String {
    let base = format!("{}:{}", subject.kind, subject.api_version);
    if !subject.name.is_empty() {
        return format!("{base}:{}", subject.name);
    }
    match &subject.selector {
        Some(selector) => {
            let pairs: Vec<String> = selector
                .match_labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            format!("{base}:{}", pairs.join(","))
        }
        None => base,
    }
}

/// `NAME SUBJECT SINK AGE CONDITIONS READY REASON`, API order; `-A` adds NAMESPACE.
pub fn list_table(bindings: &[SinkBinding], all_namespaces: bool, now: Timestamp) -> Table {
    namespaced_table(
        &[
            "Name",
            "Subject",
            "Sink",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ],
        bindings,
        all_namespaces,
        |b| b.metadata.namespace.as_str(),
        |b| {
            let conditions = &b.status.conditions;
            vec![
                b.metadata.name.clone(),
                subject_text(&b.spec.subject),
                short_form(&b.spec.sink),
                table_age(b.metadata.creation_timestamp, now),
                conditions_ok(conditions),
                ready_cell(conditions),
                reason_cell(conditions),
            ]
        },
    )
}

/// Metadata, Subject, Sink and overrides in one aligned block, then the conditions.
pub fn describe(binding: &SinkBinding, verbose: bool, now: Timestamp) -> String {
    let namespace = &binding.metadata.namespace;
    let subject = &binding.spec.subject;
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &binding.metadata, verbose, now);
    dw.attr(0, "Subject", "");
    if !subject.namespace.is_empty() && subject.namespace != *namespace {
        dw.attr(1, "Namespace", &subject.namespace);
    }
    if !subject.name.is_empty() {
        dw.attr(1, "Name", &subject.name);
    }
    dw.attr(
        1,
        "Resource",
        &format!("{} ({})", subject.kind, subject.api_version),
    );
    if let Some(selector) = &subject.selector {
        dw.attr(1, "Selector", "");
        for (key, value) in &selector.match_labels {
            dw.attr(2, key, value);
        }
    }
    write_sink(&mut dw, "Sink", namespace, &binding.spec.sink);
    write_ce_overrides(&mut dw, binding.spec.ce_overrides.as_ref());
    dw.blank();
    write_conditions(&mut dw, &binding.status.conditions, verbose, now);
    dw.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::from_value;
    use serde_json::json;

    #[test]
    fn describe_and_list() {
        let now: Timestamp = "2026-01-01T00:10:00Z".parse().unwrap();
        let binding: SinkBinding = from_value(&json!({
            "metadata": {"name": "my-binding", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {"subject": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "myapp", "namespace": "default"},
                "sink": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "mysvc", "namespace": "default"}}},
            "status": {"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}]}
        }))
        .unwrap();
        assert_eq!(
            describe(&binding, false, now),
            "Name:        my-binding\n\
             Namespace:   default\n\
             Age:         1m\n\
             Subject:     \n  \
             Name:      myapp\n  \
             Resource:  Deployment (apps/v1)\n\
             Sink:        \n  \
             Name:      mysvc\n  \
             Resource:  Service (serving.knative.dev/v1)\n\
             \n\
             Conditions:  \n  \
             OK TYPE     AGE REASON\n  \
             ++ Ready     1m \n"
        );
        assert_eq!(
            list_table(&[binding], false, now).render(true),
            "NAME         SUBJECT                    SINK         AGE   CONDITIONS   READY   REASON\n\
             my-binding   Deployment:apps/v1:myapp   ksvc:mysvc   60s   1 OK / 1     True    \n"
        );
    }

    #[test]
    fn selector_subjects() {
        let subject: Subject = from_value(&json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "selector": {"matchLabels": {"b": "2", "a": "1"}}}))
        .unwrap();
        assert_eq!(subject_text(&subject), "CronJob:batch/v1:a=1,b=2");
    }
}
