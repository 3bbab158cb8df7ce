//! Tests of the Eventing webhooks: each defaulting rule's resulting object and each validation
//! rule's exact message, with the ConfigMaps of a fresh installation.

use serde_json::{Value, json};

use super::EventingWebhooks;
use crate::admission::{Admission, AdmissionRequest, Operation};
use crate::cluster::ClusterApi;
use crate::knative::eventing::fake::MapCluster;
use crate::resource::{GroupResource, ResourceType};

const USER: &str = "kubernetes-admin";

pub(super) fn cluster() -> MapCluster {
    let c = MapCluster::default();
    for obj in crate::controllers::bootstrap_objects(&crate::Config::default()) {
        let gr = if obj["kind"] == "Namespace" {
            GroupResource::of("", "namespaces")
        } else {
            GroupResource::of("", "configmaps")
        };
        c.put(&gr, obj);
    }
    c
}

fn rt(group: &str, version: &str, plural: &str, kind: &str) -> ResourceType {
    ResourceType {
        group: group.into(),
        version: version.into(),
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
    let api = obj["apiVersion"].as_str().unwrap_or("");
    let (group, version) = api.split_once('/').unwrap_or(("", api));
    let kind = obj["kind"].as_str().unwrap_or("");
    let plural = crate::knative::eventing::destination::kind_to_resource(api, kind).resource;
    rt(group, version, &plural, kind)
}

/// Runs defaulting then validation, as the API server does.
fn admit_with(c: &dyn ClusterApi, mut obj: Value, old: Option<&Value>) -> Result<Value, String> {
    let resource = resource_for(&obj);
    let ns = obj["metadata"]["namespace"]
        .as_str()
        .unwrap_or("default")
        .to_string();
    let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
    let req = AdmissionRequest {
        operation: if old.is_some() {
            Operation::Update
        } else {
            Operation::Create
        },
        resource: &resource,
        namespace: &ns,
        name: &name,
        user: USER,
        old,
        dry_run: false,
        cluster: c,
    };
    let w = EventingWebhooks;
    assert!(w.handles(&resource));
    w.mutate(&req, &mut obj).map_err(|e| e.message)?;
    w.validate(&req, &obj).map_err(|e| e.message)?;
    Ok(obj)
}

pub(super) fn admit(obj: Value) -> Result<Value, String> {
    admit_with(&cluster(), obj, None)
}

fn update(old: Value, mut new: Value) -> Result<Value, String> {
    let c = cluster();
    let old = admit_with(&c, old, None).expect("old object is valid");
    // The stored object carries the defaults; the client sends them back.
    new["metadata"]["annotations"] = old["metadata"]["annotations"].clone();
    admit_with(&c, new, Some(&old))
}

pub(super) fn denied(message: &str) -> String {
    format!(
        "admission webhook \"validation.webhook.eventing.knative.dev\" denied the request: validation failed: {message}"
    )
}

pub(super) fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "default"})
}

fn broker(spec: Value) -> Value {
    json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "metadata": meta("default"), "spec": spec})
}

fn trigger(spec: Value) -> Value {
    json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Trigger", "metadata": meta("t1"), "spec": spec})
}

fn ksvc_sink(name: &str) -> Value {
    json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": name}})
}

#[test]
fn broker_gets_class_config_delivery_and_user_annotations() {
    let b = admit(broker(json!({}))).unwrap();
    assert_eq!(
        b["metadata"]["annotations"],
        json!({
            "eventing.knative.dev/broker.class": "MTChannelBasedBroker",
            "eventing.knative.dev/creator": USER,
            "eventing.knative.dev/lastModifier": USER,
        })
    );
    assert_eq!(
        b["spec"],
        json!({
            "config": {"apiVersion": "v1", "kind": "ConfigMap", "name": "config-br-default-channel", "namespace": "knative-eventing"},
            "delivery": {"backoffDelay": "PT0.2S", "backoffPolicy": "exponential", "retry": 10},
        })
    );
}

