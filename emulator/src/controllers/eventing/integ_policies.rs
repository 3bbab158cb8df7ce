//! `auth.UpdateStatusWithEventPolicies` for the addressable kinds of `integ.rs`: which
//! EventPolicies apply to an object (same namespace; no `to`, or a `to` naming or selecting it)
//! and the `EventPoliciesReady` condition and `status.policies` they give.

use serde_json::{Value, json};

use super::integ::{EVENT_POLICIES_READY, eventpolicies, oidc_enabled, text};
use crate::cluster::ClusterApi;
use crate::json::At;
use crate::knative::eventing::{EVENT_POLICIES_OIDC_MESSAGE, EVENT_POLICIES_OIDC_REASON};
use crate::knative::meta::{StatusReconcile, labels, name, namespace};

/// Whether an EventPolicy applies to `obj` (`auth.GetEventPoliciesForResource`): same
/// namespace, and no `to` at all, or a `to` naming it or selecting it by labels.
fn policy_applies(policy: &Value, api_version: &str, kind: &str, obj: &Value) -> bool {
    if namespace(policy) != namespace(obj) {
        return false;
    }
    let group = api_version.split('/').next().unwrap_or("");
    let same_kind = |v: &Value| {
        text(v, "kind") == kind && text(v, "apiVersion").split('/').next() == Some(group)
    };
    let to = policy
        .at("/spec/to")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if to.is_empty() {
        return true;
    }
    let obj_labels = labels(obj);
    to.iter().any(|t| {
        if let Some(r) = t.get("ref").filter(|r| r.is_object()) {
            return same_kind(r) && text(r, "name") == name(obj);
        }
        if let Some(s) = t.get("selector").filter(|s| s.is_object()) {
            let wanted = crate::knative::meta::string_map(s.get("matchLabels"));
            return same_kind(s) && wanted.iter().all(|(k, v)| obj_labels.get(k) == Some(v));
        }
        false
    })
}

/// `auth.UpdateStatusWithEventPolicies`: with OIDC off the condition says so; else the
/// applying policies are listed in `status.policies` and must all be ready.
pub(super) fn reconcile_event_policies(
    cluster: &dyn ClusterApi,
    obj: &Value,
    api_version: &str,
    kind: &str,
    rec: &mut StatusReconcile,
) {
    rec.status().remove("policies");
    if !oidc_enabled(cluster) {
        rec.conditions.mark_true_with_reason(
            EVENT_POLICIES_READY,
            EVENT_POLICIES_OIDC_REASON,
            EVENT_POLICIES_OIDC_MESSAGE,
        );
        return;
    }
    let mut applying: Vec<Value> = cluster
        .list(&eventpolicies(), namespace(obj))
        .into_iter()
        .filter(|p| policy_applies(p, api_version, kind, obj))
        .collect();
    applying.sort_by(|a, b| name(a).cmp(name(b)));
    if applying.is_empty() {
        let mode = crate::knative::configmaps::read_data(
            cluster,
            crate::knative::configmaps::EVENTING_NAMESPACE,
            "config-features",
        )
        .get("default-authorization-mode")
        .cloned()
        .unwrap_or_else(|| "allow-same-namespace".to_string());
        rec.conditions.mark_true_with_reason(
            EVENT_POLICIES_READY,
            "DefaultAuthorizationMode",
            &format!("Default authz mode is {mode:?}"),
        );
        return;
    }
    let not_ready: Vec<&str> = applying
        .iter()
        .filter(|p| !super::is_ready(p))
        .map(name)
        .collect();
    if !not_ready.is_empty() {
        rec.conditions.mark_false(
            EVENT_POLICIES_READY,
            "EventPoliciesNotReady",
            &format!("event policies {} are not ready", not_ready.join(", ")),
        );
        return;
    }
    let policies: Vec<Value> = applying
        .iter()
        .map(|p| json!({"name": name(p), "apiVersion": "eventing.knative.dev/v1alpha1"}))
        .collect();
    rec.status().insert("policies".into(), json!(policies));
    rec.conditions.mark_true(EVENT_POLICIES_READY);
}
