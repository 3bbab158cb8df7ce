//! Knative Eventing's reconcilers (reference/knative-api.md §3): Broker (MTChannelBasedBroker)
//! with its trigger channel, Trigger with its Subscription, InMemoryChannel, Channel,
//! Subscription, PingSource, ApiServerSource, ContainerSource, SinkBinding, EventType, Sequence,
//! Parallel, JobSink and RequestReply.
//! Every sink is resolved through [`ClusterApi`] on each reconcile, and `keys_for` maps
//! changes of referenced objects back to the objects that reference them.

pub mod broker;
pub mod channel;
pub mod eventtype;
pub mod flows;
#[cfg(test)]
mod flows_tests;
pub mod integ;
mod integ_policies;
mod integ_source;
pub mod jobsink;
pub mod requestreply;
pub mod sources;
pub mod subscription;
#[cfg(test)]
mod tests;
pub mod trigger;

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::Controller;
use crate::json::At;
use crate::knative::conditions::{Conditions, FALSE, READY, TRUE};
use crate::knative::eventing::destination::{Addressable, refers_to, resolve};
use crate::knative::eventing::{DLS_NOT_CONFIGURED_MESSAGE, DLS_NOT_CONFIGURED_REASON};
use crate::knative::meta::{StatusReconcile, name, namespace, str_at, uid};
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub fn controllers() -> Vec<Box<dyn Controller>> {
    vec![
        Box::new(broker::BrokerController),
        Box::new(channel::InMemoryChannelController),
        Box::new(channel::ChannelController),
        Box::new(subscription::SubscriptionController),
        Box::new(trigger::TriggerController),
        Box::new(sources::PingSourceController),
        Box::new(sources::ApiServerSourceController),
        Box::new(sources::SinkBindingController),
        Box::new(sources::ContainerSourceController),
        Box::new(eventtype::EventTypeController),
        Box::new(flows::SequenceController),
        Box::new(flows::ParallelController),
        Box::new(jobsink::JobSinkController),
        Box::new(requestreply::RequestReplyController),
    ]
}

/// The object of a key, `None` when it is gone.
fn get_live(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    key: &ObjectKey,
) -> Result<Option<Value>, ApiError> {
    match cluster.get(gr, &key.namespace, &key.name) {
        Ok(o) => Ok(Some(o)),
        Err(e) if e.code == 404 => Ok(None),
        Err(e) => Err(e),
    }
}

fn key_of(gr: &GroupResource, obj: &Value) -> ObjectKey {
    ObjectKey::new(gr.clone(), namespace(obj), name(obj))
}

/// Whether an event is about a kind that never serves as a sink or dependency.
fn is_plumbing(event: &ObjectEvent) -> bool {
    event.key.gr.group.is_empty()
        && matches!(
            &*event.key.gr.resource,
            "configmaps" | "namespaces" | "secrets" | "serviceaccounts" | "pods"
        )
}

/// The objects of `gr` in the event's namespace whose Destination (or KReference) at one of
/// `pointers` names the changed object.
fn referencing(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    event: &ObjectEvent,
    pointers: &[&str],
) -> Vec<ObjectKey> {
    if is_plumbing(event) || event.key.namespace.is_empty() {
        return Vec::new();
    }
    let refers = |o: &Value| {
        pointers.iter().any(|p| {
            o.at(p)
                .is_some_and(|d| refers_to(d, event.object, namespace(o)))
        })
    };
    cluster
        .list_where(gr, &event.key.namespace, &refers)
        .iter()
        .map(|o| key_of(gr, o))
        .collect()
}

/// The owner of the changed object, if it is a `kind` of `gr`.
fn owner(event: &ObjectEvent, kind: &str, gr: GroupResource) -> Vec<ObjectKey> {
    event
        .controller_name_of_kind(kind)
        .map(|n| vec![ObjectKey::new(gr, &event.key.namespace, n)])
        .unwrap_or_default()
}

/// Records an Event about `obj` as Knative's reconcilers return one, unless the same one (type,
/// reason, message) is already recorded about it: client-go folds a repeat into a count, and
/// reconciles here are driven by changes, not a resync, so a repeat would only add noise.
fn record_once(
    cluster: &dyn ClusterApi,
    obj: &Value,
    component: &str,
    type_: &str,
    reason: &str,
    message: &str,
) {
    let events = crate::controllers::kube::events::events();
    let seen = cluster.list(&events, namespace(obj)).iter().any(|e| {
        str_at(e, "/involvedObject/uid") == uid(obj)
            && str_at(e, "/type") == type_
            && str_at(e, "/reason") == reason
            && str_at(e, "/message") == message
    });
    if !seen {
        let source = crate::controllers::kube::events::Source::controller(component);
        crate::controllers::kube::events::record(
            cluster, obj, None, source, type_, reason, message,
        );
    }
}

