//! InMemoryChannel and Channel reconcilers (§3.6): the IMC's address and per-subscriber
//! readiness, the Channel's backing channel of its template kind with the same name, whose
//! address and subscriber statuses it copies.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{get_live, owner, propagate_ready, reconcile_dls, referencing};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::ConditionSet;
use crate::knative::eventing::destination::kind_to_resource;
use crate::knative::eventing::*;
use crate::knative::meta::{StatusReconcile, controller_ref, is_deleting, name, namespace, str_at};
use crate::resource::ObjectKey;
use crate::status::ApiError;

pub const ADDRESSABLE: &str = "Addressable";
pub use super::DEAD_LETTER_SINK_RESOLVED;
pub const EVENT_POLICIES_READY: &str = "EventPoliciesReady";
pub const BACKING_CHANNEL_READY: &str = "BackingChannelReady";

pub const IMC_CONDITIONS: ConditionSet = ConditionSet::living(&[
    "DispatcherReady",
    "ServiceReady",
    "EndpointsReady",
    ADDRESSABLE,
    "ChannelServiceReady",
    DEAD_LETTER_SINK_RESOLVED,
    EVENT_POLICIES_READY,
]);

pub const CHANNEL_CONDITIONS: ConditionSet = ConditionSet::living(&[
    BACKING_CHANNEL_READY,
    ADDRESSABLE,
    DEAD_LETTER_SINK_RESOLVED,
    EVENT_POLICIES_READY,
]);

pub struct InMemoryChannelController;

impl Controller for InMemoryChannelController {
    fn name(&self) -> &'static str {
        "inmemorychannel"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == inmemorychannels() {
            return vec![event.key.clone()];
        }
        referencing(
            cluster,
            &inmemorychannels(),
            event,
            &["/spec/delivery/deadLetterSink"],
        )
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(imc) = get_live(cluster, &inmemorychannels(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&imc) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&imc, IMC_CONDITIONS);
        for c in [
            "DispatcherReady",
            "ServiceReady",
            "EndpointsReady",
            "ChannelServiceReady",
        ] {
            rec.conditions.mark_true(c);
        }
        rec.status().insert(
            "address".into(),
            json!({"name": "http", "url": channel_url(namespace(&imc), name(&imc))}),
        );
        rec.conditions.mark_true(ADDRESSABLE);
        reconcile_dls(cluster, &imc, &mut rec);
        rec.conditions.mark_true_with_reason(
            EVENT_POLICIES_READY,
            EVENT_POLICIES_OIDC_REASON,
            EVENT_POLICIES_OIDC_MESSAGE,
        );
        let subscribers: Vec<Value> = imc
            .at("/spec/subscribers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|s| {
                json!({
                    "uid": s.get("uid").cloned().unwrap_or(json!("")),
                    "observedGeneration": s.get("generation").cloned().unwrap_or(json!(0)),
                    "ready": "True",
                })
            })
            .collect();
        if subscribers.is_empty() {
            rec.status().remove("subscribers");
        } else {
            rec.status()
                .insert("subscribers".into(), json!(subscribers));
        }
        rec.finish(cluster, &inmemorychannels())?;
        Ok(Requeue::Done)
    }
}

pub struct ChannelController;

impl Controller for ChannelController {
    fn name(&self) -> &'static str {
        "channel"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == channels() {
            return vec![event.key.clone()];
        }
        let mut keys = owner(event, "Channel", channels());
        keys.extend(referencing(
            cluster,
            &channels(),
            event,
            &["/spec/delivery/deadLetterSink"],
        ));
        keys
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(ch) = get_live(cluster, &channels(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&ch) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&ch, CHANNEL_CONDITIONS);
        reconcile_channel(cluster, &ch, &mut rec)?;
        rec.finish(cluster, &channels())?;
        Ok(Requeue::Done)
    }
}

fn reconcile_channel(
    cluster: &dyn ClusterApi,
    ch: &Value,
    rec: &mut StatusReconcile,
) -> Result<(), ApiError> {
    let ns = namespace(ch);
    let api_version = str_at(ch, "/spec/channelTemplate/apiVersion").to_string();
    let kind = str_at(ch, "/spec/channelTemplate/kind").to_string();
    let mut spec = ch
        .at("/spec/channelTemplate/spec")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or(json!({}));
    if let Some(d) = ch.at("/spec/delivery").filter(|d| !d.is_null()) {
        spec["delivery"] = d.clone();
    }
    let gr = kind_to_resource(&api_version, &kind);
    let backing = match cluster.get_shared(&gr, ns, name(ch)) {
        Ok(existing) => {
            // Subscribers are written by the Subscription controller; keep them.
            let mut want = spec.clone();
            if let Some(subs) = existing.at("/spec/subscribers") {
                want["subscribers"] = subs.clone();
            }
            if existing.get("spec") != Some(&want) {
                let mut updated = Arc::unwrap_or_clone(existing);
                updated["spec"] = want;
                cluster.update(&gr, updated)
            } else {
                Ok(existing)
            }
        }
        Err(e) if e.code == 404 => cluster.create(
            &gr,
            json!({
                "apiVersion": api_version,
                "kind": kind,
                "metadata": {"name": name(ch), "namespace": ns, "ownerReferences": [controller_ref(ch)]},
                "spec": spec,
            }),
        ),
        Err(e) => Err(e),
    };
    let backing = match backing {
        Ok(b) => b,
        Err(e) => {
            rec.conditions
                .mark_false(BACKING_CHANNEL_READY, "ChannelFailure", &e.message);
            return Ok(());
        }
    };
    rec.status().insert(
        "channel".into(),
        json!({"kind": kind, "namespace": ns, "name": name(ch), "apiVersion": api_version}),
    );
    propagate_ready(
        &mut rec.conditions,
        BACKING_CHANNEL_READY,
        &backing,
        ("", ""),
    );
    match backing.at("/status/address").filter(|a| a.is_object()) {
        Some(addr) => {
            rec.status().insert("address".into(), addr.clone());
            rec.conditions.mark_true(ADDRESSABLE);
        }
        None => {
            rec.status().remove("address");
            rec.conditions
                .mark_false(ADDRESSABLE, "EmptyHostname", "hostname is the empty string");
        }
    }
    match backing.at("/status/subscribers") {
        Some(s) => {
            rec.status().insert("subscribers".into(), s.clone());
        }
        None => {
            rec.status().remove("subscribers");
        }
    }
    reconcile_dls(cluster, ch, rec);
    rec.conditions.mark_true_with_reason(
        EVENT_POLICIES_READY,
        EVENT_POLICIES_OIDC_REASON,
        EVENT_POLICIES_OIDC_MESSAGE,
    );
    Ok(())
}
