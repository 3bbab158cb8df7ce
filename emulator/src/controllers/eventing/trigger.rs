//! The Trigger reconciler for MTChannelBasedBroker (§3.4): broker readiness, subscriber URI,
//! dead-letter sink, the Subscription `BROKER-TRIGGER-UID` from the broker's trigger channel
//! to the broker filter, and the `knative.dev/dependency` annotation.

use serde_json::{Value, json};

use super::{
    ensure_child, get_live, mark_no_dls, owner, propagate_ready, referencing, resolve_dls,
    set_addressable,
};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::crd::gofmt::quote;
use crate::json::At;
use crate::knative::conditions::ConditionSet;
use crate::knative::eventing::config::MT_CHANNEL_BASED_BROKER;
use crate::knative::eventing::destination::{kind_to_resource, resolve};
use crate::knative::eventing::*;
use crate::knative::meta::{
    StatusReconcile, annotation, controller_ref, generation, is_controlled_by, is_deleting, name,
    namespace, observed_generation, str_at, uid,
};
use crate::knative::names::child_name;
use crate::resource::ObjectKey;
use crate::status::ApiError;

pub const BROKER_READY: &str = "BrokerReady";
pub const SUBSCRIPTION_READY: &str = "SubscriptionReady";
pub const DEPENDENCY_READY: &str = "DependencyReady";
pub const SUBSCRIBER_RESOLVED: &str = "SubscriberResolved";
pub use super::DEAD_LETTER_SINK_RESOLVED;
pub const OIDC_IDENTITY_CREATED: &str = "OIDCIdentityCreated";

pub const TRIGGER_CONDITIONS: ConditionSet = ConditionSet::living(&[
    BROKER_READY,
    SUBSCRIPTION_READY,
    DEPENDENCY_READY,
    SUBSCRIBER_RESOLVED,
    DEAD_LETTER_SINK_RESOLVED,
    OIDC_IDENTITY_CREATED,
]);

pub struct TriggerController;

/// The name of a trigger's Subscription.
pub fn subscription_name(broker: &str, trigger: &str, trigger_uid: &str) -> String {
    child_name(&format!("{broker}-{trigger}-"), trigger_uid)
}

impl Controller for TriggerController {
    fn name(&self) -> &'static str {
        "trigger"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == triggers() {
            return vec![event.key.clone()];
        }
        let mut keys = owner(event, "Trigger", triggers());
        if event.key.gr == brokers() {
            keys.extend(
                cluster
                    .list(&triggers(), &event.key.namespace)
                    .iter()
                    .filter(|t| str_at(t, "/spec/broker") == event.key.name)
                    .map(|t| ObjectKey::new(triggers(), namespace(t), name(t))),
            );
        }
        keys.extend(referencing(
            cluster,
            &triggers(),
            event,
            &["/spec/subscriber", "/spec/delivery/deadLetterSink"],
        ));
        if !event.key.namespace.is_empty() && !super::is_plumbing(event) {
            keys.extend(
                cluster
                    .list(&triggers(), &event.key.namespace)
                    .iter()
                    .filter(|t| {
                        annotation(t, DEPENDENCY_ANNOTATION)
                            .and_then(|d| serde_json::from_str::<Value>(d).ok())
                            .is_some_and(|d| {
                                str_at(&d, "/name") == event.key.name
                                    && str_at(&d, "/kind") == str_at(event.object, "/kind")
                            })
                    })
                    .map(|t| ObjectKey::new(triggers(), namespace(t), name(t))),
            );
        }
        keys
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(t) = get_live(cluster, &triggers(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&t) {
            return Ok(Requeue::Done);
        }
        let broker_name = str_at(&t, "/spec/broker").to_string();
        let broker = match cluster.get(&brokers(), namespace(&t), &broker_name) {
            Ok(b) => Some(b),
            Err(e) if e.code == 404 => None,
            Err(e) => return Err(e),
        };
        if let Some(b) = &broker
            && annotation(b, BROKER_CLASS_ANNOTATION) != Some(MT_CHANNEL_BASED_BROKER)
        {
            // Another class's controller owns this trigger.
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&t, TRIGGER_CONDITIONS);
        match broker {
            None => rec.conditions.mark_false(
                BROKER_READY,
                "BrokerDoesNotExist",
                &format!("Broker {} does not exist", quote(&broker_name)),
            ),
            Some(b) => reconcile_trigger(cluster, &t, &b, &mut rec)?,
        }
        rec.finish(cluster, &triggers())?;
        Ok(Requeue::Done)
    }
}

