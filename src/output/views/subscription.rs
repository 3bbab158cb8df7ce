//! Subscription views: `subscription list` and `subscription describe`.

use jiff::Timestamp;

use super::listing::{kn_order, namespaced_table};
use super::sink::{short_form_opt, write_sink};
use crate::api::duck::{ready_cell, reason_cell};
use crate::api::eventing::Subscription;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// `NAME CHANNEL SUBSCRIBER REPLY DEAD LETTER SINK READY REASON`, by name (`-A`: `default`
/// first).
pub fn list_table(subscriptions: &[Subscription], all_namespaces: bool) -> Table {
    let mut rows: Vec<&Subscription> = subscriptions.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| s.metadata.name.as_str(),
    );
    namespaced_table(
        &[
            "Name",
            "Channel",
            "Subscriber",
            "Reply",
            "Dead Letter Sink",
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
                format!("{}:{}", s.spec.channel.kind, s.spec.channel.name),
                short_form_opt(s.spec.subscriber.as_ref()),
                short_form_opt(s.spec.reply.as_ref()),
                short_form_opt(s.spec.dead_letter_sink()),
                ready_cell(conditions),
                reason_cell(conditions),
            ]
        },
    )
}

/// Metadata, `Channel: Kind:name (apiVersion)`, Subscriber, Reply, DeadLetterSink, conditions.
pub fn describe(sub: &Subscription, verbose: bool, now: Timestamp) -> String {
    let ns = &sub.metadata.namespace;
    let channel = &sub.spec.channel;
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &sub.metadata, verbose, now);
    dw.attr(
        0,
        "Channel",
        &format!(
            "{}:{} ({})",
            channel.kind, channel.name, channel.api_version
        ),
    );
    for (label, dest) in [
        ("Subscriber", sub.spec.subscriber.as_ref()),
        ("Reply", sub.spec.reply.as_ref()),
        ("DeadLetterSink", sub.spec.dead_letter_sink()),
    ] {
        if let Some(dest) = dest {
            write_sink(&mut dw, label, ns, dest);
        }
    }
    dw.blank();
    write_conditions(&mut dw, &sub.status.conditions, verbose, now);
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
        let sub: Subscription = from_value(&json!({
            "metadata": {"name": "sub0", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {"channel": {"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "c0"},
                "subscriber": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "svc3", "namespace": "default"}},
                "delivery": {"deadLetterSink": {"uri": "http://dls"}}},
            "status": {"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}]}
        }))
        .unwrap();
        assert_eq!(
            describe(&sub, false, now),
            "Name:            sub0\n\
             Namespace:       default\n\
             Age:             1m\n\
             Channel:         Channel:c0 (messaging.knative.dev/v1)\n\
             Subscriber:      \n  \
             Name:          svc3\n  \
             Resource:      Service (serving.knative.dev/v1)\n\
             DeadLetterSink:  \n  \
             URI:           http://dls\n\
             \n\
             Conditions:  \n  \
             OK TYPE     AGE REASON\n  \
             ++ Ready     1m \n"
        );
        assert_eq!(
            list_table(&[sub], false).render(true),
            "NAME   CHANNEL      SUBSCRIBER   REPLY   DEAD LETTER SINK   READY   REASON\n\
             sub0   Channel:c0   ksvc:svc3            http://dls         True    \n"
        );
    }
}
