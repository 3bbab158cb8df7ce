//! EventType views: `eventtype list` and `eventtype describe`.

use jiff::Timestamp;

use super::listing::namespaced_table;
use crate::api::duck::ready_cell;
use crate::api::eventing::EventType;
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// `NAME TYPE SOURCE REFERENCE AGE READY`, API order; REFERENCE is the referenced name.
pub fn list_table(eventtypes: &[EventType], all_namespaces: bool, now: Timestamp) -> Table {
    namespaced_table(
        &["Name", "Type", "Source", "Reference", "Age", "Ready"],
        eventtypes,
        all_namespaces,
        |e| e.metadata.namespace.as_str(),
        |e| {
            vec![
                e.metadata.name.clone(),
                e.spec.type_.clone(),
                e.spec.source.clone(),
                e.spec
                    .reference
                    .as_ref()
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
                table_age(e.metadata.creation_timestamp, now),
                ready_cell(&e.status.conditions),
            ]
        },
    )
}

/// Metadata, Source, the Reference block, two blank lines and the conditions (kn's layout).
pub fn describe(et: &EventType, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &et.metadata, false, now);
    dw.attr(0, "Source", &et.spec.source);
    dw.attr(0, "Reference", "");
    if let Some(reference) = &et.spec.reference {
        dw.attr(1, "APIVersion", &reference.api_version);
        dw.attr(1, "Kind", &reference.kind);
        dw.attr(1, "Name", &reference.name);
        if !reference.namespace.is_empty() && reference.namespace != et.metadata.namespace {
            dw.attr(1, "Namespace", &reference.namespace);
        }
    }
    dw.blank();
    dw.blank();
    write_conditions(&mut dw, &et.status.conditions, false, now);
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
        let et: EventType = from_value(&json!({
            "metadata": {"name": "myeventtype", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {"type": "example.type", "source": "https://example.com/src",
                "reference": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default"}},
            "status": {"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}]}
        }))
        .unwrap();
        assert_eq!(
            describe(&et, now),
            "Name:          myeventtype\n\
             Namespace:     default\n\
             Age:           1m\n\
             Source:        https://example.com/src\n\
             Reference:     \n  \
             APIVersion:  eventing.knative.dev/v1\n  \
             Kind:        Broker\n  \
             Name:        default\n\
             \n\
             \n\
             Conditions:  \n  \
             OK TYPE     AGE REASON\n  \
             ++ Ready     1m \n"
        );
        assert_eq!(
            list_table(&[et], false, now).render(true),
            "NAME          TYPE           SOURCE                    REFERENCE   AGE   READY\n\
             myeventtype   example.type   https://example.com/src   default     60s   True\n"
        );
    }
}
