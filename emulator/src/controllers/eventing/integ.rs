//! Reconcilers of the newer Eventing kinds (knative/eventing `pkg/reconciler/{eventpolicy,
//! integration/source,integration/sink,eventtransform}`): EventPolicy resolves its senders into
//! OIDC subjects; IntegrationSource runs as a ContainerSource `NAME-containersource` whose status
//! it copies; IntegrationSink and EventTransform are addressable (`NAME-deployment`,
//! `NAME-jsonata`), the transform's sink resolved through a SinkBinding `NAME-jsonata`. The
//! sink and transform report which EventPolicies apply to them (`integ_policies.rs`). No
//! workload runs, so their Deployments count as available, as the other adapters do.

use serde_json::{Value, json};

use super::integ_policies::reconcile_event_policies;
use super::{ensure_child, get_live, is_plumbing, owner, propagate_ready};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::kube::events::normal;
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::{ConditionSet, Conditions};
use crate::knative::eventing::config::Features;
use crate::knative::eventing::destination::kind_to_resource;
use crate::knative::eventing::{containersources, sinkbindings};
use crate::knative::meta::{StatusReconcile, controller_ref, is_deleting, name, namespace};
use crate::knative::names::child_name;
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub fn eventpolicies() -> GroupResource {
    GroupResource::of("eventing.knative.dev", "eventpolicies")
}
pub fn eventtransforms() -> GroupResource {
    GroupResource::of("eventing.knative.dev", "eventtransforms")
}
pub fn integrationsources() -> GroupResource {
    GroupResource::of("sources.knative.dev", "integrationsources")
}
pub fn integrationsinks() -> GroupResource {
    GroupResource::of("sinks.knative.dev", "integrationsinks")
}

const AUTHENTICATION_ENABLED: &str = "AuthenticationEnabled";
const SUBJECTS_RESOLVED: &str = "SubjectsResolved";
const POLICY_CONDITIONS: ConditionSet =
    ConditionSet::living(&[AUTHENTICATION_ENABLED, SUBJECTS_RESOLVED]);
const CONTAINER_SOURCE_READY: &str = "ContainerSourceReady";
const SOURCE_CONDITIONS: ConditionSet = ConditionSet::living(&[CONTAINER_SOURCE_READY]);
pub(super) const EVENT_POLICIES_READY: &str = "EventPoliciesReady";
const SINK_CONDITIONS: ConditionSet = ConditionSet::living(&[
    "Addressable",
    "DeploymentReady",
    EVENT_POLICIES_READY,
    "TrustBundlePropagated",
]);
const TRANSFORM_CONDITIONS: ConditionSet =
    ConditionSet::living(&["TransformationReady", "Addressable", EVENT_POLICIES_READY]);

/// The controllers of this module, for `controllers()`.
pub fn controllers() -> Vec<Box<dyn Controller>> {
    vec![
        Box::new(EventPolicyController),
        Box::new(IntegrationSourceController),
        Box::new(IntegrationSinkController),
        Box::new(EventTransformController),
    ]
}

pub(super) fn oidc_enabled(cluster: &dyn ClusterApi) -> bool {
    Features::read(cluster).enabled("authentication-oidc")
}

/// Whether the event changes `config-features` (every object of these kinds depends on it).
fn is_features_change(event: &ObjectEvent) -> bool {
    event.key.gr.resource == "configmaps" && event.key.name == "config-features"
}

fn all_keys(cluster: &dyn ClusterApi, gr: &GroupResource) -> Vec<ObjectKey> {
    cluster
        .list(gr, "")
        .iter()
        .map(|o| ObjectKey::new(gr.clone(), namespace(o), name(o)))
        .collect()
}

pub(super) fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

pub struct EventPolicyController;

impl Controller for EventPolicyController {
    fn name(&self) -> &'static str {
        "eventpolicy"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == eventpolicies() {
            return vec![event.key.clone()];
        }
        if is_features_change(event) {
            return all_keys(cluster, &eventpolicies());
        }
        if is_plumbing(event) {
            return Vec::new();
        }
        // A sender whose identity (`status.auth`) may have changed.
        let kind = text(event.object, "kind");
        cluster
            .list(&eventpolicies(), "")
            .iter()
            .filter(|p| {
                p.at("/spec/from")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f.get("ref"))
                    .any(|r| {
                        text(r, "kind") == kind
                            && text(r, "name") == event.key.name
                            && text(r, "namespace") == event.key.namespace
                    })
            })
            .map(|p| ObjectKey::new(eventpolicies(), namespace(p), name(p)))
            .collect()
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(policy) = get_live(cluster, &eventpolicies(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&policy) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&policy, POLICY_CONDITIONS);
        if !oidc_enabled(cluster) {
            rec.conditions
                .mark_false(AUTHENTICATION_ENABLED, "OIDCAuthenticationDisabled", "");
        } else {
            rec.conditions.mark_true(AUTHENTICATION_ENABLED);
            match resolve_subjects(cluster, &policy) {
                Ok(subjects) => {
                    rec.conditions.mark_true(SUBJECTS_RESOLVED);
                    if subjects.is_empty() {
                        rec.status().remove("from");
                    } else {
                        rec.status().insert("from".into(), json!(subjects));
                    }
                }
                Err(message) => {
                    rec.conditions
                        .mark_false(SUBJECTS_RESOLVED, "SubjectsNotResolved", &message);
                }
            }
        }
        rec.finish(cluster, &eventpolicies())?;
        Ok(Requeue::Done)
    }
}

