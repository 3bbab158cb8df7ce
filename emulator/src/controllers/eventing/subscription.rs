//! The Subscription reconciler (§3.6): resolves the channel (through a Channel's backing
//! channel), subscriber, reply and dead-letter sink, writes the subscriber into the physical
//! channel's `spec.subscribers` and waits for the channel to mark it ready. Carries the
//! `subscriptions.messaging.knative.dev` finalizer, which removes it from the channel.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{get_live, record_once, referencing, set_addressable};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::kube::events::normal;
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::ConditionSet;
use crate::knative::eventing::destination::{Addressable, kind_to_resource, resolve};
use crate::knative::eventing::*;
use crate::knative::meta::{
    StatusReconcile, add_finalizer, generation, is_deleting, name, namespace, remove_finalizer,
    str_at, uid,
};
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub const REFERENCES_RESOLVED: &str = "ReferencesResolved";
pub const ADDED_TO_CHANNEL: &str = "AddedToChannel";
pub const CHANNEL_READY: &str = "ChannelReady";
pub const OIDC_IDENTITY_CREATED: &str = "OIDCIdentityCreated";
pub const FINALIZER: &str = "subscriptions.messaging.knative.dev";

pub const SUBSCRIPTION_CONDITIONS: ConditionSet = ConditionSet::living(&[
    REFERENCES_RESOLVED,
    ADDED_TO_CHANNEL,
    CHANNEL_READY,
    OIDC_IDENTITY_CREATED,
]);

const NOT_MARKED_READY: &str = "SubscriptionNotMarkedReadyByChannel";
const CHANNEL_REFERENCE_FAILED: &str = "ChannelReferenceFailed";

pub struct SubscriptionController;

/// Who Knative's Subscription reconciler records events as.
const COMPONENT: &str = "subscription-controller";

/// The channel a Subscription writes itself into: the referenced channel, or for a generic
/// `Channel` its backing channel.
fn physical_channel(
    cluster: &dyn ClusterApi,
    sub: &Value,
) -> Result<(GroupResource, Value), String> {
    let ns = namespace(sub);
    let api_version = str_at(sub, "/spec/channel/apiVersion");
    let kind = str_at(sub, "/spec/channel/kind");
    let ch_name = str_at(sub, "/spec/channel/name");
    let gr = kind_to_resource(api_version, kind);
    let ch = cluster.get(&gr, ns, ch_name).map_err(|e| {
        if e.code == 404 {
            format!("{gr} \"{ch_name}\" not found")
        } else {
            e.message
        }
    })?;
    if gr != channels() {
        return Ok((gr, ch));
    }
    let backing = ch
        .at("/status/channel")
        .filter(|c| c.is_object())
        .ok_or_else(|| format!("channel {ch_name:?} does not have a backing channel yet"))?;
    let bgr = kind_to_resource(str_at(backing, "/apiVersion"), str_at(backing, "/kind"));
    let bns = match str_at(backing, "/namespace") {
        "" => ns,
        n => n,
    };
    let b = cluster
        .get(&bgr, bns, str_at(backing, "/name"))
        .map_err(|e| e.message)?;
    Ok((bgr, b))
}

