//! Channel views: `channel list`, `channel describe` and `channel list-types`.

use jiff::Timestamp;
use serde_json::Value;

use super::listing::{kn_order, namespaced_table};
use super::source::crd_kind_and_name;
use crate::api::duck::{ready_cell, reason_cell};
use crate::api::eventing::Channel;
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// `NAME TYPE URL AGE READY REASON`, by name (`-A`: `default` first).
pub fn list_table(channels: &[Channel], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&Channel> = channels.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |c| c.metadata.namespace.as_str(),
        |c| c.metadata.name.as_str(),
    );
    namespaced_table(
        &["Name", "Type", "URL", "Age", "Ready", "Reason"],
        rows,
        all_namespaces,
        |c| c.metadata.namespace.as_str(),
        |c| {
            let conditions = &c.status.conditions;
            let kind = c
                .spec
                .channel_template
                .as_ref()
                .map(|t| t.kind.clone())
                .unwrap_or_default();
            vec![
                c.metadata.name.clone(),
                kind,
                c.status.url().to_string(),
                table_age(c.metadata.creation_timestamp, now),
                ready_cell(conditions),
                reason_cell(conditions),
            ]
        },
    )
}

/// Metadata, `Type: Kind (apiVersion)`, `URL:` when addressable, and the conditions.
pub fn describe(channel: &Channel, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &channel.metadata, verbose, now);
    if let Some(template) = &channel.spec.channel_template {
        dw.attr(
            0,
            "Type",
            &format!("{} ({})", template.kind, template.api_version),
        );
    }
    if channel.status.address.is_some() {
        dw.attr(0, "URL", channel.status.url());
    }
    dw.blank();
    write_conditions(&mut dw, &channel.status.conditions, verbose, now);
    dw.finish()
}

/// kn's description of a channel kind.
pub fn type_description(kind: &str) -> &'static str {
    match kind {
        "InMemoryChannel" => "The events are stored in memory",
        "KafkaChannel" => "The events are stored in a Kafka cluster (must be installed separately)",
        _ => "",
    }
}

/// `TYPE NAME DESCRIPTION`, sorted by CRD name.
pub fn list_types_table(crds: &[Value]) -> Table {
    let mut rows: Vec<(String, String)> = crds.iter().map(crd_kind_and_name).collect();
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    let mut table = Table::new(&["Type", "Name", "Description"]);
    for (kind, name) in rows {
        table.push(vec![
            kind.clone(),
            name,
            type_description(&kind).to_string(),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::from_value;
    use serde_json::json;

    #[test]
    fn describe_list_and_types() {
        let now: Timestamp = "2026-01-01T00:10:00Z".parse().unwrap();
        let channel: Channel = from_value(&json!({
            "metadata": {"name": "pipe", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {"channelTemplate": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel"}},
            "status": {"address": {"url": "http://pipe-kn-channel.default.svc.cluster.local"},
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}]}
        }))
        .unwrap();
        assert_eq!(
            describe(&channel, false, now),
            "Name:       pipe\n\
             Namespace:  default\n\
             Age:        1m\n\
             Type:       InMemoryChannel (messaging.knative.dev/v1)\n\
             URL:        http://pipe-kn-channel.default.svc.cluster.local\n\
             \n\
             Conditions:  \n  \
             OK TYPE     AGE REASON\n  \
             ++ Ready     1m \n"
        );
        assert_eq!(
            list_table(&[channel], false, now).render(true),
            "NAME   TYPE              URL                                                AGE   READY   REASON\n\
             pipe   InMemoryChannel   http://pipe-kn-channel.default.svc.cluster.local   60s   True    \n"
        );
        let crd = json!({"metadata": {"name": "inmemorychannels.messaging.knative.dev"}, "spec": {"names": {"kind": "InMemoryChannel"}}});
        assert_eq!(
            list_types_table(&[crd]).render(true),
            "TYPE              NAME                                     DESCRIPTION\n\
             InMemoryChannel   inmemorychannels.messaging.knative.dev   The events are stored in memory\n"
        );
    }
}