/// `auth.ResolveSubjects`: a reference gives the service accounts of the object's
/// `status.auth`, a `sub` itself.
fn resolve_subjects(cluster: &dyn ClusterApi, policy: &Value) -> Result<Vec<String>, String> {
    let mut subjects = Vec::new();
    let from = policy
        .at("/spec/from")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for entry in &from {
        if let Some(r) = entry.get("ref").filter(|r| r.is_object()) {
            let (ns, n) = (text(r, "namespace"), text(r, "name"));
            let gr = kind_to_resource(text(r, "apiVersion"), text(r, "kind"));
            let wrap = |why: String| {
                format!(
                    "could not resolve subjects from reference: could not resolve auth status: {why}"
                )
            };
            let object = cluster.get(&gr, ns, n).map_err(|e| {
                let reason = if e.code == 404 {
                    format!("{}.{} {n:?} not found", gr.resource, gr.group)
                } else {
                    e.message
                };
                wrap(format!(
                    "failed to get authenticatable {ns}/{n}: failed to get object {ns}/{n}: {reason}"
                ))
            })?;
            let Some(auth) = object.at("/status/auth").filter(|a| a.is_object()) else {
                return Err(wrap(format!(".status.auth is missing in object {ns}/{n}")));
            };
            let mut accounts: Vec<&str> = auth
                .get("serviceAccountNames")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if let Some(sa) = auth.get("serviceAccountName").and_then(Value::as_str) {
                accounts.push(sa);
            }
            subjects.extend(
                accounts
                    .iter()
                    .map(|sa| format!("system:serviceaccount:{ns}:{sa}")),
            );
        } else if let Some(sub) = entry.get("sub").and_then(Value::as_str) {
            subjects.push(sub.to_string());
        }
    }
    Ok(subjects)
}

/// Sets `status.address`/`addresses` to the in-cluster HTTP URL of Service `service`, with the
/// OIDC audience when OIDC is on (`auth.GetAudience`).
fn set_address(
    cluster: &dyn ClusterApi,
    rec: &mut StatusReconcile,
    service: &str,
    group: &str,
    kind: &str,
) {
    let ns = namespace(rec.original).to_string();
    let n = name(rec.original).to_string();
    let mut address = json!({"url": format!("http://{service}.{ns}.svc.cluster.local")});
    if oidc_enabled(cluster) {
        address["audience"] = json!(format!("{group}/{kind}/{ns}/{n}").to_lowercase());
    }
    rec.status()
        .insert("addresses".into(), json!([address.clone()]));
    rec.status().insert("address".into(), address);
    rec.conditions.mark_true("Addressable");
}

/// Copies a child's `sinkUri`, `sinkCACerts`, `sinkAudience` (and `auth`) into the status.
fn copy_sink_status(rec: &mut StatusReconcile, child: &Value) {
    for field in ["sinkUri", "sinkCACerts", "sinkAudience", "auth"] {
        match child.at(&format!("/status/{field}")) {
            Some(v) => {
                rec.status().insert(field.into(), v.clone());
            }
            None => {
                rec.status().remove(field);
            }
        }
    }
}

fn policy_keys(
    event: &ObjectEvent,
    cluster: &dyn ClusterApi,
    own: &GroupResource,
) -> Vec<ObjectKey> {
    if event.key.gr == eventpolicies() {
        return cluster
            .list(own, &event.key.namespace)
            .iter()
            .map(|o| ObjectKey::new(own.clone(), namespace(o), name(o)))
            .collect();
    }
    if is_features_change(event) {
        return all_keys(cluster, own);
    }
    Vec::new()
}

pub struct IntegrationSourceController;

/// Who Knative's IntegrationSource reconciler records events as.
const SOURCE_COMPONENT: &str = "integrationsource-controller";

impl Controller for IntegrationSourceController {
    fn name(&self) -> &'static str {
        "integrationsource"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == integrationsources() {
            return vec![event.key.clone()];
        }
        if event.key.gr == containersources() {
            return owner(event, "IntegrationSource", integrationsources());
        }
        Vec::new()
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(src) = get_live(cluster, &integrationsources(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&src) {
            return Ok(Requeue::Done);
        }
        let desired = super::integ_source::container_source(cluster, &src);
        let child = name(&desired).to_string();
        let existed = cluster
            .get(&containersources(), namespace(&src), &child)
            .is_ok();
        let mut rec = StatusReconcile::begin(&src, SOURCE_CONDITIONS);
        let created = match ensure_child(cluster, &containersources(), desired) {
            Ok(cs) => {
                copy_sink_status(&mut rec, &cs);
                propagate_ready(&mut rec.conditions, CONTAINER_SOURCE_READY, &cs, ("", ""));
                true
            }
            Err(e) => {
                rec.conditions.mark_false(
                    CONTAINER_SOURCE_READY,
                    "ContainerSourceFailed",
                    &format!("creating new ContainerSource: {}", e.message),
                );
                false
            }
        };
        rec.finish(cluster, &integrationsources())?;
        // Knative's IntegrationSource reconciler: the child's creation, then "reconciled".
        if created && !existed {
            let message = format!("ContainerSource created {child:?}");
            normal(
                cluster,
                &src,
                SOURCE_COMPONENT,
                "ContainerSourceCreated",
                &message,
            );
        }
        if created {
            let message = format!(
                "IntegrationSource reconciled: \"{}/{}\"",
                namespace(&src),
                name(&src)
            );
            let reason = "IntegrationSourceReconciled";
            super::record_once(cluster, &src, SOURCE_COMPONENT, "Normal", reason, &message);
        }
        Ok(Requeue::Done)
    }
}

