//! PingSource views: `source ping list` and `source ping describe`.

use jiff::Timestamp;

use super::listing::{kn_order, namespaced_table};
use super::sink::{ping_short_form, write_sink_section};
use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
use crate::api::eventing::PingSource;
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// `NAME SCHEDULE SINK AGE CONDITIONS READY REASON`, by name (`-A`: `default` first). The SINK
/// cell uses the common short form (kn's ping list had its own `Kind:name` variant).
pub fn list_table(sources: &[PingSource], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&PingSource> = sources.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| s.metadata.name.as_str(),
    );
    namespaced_table(
        &[
            "Name",
            "Schedule",
            "Sink",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ],
        rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| {
            let conditions = &s.status.conditions;
            vec![
                s.metadata.name.clone(),
                s.spec.schedule.clone(),
                ping_short_form(&s.spec.sink),
                table_age(s.metadata.creation_timestamp, now),
                conditions_ok(conditions),
                ready_cell(conditions),
                reason_cell(conditions),
            ]
        },
    )
}

/// Metadata, Schedule, Data/DataBase64, the Sink block, overrides and conditions.
pub fn describe(source: &PingSource, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &source.metadata, verbose, now);
    dw.attr(0, "Schedule", &source.spec.schedule);
    if !source.spec.data_base64.is_empty() {
        dw.attr(0, "DataBase64", &source.spec.data_base64);
    } else {
        dw.attr(0, "Data", &source.spec.data);
    }
    if write_sink_section(
        &mut dw,
        &source.metadata.namespace,
        &source.spec.sink,
        source.spec.ce_overrides.as_ref(),
    ) {
        dw.blank();
    }
    write_conditions(&mut dw, &source.status.conditions, verbose, now);
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
        let source: PingSource = from_value(&json!({
            "metadata": {"name": "my-ping", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {"schedule": "*/2 * * * *", "data": "{ value: \"hello\" }",
                "sink": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "mysvc"}},
                "ceOverrides": {"extensions": {"foo": "bar"}}},
            "status": {"conditions": [
                {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"},
                {"type": "Deployed", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"},
                {"type": "SinkProvided", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}
            ]}
        }))
        .unwrap();
        assert_eq!(
            describe(&source, false, now),
            "Name:       my-ping\n\
             Namespace:  default\n\
             Age:        1m\n\
             Schedule:   */2 * * * *\n\
             Data:       { value: \"hello\" }\n\
             \n\
             Sink:        \n  \
             Name:      mysvc\n  \
             Resource:  Service (serving.knative.dev/v1)\n\
             \n\
             CloudEvent Overrides:  \n  \
             foo:                 bar\n\
             \n\
             Conditions:  \n  \
             OK TYPE            AGE REASON\n  \
             ++ Ready            1m \n  \
             ++ Deployed         1m \n  \
             ++ SinkProvided     1m \n"
        );
        assert_eq!(
            list_table(&[source], false, now).render(true),
            "NAME      SCHEDULE      SINK         AGE   CONDITIONS   READY   REASON\n\
             my-ping   */2 * * * *   ksvc:mysvc   60s   3 OK / 3     True    \n"
        );
    }
}
