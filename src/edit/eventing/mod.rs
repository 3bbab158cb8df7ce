//! Pure edits of Eventing resources: flags → changes on the JSON object (new objects for create,
//! in-place changes for update). No clap, no client, no I/O; every field a flag is not about is
//! kept, at every level. Typed flag values live beside the edits that use them.

pub mod apiserver;
pub mod binding;
pub mod broker;
pub mod ce_override;
pub mod channel;
pub mod container;
pub mod delivery;
pub mod eventtype;
pub mod filters;
pub mod flows;
pub mod integration;
pub mod jobsink;
pub mod ping;
pub mod policy;
pub mod requestreply;
pub mod secret;
pub mod subscription;
pub mod transform;
pub mod trigger;

use serde_json::{Value, json};

/// A new object of a kind: `apiVersion`, `kind`, `metadata.name/namespace` and an empty `spec`.
pub fn new_object(api_version: &str, kind: &str, name: &str, namespace: &str) -> Value {
    json!({
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {"name": name, "namespace": namespace},
        "spec": {},
    })
}

/// The `spec` of an object, created when missing.
pub fn spec(object: &mut Value) -> &mut Value {
    crate::edit::json::object(object, "spec")
}
