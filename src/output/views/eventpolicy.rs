//! EventPolicy views: `eventpolicy list` and `eventpolicy describe`.

use jiff::Timestamp;

use super::listing::{kn_order, namespaced_table};
use super::sink::short_form;
use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
use crate::api::eventing::{Destination, KReference};
use crate::api::integ::{EventPolicy, PolicyFrom, PolicyRef, PolicySelector, PolicyTo};
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// A reference in the sink short form (`broker:default`, `pingsources.sources.knative.dev/v1:p`).
fn ref_cell(r: &PolicyRef) -> String {
    short_form(&Destination {
        reference: Some(KReference {
            kind: r.kind.clone(),
            namespace: r.namespace.clone(),
            name: r.name.clone(),
            api_version: r.api_version.clone(),
        }),
        uri: None,
    })
}

/// A selector as `Kind[k=v,k2=v2]`.
fn selector_cell(s: &PolicySelector) -> String {
    let labels: Vec<String> = s
        .match_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!("{}[{}]", s.kind, labels.join(","))
}

fn to_cell(to: &PolicyTo) -> String {
    match (&to.reference, &to.selector) {
        (Some(r), _) => ref_cell(r),
        (None, Some(s)) => selector_cell(s),
        (None, None) => String::new(),
    }
}

fn from_cell(from: &PolicyFrom) -> String {
    match (&from.reference, &from.sub) {
        (Some(r), _) => ref_cell(r),
        (None, Some(sub)) => sub.clone(),
        (None, None) => String::new(),
    }
}

/// The TO cell: `*` when the policy applies to the whole namespace.
fn targets(policy: &EventPolicy) -> String {
    if policy.spec.to.is_empty() {
        return "*".to_string();
    }
    policy
        .spec
        .to
        .iter()
        .map(to_cell)
        .collect::<Vec<_>>()
        .join(",")
}

/// `NAME TO FROM AGE CONDITIONS READY REASON`, by name (`-A`: `default` first).
pub fn list_table(policies: &[EventPolicy], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&EventPolicy> = policies.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |p| p.metadata.namespace.as_str(),
        |p| p.metadata.name.as_str(),
    );
    namespaced_table(
        &["Name", "To", "From", "Age", "Conditions", "Ready", "Reason"],
        rows,
        all_namespaces,
        |p| p.metadata.namespace.as_str(),
        |p| {
            let conditions = &p.status.conditions;
            vec![
                p.metadata.name.clone(),
                targets(p),
                p.spec
                    .from
                    .iter()
                    .map(from_cell)
                    .collect::<Vec<_>>()
                    .join(","),
                table_age(p.metadata.creation_timestamp, now),
                conditions_ok(conditions),
                ready_cell(conditions),
                reason_cell(conditions),
            ]
        },
    )
}

/// Metadata, To, From, Filters, the resolved Subjects and the conditions.
pub fn describe(policy: &EventPolicy, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &policy.metadata, verbose, now);
    dw.blank();
    dw.attr(
        0,
        "To",
        if policy.spec.to.is_empty() {
            "* (every resource of the namespace)"
        } else {
            ""
        },
    );
    for to in &policy.spec.to {
        match (&to.reference, &to.selector) {
            (Some(r), _) => dw.attr(
                1,
                "Ref",
                &format!("{} ({} {})", r.name, r.kind, r.api_version),
            ),
            (None, Some(s)) => dw.attr(1, "Selector", &selector_cell(s)),
            (None, None) => {}
        }
    }
    dw.attr(0, "From", "");
    for from in &policy.spec.from {
        match (&from.reference, &from.sub) {
            (Some(r), _) => {
                let mut text = format!("{} ({} {})", r.name, r.kind, r.api_version);
                if !r.namespace.is_empty() && r.namespace != policy.metadata.namespace {
                    text = format!("{}/{text}", r.namespace);
                }
                dw.attr(1, "Ref", &text);
            }
            (None, Some(sub)) => dw.attr(1, "Subject", sub),
            (None, None) => {}
        }
    }
    if !policy.spec.filters.is_empty() {
        dw.attr(0, "Filters", "");
        for filter in &policy.spec.filters {
            match filter.get("cesql").and_then(|v| v.as_str()) {
                Some(expression) => dw.attr(1, "CESQL", expression),
                None => dw.attr(1, "Filter", &filter.to_string()),
            }
        }
    }
    if !policy.status.from.is_empty() {
        dw.attr(0, "Subjects", "");
        for subject in &policy.status.from {
            dw.line(1, subject);
        }
    }
    dw.blank();
    write_conditions(&mut dw, &policy.status.conditions, verbose, now);
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
        let policy: EventPolicy = from_value(&json!({
            "metadata": {"name": "orders", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {
                "to": [{"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default"}},
                       {"selector": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "matchLabels": {"team": "a"}}}],
                "from": [{"ref": {"apiVersion": "sources.knative.dev/v1", "kind": "PingSource", "name": "hb", "namespace": "other"}},
                         {"sub": "system:serviceaccount:default:*"}],
                "filters": [{"cesql": "type = 'x'"}]
            },
            "status": {"from": ["system:serviceaccount:other:hb-oidc-source", "system:serviceaccount:default:*"],
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}]}
        }))
        .unwrap();
        assert_eq!(
            describe(&policy, false, now),
            "Name:       orders\n\
             Namespace:  default\n\
             Age:        1m\n\
             \n\
             To:          \n  \
             Ref:       default (Broker eventing.knative.dev/v1)\n  \
             Selector:  Broker[team=a]\n\
             From:        \n  \
             Ref:       other/hb (PingSource sources.knative.dev/v1)\n  \
             Subject:   system:serviceaccount:default:*\n\
             Filters:     \n  \
             CESQL:     type = 'x'\n\
             Subjects:    \n  \
             system:serviceaccount:other:hb-oidc-source\n  \
             system:serviceaccount:default:*\n\
             \n\
             Conditions:  \n  \
             OK TYPE     AGE REASON\n  \
             ++ Ready     1m \n"
        );
        assert_eq!(
            list_table(&[policy], false, now).render(true),
            "NAME     TO                              FROM                                                                    AGE   CONDITIONS   READY   REASON\n\
             orders   broker:default,Broker[team=a]   pingsources.sources.knative.dev/v1:hb,system:serviceaccount:default:*   60s   1 OK / 1     True    \n"
        );
    }
}
