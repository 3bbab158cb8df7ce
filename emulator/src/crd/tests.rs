//! Tests of the CRD loader against the vendored manifests.

use super::*;

fn set() -> &'static CrdSet {
    CrdSet::knative()
}

fn gr(group: &str, resource: &str) -> GroupResource {
    GroupResource::new(group, resource)
}

#[test]
fn ksvc_resource_type() {
    let v = set()
        .version("serving.knative.dev", "v1", "services")
        .expect("ksvc v1");
    assert_eq!(
        v.resource,
        ResourceType {
            group: "serving.knative.dev".into(),
            version: "v1".into(),
            plural: "services".into(),
            singular: "service".into(),
            kind: "Service".into(),
            list_kind: "ServiceList".into(),
            namespaced: true,
            short_names: vec!["kservice".into(), "ksvc".into()],
            categories: vec!["all".into(), "knative".into(), "serving".into()],
            has_status: true,
            storage: true,
            deprecation_warning: None,
        }
    );
}

#[test]
fn every_served_version_is_listed_once() {
    let listed: Vec<String> = set()
        .resource_types()
        .iter()
        .map(|r| format!("{}/{} {} {}", r.group, r.version, r.plural, r.kind))
        .collect();
    assert_eq!(
        listed,
        [
            "autoscaling.internal.knative.dev/v1alpha1 metrics Metric",
            "autoscaling.internal.knative.dev/v1alpha1 podautoscalers PodAutoscaler",
            "eventing.knative.dev/v1 brokers Broker",
            "eventing.knative.dev/v1alpha1 eventpolicies EventPolicy",
            "eventing.knative.dev/v1alpha1 eventtransforms EventTransform",
            "eventing.knative.dev/v1beta3 eventtypes EventType",
            "eventing.knative.dev/v1beta2 eventtypes EventType",
            "eventing.knative.dev/v1beta1 eventtypes EventType",
            "eventing.knative.dev/v1alpha1 requestreplies RequestReply",
            "eventing.knative.dev/v1 triggers Trigger",
            "flows.knative.dev/v1 parallels Parallel",
            "flows.knative.dev/v1 sequences Sequence",
            "messaging.knative.dev/v1 channels Channel",
            "messaging.knative.dev/v1 inmemorychannels InMemoryChannel",
            "messaging.knative.dev/v1 subscriptions Subscription",
            "networking.internal.knative.dev/v1alpha1 certificates Certificate",
            "networking.internal.knative.dev/v1alpha1 clusterdomainclaims ClusterDomainClaim",
            "networking.internal.knative.dev/v1alpha1 ingresses Ingress",
            "networking.internal.knative.dev/v1alpha1 serverlessservices ServerlessService",
            "serving.knative.dev/v1 configurations Configuration",
            "serving.knative.dev/v1beta1 domainmappings DomainMapping",
            "serving.knative.dev/v1 revisions Revision",
            "serving.knative.dev/v1 routes Route",
            "serving.knative.dev/v1 services Service",
            "sinks.knative.dev/v1alpha1 integrationsinks IntegrationSink",
            "sinks.knative.dev/v1alpha1 jobsinks JobSink",
            "sources.knative.dev/v1 apiserversources ApiServerSource",
            "sources.knative.dev/v1 containersources ContainerSource",
            "sources.knative.dev/v1alpha1 integrationsources IntegrationSource",
            "sources.knative.dev/v1 pingsources PingSource",
            "sources.knative.dev/v1beta2 pingsources PingSource",
            "sources.knative.dev/v1 sinkbindings SinkBinding",
        ]
    );
    // Exactly one storage version per resource, and every Knative kind has a status subresource.
    for (gr, crd) in &set().crds {
        assert_eq!(
            crd.versions.iter().filter(|v| v.resource.storage).count(),
            1,
            "{gr}"
        );
        assert!(crd.versions.iter().all(|v| v.resource.has_status), "{gr}");
    }
}