#[test]
fn broker_keeps_its_own_class_and_delivery() {
    let mut b = broker(json!({"delivery": {"retry": 3, "deadLetterSink": ksvc_sink("dls")}}));
    b["metadata"]["annotations"] = json!({"eventing.knative.dev/broker.class": "Kafka"});
    let b = admit(b).unwrap();
    assert_eq!(
        b["metadata"]["annotations"]["eventing.knative.dev/broker.class"],
        "Kafka"
    );
    assert_eq!(
        b["spec"]["delivery"],
        json!({"retry": 3, "deadLetterSink": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "dls", "namespace": "default"}}})
    );
}

#[test]
fn broker_delivery_errors() {
    let err = admit(broker(
        json!({"delivery": {"retry": -1, "backoffPolicy": "random", "backoffDelay": "1s"}}),
    ))
    .unwrap_err();
    assert_eq!(
        err,
        denied(
            "invalid value: -1: spec.delivery.retry\ninvalid value: 1s: spec.delivery.backoffDelay\ninvalid value: random: spec.delivery.backoffPolicy"
        )
    );
}

#[test]
fn broker_config_is_immutable() {
    let old = broker(json!({}));
    let new = broker(
        json!({"config": {"apiVersion": "v1", "kind": "ConfigMap", "name": "other", "namespace": "knative-eventing"}}),
    );
    assert_eq!(
        update(old, new).unwrap_err(),
        denied(
            "Immutable fields changed (-old +new): spec\n{v1.BrokerSpec}.Config.Name:\n\t-: \"config-br-default-channel\"\n\t+: \"other\"\n"
        )
    );
}

#[test]
fn broker_delivery_may_change() {
    let old = broker(json!({}));
    let new = broker(json!({"delivery": {"retry": 5}}));
    let b = update(old, new).unwrap();
    assert_eq!(b["spec"]["delivery"], json!({"retry": 5}));
}

#[test]
fn broker_class_is_immutable() {
    let c = cluster();
    let old = admit_with(&c, broker(json!({})), None).unwrap();
    let mut new = old.clone();
    new["metadata"]["annotations"]["eventing.knative.dev/broker.class"] = json!("Kafka");
    assert_eq!(
        admit_with(&c, new, Some(&old)).unwrap_err(),
        denied(
            "Immutable annotations changed (-old +new): annotations\n{string}:\n\t-: \"MTChannelBasedBroker\"\n\t+: \"Kafka\"\n"
        )
    );
}

#[test]
fn trigger_defaults() {
    let t = admit(trigger(
        json!({"broker": "default", "subscriber": ksvc_sink("display")}),
    ))
    .unwrap();
    assert_eq!(
        t["spec"],
        json!({"broker": "default", "filter": {}, "subscriber": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "display", "namespace": "default"}}})
    );
    assert_eq!(
        t["metadata"]["labels"],
        json!({"eventing.knative.dev/broker": "default"})
    );
    assert_eq!(
        t["metadata"]["annotations"]["eventing.knative.dev/creator"],
        USER
    );
}

#[test]
fn trigger_needs_broker_and_subscriber() {
    assert_eq!(
        admit(trigger(json!({}))).unwrap_err(),
        denied(
            "expected at least one, got none: spec.subscriber.ref, spec.subscriber.uri\nmissing field(s): spec.broker"
        )
    );
}

#[test]
fn trigger_with_broker_and_broker_ref() {
    let t = trigger(
        json!({"broker": "b", "brokerRef": {"name": "b"}, "subscriber": {"uri": "http://x.y"}}),
    );
    assert_eq!(
        admit(t).unwrap_err(),
        denied("expected exactly one, got both: spec.broker, spec.brokerRef")
    );
}

#[test]
fn trigger_subscriber_uri_rules() {
    let relative = trigger(json!({"broker": "b", "subscriber": {"uri": "/path"}}));
    assert_eq!(
        admit(relative).unwrap_err(),
        denied(
            "invalid value: Relative URI is not allowed when Ref and [apiVersion, kind, name] is absent: spec.subscriber.uri"
        )
    );
    let mut both = ksvc_sink("x");
    both["uri"] = json!("http://a.b/c");
    assert_eq!(
        admit(trigger(json!({"broker": "b", "subscriber": both}))).unwrap_err(),
        denied(
            "Absolute URI is not allowed when Ref or [apiVersion, kind, name] is present: spec.subscriber.ref, spec.subscriber.uri, spec.subscriber[apiVersion, kind, name]"
        )
    );
    let incomplete = trigger(json!({"broker": "b", "subscriber": {"ref": {"kind": "Service"}}}));
    assert_eq!(
        admit(incomplete).unwrap_err(),
        denied("missing field(s): spec.subscriber.ref.apiVersion, spec.subscriber.ref.name")
    );
    let ok = trigger(
        json!({"broker": "b", "subscriber": {"ref": {"apiVersion": "v1", "kind": "Service", "name": "s"}, "uri": "/events"}}),
    );
    assert!(admit(ok).is_ok());
}

