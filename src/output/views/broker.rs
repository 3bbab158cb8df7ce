//! Broker views: the `broker list` table and the `broker describe` layout.

use jiff::Timestamp;

use super::listing::namespaced_table;
use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
use crate::api::eventing::Broker;
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// `NAME URL AGE CONDITIONS READY REASON` in API order; `-A` adds NAMESPACE.
pub fn list_table(brokers: &[Broker], all_namespaces: bool, now: Timestamp) -> Table {
    namespaced_table(
        &["Name", "URL", "Age", "Conditions", "Ready", "Reason"],
        brokers,
        all_namespaces,
        |b| b.metadata.namespace.as_str(),
        |b| {
            let conditions = &b.status.conditions;
            vec![
                b.metadata.name.clone(),
                b.status.url().to_string(),
                table_age(b.metadata.creation_timestamp, now),
                conditions_ok(conditions),
                ready_cell(conditions),
                reason_cell(conditions),
            ]
        },
    )
}

/// Metadata, the `Address:` block and the conditions (kn shows neither delivery nor config).
pub fn describe(broker: &Broker, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &broker.metadata, false, now);
    dw.blank();
    dw.attr(0, "Address", "");
    dw.attr(1, "URL", broker.status.url());
    dw.blank();
    write_conditions(&mut dw, &broker.status.conditions, false, now);
    dw.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::from_value;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-01-01T00:10:00Z".parse().unwrap()
    }

    fn broker(ns: &str, name: &str, ready: bool) -> Broker {
        let conditions = if ready {
            json!([
                {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"},
                {"type": "Addressable", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"},
                {"type": "FilterReady", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}
            ])
        } else {
            json!([{"type": "Ready", "status": "Unknown", "reason": "Pending", "lastTransitionTime": "2026-01-01T00:09:00Z"}])
        };
        let mut object = json!({
            "metadata": {"name": name, "namespace": ns, "creationTimestamp": "2026-01-01T00:09:00Z",
                "annotations": {"eventing.knative.dev/broker.class": "MTChannelBasedBroker"}},
            "status": {"conditions": conditions}
        });
        if ready {
            object["status"]["address"] = json!({"url": format!("http://broker-ingress.knative-eventing.svc.cluster.local/{ns}/{name}")});
        }
        from_value(&object).unwrap()
    }

    #[test]
    fn list() {
        let brokers = vec![
            broker("default", "default", true),
            broker("other", "b2", false),
        ];
        assert_eq!(
            list_table(&brokers, false, now()).render(true),
            "NAME      URL                                                                        AGE   CONDITIONS   READY     REASON\n\
             default   http://broker-ingress.knative-eventing.svc.cluster.local/default/default   60s   3 OK / 3     True      \n\
             b2                                                                                   60s   0 OK / 1     Unknown   Pending\n"
        );
        let all = list_table(&brokers, true, now()).render(true);
        assert!(all.starts_with("NAMESPACE   NAME      URL"), "{all}");
        assert!(all.contains("\ndefault     default   http"), "{all}");
    }

    #[test]
    fn describe_layout() {
        assert_eq!(
            describe(&broker("default", "default", true), now()),
            "Name:         default\n\
             Namespace:    default\n\
             Annotations:  eventing.knative.dev/broker.class=MTChannelBasedBroker\n\
             Age:          1m\n\
             \n\
             Address:  \n  \
             URL:    http://broker-ingress.knative-eventing.svc.cluster.local/default/default\n\
             \n\
             Conditions:  \n  \
             OK TYPE           AGE REASON\n  \
             ++ Ready           1m \n  \
             ++ Addressable     1m \n  \
             ++ FilterReady     1m \n"
        );
    }
}
