//! `source list` (every source kind through the source duck type) and `source list-types`.

use serde_json::Value;

use super::sink::short_form;
use crate::api::duck::ready_cell;
use crate::api::eventing::{Destination, DuckSource};
use crate::output::table::Table;

/// `<lower(kind)>s.<group>`, e.g. `pingsources.sources.knative.dev`.
pub fn resource_name(source: &DuckSource) -> String {
    let group = source.api_version.split('/').next().unwrap_or_default();
    format!("{}s.{group}", source.kind.to_ascii_lowercase())
}

/// The SINK cell: "" without a sink, `<unknown>` when it is not a Destination.
pub fn sink_cell(source: &DuckSource) -> String {
    match &source.spec.sink {
        None | Some(Value::Null) => String::new(),
        Some(sink) => match serde_json::from_value::<Destination>(sink.clone()) {
            Ok(dest) => short_form(&dest),
            Err(_) => "<unknown>".to_string(),
        },
    }
}

/// `NAME TYPE RESOURCE SINK READY`, sorted by name; `-A` adds NAMESPACE.
pub fn list_table(sources: &[DuckSource], all_namespaces: bool) -> Table {
    let mut rows: Vec<&DuckSource> = sources.iter().collect();
    rows.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let mut table = Table::new(&["Name", "Type", "Resource", "Sink", "Ready"]);
    if all_namespaces {
        table = table.with_leading_column("Namespace");
    }
    for s in rows {
        let mut row = vec![
            s.metadata.name.clone(),
            s.kind.clone(),
            resource_name(s),
            sink_cell(s),
            ready_cell(&s.status.conditions),
        ];
        if all_namespaces {
            row.insert(0, s.metadata.namespace.clone());
        }
        table.push(row);
    }
    table
}

/// kn's built-in description of a source kind.
pub fn type_description(kind: &str) -> &'static str {
    match kind {
        "ApiServerSource" => "Watch and send Kubernetes API events to addressable",
        "SinkBinding" => "Binding for connecting a PodSpecable to addressable",
        "PingSource" => "Send periodically ping events to addressable",
        "ContainerSource" => "Generate events by Container image and send to addressable",
        "KafkaSource" => "Route events from Apache Kafka Server to addressable",
        _ => "",
    }
}

/// The `S` column: `X` for the sources kn supports itself.
fn supported(kind: &str) -> &'static str {
    match kind {
        "ApiServerSource" | "SinkBinding" | "PingSource" | "ContainerSource" => "X",
        _ => "",
    }
}

/// `spec.names.kind` and `metadata.name` of a CRD.
pub fn crd_kind_and_name(crd: &Value) -> (String, String) {
    let text = |p: &str| {
        crd.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    (text("/spec/names/kind"), text("/metadata/name"))
}

/// `TYPE S NAME DESCRIPTION`, sorted by CRD name.
pub fn list_types_table(crds: &[Value]) -> Table {
    let mut rows: Vec<(String, String)> = crds.iter().map(crd_kind_and_name).collect();
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    let mut table = Table::new(&["Type", "S", "Name", "Description"]);
    for (kind, name) in rows {
        table.push(vec![
            kind.clone(),
            supported(&kind).to_string(),
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
    fn source_list() {
        let ping: DuckSource = from_value(&json!({"apiVersion": "sources.knative.dev/v1", "kind": "PingSource",
            "metadata": {"name": "my-ping", "namespace": "default"},
            "spec": {"sink": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "mysvc"}}},
            "status": {"conditions": [{"type": "Ready", "status": "True"}]}})).unwrap();
        let api: DuckSource = from_value(&json!({"apiVersion": "sources.knative.dev/v1", "kind": "ApiServerSource",
            "metadata": {"name": "k8sevents", "namespace": "default"},
            "spec": {"sink": {"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default"}}},
            "status": {"conditions": [{"type": "Ready", "status": "True"}]}})).unwrap();
        let odd: DuckSource = from_value(&json!({"apiVersion": "example.dev/v1", "kind": "OddSource",
            "metadata": {"name": "z", "namespace": "default"}, "spec": {"sink": "not a destination"}})).unwrap();
        assert_eq!(
            list_table(&[ping, api, odd], false).render(true),
            "NAME        TYPE              RESOURCE                               SINK             READY\n\
             k8sevents   ApiServerSource   apiserversources.sources.knative.dev   broker:default   True\n\
             my-ping     PingSource        pingsources.sources.knative.dev        ksvc:mysvc       True\n\
             z           OddSource         oddsources.example.dev                 <unknown>        <unknown>\n"
        );
    }

    #[test]
    fn list_types() {
        let crd = |name: &str, kind: &str| json!({"metadata": {"name": name}, "spec": {"names": {"kind": kind}}});
        assert_eq!(
            list_types_table(&[
                crd("pingsources.sources.knative.dev", "PingSource"),
                crd("kafkasources.sources.knative.dev", "KafkaSource"),
                crd("apiserversources.sources.knative.dev", "ApiServerSource"),
            ])
            .render(true),
            "TYPE              S     NAME                                   DESCRIPTION\n\
             ApiServerSource   X     apiserversources.sources.knative.dev   Watch and send Kubernetes API events to addressable\n\
             KafkaSource             kafkasources.sources.knative.dev       Route events from Apache Kafka Server to addressable\n\
             PingSource        X     pingsources.sources.knative.dev        Send periodically ping events to addressable\n"
        );
    }
}