#[test]
fn trigger_broker_is_immutable() {
    let old = trigger(json!({"broker": "a", "subscriber": {"uri": "http://x.y"}}));
    let new = trigger(json!({"broker": "b", "subscriber": {"uri": "http://x.y"}}));
    assert_eq!(
        update(old, new).unwrap_err(),
        denied(
            "Immutable fields changed (-old +new): broker, spec\n{string}:\n\t-: \"a\"\n\t+: \"b\"\n"
        )
    );
}

#[test]
fn trigger_filter_attribute_names() {
    let t = trigger(
        json!({"broker": "b", "subscriber": {"uri": "http://x.y"}, "filter": {"attributes": {"Type": "x", "source": "y"}}}),
    );
    assert_eq!(
        admit(t).unwrap_err(),
        denied(
            "invalid key name \"Type\": spec.filter.attributes[Type]\nAttribute name must start with a letter and can only contain lowercase alphanumeric"
        )
    );
}

#[test]
fn trigger_new_filters() {
    let t = trigger(json!({"broker": "b", "subscriber": {"uri": "http://x.y"},
        "filters": [{"exact": {"type": "a"}, "prefix": {"source": "b"}}, {"exact": {"a": "1", "b": "2"}}]}));
    assert_eq!(
        admit(t).unwrap_err(),
        denied("multiple dialects found, filters can have only one dialect set: ")
    );
}

#[test]
fn trigger_dependency_annotation() {
    let mut t = trigger(json!({"broker": "b", "subscriber": {"uri": "http://x.y"}}));
    t["metadata"]["annotations"] =
        json!({"knative.dev/dependency": "{\"kind\":\"PingSource\",\"namespace\":\"other\"}"});
    assert_eq!(
        admit(t.clone()).unwrap_err(),
        denied(
            "Namespace must be empty or equal to the trigger namespace \"default\": metadata.annotations[knative.dev/dependency].namespace\nmissing field(s): metadata.annotations[knative.dev/dependency].apiVersion, metadata.annotations[knative.dev/dependency].name"
        )
    );
    t["metadata"]["annotations"] = json!({"knative.dev/dependency": "nope"});
    assert_eq!(
        admit(t).unwrap_err(),
        denied(
            "The provided annotation was not a corev1.ObjectReference: \"nope\": metadata.annotations[knative.dev/dependency]\ninvalid character 'o' in literal null (expecting 'u')"
        )
    );
}

fn ping(spec: Value) -> Value {
    json!({"apiVersion": "sources.knative.dev/v1", "kind": "PingSource", "metadata": meta("p"), "spec": spec})
}

#[test]
fn ping_defaults_schedule_and_keeps_sink_namespace_empty() {
    let p = admit(ping(json!({"sink": ksvc_sink("display"), "data": "hi"}))).unwrap();
    assert_eq!(
        p["spec"],
        json!({"schedule": "* * * * *", "data": "hi", "sink": ksvc_sink("display")})
    );
    assert_eq!(
        p["metadata"]["annotations"]["sources.knative.dev/creator"],
        USER
    );
}

#[test]
fn ping_schedule_errors() {
    assert_eq!(
        admit(ping(
            json!({"schedule": "@every 1m", "sink": {"uri": "http://x.y"}})
        ))
        .unwrap_err(),
        denied("invalid value: unsupported descriptor @every: spec.schedule")
    );
    assert_eq!(
        admit(ping(
            json!({"schedule": "* * *", "sink": {"uri": "http://x.y"}})
        ))
        .unwrap_err(),
        denied("invalid value: expected 5 to 6 fields, found 3: [* * *]: spec.schedule")
    );
    assert_eq!(
        admit(ping(
            json!({"schedule": "0 * * * *", "timezone": "Mars/Base", "sink": {"uri": "http://x.y"}})
        ))
        .unwrap_err(),
        denied(
            "invalid value: provided bad location Mars/Base: unknown time zone Mars/Base: spec.timezone"
        )
    );
    assert!(admit(ping(json!({"schedule": "0 9 * * 1", "timezone": "America/New_York", "sink": {"uri": "http://x.y"}}))).is_ok());
}

