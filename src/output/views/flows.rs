//! Sequence and Parallel views: `sequence|parallel list` tables and `describe` layouts.

use jiff::Timestamp;

use super::listing::{kn_order, namespaced_table};
use super::sink::{short_form, short_form_opt, write_sink};
use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
use crate::api::eventing::{AddressableStatus, TypeMeta};
use crate::api::flows::{Parallel, Sequence};
use crate::api::meta::ObjectMeta;
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// `NAME STEPS REPLY URL AGE CONDITIONS READY REASON`, by name (`-A`: `default` first); STEPS
/// are the steps' short forms joined by commas.
pub fn sequence_table(items: &[Sequence], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&Sequence> = items.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| s.metadata.name.as_str(),
    );
    let headers = [
        "Name",
        "Steps",
        "Reply",
        "URL",
        "Age",
        "Conditions",
        "Ready",
        "Reason",
    ];
    namespaced_table(
        &headers,
        rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| {
            let steps: Vec<String> = s
                .spec
                .steps
                .iter()
                .map(|st| short_form(&st.destination))
                .collect();
            flow_row(
                &s.metadata,
                &s.status,
                steps.join(","),
                short_form_opt(s.spec.reply.as_ref()),
                now,
            )
        },
    )
}

/// `NAME BRANCHES REPLY URL AGE CONDITIONS READY REASON`; a branch reads `FILTER>SUBSCRIBER`
/// (`SUBSCRIBER` alone without a filter), branches joined by commas.
pub fn parallel_table(items: &[Parallel], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&Parallel> = items.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |p| p.metadata.namespace.as_str(),
        |p| p.metadata.name.as_str(),
    );
    let headers = [
        "Name",
        "Branches",
        "Reply",
        "URL",
        "Age",
        "Conditions",
        "Ready",
        "Reason",
    ];
    namespaced_table(
        &headers,
        rows,
        all_namespaces,
        |p| p.metadata.namespace.as_str(),
        |p| {
            let branches: Vec<String> = p
                .spec
                .branches
                .iter()
                .map(|b| match &b.filter {
                    Some(f) => format!("{}>{}", short_form(f), short_form(&b.subscriber)),
                    None => short_form(&b.subscriber),
                })
                .collect();
            flow_row(
                &p.metadata,
                &p.status,
                branches.join(","),
                short_form_opt(p.spec.reply.as_ref()),
                now,
            )
        },
    )
}

fn flow_row(
    meta: &ObjectMeta,
    status: &AddressableStatus,
    items: String,
    reply: String,
    now: Timestamp,
) -> Vec<String> {
    let conditions = &status.conditions;
    vec![
        meta.name.clone(),
        items,
        reply,
        status.url().to_string(),
        table_age(meta.creation_timestamp, now),
        conditions_ok(conditions),
        ready_cell(conditions),
        reason_cell(conditions),
    ]
}

fn write_head(
    dw: &mut DescribeWriter,
    meta: &ObjectMeta,
    status: &AddressableStatus,
    template: Option<&TypeMeta>,
    verbose: bool,
    now: Timestamp,
) {
    write_metadata(dw, meta, verbose, now);
    dw.blank();
    dw.attr(0, "Address", "");
    dw.attr(1, "URL", status.url());
    if let Some(t) = template {
        dw.attr(0, "Channel", &format!("{} ({})", t.kind, t.api_version));
    }
}

/// Metadata, address, channel template, one block per step, the reply, conditions.
pub fn sequence_describe(seq: &Sequence, verbose: bool, now: Timestamp) -> String {
    let ns = &seq.metadata.namespace;
    let mut dw = DescribeWriter::new();
    write_head(
        &mut dw,
        &seq.metadata,
        &seq.status,
        seq.spec.channel_template.as_ref(),
        verbose,
        now,
    );
    for (i, step) in seq.spec.steps.iter().enumerate() {
        write_sink(&mut dw, &format!("Step {i}"), ns, &step.destination);
    }
    if let Some(reply) = &seq.spec.reply {
        write_sink(&mut dw, "Reply", ns, reply);
    }
    dw.blank();
    write_conditions(&mut dw, &seq.status.conditions, verbose, now);
    dw.finish()
}

