//! Tests of the EventPolicy, EventTransform, IntegrationSource and IntegrationSink webhooks: the
//! defaulted objects and each validation rule's exact message.

use serde_json::{Value, json};

use super::IntegWebhooks;
use crate::admission::{Admission, AdmissionRequest, Operation};
use crate::knative::eventing::fake::MapCluster;
use crate::resource::ResourceType;

fn rt(group: &str, plural: &str, kind: &str) -> ResourceType {
    ResourceType {
        group: group.into(),
        version: "v1alpha1".into(),
        plural: plural.into(),
        singular: kind.to_lowercase(),
        kind: kind.into(),
        list_kind: format!("{kind}List"),
        namespaced: true,
        short_names: vec![],
        categories: vec![],
        has_status: true,
        storage: true,
        deprecation_warning: None,
    }
}

fn resource_for(obj: &Value) -> ResourceType {
    match obj["kind"].as_str().unwrap_or("") {
        "EventPolicy" => rt("eventing.knative.dev", "eventpolicies", "EventPolicy"),
        "EventTransform" => rt("eventing.knative.dev", "eventtransforms", "EventTransform"),
        "IntegrationSource" => rt(
            "sources.knative.dev",
            "integrationsources",
            "IntegrationSource",
        ),
        _ => rt("sinks.knative.dev", "integrationsinks", "IntegrationSink"),
    }
}

fn oidc_cluster(enabled: bool) -> MapCluster {
    let c = MapCluster::default();
    let value = if enabled { "enabled" } else { "disabled" };
    c.put_configmap(
        "knative-eventing",
        "config-features",
        json!({"authentication-oidc": value}),
    );
    c
}

/// Defaulting then validation, as the API server runs them.
fn admit_in(c: &MapCluster, mut obj: Value, old: Option<&Value>) -> Result<Value, String> {
    let resource = resource_for(&obj);
    let req = AdmissionRequest {
        operation: if old.is_some() {
            Operation::Update
        } else {
            Operation::Create
        },
        resource: &resource,
        namespace: "ns",
        name: "x",
        user: "",
        old,
        dry_run: false,
        cluster: c,
    };
    assert!(IntegWebhooks.handles(&resource));
    IntegWebhooks
        .mutate(&req, &mut obj)
        .map_err(|e| e.message)?;
    IntegWebhooks.validate(&req, &obj).map_err(|e| e.message)?;
    Ok(obj)
}

fn admit(obj: Value) -> Result<Value, String> {
    admit_in(&oidc_cluster(true), obj, None)
}

fn object(kind: &str, spec: Value) -> Value {
    let group = match kind {
        "EventPolicy" | "EventTransform" => "eventing.knative.dev",
        "IntegrationSource" => "sources.knative.dev",
        _ => "sinks.knative.dev",
    };
    json!({"apiVersion": format!("{group}/v1alpha1"), "kind": kind,
        "metadata": {"name": "x", "namespace": "ns"}, "spec": spec})
}

const DENIED: &str = "admission webhook \"validation.webhook.eventing.knative.dev\" denied the request: validation failed: ";

#[test]
fn event_policy_needs_oidc_and_defaults_from_namespaces() {
    let policy = object(
        "EventPolicy",
        json!({"from": [{"ref": {"apiVersion": "v1", "kind": "K", "name": "n"}}]}),
    );
    assert_eq!(
        admit_in(&oidc_cluster(false), policy.clone(), None).unwrap_err(),
        // Go's FieldError prints ": " after a message without paths.
        format!("{DENIED}oidc-authentication feature not enabled: ")
    );
    let admitted = admit(policy).unwrap();
    assert_eq!(
        admitted["spec"],
        json!({"from": [{"ref": {"apiVersion": "v1", "kind": "K", "name": "n", "namespace": "ns"}}]})
    );
    // A status-only update passes with OIDC off.
    let mut with_status = admitted.clone();
    with_status["status"] = json!({"from": []});
    assert!(admit_in(&oidc_cluster(false), with_status, Some(&admitted)).is_ok());
}