#[test]
fn ping_data_errors() {
    assert_eq!(
        admit(ping(
            json!({"data": "a", "dataBase64": "YQ==", "sink": {"uri": "http://x.y"}})
        ))
        .unwrap_err(),
        denied("expected exactly one, got both: spec.data, spec.dataBase64")
    );
    assert_eq!(
        admit(ping(json!({"data": "{bad", "contentType": "application/json", "sink": {"uri": "http://x.y"}}))).unwrap_err(),
        denied("invalid value: invalid character 'b' looking for beginning of object key string: spec.data")
    );
    assert_eq!(
        admit(ping(
            json!({"dataBase64": "!!", "sink": {"uri": "http://x.y"}})
        ))
        .unwrap_err(),
        denied("invalid value: illegal base64 data at input byte 0: spec.dataBase64")
    );
    assert_eq!(
        admit(ping(json!({}))).unwrap_err(),
        denied("expected at least one, got none: spec.sink.ref, spec.sink.uri")
    );
}

#[test]
fn apiserver_source_defaults_and_errors() {
    let src = json!({"apiVersion": "sources.knative.dev/v1", "kind": "ApiServerSource", "metadata": meta("a"),
        "spec": {"resources": [{"apiVersion": "v1", "kind": "Event"}], "sink": {"uri": "http://x.y"}}});
    let a = admit(src).unwrap();
    assert_eq!(a["spec"]["mode"], "Reference");
    assert_eq!(a["spec"]["serviceAccountName"], "default");
    let bad = json!({"apiVersion": "sources.knative.dev/v1", "kind": "ApiServerSource", "metadata": meta("a"),
        "spec": {"mode": "Everything", "sink": {"uri": "http://x.y"}, "ceOverrides": {"extensions": {"bad-key": "v"}}}});
    assert_eq!(
        admit(bad).unwrap_err(),
        denied(
            "invalid key name \"bad-key\": spec.ceOverrides.extensions\nkeys are expected to be alphanumeric\ninvalid value: Everything: spec.mode\nmissing field(s): spec.resources"
        )
    );
}

#[test]
fn container_source_names_containers() {
    let src = json!({"apiVersion": "sources.knative.dev/v1", "kind": "ContainerSource", "metadata": meta("mysrc"),
        "spec": {"template": {"spec": {"containers": [{"image": "img"}]}}, "sink": {"uri": "http://x.y"}}});
    let c = admit(src).unwrap();
    assert_eq!(
        c["spec"]["template"]["spec"]["containers"][0]["name"],
        "mysrc-0"
    );
    let empty = json!({"apiVersion": "sources.knative.dev/v1", "kind": "ContainerSource", "metadata": meta("mysrc"),
        "spec": {"template": {"spec": {"containers": [{"name": "c"}]}}, "sink": {"uri": "http://x.y"}}});
    assert_eq!(
        admit(empty).unwrap_err(),
        denied("missing field(s): spec.containers[0].image")
    );
}

#[test]
fn sinkbinding_defaults_and_subject_rules() {
    let sb = json!({"apiVersion": "sources.knative.dev/v1", "kind": "SinkBinding", "metadata": meta("b"),
        "spec": {"subject": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "app"}, "sink": ksvc_sink("s")}});
    let b = admit(sb).unwrap();
    assert_eq!(b["spec"]["subject"]["namespace"], "default");
    assert_eq!(b["spec"]["sink"]["ref"]["namespace"], "default");
    let other = json!({"apiVersion": "sources.knative.dev/v1", "kind": "SinkBinding", "metadata": meta("b"),
        "spec": {"subject": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "other"}, "sink": {"uri": "http://x.y"}}});
    assert_eq!(
        admit(other).unwrap_err(),
        denied(
            "expected exactly one, got neither: spec.subject.name, spec.subject.selector\ninvalid value: other: spec.subject.namespace"
        )
    );
}