/// A `duckv1.Destination` as Go's `encoding/json` writes it (field order of the Go structs), for
/// messages that quote one; a `ref` without a namespace gets `namespace`, as reconcilers default it.
fn go_destination_json(dest: &Value, namespace: &str) -> String {
    let field = |v: &Value, key: &str, go: &str, always: bool| -> Option<String> {
        let s = v.get(key).and_then(Value::as_str).unwrap_or_default();
        (always || !s.is_empty()).then(|| format!("\"{go}\":{}", json!(s)))
    };
    let mut parts = Vec::new();
    if let Some(r) = dest.get("ref").filter(|r| r.is_object()) {
        let mut r = r.clone();
        if str_at(&r, "/namespace").is_empty() {
            r["namespace"] = json!(namespace);
        }
        let inner: Vec<String> = [
            field(&r, "kind", "kind", true),
            field(&r, "namespace", "namespace", false),
            field(&r, "name", "name", true),
            field(&r, "apiVersion", "apiVersion", false),
            field(&r, "group", "group", false),
            field(&r, "address", "address", false),
        ]
        .into_iter()
        .flatten()
        .collect();
        parts.push(format!("\"ref\":{{{}}}", inner.join(",")));
    }
    parts.extend(
        [
            field(dest, "uri", "uri", false),
            field(dest, "CACerts", "CACerts", false),
            field(dest, "audience", "audience", false),
        ]
        .into_iter()
        .flatten(),
    );
    format!("{{{}}}", parts.join(","))
}

/// Writes an Addressable into status fields `PREFIXUri`, `PREFIXCACerts`, `PREFIXAudience`
/// (or removes them).
fn set_addressable(status: &mut Map<String, Value>, prefix: &str, addr: Option<&Addressable>) {
    let keys = [
        format!("{prefix}Uri"),
        format!("{prefix}CACerts"),
        format!("{prefix}Audience"),
    ];
    for k in &keys {
        status.remove(k);
    }
    if let Some(a) = addr {
        status.insert(keys[0].clone(), json!(a.url));
        if let Some(c) = &a.ca_certs {
            status.insert(keys[1].clone(), json!(c));
        }
        if let Some(au) = &a.audience {
            status.insert(keys[2].clone(), json!(au));
        }
    }
}

/// The condition of a Broker's, Trigger's or Channel's own dead-letter sink.
pub const DEAD_LETTER_SINK_RESOLVED: &str = "DeadLetterSinkResolved";

/// Resolves a configured dead-letter sink into the `deadLetterSink*` status fields and
/// [`DEAD_LETTER_SINK_RESOLVED`]: its URL, or `None` (condition false) when it does not resolve.
fn resolve_dls(
    cluster: &dyn ClusterApi,
    dls: &Value,
    namespace: &str,
    rec: &mut StatusReconcile,
) -> Option<String> {
    match resolve(cluster, dls, namespace) {
        Ok(a) => {
            set_addressable(rec.status(), "deadLetterSink", Some(&a));
            rec.conditions.mark_true(DEAD_LETTER_SINK_RESOLVED);
            Some(a.url)
        }
        Err(e) => {
            set_addressable(rec.status(), "deadLetterSink", None);
            rec.conditions.mark_false(
                DEAD_LETTER_SINK_RESOLVED,
                "Unable to get the dead letter sink's URI",
                &e,
            );
            None
        }
    }
}

/// No dead-letter sink: [`DEAD_LETTER_SINK_RESOLVED`] is true with Knative's "not configured".
fn mark_no_dls(rec: &mut StatusReconcile) {
    set_addressable(rec.status(), "deadLetterSink", None);
    rec.conditions.mark_true_with_reason(
        DEAD_LETTER_SINK_RESOLVED,
        DLS_NOT_CONFIGURED_REASON,
        DLS_NOT_CONFIGURED_MESSAGE,
    );
}

/// Resolves the object's own `spec.delivery.deadLetterSink` into its status; false when one is
/// set but does not resolve.
fn reconcile_dls(cluster: &dyn ClusterApi, obj: &Value, rec: &mut StatusReconcile) -> bool {
    match obj
        .at("/spec/delivery/deadLetterSink")
        .filter(|d| !d.is_null())
    {
        Some(dls) => resolve_dls(cluster, dls, namespace(obj), rec).is_some(),
        None => {
            mark_no_dls(rec);
            true
        }
    }
}

/// The `Ready` condition of an object: (status, reason, message).
fn ready_of(obj: &Value) -> Option<(String, String, String)> {
    obj.at("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(READY))
        .map(|c| {
            let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            (s("status"), s("reason"), s("message"))
        })
}

fn is_ready(obj: &Value) -> bool {
    ready_of(obj).is_some_and(|(s, _, _)| s == TRUE)
}

/// Copies another object's `Ready` into condition `t` (`none` when it has no Ready yet).
fn propagate_ready(conds: &mut Conditions, t: &str, obj: &Value, none: (&str, &str)) {
    match ready_of(obj) {
        None => conds.mark_unknown(t, none.0, none.1),
        Some((s, _, _)) if s == TRUE => conds.mark_true(t),
        Some((s, r, m)) if s == FALSE => conds.mark_false(t, &r, &m),
        Some((_, r, m)) => conds.mark_unknown(t, &r, &m),
    }
}

/// Creates `desired` or brings an existing object's `spec` (and labels) to it. Returns the
/// stored object.
fn ensure_child(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    desired: Value,
) -> Result<Arc<Value>, ApiError> {
    match cluster.get_shared(gr, namespace(&desired), name(&desired)) {
        Ok(existing) => {
            if existing.get("spec") == desired.get("spec") {
                return Ok(existing);
            }
            let mut updated = Arc::unwrap_or_clone(existing);
            updated["spec"] = desired.get("spec").cloned().unwrap_or(json!({}));
            cluster.update(gr, updated)
        }
        Err(e) if e.code == 404 => cluster.create(gr, desired),
        Err(e) => Err(e),
    }
}