pub struct IntegrationSinkController;

impl Controller for IntegrationSinkController {
    fn name(&self) -> &'static str {
        "integrationsink"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == integrationsinks() {
            return vec![event.key.clone()];
        }
        policy_keys(event, cluster, &integrationsinks())
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(sink) = get_live(cluster, &integrationsinks(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&sink) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&sink, SINK_CONDITIONS);
        rec.conditions.mark_true("TrustBundlePropagated");
        rec.conditions.mark_true("DeploymentReady");
        let service = child_name(name(&sink), "-deployment");
        set_address(
            cluster,
            &mut rec,
            &service,
            "sinks.knative.dev",
            "IntegrationSink",
        );
        reconcile_event_policies(
            cluster,
            &sink,
            "sinks.knative.dev/v1alpha1",
            "IntegrationSink",
            &mut rec,
        );
        rec.finish(cluster, &integrationsinks())?;
        Ok(Requeue::Done)
    }
}

pub struct EventTransformController;

impl Controller for EventTransformController {
    fn name(&self) -> &'static str {
        "eventtransform"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == eventtransforms() {
            return vec![event.key.clone()];
        }
        if event.key.gr == sinkbindings() {
            return owner(event, "EventTransform", eventtransforms());
        }
        policy_keys(event, cluster, &eventtransforms())
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(transform) = get_live(cluster, &eventtransforms(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&transform) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&transform, TRANSFORM_CONDITIONS);
        if transform.at("/spec/jsonata").is_some_and(|j| !j.is_null()) {
            reconcile_jsonata(cluster, &transform, &mut rec)?;
        }
        reconcile_event_policies(
            cluster,
            &transform,
            "eventing.knative.dev/v1alpha1",
            "EventTransform",
            &mut rec,
        );
        rec.finish(cluster, &eventtransforms())?;
        Ok(Requeue::Done)
    }
}

/// The JSONata transformation: its Deployment (available), the SinkBinding `NAME-jsonata`
/// when there is a sink, `TransformationReady` from both, and the Service's address.
fn reconcile_jsonata(
    cluster: &dyn ClusterApi,
    transform: &Value,
    rec: &mut StatusReconcile,
) -> Result<(), ApiError> {
    let child = child_name(name(transform), "-jsonata");
    let ns = namespace(transform).to_string();
    rec.conditions.mark_true("JsonataDeploymentReady");
    match transform.at("/spec/sink").filter(|s| !s.is_null()) {
        None => {
            for field in ["sinkUri", "sinkCACerts", "sinkAudience", "auth"] {
                rec.status().remove(field);
            }
            rec.conditions.mark_true("JsonataSinkBindingReady");
        }
        Some(sink) => {
            let desired = json!({
                "apiVersion": "sources.knative.dev/v1",
                "kind": "SinkBinding",
                "metadata": {"name": child, "namespace": ns, "ownerReferences": [controller_ref(transform)]},
                "spec": {
                    "subject": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": ns, "name": child},
                    "sink": sink,
                },
            });
            let sb = ensure_child(cluster, &sinkbindings(), desired)?;
            copy_sink_status(rec, &sb);
            propagate_ready(
                &mut rec.conditions,
                "JsonataSinkBindingReady",
                &sb,
                ("", ""),
            );
        }
    }
    let sub = rec.conditions.get("JsonataSinkBindingReady").cloned();
    mark_transformation(&mut rec.conditions, sub.as_ref());
    set_address(
        cluster,
        rec,
        &child,
        "eventing.knative.dev",
        "EventTransform",
    );
    Ok(())
}

/// `markTransformReady`: TransformationReady follows the SinkBinding's condition (the
/// Deployment's is true here).
fn mark_transformation(
    conds: &mut Conditions,
    sub: Option<&crate::knative::conditions::Condition>,
) {
    match sub {
        Some(c) if c.is_true() => conds.mark_true("TransformationReady"),
        Some(c) if c.is_false() => conds.mark_false("TransformationReady", &c.reason, &c.message),
        Some(c) => conds.mark_unknown("TransformationReady", &c.reason, &c.message),
        None => conds.mark_unknown("TransformationReady", "", ""),
    }
}

#[cfg(test)]
#[path = "integ_tests.rs"]
mod tests;