fn reconcile_trigger(
    cluster: &dyn ClusterApi,
    t: &Value,
    b: &Value,
    rec: &mut StatusReconcile,
) -> Result<(), ApiError> {
    let ns = namespace(t);
    propagate_ready(
        &mut rec.conditions,
        BROKER_READY,
        b,
        ("BrokerNotConfigured", "Broker has not yet been reconciled."),
    );
    if !super::is_ready(b) {
        return Ok(());
    }
    rec.conditions
        .mark_true_with_reason(OIDC_IDENTITY_CREATED, OIDC_DISABLED_REASON, "");
    let subscriber = t.at("/spec/subscriber").cloned().unwrap_or(json!({}));
    match resolve(cluster, &subscriber, ns) {
        Ok(a) => {
            set_addressable(rec.status(), "subscriber", Some(&a));
            rec.conditions.mark_true(SUBSCRIBER_RESOLVED);
        }
        Err(e) => {
            set_addressable(rec.status(), "subscriber", None);
            rec.conditions.mark_false(
                SUBSCRIBER_RESOLVED,
                "Unable to get the Subscriber's URI",
                &e,
            );
            return Ok(());
        }
    }
    // The trigger's dead-letter sink, else the broker's.
    let mut dls_uri = None;
    if let Some(dls) = t
        .at("/spec/delivery/deadLetterSink")
        .filter(|d| !d.is_null())
    {
        match resolve_dls(cluster, dls, ns, rec) {
            Some(url) => dls_uri = Some(url),
            None => return Ok(()),
        }
    } else if let Some(uri) = b
        .at("/status/deadLetterSinkUri")
        .and_then(Value::as_str)
        .filter(|_| b.at("/spec/delivery/deadLetterSink").is_some())
    {
        dls_uri = Some(uri.to_string());
        rec.status().insert("deadLetterSinkUri".into(), json!(uri));
        rec.conditions.mark_true(DEAD_LETTER_SINK_RESOLVED);
    } else {
        mark_no_dls(rec);
    }

    let sub_name = subscription_name(str_at(t, "/spec/broker"), name(t), uid(t));
    let anns = |k: &str| {
        b.at("/status/annotations")
            .and_then(|a| a.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mut delivery = t
        .at("/spec/delivery")
        .or_else(|| b.at("/spec/delivery"))
        .cloned()
        .filter(Value::is_object);
    if let Some(d) = delivery.as_mut().and_then(Value::as_object_mut) {
        match &dls_uri {
            Some(u) => {
                d.insert("deadLetterSink".into(), json!({"uri": u}));
            }
            None => {
                d.remove("deadLetterSink");
            }
        }
    }
    let mut spec = json!({
        "channel": {
            "apiVersion": anns("knative.dev/channelAPIVersion"),
            "kind": anns("knative.dev/channelKind"),
            "name": anns("knative.dev/channelName"),
        },
        "subscriber": {"uri": format!(
            "http://broker-filter.{SYSTEM_NAMESPACE}.svc.cluster.local/triggers/{ns}/{}/{}",
            name(t), uid(t)
        )},
        "reply": {"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker",
            "name": name(b), "namespace": ns}},
    });
    if let Some(d) = delivery {
        spec["delivery"] = d;
    }
    let desired = json!({
        "apiVersion": "messaging.knative.dev/v1",
        "kind": "Subscription",
        "metadata": {
            "name": sub_name,
            "namespace": ns,
            "labels": {BROKER_LABEL: name(b), TRIGGER_LABEL: name(t)},
            "ownerReferences": [controller_ref(t)],
        },
        "spec": spec,
    });
    let sub = match cluster.get(&subscriptions(), ns, &sub_name) {
        Ok(existing) if !is_controlled_by(&existing, t) => {
            rec.conditions.mark_false(
                SUBSCRIPTION_READY,
                "SubscriptionNotOwnedByTrigger",
                &format!(
                    "trigger {} does not own subscription {}",
                    quote(name(t)),
                    quote(&sub_name)
                ),
            );
            return Ok(());
        }
        _ => match ensure_child(cluster, &subscriptions(), desired) {
            Ok(s) => s,
            Err(e) => {
                rec.conditions
                    .mark_false(SUBSCRIPTION_READY, "NotSubscribed", &e.message);
                return Ok(());
            }
        },
    };
    propagate_ready(
        &mut rec.conditions,
        SUBSCRIPTION_READY,
        &sub,
        (
            "SubscriptionNotConfigured",
            "Subscription has not yet been reconciled.",
        ),
    );
    reconcile_dependency(cluster, t, rec);
    Ok(())
}

fn reconcile_dependency(cluster: &dyn ClusterApi, t: &Value, rec: &mut StatusReconcile) {
    let Some(dep) =
        annotation(t, DEPENDENCY_ANNOTATION).and_then(|d| serde_json::from_str::<Value>(d).ok())
    else {
        rec.conditions.mark_true(DEPENDENCY_READY);
        return;
    };
    let gr = kind_to_resource(str_at(&dep, "/apiVersion"), str_at(&dep, "/kind"));
    let dep_name = str_at(&dep, "/name");
    let obj = match cluster.get(&gr, namespace(t), dep_name) {
        Ok(o) => o,
        Err(e) => {
            let message = if e.code == 404 {
                format!("{gr} \"{dep_name}\" not found")
            } else {
                e.message
            };
            rec.conditions.mark_false(
                DEPENDENCY_READY,
                "DependencyDoesNotExist",
                &format!("Dependency does not exist: {message}"),
            );
            return;
        }
    };
    if generation(&obj) != observed_generation(&obj) {
        rec.conditions.mark_unknown(
            DEPENDENCY_READY,
            "GenerationNotEqual",
            &format!(
                "The dependency's metadata.generation, {}, is not equal to its status.observedGeneration, {}.",
                generation(&obj),
                observed_generation(&obj)
            ),
        );
        return;
    }
    propagate_ready(
        &mut rec.conditions,
        DEPENDENCY_READY,
        &obj,
        ("DependencyNotReady", "Dependency is not ready."),
    );
}