fn subscriber_entries(ch: &Value) -> Vec<Value> {
    ch.at("/spec/subscribers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Writes (or, with `entry` None, removes) this subscription's entry in the channel; whether the
/// channel changed.
fn sync_channel(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    ch: &Value,
    sub_uid: &str,
    entry: Option<Value>,
) -> Result<bool, ApiError> {
    // The entry keeps its place: moving it to the end would flip the order of two
    // subscriptions of one channel on every reconcile, and they would never settle.
    let mut subs = subscriber_entries(ch);
    let at = subs.iter().position(|s| str_at(s, "/uid") == sub_uid);
    match (at, entry) {
        (Some(i), Some(e)) => subs[i] = e,
        (Some(i), None) => {
            subs.remove(i);
        }
        (None, Some(e)) => subs.push(e),
        (None, None) => {}
    }
    if subs == subscriber_entries(ch) {
        return Ok(false);
    }
    let mut updated = ch.clone();
    if subs.is_empty() {
        if let Some(spec) = updated.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("subscribers");
        }
    } else {
        updated["spec"]["subscribers"] = json!(subs);
    }
    cluster.update(gr, updated).map(|_| true)
}

fn is_empty_destination(d: Option<&Value>) -> bool {
    d.and_then(Value::as_object).is_none_or(|m| m.is_empty())
}

impl Controller for SubscriptionController {
    fn name(&self) -> &'static str {
        "subscription"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == subscriptions() {
            return vec![event.key.clone()];
        }
        let mut keys = Vec::new();
        if event.key.gr.group == MESSAGING_GROUP {
            // A channel (or a Channel's backing channel, which has the same name) changed.
            keys.extend(
                cluster
                    .list(&subscriptions(), &event.key.namespace)
                    .iter()
                    .filter(|s| str_at(s, "/spec/channel/name") == event.key.name)
                    .map(|s| ObjectKey::new(subscriptions(), namespace(s), name(s))),
            );
        }
        keys.extend(referencing(
            cluster,
            &subscriptions(),
            event,
            &[
                "/spec/subscriber",
                "/spec/reply",
                "/spec/delivery/deadLetterSink",
            ],
        ));
        keys
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(sub) = get_live(cluster, &subscriptions(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&sub) {
            if let Ok((gr, ch)) = physical_channel(cluster, &sub) {
                match sync_channel(cluster, &gr, &ch, uid(&sub), None) {
                    Ok(_) => {}
                    Err(e) if e.code == 404 => {}
                    Err(e) => return Err(e),
                }
            }
            remove_finalizer(cluster, &subscriptions(), &sub, FINALIZER)?;
            return Ok(Requeue::Done);
        }
        let sub = add_finalizer(cluster, &subscriptions(), Arc::new(sub), FINALIZER)?;
        let mut rec = StatusReconcile::begin(&sub, SUBSCRIPTION_CONDITIONS);
        reconcile_subscription(cluster, &sub, &mut rec)?;
        rec.finish(cluster, &subscriptions())?;
        Ok(Requeue::Done)
    }
}

fn reconcile_subscription(
    cluster: &dyn ClusterApi,
    sub: &Value,
    rec: &mut StatusReconcile,
) -> Result<(), ApiError> {
    let ns = namespace(sub);
    let (ch_gr, channel) = match physical_channel(cluster, sub) {
        Ok(c) => c,
        Err(e) => {
            let message = format!("Failed to get Spec.Channel or backing channel: {e}");
            rec.conditions
                .mark_unknown(REFERENCES_RESOLVED, CHANNEL_REFERENCE_FAILED, &message);
            record_once(
                cluster,
                sub,
                COMPONENT,
                "Warning",
                CHANNEL_REFERENCE_FAILED,
                &message,
            );
            return Ok(());
        }
    };
    let resolve_opt = |pointer: &str| -> Result<Option<Addressable>, String> {
        let d = sub.at(pointer);
        if is_empty_destination(d) {
            return Ok(None);
        }
        resolve(cluster, d.unwrap_or(&Value::Null), ns).map(Some)
    };
    let subscriber = match resolve_opt("/spec/subscriber") {
        Ok(a) => a,
        Err(e) => {
            rec.conditions.mark_false(
                REFERENCES_RESOLVED,
                "SubscriberResolveFailed",
                &format!("Failed to resolve spec.subscriber: {e}"),
            );
            let message = format!("Failed to resolve spec.subscriber: {e}");
            record_once(
                cluster,
                sub,
                COMPONENT,
                "Warning",
                "SubscriberResolveFailed",
                &message,
            );
            return Ok(());
        }
    };
    let reply = match resolve_opt("/spec/reply") {
        Ok(a) => a,
        Err(e) => {
            rec.conditions.mark_false(
                REFERENCES_RESOLVED,
                "ReplyResolveFailed",
                &format!("Failed to resolve spec.reply: {e}"),
            );
            let message = format!("Failed to resolve spec.reply: {e}");
            record_once(
                cluster,
                sub,
                COMPONENT,
                "Warning",
                "ReplyResolveFailed",
                &message,
            );
            return Ok(());
        }
    };
    // The subscription's own dead-letter sink, else the channel's.
    let dls_source = if is_empty_destination(sub.at("/spec/delivery/deadLetterSink")) {
        channel.at("/spec/delivery/deadLetterSink")
    } else {
        sub.at("/spec/delivery/deadLetterSink")
    };
    let dls = match dls_source.filter(|d| !is_empty_destination(Some(d))) {
        None => None,
        Some(d) => match resolve(cluster, d, ns) {
            Ok(a) => Some(a),
            Err(e) => {
                rec.conditions.mark_false(
                    REFERENCES_RESOLVED,
                    "DeadLetterSinkResolveFailed",
                    &format!("Failed to resolve spec.delivery.deadLetterSink: {e}"),
                );
                let message = format!("Failed to resolve spec.delivery.deadLetterSink: {e}");
                record_once(
                    cluster,
                    sub,
                    COMPONENT,
                    "Warning",
                    "DeadLetterSinkResolveFailed",
                    &message,
                );
                return Ok(());
            }
        },
    };
    let mut physical = serde_json::Map::new();
    set_addressable(&mut physical, "subscriber", subscriber.as_ref());
    set_addressable(&mut physical, "reply", reply.as_ref());
    set_addressable(&mut physical, "deadLetterSink", dls.as_ref());
    rec.status().insert(
        "physicalSubscription".into(),
        Value::Object(physical.clone()),
    );
    rec.conditions.mark_true(REFERENCES_RESOLVED);
    rec.conditions
        .mark_true_with_reason(OIDC_IDENTITY_CREATED, OIDC_DISABLED_REASON, "");

    let mut entry = json!({"uid": uid(sub), "generation": generation(sub)});
    for (k, v) in &physical {
        entry[k] = v.clone();
    }
    if let Some(delivery) = sub.at("/spec/delivery").filter(|d| d.is_object()) {
        let mut delivery = delivery.clone();
        match &dls {
            Some(a) => delivery["deadLetterSink"] = json!({"uri": a.url}),
            None => {
                if let Some(m) = delivery.as_object_mut() {
                    m.remove("deadLetterSink");
                }
            }
        }
        entry["delivery"] = delivery;
    } else if let Some(a) = &dls {
        entry["delivery"] = json!({"deadLetterSink": {"uri": a.url}});
    }
    match sync_channel(cluster, &ch_gr, &channel, uid(sub), Some(entry)) {
        Ok(true) => {
            let message = format!(
                "Subscription was synchronized to channel {:?}",
                name(&channel)
            );
            normal(cluster, sub, COMPONENT, "SubscriberSync", &message);
        }
        Ok(false) => {}
        Err(e) => {
            rec.conditions.mark_false(
                ADDED_TO_CHANNEL,
                "PhysicalChannelSyncFailed",
                &format!("Failed to sync physical Channel: {}", e.message),
            );
            return Ok(());
        }
    }
    rec.conditions.mark_true(ADDED_TO_CHANNEL);

    let status = channel
        .at("/status/subscribers")
        .and_then(Value::as_array)
        .and_then(|subs| {
            subs.iter().find(|s| {
                str_at(s, "/uid") == uid(sub)
                    && s.get("observedGeneration").and_then(Value::as_i64) == Some(generation(sub))
            })
        });
    match status.map(|s| str_at(s, "/ready")) {
        Some("True") => rec.conditions.mark_true(CHANNEL_READY),
        Some("False") => rec.conditions.mark_false(
            CHANNEL_READY,
            NOT_MARKED_READY,
            "Subscription not marked by Channel as Ready.",
        ),
        Some(_) => rec.conditions.mark_unknown(
            CHANNEL_READY,
            NOT_MARKED_READY,
            "Subscription marked by Channel as Unknown.",
        ),
        None => rec.conditions.mark_unknown(
            CHANNEL_READY,
            NOT_MARKED_READY,
            &format!(
                "Failed to get subscription status: subscription {:?} not present in channel {:?} subscriber's list",
                name(sub),
                name(&channel)
            ),
        ),
    }
    Ok(())
}
