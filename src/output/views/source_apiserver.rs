//! ApiServerSource views: `source apiserver list` and `source apiserver describe`.

use jiff::Timestamp;

use super::listing::{kn_order, namespaced_table};
use super::sink::{short_form, write_sink_section};
use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
use crate::api::eventing::{ApiServerResource, ApiServerSource, LabelSelector};
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// A selector as `k=v,k2=v2` (keys sorted); `[match expressions]` when it only has expressions.
/// kn indexed into an empty slice here and panicked on any label selector.
pub fn selector_text(selector: &LabelSelector) -> String {
    if !selector.match_labels.is_empty() {
        selector
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    } else if !selector.match_expressions.is_empty() {
        "[match expressions]".to_string()
    } else {
        String::new()
    }
}

/// `Kind:APIVersion[:selector]`.
pub fn resource_text(resource: &ApiServerResource) -> String {
    let selector = resource
        .selector
        .as_ref()
        .map(selector_text)
        .unwrap_or_default();
    if selector.is_empty() {
        format!("{}:{}", resource.kind, resource.api_version)
    } else {
        format!("{}:{}:{selector}", resource.kind, resource.api_version)
    }
}

/// `NAME RESOURCES SINK AGE CONDITIONS READY REASON`, by name (`-A`: `default` first).
pub fn list_table(sources: &[ApiServerSource], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&ApiServerSource> = sources.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| s.metadata.name.as_str(),
    );
    namespaced_table(
        &[
            "Name",
            "Resources",
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
            let resources: Vec<String> = s.spec.resources.iter().map(resource_text).collect();
            vec![
                s.metadata.name.clone(),
                resources.join(","),
                short_form(&s.spec.sink),
                table_age(s.metadata.creation_timestamp, now),
                conditions_ok(conditions),
                ready_cell(conditions),
                reason_cell(conditions).trim().to_string(),
            ]
        },
    )
}

/// Metadata, ServiceAccountName, EventMode, the Sink block, overrides + Resources, conditions.
pub fn describe(source: &ApiServerSource, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &source.metadata, verbose, now);
    dw.attr(0, "ServiceAccountName", &source.spec.service_account_name);
    dw.attr(0, "EventMode", &source.spec.mode);
    write_sink_section(
        &mut dw,
        &source.metadata.namespace,
        &source.spec.sink,
        source.spec.ce_overrides.as_ref(),
    );
    dw.attr(0, "Resources", "");
    for resource in &source.spec.resources {
        dw.attr(
            1,
            "Kind",
            &format!("{} ({})", resource.kind, resource.api_version),
        );
        if let Some(selector) = &resource.selector {
            dw.attr(1, "Selector", &selector_text(selector));
        }
    }
    dw.blank();
    write_conditions(&mut dw, &source.status.conditions, verbose, now);
    dw.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::from_value;
    use serde_json::json;

    #[test]
    fn describe_and_list_with_selectors() {
        let now: Timestamp = "2026-01-01T00:10:00Z".parse().unwrap();
        let source: ApiServerSource = from_value(&json!({
            "metadata": {"name": "k8sevents", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {"serviceAccountName": "myaccountname", "mode": "Reference",
                "resources": [{"kind": "Event", "apiVersion": "v1", "selector": {"matchLabels": {"key": "value", "a": "b"}}}],
                "sink": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "mysvc", "namespace": "default"}},
                "ceOverrides": {"extensions": {"foo": "bar"}}},
            "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "NotFound", "lastTransitionTime": "2026-01-01T00:09:00Z"}]}
        }))
        .unwrap();
        assert_eq!(
            describe(&source, false, now),
            "Name:                k8sevents\n\
             Namespace:           default\n\
             Age:                 1m\n\
             ServiceAccountName:  myaccountname\n\
             EventMode:           Reference\n\
             \n\
             Sink:        \n  \
             Name:      mysvc\n  \
             Resource:  Service (serving.knative.dev/v1)\n\
             \n\
             CloudEvent Overrides:  \n  \
             foo:                 bar\n\
             Resources:             \n  \
             Kind:                Event (v1)\n  \
             Selector:            a=b,key=value\n\
             \n\
             Conditions:  \n  \
             OK TYPE     AGE REASON\n  \
             !! Ready     1m NotFound\n"
        );
        assert_eq!(
            list_table(&[source], false, now).render(true),
            "NAME        RESOURCES                SINK         AGE   CONDITIONS   READY   REASON\n\
             k8sevents   Event:v1:a=b,key=value   ksvc:mysvc   60s   0 OK / 1     False   NotFound\n"
        );
    }
}