#[test]
fn eventtype_versions_storage_and_deprecation() {
    let ets = gr("eventing.knative.dev", "eventtypes");
    let versions: Vec<_> = set()
        .versions(&ets)
        .iter()
        .map(|v| v.resource.version.as_str())
        .collect();
    assert_eq!(versions, ["v1beta3", "v1beta2", "v1beta1"]);
    assert_eq!(
        set()
            .storage_version(&ets)
            .map(|v| v.resource.version.as_str()),
        Some("v1beta2")
    );
    let v1beta1 = set()
        .version("eventing.knative.dev", "v1beta1", "eventtypes")
        .expect("v1beta1");
    assert_eq!(
        v1beta1.resource.deprecation_warning.as_deref(),
        Some(
            "eventing.knative.dev/v1beta1 EventType is deprecated; see https://knative.dev/docs/eventing/event-registry/ for instructions to migrate to eventing.knative.dev/v1beta2 EventType"
        )
    );
    let v1beta2 = set()
        .version("eventing.knative.dev", "v1beta2", "eventtypes")
        .expect("v1beta2");
    assert_eq!(v1beta2.resource.deprecation_warning, None);
    assert!(v1beta2.resource.short_names.is_empty());
}

#[test]
fn pingsource_versions() {
    let ps = gr("sources.knative.dev", "pingsources");
    assert_eq!(
        set()
            .storage_version(&ps)
            .map(|v| v.resource.version.as_str()),
        Some("v1")
    );
    let v1beta2 = set()
        .version("sources.knative.dev", "v1beta2", "pingsources")
        .expect("v1beta2");
    assert!(!v1beta2.resource.storage);
    assert_eq!(
        v1beta2.resource.deprecation_warning.as_deref(),
        Some(
            "sources.knative.dev/v1beta2 PingSource is deprecated; see https://knative.dev/docs/eventing/sources/ping-source/ for instructions to migrate to sources.knative.dev/v1 PingSource"
        )
    );
    assert_eq!(
        set()
            .version("sources.knative.dev", "v1beta1", "pingsources")
            .map(|_| ()),
        None
    );
    assert_eq!(
        set()
            .version("sources.knative.dev", "v1", "pingsource")
            .map(|_| ()),
        None
    );
}

#[test]
fn names_scope_and_categories() {
    let rt = |g: &str, v: &str, p: &str| set().version(g, v, p).expect(p).resource.clone();
    let imc = rt("messaging.knative.dev", "v1", "inmemorychannels");
    assert_eq!(
        (imc.short_names, imc.categories),
        (
            vec!["imc".to_string()],
            vec![
                "all".to_string(),
                "knative".to_string(),
                "messaging".to_string(),
                "channel".to_string()
            ]
        )
    );
    let claim = rt(
        "networking.internal.knative.dev",
        "v1alpha1",
        "clusterdomainclaims",
    );
    assert!(!claim.namespaced);
    assert_eq!(claim.short_names, ["cdc"]);
    let cfg = rt("serving.knative.dev", "v1", "configurations");
    assert_eq!(
        (cfg.singular.as_str(), cfg.short_names),
        (
            "configuration",
            vec!["config".to_string(), "cfg".to_string()]
        )
    );
    let dm = rt("serving.knative.dev", "v1beta1", "domainmappings");
    assert_eq!(
        (dm.list_kind.as_str(), dm.short_names),
        ("DomainMappingList", vec!["dm".to_string()])
    );
    assert_eq!(
        rt("messaging.knative.dev", "v1", "subscriptions").short_names,
        ["sub"]
    );
    assert_eq!(
        rt("messaging.knative.dev", "v1", "channels").short_names,
        ["ch"]
    );
}