/// Metadata, address, channel template, one block per branch (Filter, Subscriber, Reply in
/// short form), the reply, conditions.
pub fn parallel_describe(par: &Parallel, verbose: bool, now: Timestamp) -> String {
    let ns = &par.metadata.namespace;
    let mut dw = DescribeWriter::new();
    write_head(
        &mut dw,
        &par.metadata,
        &par.status,
        par.spec.channel_template.as_ref(),
        verbose,
        now,
    );
    for (i, b) in par.spec.branches.iter().enumerate() {
        dw.attr(0, &format!("Branch {i}"), "");
        if let Some(f) = &b.filter {
            dw.attr(1, "Filter", &short_form(f));
        }
        dw.attr(1, "Subscriber", &short_form(&b.subscriber));
        if let Some(r) = &b.reply {
            dw.attr(1, "Reply", &short_form(r));
        }
    }
    if let Some(reply) = &par.spec.reply {
        write_sink(&mut dw, "Reply", ns, reply);
    }
    dw.blank();
    write_conditions(&mut dw, &par.status.conditions, verbose, now);
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

    #[test]
    fn sequence_views() {
        let seq: Sequence = from_value(&json!({
            "metadata": {"name": "seq", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {
                "channelTemplate": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel"},
                "steps": [
                    {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "a", "namespace": "default"}},
                    {"uri": "http://b", "delivery": {"retry": 2}}
                ],
                "reply": {"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default", "namespace": "default"}}
            },
            "status": {"address": {"url": "http://seq-kn-sequence-0-kn-channel.default.svc.cluster.local"},
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}]}
        }))
        .unwrap();
        assert_eq!(
            sequence_table(std::slice::from_ref(&seq), false, now()).render(true),
            "NAME   STEPS             REPLY            URL                                                             AGE   CONDITIONS   READY   REASON\n\
             seq    ksvc:a,http://b   broker:default   http://seq-kn-sequence-0-kn-channel.default.svc.cluster.local   60s   1 OK / 1     True    \n"
        );
        assert_eq!(
            sequence_describe(&seq, false, now()),
            "Name:       seq\n\
             Namespace:  default\n\
             Age:        1m\n\
             \n\
             Address:     \n  \
             URL:       http://seq-kn-sequence-0-kn-channel.default.svc.cluster.local\n\
             Channel:     InMemoryChannel (messaging.knative.dev/v1)\n\
             Step 0:      \n  \
             Name:      a\n  \
             Resource:  Service (serving.knative.dev/v1)\n\
             Step 1:      \n  \
             URI:       http://b\n\
             Reply:       \n  \
             Name:      default\n  \
             Resource:  Broker (eventing.knative.dev/v1)\n\
             \n\
             Conditions:  \n  \
             OK TYPE     AGE REASON\n  \
             ++ Ready     1m \n"
        );
    }

    #[test]
    fn parallel_views() {
        let par: Parallel = from_value(&json!({
            "metadata": {"name": "par", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {"branches": [
                {"filter": {"uri": "http://f"}, "subscriber": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "s"}}},
                {"subscriber": {"uri": "http://t"}, "reply": {"uri": "http://r"}}
            ]}
        }))
        .unwrap();
        assert_eq!(
            parallel_table(std::slice::from_ref(&par), true, now()).render(true),
            "NAMESPACE   NAME   BRANCHES                   REPLY   URL   AGE   CONDITIONS   READY       REASON\n\
             default     par    http://f>ksvc:s,http://t                 60s   0 OK / 0     <unknown>   <unknown>\n"
        );
        assert_eq!(
            parallel_describe(&par, false, now()),
            "Name:       par\n\
             Namespace:  default\n\
             Age:        1m\n\
             \n\
             Address:       \n  \
             URL:         \n\
             Branch 0:      \n  \
             Filter:      http://f\n  \
             Subscriber:  ksvc:s\n\
             Branch 1:      \n  \
             Subscriber:  http://t\n  \
             Reply:       http://r\n\
             \n\
             Conditions:  \n  \
             OK TYPE    AGE REASON\n"
        );
    }
}
