//! The view of the cluster that Knative admission and controllers get: API-server operations
//! on JSON objects, run through the same defaulting, schema, admission and storage rules as
//! HTTP requests. The registry implements it; controllers never touch the store directly.

use std::sync::Arc;

use serde_json::Value;

use crate::json::At;
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

/// A change observed in storage, as controllers receive it. The object is borrowed from
/// storage: every change goes to every controller, and most look only at its key.
#[derive(Debug, Clone, Copy)]
pub struct ObjectEvent<'a> {
    pub kind: EventKind,
    pub key: &'a ObjectKey,
    /// The object after the change (for `Deleted`, its last state).
    pub object: &'a Value,
    /// The object's controller reference, found once: most controllers look for their owner.
    pub controller: Option<&'a Value>,
}

impl<'a> ObjectEvent<'a> {
    pub fn new(kind: EventKind, key: &'a ObjectKey, object: &'a Value) -> Self {
        ObjectEvent {
            kind,
            key,
            object,
            controller: controller_ref_of(object),
        }
    }

    /// The name of the object's controller when it is a `kind`.
    pub fn controller_name_of_kind(&self, kind: &str) -> Option<&'a str> {
        controller_name_if_kind(self.controller, kind)
    }
}

/// The name in a controller reference when it names a `kind`.
pub fn controller_name_if_kind<'a>(controller: Option<&'a Value>, kind: &str) -> Option<&'a str> {
    let text = |r: &'a Value, field: &str| r.get(field).and_then(Value::as_str).unwrap_or("");
    controller
        .filter(|r| text(r, "kind") == kind)
        .map(|r| text(r, "name"))
}

/// The controller reference among `obj`'s `ownerReferences`.
pub fn controller_ref_of(obj: &Value) -> Option<&Value> {
    obj.get("metadata")?
        .get("ownerReferences")?
        .as_array()?
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
}

/// `metav1.IsControlledBy`: `obj`'s controller reference carries `owner`'s uid.
pub fn is_controlled_by(obj: &Value, owner: &Value) -> bool {
    let owner_uid = owner.at("/metadata/uid").and_then(Value::as_str);
    let controller = controller_ref_of(obj);
    owner_uid.is_some_and(|u| !u.is_empty())
        && controller
            .and_then(|r| r.get("uid"))
            .and_then(Value::as_str)
            == owner_uid
}

/// The body of a `/status` write of `object` with `status`: its type, metadata and the status,
/// which is all such a write reads (the rest would only be copied to be thrown away). The
/// metadata leaves out `managedFields`: a status write keeps the stored ones.
pub fn status_body(object: &Value, status: Option<Value>) -> Value {
    let mut body = serde_json::Map::new();
    for field in ["apiVersion", "kind"] {
        if let Some(v) = object.get(field) {
            body.insert(field.into(), v.clone());
        }
    }
    if let Some(meta) = object.get("metadata") {
        body.insert("metadata".into(), metadata_copy(meta));
    }
    if let Some(status) = status {
        body.insert("status".into(), status);
    }
    Value::Object(body)
}

/// [`status_body`] of a request that is no longer needed: made from it, not copied.
pub fn into_status_body(mut request: Value) -> Value {
    if let Some(map) = request.as_object_mut() {
        map.retain(|k, _| matches!(k.as_str(), "apiVersion" | "kind" | "metadata" | "status"));
        if let Some(Value::Object(meta)) = map.get_mut("metadata") {
            meta.remove("managedFields");
        }
    }
    request
}

