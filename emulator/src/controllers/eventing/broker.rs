//! The MTChannelBasedBroker reconciler: the trigger channel `BROKER-kne-trigger` of the
//! template kind, the ingress address, dead-letter sink and the conditions of §3.3.

use serde_json::{Value, json};

use super::{get_live, owner, reconcile_dls, referencing};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::knative::conditions::ConditionSet;
use crate::knative::eventing::config::{MT_CHANNEL_BASED_BROKER, broker_channel_template};
use crate::knative::eventing::destination::kind_to_resource;
use crate::knative::eventing::*;
use crate::knative::meta::{
    StatusReconcile, annotation, controller_ref, is_deleting, name, namespace, str_at,
};
use crate::knative::names::child_name;
use crate::resource::ObjectKey;
use crate::status::ApiError;

pub const INGRESS_READY: &str = "IngressReady";
pub const TRIGGER_CHANNEL_READY: &str = "TriggerChannelReady";
pub const FILTER_READY: &str = "FilterReady";
pub const ADDRESSABLE: &str = "Addressable";
pub use super::DEAD_LETTER_SINK_RESOLVED;
pub const EVENT_POLICIES_READY: &str = "EventPoliciesReady";

pub const BROKER_CONDITIONS: ConditionSet = ConditionSet::living(&[
    INGRESS_READY,
    TRIGGER_CHANNEL_READY,
    FILTER_READY,
    ADDRESSABLE,
    DEAD_LETTER_SINK_RESOLVED,
    EVENT_POLICIES_READY,
]);

/// The name of a broker's trigger channel.
pub fn trigger_channel_name(broker: &str) -> String {
    child_name(broker, "-kne-trigger")
}

pub struct BrokerController;

impl Controller for BrokerController {
    fn name(&self) -> &'static str {
        "broker"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == brokers() {
            return vec![event.key.clone()];
        }
        let mut keys = owner(event, "Broker", brokers());
        if event.key.gr == crate::knative::configmaps::configmaps_gr() {
            // A channel template ConfigMap changed: every broker using it.
            keys.extend(
                cluster
                    .list(&brokers(), "")
                    .iter()
                    .filter(|b| {
                        str_at(b, "/spec/config/name") == event.key.name
                            && str_at(b, "/spec/config/namespace") == event.key.namespace
                    })
                    .map(|b| ObjectKey::new(brokers(), namespace(b), name(b))),
            );
        }
        keys.extend(referencing(
            cluster,
            &brokers(),
            event,
            &["/spec/delivery/deadLetterSink"],
        ));
        keys
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(b) = get_live(cluster, &brokers(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&b)
            || annotation(&b, BROKER_CLASS_ANNOTATION) != Some(MT_CHANNEL_BASED_BROKER)
        {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&b, BROKER_CONDITIONS);
        reconcile_broker(cluster, &b, &mut rec)?;
        rec.finish(cluster, &brokers())?;
        Ok(Requeue::Done)
    }
}

fn reconcile_broker(
    cluster: &dyn ClusterApi,
    b: &Value,
    rec: &mut StatusReconcile,
) -> Result<(), ApiError> {
    let ns = namespace(b);
    let config_ns = match str_at(b, "/spec/config/namespace") {
        "" => ns,
        other => other,
    };
    let template = match broker_channel_template(cluster, config_ns, str_at(b, "/spec/config/name"))
    {
        Ok(t) => t,
        Err(e) => {
            rec.conditions.mark_false(
                TRIGGER_CHANNEL_READY,
                "ChannelTemplateFailed",
                &format!("Error on setting up the ChannelTemplate: {e}"),
            );
            return Ok(());
        }
    };
    let api_version = str_at(&template, "/apiVersion").to_string();
    let kind = str_at(&template, "/kind").to_string();
    let channel_name = trigger_channel_name(name(b));
    let desired = json!({
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {
            "name": channel_name,
            "namespace": ns,
            "labels": {BROKER_LABEL: name(b), "eventing.knative.dev/brokerEverything": "true"},
            "annotations": {SCOPE_ANNOTATION: "cluster"},
            "ownerReferences": [controller_ref(b)],
        },
        "spec": template.get("spec").cloned().unwrap_or(json!({})),
    });
    let gr = kind_to_resource(&api_version, &kind);
    let channel = match cluster.get_shared(&gr, ns, &channel_name) {
        Ok(c) => c,
        Err(e) if e.code == 404 => match cluster.create(&gr, desired) {
            Ok(c) => c,
            Err(e) => {
                rec.conditions
                    .mark_false(TRIGGER_CHANNEL_READY, "ChannelFailure", &e.message);
                return Ok(());
            }
        },
        Err(e) => {
            rec.conditions
                .mark_false(TRIGGER_CHANNEL_READY, "ChannelFailure", &e.message);
            return Ok(());
        }
    };
    let channel_url = str_at(&channel, "/status/address/url").to_string();
    if channel_url.is_empty() {
        rec.conditions.mark_false(
            TRIGGER_CHANNEL_READY,
            "NoAddress",
            "Channel does not have an address.",
        );
        return Ok(());
    }
    rec.conditions.mark_true(TRIGGER_CHANNEL_READY);
    rec.status().insert(
        "annotations".into(),
        json!({
            "knative.dev/channelAPIVersion": api_version,
            "knative.dev/channelAddress": channel_url,
            "knative.dev/channelKind": kind,
            "knative.dev/channelName": channel_name,
        }),
    );
    rec.conditions.mark_true(FILTER_READY);
    rec.conditions.mark_true(INGRESS_READY);
    rec.status().insert(
        "address".into(),
        json!({"name": "http", "url": broker_url(ns, name(b))}),
    );
    rec.conditions.mark_true(ADDRESSABLE);
    if !reconcile_dls(cluster, b, rec) {
        return Ok(());
    }
    rec.conditions.mark_true_with_reason(
        EVENT_POLICIES_READY,
        EVENT_POLICIES_OIDC_REASON,
        EVENT_POLICIES_OIDC_MESSAGE,
    );
    Ok(())
}
