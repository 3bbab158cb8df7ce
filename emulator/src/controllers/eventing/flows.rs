//! Sequence and Parallel reconcilers (knative/eventing `pkg/reconciler/{sequence,parallel}`):
//! the channels of the channel template and the Subscriptions that chain them, each owned by
//! the flow, and the flow's status copied from them (channel and subscription statuses,
//! the address of its first channel, Ready).
//!
//! Long because: both reconcilers share its child and status helpers.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::{ensure_child, get_live, owner};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::{ConditionSet, TRUE};
use crate::knative::eventing::destination::kind_to_resource;
use crate::knative::eventing::*;
use crate::knative::meta::{StatusReconcile, controller_ref, is_controlled_by, is_deleting, name};
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub const CHANNELS_READY: &str = "ChannelsReady";
pub const SUBSCRIPTIONS_READY: &str = "SubscriptionsReady";
pub const ADDRESSABLE: &str = "Addressable";
pub const EVENT_POLICIES_READY: &str = "EventPoliciesReady";

/// Sequence's and Parallel's condition set (the same four dependents).
pub const FLOW_CONDITIONS: ConditionSet = ConditionSet::living(&[
    CHANNELS_READY,
    SUBSCRIPTIONS_READY,
    ADDRESSABLE,
    EVENT_POLICIES_READY,
]);

const CHANNELS_NOT_READY: (&str, &str) = (
    "ChannelsNotReady",
    "Channels are not ready yet, or there are none",
);
const SUBSCRIPTIONS_NOT_READY: (&str, &str) = (
    "SubscriptionsNotReady",
    "Subscriptions are not ready yet, or there are none",
);

/// `NAME-kn-sequence-I`: both the channel and the Subscription of step I.
pub fn sequence_child_name(sequence: &str, step: usize) -> String {
    format!("{sequence}-kn-sequence-{step}")
}

/// `NAME-kn-parallel`: a Parallel's ingress channel.
pub fn parallel_channel_name(parallel: &str) -> String {
    format!("{parallel}-kn-parallel")
}

/// `NAME-kn-parallel-I`: the channel and subscriber Subscription of branch I.
pub fn parallel_branch_name(parallel: &str, branch: usize) -> String {
    format!("{parallel}-kn-parallel-{branch}")
}

/// `NAME-kn-parallel-filter-I`: the filter Subscription of branch I.
pub fn parallel_filter_name(parallel: &str, branch: usize) -> String {
    format!("{parallel}-kn-parallel-filter-{branch}")
}

fn subscriptions_gr() -> GroupResource {
    subscriptions()
}

/// The flow's channel template: (apiVersion, kind, spec).
fn template(flow: &Value) -> (String, String, Value) {
    let t = flow.at("/spec/channelTemplate");
    let s = |k: &str| {
        t.and_then(|t| t.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let spec = t
        .and_then(|t| t.get("spec"))
        .filter(|s| s.is_object())
        .cloned()
        .unwrap_or(json!({}));
    (s("apiVersion"), s("kind"), spec)
}

fn items<'a>(flow: &'a Value, key: &str) -> &'a [Value] {
    flow.at(&format!("/spec/{key}"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

/// A reference to one of the flow's channels.
fn channel_ref(flow: &Value, channel: &str, with_namespace: bool) -> Value {
    let (api_version, kind, _) = template(flow);
    let mut r = json!({"apiVersion": api_version, "kind": kind, "name": channel});
    if with_namespace {
        r["namespace"] = json!(namespace_of(flow));
    }
    r
}

fn namespace_of(obj: &Value) -> &str {
    crate::knative::meta::namespace(obj)
}

/// A Subscription owned by `flow`, with the namespaces the Subscription webhook would default
/// (so that a reconcile of an unchanged flow finds nothing to update).
fn subscription(flow: &Value, sub_name: &str, mut spec: Map<String, Value>) -> Value {
    let ns = namespace_of(flow);
    for dest in ["subscriber", "reply"] {
        default_ref_namespace(spec.get_mut(dest), ns);
    }
    if let Some(d) = spec.get_mut("delivery") {
        default_ref_namespace(d.get_mut("deadLetterSink"), ns);
    }
    json!({
        "apiVersion": "messaging.knative.dev/v1",
        "kind": "Subscription",
        "metadata": {"name": sub_name, "namespace": ns, "ownerReferences": [controller_ref(flow)]},
        "spec": spec,
    })
}

fn default_ref_namespace(dest: Option<&mut Value>, ns: &str) {
    if let Some(r) = dest
        .and_then(|d| d.get_mut("ref"))
        .and_then(Value::as_object_mut)
        && r.get("namespace")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
    {
        r.insert("namespace".into(), json!(ns));
    }
}

/// Creates the channel `channel` of the template's kind when it is missing (upstream never
/// updates an existing one: the Subscription controller writes its subscribers).
fn ensure_channel(
    cluster: &dyn ClusterApi,
    flow: &Value,
    channel: &str,
) -> Result<Arc<Value>, String> {
    let (api_version, kind, spec) = template(flow);
    let gr = kind_to_resource(&api_version, &kind);
    let ns = namespace_of(flow);
    match cluster.get_shared(&gr, ns, channel) {
        Ok(c) => Ok(c),
        Err(e) if e.code == 404 => cluster
            .create(
                &gr,
                json!({
                    "apiVersion": api_version,
                    "kind": kind,
                    "metadata": {"name": channel, "namespace": ns, "ownerReferences": [controller_ref(flow)]},
                    "spec": spec,
                }),
            )
            .map_err(|e| format!("failed to create channel {kind}/{channel}: {}", e.message)),
        Err(e) => Err(format!("failed to get channel {kind}/{channel}: {}", e.message)),
    }
}

/// `corev1.ObjectReference` of a child, as the statuses list it.
fn object_ref(obj: &Value) -> Value {
    let s = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("");
    json!({
        "apiVersion": s("apiVersion"),
        "kind": s("kind"),
        "name": name(obj),
        "namespace": namespace_of(obj),
    })
}

/// A child's Ready condition, or `what does not have Ready condition` (Unknown, NoReady).
fn ready_condition(obj: &Value, what: &str) -> (Value, bool) {
    let found = obj
        .at("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"))
        });
    match found {
        Some(c) => (
            c.clone(),
            c.get("status").and_then(Value::as_str) == Some(TRUE),
        ),
        None => (
            json!({
                "type": "Ready",
                "status": "Unknown",
                "reason": "NoReady",
                "message": format!("{what} does not have Ready condition"),
                "lastTransitionTime": crate::knative::conditions::now_rfc3339(),
            }),
            false,
        ),
    }
}

