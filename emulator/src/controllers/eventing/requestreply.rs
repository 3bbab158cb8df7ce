//! The RequestReply reconciler (knative/eventing `pkg/reconciler/requestreply`): the broker's
//! readiness and address (as the `knative.dev/brokerAddress` status annotation), the
//! RequestReply's own address on the `request-reply` service of the system namespace
//! (`/NAMESPACE/NAME`), and Ready. The emulator runs no request-reply data plane: it stands for
//! one of a single ready replica, so `desiredReplicas` and `readyReplicas` are 1 and
//! TriggersReady is true, but the per-replica Triggers (which address the data plane's pods by
//! IP) are not created.

use serde_json::{Value, json};

use super::get_live;
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::knative::conditions::ConditionSet;
use crate::knative::eventing::{EVENTING_GROUP, SYSTEM_NAMESPACE, brokers};
use crate::knative::meta::{StatusReconcile, is_deleting, name, namespace, str_at};
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub const TRIGGERS_READY: &str = "TriggersReady";
pub const ADDRESSABLE: &str = "Addressable";
pub const EVENT_POLICIES_READY: &str = "EventPoliciesReady";
pub const BROKER_READY: &str = "BrokerReady";
pub const REQUEST_REPLY_CONDITIONS: ConditionSet = ConditionSet::living(&[
    TRIGGERS_READY,
    ADDRESSABLE,
    EVENT_POLICIES_READY,
    BROKER_READY,
]);

/// The status annotation holding the broker's URL.
pub const BROKER_ADDRESS_ANNOTATION: &str = "knative.dev/brokerAddress";

pub fn requestreplies() -> GroupResource {
    GroupResource::of(EVENTING_GROUP, "requestreplies")
}

/// The URL a RequestReply receives requests on.
pub fn requestreply_url(namespace: &str, name: &str) -> String {
    format!("http://request-reply.{SYSTEM_NAMESPACE}.svc.cluster.local/{namespace}/{name}")
}

pub struct RequestReplyController;

impl Controller for RequestReplyController {
    fn name(&self) -> &'static str {
        "requestreply"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == requestreplies() {
            return vec![event.key.clone()];
        }
        if event.key.gr != brokers() {
            return Vec::new();
        }
        cluster
            .list(&requestreplies(), &event.key.namespace)
            .iter()
            .filter(|rr| str_at(rr, "/spec/brokerRef/name") == event.key.name)
            .map(|rr| ObjectKey::new(requestreplies(), namespace(rr), name(rr)))
            .collect()
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(rr) = get_live(cluster, &requestreplies(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&rr) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&rr, REQUEST_REPLY_CONDITIONS);
        reconcile_request_reply(cluster, &rr, &mut rec);
        rec.finish(cluster, &requestreplies())?;
        Ok(Requeue::Done)
    }
}

fn reconcile_request_reply(cluster: &dyn ClusterApi, rr: &Value, rec: &mut StatusReconcile) {
    let status = rec.status();
    status.entry("desiredReplicas").or_insert(json!(1));
    status.insert("readyReplicas".into(), json!(1));
    rec.conditions.mark_true(TRIGGERS_READY);
    let ns = namespace(rr);
    let broker_name = str_at(rr, "/spec/brokerRef/name");
    let broker = match cluster.get(&brokers(), ns, broker_name) {
        Ok(b) => b,
        Err(e) => {
            // A lister's NotFound names the singular resource.
            let error = if e.code == 404 {
                format!("broker.eventing.knative.dev {broker_name:?} not found")
            } else {
                e.message
            };
            let message = format!("could not get broker: {error}");
            rec.conditions
                .mark_unknown(BROKER_READY, "NotFound", &message);
            return;
        }
    };
    if !super::is_ready(&broker) {
        rec.conditions
            .mark_false(BROKER_READY, "NotReady", "broker is not ready");
        return;
    }
    let url = str_at(&broker, "/status/address/url").to_string();
    let annotations = rec
        .status()
        .entry("annotations")
        .or_insert_with(|| json!({}));
    if let Some(a) = annotations.as_object_mut() {
        a.insert(BROKER_ADDRESS_ANNOTATION.into(), json!(url));
    }
    rec.conditions.mark_true(BROKER_READY);
    rec.status().insert(
        "address".into(),
        json!({"name": "http", "url": requestreply_url(ns, name(rr))}),
    );
    rec.conditions.mark_true(ADDRESSABLE);
    rec.conditions.mark_true_with_reason(
        EVENT_POLICIES_READY,
        "NotImplemented",
        "Event policies not implemented for RequestReply yet",
    );
}