#[test]
fn channel_defaults_and_immutable_template() {
    let ch = json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "metadata": meta("pipe"), "spec": {}});
    let c = admit(ch.clone()).unwrap();
    assert_eq!(
        c["spec"],
        json!({"channelTemplate": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel"}})
    );
    assert_eq!(
        c["metadata"]["annotations"]["messaging.knative.dev/subscribable"],
        "v1"
    );
    assert_eq!(
        c["metadata"]["annotations"]["messaging.knative.dev/creator"],
        USER
    );
    let mut changed = ch.clone();
    changed["spec"] = json!({"channelTemplate": {"apiVersion": "messaging.knative.dev/v1", "kind": "KafkaChannel"}});
    assert_eq!(
        update(ch.clone(), changed).unwrap_err(),
        denied(
            "Immutable fields changed (-old +new): spec\n{v1.ChannelSpec}.ChannelTemplate.TypeMeta.Kind:\n\t-: \"InMemoryChannel\"\n\t+: \"KafkaChannel\"\n"
        )
    );
    let mut subs = ch;
    subs["spec"] = json!({"subscribers": [{"subscriberUri": "http://x"}]});
    assert_eq!(
        admit(subs).unwrap_err(),
        denied("must not set the field(s): spec.subscribable.subscribers")
    );
}

#[test]
fn subscription_rules() {
    let sub = |spec: Value| json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Subscription", "metadata": meta("s"), "spec": spec});
    assert_eq!(
        admit(sub(json!({}))).unwrap_err(),
        denied("missing field(s): spec.channel\nthe Subscription must reference a channel")
    );
    let channel =
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "pipe"});
    assert_eq!(
        admit(sub(json!({"channel": channel}))).unwrap_err(),
        denied("missing field(s): spec.subscriber\nthe Subscription must reference a subscriber")
    );
    let s = admit(sub(
        json!({"channel": channel, "subscriber": ksvc_sink("x"), "reply": ksvc_sink("y")}),
    ))
    .unwrap();
    assert_eq!(s["spec"]["subscriber"]["ref"]["namespace"], "default");
    assert_eq!(s["spec"]["reply"]["ref"]["namespace"], "default");
    let old = sub(json!({"channel": channel, "subscriber": ksvc_sink("x")}));
    let new = sub(
        json!({"channel": {"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "other"}, "subscriber": ksvc_sink("x")}),
    );
    assert_eq!(
        update(old, new).unwrap_err(),
        denied(
            "Immutable fields changed (-old +new): spec\n{v1.SubscriptionSpec}.Channel.Name:\n\t-: \"pipe\"\n\t+: \"other\"\n"
        )
    );
}

#[test]
fn eventtype_rules() {
    let et = json!({"apiVersion": "eventing.knative.dev/v1beta2", "kind": "EventType", "metadata": meta("e"), "spec": {"source": "http://s"}});
    assert_eq!(
        admit(et).unwrap_err(),
        denied("missing field(s): spec.type")
    );
    // v1beta3 is validated as the v1beta2 object it converts to: only the type counts.
    let v3 = |attributes: Value| {
        json!({"apiVersion": "eventing.knative.dev/v1beta3", "kind": "EventType", "metadata": meta("e"),
            "spec": {"attributes": attributes}})
    };
    assert!(admit(v3(json!([{"name": "type", "value": "t"}]))).is_ok());
    assert_eq!(
        admit(v3(json!([{"name": "source", "value": "s"}]))).unwrap_err(),
        denied("missing field(s): spec.type")
    );
}

#[test]
fn update_without_spec_change_keeps_last_modifier() {
    let c = cluster();
    let old = admit_with(&c, broker(json!({})), None).unwrap();
    let mut old_other_user = old.clone();
    old_other_user["metadata"]["annotations"]["eventing.knative.dev/lastModifier"] =
        json!("someone");
    let mut new = old_other_user.clone();
    new["metadata"]["labels"] = json!({"a": "b"});
    let out = admit_with(&c, new, Some(&old_other_user)).unwrap();
    assert_eq!(
        out["metadata"]["annotations"]["eventing.knative.dev/lastModifier"],
        "someone"
    );
}