#[test]
fn ksvc_printer_columns() {
    let v = set()
        .version("serving.knative.dev", "v1", "services")
        .expect("ksvc");
    let cols: Vec<_> = v
        .table_columns()
        .iter()
        .map(|c| (c.name.clone(), c.type_.clone(), c.json_path.clone()))
        .collect();
    let expect = |n: &str, t: &str, p: &str| (n.to_string(), t.to_string(), p.to_string());
    assert_eq!(
        cols,
        [
            expect("Name", "string", ".metadata.name"),
            expect("URL", "string", ".status.url"),
            expect(
                "LatestCreated",
                "string",
                ".status.latestCreatedRevisionName"
            ),
            expect("LatestReady", "string", ".status.latestReadyRevisionName"),
            expect(
                "Ready",
                "string",
                ".status.conditions[?(@.type=='Ready')].status"
            ),
            expect(
                "Reason",
                "string",
                ".status.conditions[?(@.type=='Ready')].reason"
            ),
        ]
    );
    assert_eq!(
        v.printer_columns[0].definition(),
        serde_json::json!({
            "name": "URL",
            "type": "string",
            "format": "",
            "description": "Custom resource definition column (in JSONPath format): .status.url",
            "priority": 0,
        })
    );
}

#[test]
fn a_crd_without_columns_serves_age() {
    let v = set()
        .version(
            "networking.internal.knative.dev",
            "v1alpha1",
            "clusterdomainclaims",
        )
        .expect("cdc");
    assert_eq!(v.printer_columns, vec![PrinterColumn::age()]);
}

#[test]
fn every_printer_column_path_is_understood() {
    for (gr, crd) in &set().crds {
        for v in &crd.versions {
            for c in &v.printer_columns {
                assert!(
                    c.is_supported(),
                    "{gr} {}: {}",
                    v.resource.version,
                    c.json_path
                );
                assert!(
                    ["string", "integer", "number", "boolean", "date"].contains(&c.type_.as_str()),
                    "{}",
                    c.type_
                );
            }
        }
    }
}

/// Walks every schema node with its path.
fn walk<'a>(schema: &'a Schema, path: String, visit: &mut dyn FnMut(&str, &'a Schema)) {
    visit(&path, schema);
    for (name, prop) in &schema.properties {
        walk(prop, format!("{path}.{name}"), visit);
    }
    if let Some(items) = &schema.items {
        walk(items, format!("{path}[]"), visit);
    }
    if let Some(extra) = &schema.additional_properties {
        walk(extra, format!("{path}{{}}"), visit);
    }
    for (i, alt) in schema.any_of.iter().enumerate() {
        walk(alt, format!("{path}|{i}"), visit);
    }
}

/// The YAML parser must not turn schema content into other types (YAML 1.1 booleans, octals):
/// every default has its node's type, and the types are the structural-schema ones.
#[test]
fn schema_defaults_have_their_declared_types() {
    let mut defaults = 0;
    for (gr, crd) in &set().crds {
        for v in &crd.versions {
            walk(&v.schema, String::new(), &mut |path, node| {
                if let Some(t) = &node.type_ {
                    assert!(
                        ["object", "array", "string", "integer", "number", "boolean"]
                            .contains(&t.as_str()),
                        "{gr}{path}: {t}"
                    );
                }
                if let Some(d) = &node.default {
                    defaults += 1;
                    let ok = match node.type_.as_deref() {
                        Some("string") => d.is_string(),
                        Some("boolean") => d.is_boolean(),
                        Some("integer") => d.is_i64(),
                        Some("number") => d.is_number(),
                        Some("object") => d.is_object(),
                        Some("array") => d.is_array(),
                        _ => false,
                    };
                    assert!(
                        ok,
                        "{gr} {}{path}: default {d} vs type {:?}",
                        v.resource.version, node.type_
                    );
                }
            });
        }
    }
    assert_eq!(defaults, 87);
}

#[test]
fn protocol_default_is_tcp_in_ksvc_ports() {
    let v = set()
        .version("serving.knative.dev", "v1", "services")
        .expect("ksvc");
    let ports = &v.schema.properties["spec"].properties["template"].properties["spec"].properties["containers"]
        .items
        .as_ref()
        .expect("containers items")
        .properties["ports"];
    let protocol = &ports.items.as_ref().expect("ports items").properties["protocol"];
    assert_eq!(protocol.default, Some(serde_json::json!("TCP")));
}