#[test]
fn event_policy_entries_are_checked() {
    let err = admit(object(
        "EventPolicy",
        json!({
            "from": [{}, {"ref": {"kind": "K"}, "sub": "s"}, {"sub": "a*b"}],
            "to": [{}, {"ref": {"apiVersion": "v1", "kind": "K", "name": "n"}, "selector": {"matchLabels": {"a": "b"}}}],
            "filters": [{"cesql": "type = "}]
        }),
    ))
    .unwrap_err();
    assert_eq!(
        err,
        format!(
            "{DENIED}expected exactly one, got both: spec.from[1].ref, spec.from[1].sub, spec.to[1].ref, spec.to[1].selector\n\
             expected exactly one, got neither: spec.from[0].ref, spec.from[0].sub, spec.to[0].ref, spec.to[0].selector\n\
             invalid value: a*b: spec.from[2].sub\n'*' is only allowed as suffix\n\
             invalid value: type = : spec.filters[0].cesql\n\
             missing field(s): spec.from[1].ref.apiVersion, spec.from[1].ref.name"
        )
    );
}

#[test]
fn integration_source_needs_exactly_one_source_and_aws_settings() {
    assert_eq!(
        admit(object("IntegrationSource", json!({}))).unwrap_err(),
        format!("{DENIED}at least one source type must be specified: spec.spec")
    );
    assert_eq!(
        admit(object(
            "IntegrationSource",
            json!({"timer": {"period": 1000}, "aws": {"sqs": {}}})
        ))
        .unwrap_err(),
        format!("{DENIED}only one source type can be set: spec.spec")
    );
    assert_eq!(
        admit(object(
            "IntegrationSource",
            json!({"aws": {"ddbStreams": {"region": "eu"}}})
        ))
        .unwrap_err(),
        format!(
            "{DENIED}missing field(s): spec.aws.auth.secret.ref.name, spec.aws.ddb-streams.table"
        )
    );
    assert!(
        admit(object(
            "IntegrationSource",
            json!({"timer": {"period": 1000}})
        ))
        .is_ok()
    );
}

#[test]
fn integration_sink_needs_exactly_one_sink() {
    assert_eq!(
        admit(object(
            "IntegrationSink",
            json!({"log": {}, "aws": {"sns": {"arn": "a", "region": "r"}}})
        ))
        .unwrap_err(),
        format!("{DENIED}only one sink type can be set: spec.spec")
    );
    assert_eq!(
        admit(object(
            "IntegrationSink",
            json!({"aws": {"s3": {"arn": "a"}, "auth": {"secret": {"ref": {"name": "s"}}}}})
        ))
        .unwrap_err(),
        format!("{DENIED}missing field(s): spec.aws.s3.region")
    );
    assert!(admit(object("IntegrationSink", json!({"log": {"level": "INFO"}}))).is_ok());
}

#[test]
fn event_transform_rules() {
    assert_eq!(
        admit(object("EventTransform", json!({}))).unwrap_err(),
        format!("{DENIED}expected exactly one, got neither: spec.jsonata")
    );
    assert_eq!(
        admit(object(
            "EventTransform",
            json!({"jsonata": {"expression": "$"}, "reply": {"discard": true}})
        ))
        .unwrap_err(),
        format!("{DENIED}reply is set without spec.sink: spec.reply")
    );
    assert_eq!(
        admit(object(
            "EventTransform",
            json!({"jsonata": {"expression": "$"},
            "sink": {"uri": "http://a", "CACerts": "x"},
            "reply": {"discard": true, "jsonata": {"expression": "$"}}})
        ))
        .unwrap_err(),
        format!(
            "{DENIED}CACerts for the sink is not supported for JSONata transformations, to propagate CA trust bundles use labeled ConfigMaps: https://knative.dev/docs/eventing/features/transport-encryption/#configure-additional-ca-trust-bundles: spec.sink.CACerts\n\
                  expected exactly one, got both: spec.reply.discard, spec.reply.jsonata"
        )
    );
    let ok = admit(object(
        "EventTransform",
        json!({"jsonata": {"expression": "$"}}),
    ))
    .unwrap();
    let changed = object("EventTransform", json!({}));
    assert_eq!(
        admit_in(&oidc_cluster(true), changed, Some(&ok)).unwrap_err(),
        format!(
            "{DENIED}Transformations types are immutable, transformation type cannot be changed to a jsonata transformation. Suggestion: create a new transformation, migrate services to the new one, and delete this transformation.: \n\
                  expected exactly one, got neither: spec.jsonata"
        )
    );
}