/// Marks the address from the first channel (`emptyAddress` when it has none).
fn set_address(rec: &mut StatusReconcile, channel: &Value, unknown: bool) {
    match present(channel.at("/status/address/url")) {
        Some(url) => {
            let mut addr = json!({"url": url});
            for k in ["CACerts", "audience"] {
                if let Some(v) = present(channel.at(&format!("/status/address/{k}"))) {
                    addr[k] = v.clone();
                }
            }
            rec.status().insert("address".into(), addr);
            rec.conditions.mark_true(ADDRESSABLE);
        }
        None => {
            rec.status().remove("address");
            if unknown {
                rec.conditions
                    .mark_unknown(ADDRESSABLE, "emptyAddress", "addressable is nil");
            } else {
                rec.conditions
                    .mark_false(ADDRESSABLE, "emptyAddress", "addressable is nil");
            }
        }
    }
}

fn mark_policies(rec: &mut StatusReconcile) {
    rec.conditions.mark_true_with_reason(
        EVENT_POLICIES_READY,
        EVENT_POLICIES_OIDC_REASON,
        EVENT_POLICIES_OIDC_MESSAGE,
    );
}

/// Deletes the children of `gr` the flow controls that are no longer wanted.
fn remove_unwanted(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    flow: &Value,
    wanted: &[String],
) -> Result<(), ApiError> {
    for child in cluster.list(gr, namespace_of(flow)) {
        if is_controlled_by(&child, flow)
            && !is_deleting(&child)
            && !wanted.iter().any(|w| w == name(&child))
        {
            match cluster.delete(gr, namespace_of(flow), name(&child)) {
                Ok(_) => {}
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// The keys of a flow controller: its own kind, and the flow owning a changed channel or
/// Subscription.
fn flow_keys(event: &ObjectEvent, kind: &str, gr: GroupResource) -> Vec<ObjectKey> {
    if event.key.gr == gr {
        return vec![event.key.clone()];
    }
    owner(event, kind, gr)
}

pub struct SequenceController;

impl Controller for SequenceController {
    fn name(&self) -> &'static str {
        "sequence"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        flow_keys(event, "Sequence", sequences())
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(seq) = get_live(cluster, &sequences(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&seq) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&seq, FLOW_CONDITIONS);
        reconcile_sequence(cluster, &seq, &mut rec)?;
        rec.finish(cluster, &sequences())?;
        Ok(Requeue::Done)
    }
}

fn reconcile_sequence(
    cluster: &dyn ClusterApi,
    seq: &Value,
    rec: &mut StatusReconcile,
) -> Result<(), ApiError> {
    let steps = items(seq, "steps");
    let names: Vec<String> = (0..steps.len())
        .map(|i| sequence_child_name(name(seq), i))
        .collect();
    let mut channels = Vec::new();
    for (i, channel) in names.iter().enumerate() {
        match ensure_channel(cluster, seq, channel) {
            Ok(c) => channels.push(c),
            Err(e) => {
                let message = format!("failed to reconcile channel {channel} at step {i}: {e}");
                rec.conditions
                    .mark_unknown(CHANNELS_READY, CHANNELS_NOT_READY.0, &message);
                return Ok(());
            }
        }
    }
    let mut statuses = Vec::new();
    let mut all_ready = !channels.is_empty();
    for (i, c) in channels.iter().enumerate() {
        if i == 0 {
            set_address(rec, c, true);
        }
        let (ready, ok) = ready_condition(c, "Channel");
        all_ready &= ok;
        statuses.push(json!({"channel": object_ref(c), "ready": ready}));
    }
    rec.status()
        .insert("channelStatuses".into(), json!(statuses));
    if all_ready {
        rec.conditions.mark_true(CHANNELS_READY);
    } else {
        let (r, m) = CHANNELS_NOT_READY;
        rec.conditions.mark_unknown(CHANNELS_READY, r, m);
    }

    let mut subs = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let mut spec = Map::new();
        spec.insert("channel".into(), channel_ref(seq, &names[i], false));
        let mut subscriber = Map::new();
        for k in ["ref", "uri", "audience", "CACerts"] {
            if let Some(v) = present(step.get(k)) {
                subscriber.insert(k.into(), v.clone());
            }
        }
        spec.insert("subscriber".into(), Value::Object(subscriber));
        if let Some(d) = present(step.get("delivery")) {
            spec.insert("delivery".into(), d.clone());
        }
        if i + 1 < steps.len() {
            spec.insert(
                "reply".into(),
                json!({"ref": channel_ref(seq, &names[i + 1], true)}),
            );
        } else if let Some(r) = present(seq.at("/spec/reply")) {
            spec.insert("reply".into(), r.clone());
        }
        match ensure_child(
            cluster,
            &subscriptions_gr(),
            subscription(seq, &names[i], spec),
        ) {
            Ok(s) => subs.push(s),
            Err(e) => {
                let message = format!(
                    "failed to reconcile subscription resource for step: {i} : {}",
                    e.message
                );
                rec.conditions.mark_unknown(
                    SUBSCRIPTIONS_READY,
                    SUBSCRIPTIONS_NOT_READY.0,
                    &message,
                );
                return Ok(());
            }
        }
    }
    let mut statuses = Vec::new();
    let mut all_ready = !subs.is_empty();
    for s in &subs {
        let (ready, ok) = ready_condition(s, "Subscription");
        all_ready &= ok;
        statuses.push(json!({"subscription": object_ref(s), "ready": ready}));
    }
    rec.status()
        .insert("subscriptionStatuses".into(), json!(statuses));
    if all_ready {
        rec.conditions.mark_true(SUBSCRIPTIONS_READY);
    } else {
        let (r, m) = SUBSCRIPTIONS_NOT_READY;
        rec.conditions.mark_unknown(SUBSCRIPTIONS_READY, r, m);
    }
    let (api_version, kind, _) = template(seq);
    remove_unwanted(cluster, &kind_to_resource(&api_version, &kind), seq, &names)?;
    mark_policies(rec);
    remove_unwanted(cluster, &subscriptions_gr(), seq, &names)
}

pub struct ParallelController;

impl Controller for ParallelController {
    fn name(&self) -> &'static str {
        "parallel"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        flow_keys(event, "Parallel", parallels())
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(par) = get_live(cluster, &parallels(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&par) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&par, FLOW_CONDITIONS);
        reconcile_parallel(cluster, &par, &mut rec)?;
        rec.finish(cluster, &parallels())?;
        Ok(Requeue::Done)
    }
}

/// `{type: Ready, status: True}` or `NotAddressable`, as upstream rates a Parallel's channels.
fn addressable_condition(channel: &Value) -> (Value, bool) {
    if present(channel.at("/status/address")).is_some() {
        (json!({"type": "Ready", "status": "True"}), true)
    } else {
        (
            json!({"type": "Ready", "status": "False", "reason": "NotAddressable", "message": "Channel is not addressable"}),
            false,
        )
    }
}

fn reconcile_parallel(
    cluster: &dyn ClusterApi,
    par: &Value,
    rec: &mut StatusReconcile,
) -> Result<(), ApiError> {
    let pname = name(par);
    let branches = items(par, "branches");
    let ingress_name = parallel_channel_name(pname);
    let ingress = match ensure_channel(cluster, par, &ingress_name) {
        Ok(c) => c,
        Err(e) => {
            let message = format!("failed to reconcile channel {ingress_name}: {e}");
            rec.conditions
                .mark_false(CHANNELS_READY, CHANNELS_NOT_READY.0, &message);
            return Ok(());
        }
    };
    let mut wanted_channels = vec![ingress_name.clone()];
    let mut branch_channels = Vec::new();
    for i in 0..branches.len() {
        let channel = parallel_branch_name(pname, i);
        match ensure_channel(cluster, par, &channel) {
            Ok(c) => branch_channels.push(c),
            Err(e) => {
                let message = format!("failed to reconcile channel {channel} at step {i}: {e}");
                rec.conditions
                    .mark_false(CHANNELS_READY, CHANNELS_NOT_READY.0, &message);
                return Ok(());
            }
        }
        wanted_channels.push(channel);
    }
    let (ingress_ready, mut all_ready) = addressable_condition(&ingress);
    rec.status().insert(
        "ingressChannelStatus".into(),
        json!({"channel": object_ref(&ingress), "ready": ingress_ready}),
    );
    set_address(rec, &ingress, false);

    let mut wanted_subs = Vec::new();
    let mut statuses = Vec::new();
    let mut subs_ready = !branches.is_empty();
    for (i, branch) in branches.iter().enumerate() {
        let channel_name = parallel_branch_name(pname, i);
        let (channel_ready, ok) = addressable_condition(&branch_channels[i]);
        all_ready &= ok;
        let mut filter = Map::new();
        filter.insert("channel".into(), channel_ref(par, &ingress_name, false));
        let to_branch = json!({"ref": channel_ref(par, &channel_name, true)});
        match present(branch.get("filter")) {
            None => {
                filter.insert("subscriber".into(), to_branch);
            }
            Some(f) => {
                filter.insert("subscriber".into(), f.clone());
                filter.insert("reply".into(), to_branch);
            }
        }
        let mut sub = Map::new();
        sub.insert("channel".into(), channel_ref(par, &channel_name, false));
        if let Some(s) = present(branch.get("subscriber")) {
            sub.insert("subscriber".into(), s.clone());
        }
        if let Some(d) = present(branch.get("delivery")) {
            sub.insert("delivery".into(), d.clone());
        }
        if let Some(r) = present(branch.get("reply")).or_else(|| present(par.at("/spec/reply"))) {
            sub.insert("reply".into(), r.clone());
        }
        let filter_name = parallel_filter_name(pname, i);
        let written = ensure_child(
            cluster,
            &subscriptions_gr(),
            subscription(par, &filter_name, filter),
        )
        .and_then(|f| {
            ensure_child(
                cluster,
                &subscriptions_gr(),
                subscription(par, &channel_name, sub),
            )
            .map(|s| (f, s))
        });
        let (f, s) = match written {
            Ok(pair) => pair,
            Err(e) => {
                let message = format!(
                    "failed to reconcile subscription resource for branch: {i} : {}",
                    e.message
                );
                rec.conditions
                    .mark_false(SUBSCRIPTIONS_READY, SUBSCRIPTIONS_NOT_READY.0, &message);
                return Ok(());
            }
        };
        let (f_ready, f_ok) = ready_condition(&f, "Subscription");
        let (s_ready, s_ok) = ready_condition(&s, "Subscription");
        subs_ready &= f_ok && s_ok;
        statuses.push(json!({
            "filterSubscriptionStatus": {"subscription": object_ref(&f), "ready": f_ready},
            "filterChannelStatus": {"channel": object_ref(&branch_channels[i]), "ready": channel_ready},
            "subscriberSubscriptionStatus": {"subscription": object_ref(&s), "ready": s_ready},
        }));
        wanted_subs.push(filter_name);
        wanted_subs.push(channel_name);
    }
    rec.status()
        .insert("branchStatuses".into(), json!(statuses));
    if all_ready {
        rec.conditions.mark_true(CHANNELS_READY);
    } else {
        let (r, m) = CHANNELS_NOT_READY;
        rec.conditions.mark_false(CHANNELS_READY, r, m);
    }
    if subs_ready {
        rec.conditions.mark_true(SUBSCRIPTIONS_READY);
    } else {
        let (r, m) = SUBSCRIPTIONS_NOT_READY;
        rec.conditions.mark_false(SUBSCRIPTIONS_READY, r, m);
    }
    let (api_version, kind, _) = template(par);
    remove_unwanted(
        cluster,
        &kind_to_resource(&api_version, &kind),
        par,
        &wanted_channels,
    )?;
    mark_policies(rec);
    remove_unwanted(cluster, &subscriptions_gr(), par, &wanted_subs)
}