/// A copy of an object's `metadata` but its `managedFields`, which status writes ignore and
/// no reconcile reads (a fifth to a third of a stored object).
fn metadata_copy(meta: &Value) -> Value {
    match meta {
        Value::Object(meta) => Value::Object(
            meta.iter()
                .filter(|(k, _)| *k != "managedFields")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// An [`ObjectEvent`] that owns its object, for the in-memory test clusters' change logs.
#[derive(Debug, Clone)]
pub struct RecordedEvent {
    pub kind: EventKind,
    pub key: ObjectKey,
    pub object: Value,
}

impl RecordedEvent {
    pub fn event(&self) -> ObjectEvent<'_> {
        ObjectEvent::new(self.kind, &self.key, &self.object)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Added,
    Modified,
    Deleted,
}

/// Synchronous, in-memory API operations. Objects are full JSON objects with `apiVersion`,
/// `kind` and `metadata`; the version written is the resource's storage version.
///
/// Writes made through this trait are attributed to the Knative controller's service account
/// (`system:serviceaccount:knative-serving:controller` or the eventing one), not to the user.
pub trait ClusterApi: Send + Sync {
    fn get(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<Value, ApiError>;

    /// [`ClusterApi::get`] for a caller that only reads: the registry shares its stored object
    /// instead of copying it.
    fn get_shared(
        &self,
        gr: &GroupResource,
        namespace: &str,
        name: &str,
    ) -> Result<Arc<Value>, ApiError> {
        self.get(gr, namespace, name).map(Arc::new)
    }

    /// Objects of a resource in a namespace ("" = all namespaces), ordered by namespace then name.
    fn list(&self, gr: &GroupResource, namespace: &str) -> Vec<Value>;

    /// [`ClusterApi::list`] keeping only the objects `keep` accepts. Only those are copied:
    /// looking for a few children among thousands of siblings must not copy the siblings.
    fn list_where(
        &self,
        gr: &GroupResource,
        namespace: &str,
        keep: &dyn Fn(&Value) -> bool,
    ) -> Vec<Value> {
        let mut all = self.list(gr, namespace);
        all.retain(keep);
        all
    }

    /// The objects of `gr` in the owner's namespace whose controller reference is `owner`.
    /// The registry answers from its owner index, without visiting the owner's siblings.
    fn controlled_by(&self, gr: &GroupResource, owner: &Value) -> Vec<Arc<Value>> {
        let namespace = owner
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        self.list_where(gr, namespace, &|c| is_controlled_by(c, owner))
            .into_iter()
            .map(Arc::new)
            .collect()
    }

    /// Create (POST). Runs mutating admission, schema defaults/pruning/validation and
    /// validating admission, like an HTTP create.
    fn create(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError>;

    /// Replace (PUT) the main resource; `metadata.resourceVersion` is a precondition.
    fn update(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError>;

    /// Replace only `status` (PUT on `/status`); `metadata.resourceVersion` is a precondition
    /// when present. A status that does not change is a no-op (no new resourceVersion).
    fn update_status(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError>;

    /// [`ClusterApi::update_status`] of `read`, an object as this cluster returned it, with
    /// `status`: the write a controller makes of what it read. The registry takes the request's
    /// metadata to be the stored one (at `read`'s resourceVersion), so none is copied.
    fn update_status_of(
        &self,
        gr: &GroupResource,
        read: &Value,
        status: Value,
    ) -> Result<Arc<Value>, ApiError> {
        self.update_status(gr, status_body(read, Some(status)))
    }

    /// RFC 7386 merge patch of the main resource (used by Knative's labeler for metadata).
    fn merge_patch(
        &self,
        gr: &GroupResource,
        namespace: &str,
        name: &str,
        patch: &Value,
    ) -> Result<Arc<Value>, ApiError>;

    /// Delete with background propagation.
    fn delete(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<(), ApiError>;

    /// Settings of the emulator (domain, ready delay, unfetchable images …).
    fn config(&self) -> &crate::Config;

    /// Whether Deployments become pods here (the emulated cluster runs the workload
    /// controllers), so a Revision is Ready only once its pods are. The in-memory test
    /// clusters, which run Knative's controllers alone, do not.
    fn runs_workloads(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A status body made from a request equals one copied from it.
    #[test]
    fn status_bodies_made_and_copied_agree() {
        for request in [
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "managedFields": [{}],
                "labels": {"a": "b"}}, "spec": {"x": 1}, "status": {"phase": "Running"}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}),
            json!({"kind": "Pod", "metadata": "odd", "status": null, "extra": [1]}),
        ] {
            let copied = status_body(&request, request.get("status").cloned());
            assert_eq!(into_status_body(request.clone()), copied, "{request}");
            assert!(copied.at("/metadata/managedFields").is_none());
        }
    }
}
