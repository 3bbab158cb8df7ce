//! The EventType reconciler (§3.8): `ReferenceExists` from `spec.reference`.

use super::{get_live, key_of};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::ConditionSet;
use crate::knative::eventing::destination::{kind_to_resource, refers_to};
use crate::knative::eventing::eventtypes;
use crate::knative::meta::{StatusReconcile, is_deleting, namespace, str_at};
use crate::resource::ObjectKey;
use crate::status::ApiError;

pub const REFERENCE_EXISTS: &str = "ReferenceExists";
pub const EVENTTYPE_CONDITIONS: ConditionSet = ConditionSet::living(&[REFERENCE_EXISTS]);

pub struct EventTypeController;

impl Controller for EventTypeController {
    fn name(&self) -> &'static str {
        "eventtype"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == eventtypes() {
            return vec![event.key.clone()];
        }
        if super::is_plumbing(event) || event.key.namespace.is_empty() {
            return Vec::new();
        }
        cluster
            .list(&eventtypes(), &event.key.namespace)
            .iter()
            .filter(|et| {
                et.at("/spec/reference")
                    .is_some_and(|r| refers_to(r, event.object, namespace(et)))
            })
            .map(|et| key_of(&eventtypes(), et))
            .collect()
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(et) = get_live(cluster, &eventtypes(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&et) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&et, EVENTTYPE_CONDITIONS);
        match et.at("/spec/reference").filter(|r| r.is_object()) {
            None => rec.conditions.mark_true_with_reason(
                REFERENCE_EXISTS,
                "ReferenceNotSet",
                "spec.reference is not set",
            ),
            Some(r) => {
                let gr = kind_to_resource(str_at(r, "/apiVersion"), str_at(r, "/kind"));
                let ns = match str_at(r, "/namespace") {
                    "" => namespace(&et),
                    n => n,
                };
                match cluster.get(&gr, ns, str_at(r, "/name")) {
                    Ok(_) => rec.conditions.mark_true(REFERENCE_EXISTS),
                    Err(e) if e.code == 404 => rec.conditions.mark_false(
                        REFERENCE_EXISTS,
                        "ResourceDoesNotExist",
                        "Resource in spec.reference does not exist",
                    ),
                    Err(e) => return Err(e),
                }
            }
        }
        rec.finish(cluster, &eventtypes())?;
        Ok(Requeue::Done)
    }
}
