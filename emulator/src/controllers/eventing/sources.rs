//! Reconcilers of the built-in sources (§3.5): PingSource and ApiServerSource (sink URI,
//! CloudEvent attributes, finalizers; their shared adapters count as deployed), SinkBinding
//! (subject and sink) and ContainerSource (a SinkBinding `SOURCE-sinkbinding` whose sink status
//! it copies). No workload ever runs, so receive adapters are reported available.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{
    ensure_child, get_live, go_destination_json, owner, propagate_ready, record_once, referencing,
    set_addressable,
};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::kube::events::normal;
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::ConditionSet;
use crate::knative::eventing::destination::{kind_to_resource, resolve};
use crate::knative::eventing::*;
use crate::knative::meta::{
    StatusReconcile, add_finalizer, controller_ref, is_deleting, name, namespace, remove_finalizer,
    str_at,
};
use crate::knative::names::child_name;
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub const SINK_PROVIDED: &str = "SinkProvided";
pub const DEPLOYED: &str = "Deployed";
pub const OIDC_IDENTITY_CREATED: &str = "OIDCIdentityCreated";
pub const SUFFICIENT_PERMISSIONS: &str = "SufficientPermissions";

pub const PING_CONDITIONS: ConditionSet =
    ConditionSet::living(&[SINK_PROVIDED, DEPLOYED, OIDC_IDENTITY_CREATED]);
pub const APISERVER_CONDITIONS: ConditionSet = ConditionSet::living(&[
    SINK_PROVIDED,
    DEPLOYED,
    SUFFICIENT_PERMISSIONS,
    OIDC_IDENTITY_CREATED,
]);
pub const SINKBINDING_CONDITIONS: ConditionSet = ConditionSet::living(&[
    "SinkBindingAvailable",
    SINK_PROVIDED,
    OIDC_IDENTITY_CREATED,
    "OIDCTokenSecretCreated",
    "TrustBundlePropagated",
]);
pub const CONTAINER_CONDITIONS: ConditionSet =
    ConditionSet::living(&["SinkBindingReady", "ReceiveAdapterReady"]);

/// The in-cluster API server URL the ApiServerSource adapter reports as event source.
pub const API_SERVER_URL: &str = "https://10.96.0.1:443";

/// The Warning Knative's Ping and ApiServer source reconcilers return when the sink does not
/// resolve: `SinkNotFound`, quoting the sink.
fn sink_not_found(cluster: &dyn ClusterApi, src: &Value, component: &str) {
    let sink = src.at("/spec/sink").cloned().unwrap_or(json!({}));
    let message = format!(
        "Sink not found: {}",
        go_destination_json(&sink, namespace(src))
    );
    record_once(cluster, src, component, "Warning", "SinkNotFound", &message);
}

/// Resolves `spec.sink` into `status.sinkUri`; the error text when it does not resolve.
fn reconcile_sink(
    cluster: &dyn ClusterApi,
    obj: &Value,
    rec: &mut StatusReconcile,
) -> Result<(), String> {
    let sink = obj.at("/spec/sink").cloned().unwrap_or(json!({}));
    match resolve(cluster, &sink, namespace(obj)) {
        Ok(a) => {
            set_addressable(rec.status(), "sink", Some(&a));
            rec.conditions.mark_true(SINK_PROVIDED);
            Ok(())
        }
        Err(e) => {
            set_addressable(rec.status(), "sink", None);
            Err(e)
        }
    }
}

fn sink_keys(gr: &GroupResource, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
    if event.key.gr == *gr {
        return vec![event.key.clone()];
    }
    referencing(cluster, gr, event, &["/spec/sink"])
}

/// Common flow of a source with a finalizer: finalize on delete, add the finalizer (with the
/// `FinalizerUpdate` event Knative's generated reconcilers record as `component`; SinkBinding's
/// psbinding reconciler records none), reconcile.
fn with_finalizer(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    key: &ObjectKey,
    set: ConditionSet,
    component: Option<&str>,
    body: impl FnOnce(&Value, &mut StatusReconcile),
) -> Result<Requeue, ApiError> {
    let Some(obj) = get_live(cluster, gr, key)? else {
        return Ok(Requeue::Done);
    };
    let finalizer = gr.to_string();
    if is_deleting(&obj) {
        remove_finalizer(cluster, gr, &obj, &finalizer)?;
        return Ok(Requeue::Done);
    }
    let obj = Arc::new(obj);
    let added = add_finalizer(cluster, gr, obj.clone(), &finalizer)?;
    if let Some(component) = component.filter(|_| !Arc::ptr_eq(&added, &obj)) {
        let message = format!("Updated {:?} finalizers", name(&added));
        normal(cluster, &added, component, "FinalizerUpdate", &message);
    }
    let obj = added;
    let mut rec = StatusReconcile::begin(&obj, set);
    body(&obj, &mut rec);
    rec.finish(cluster, gr)?;
    Ok(Requeue::Done)
}

pub struct PingSourceController;

impl Controller for PingSourceController {
    fn name(&self) -> &'static str {
        "pingsource"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        sink_keys(&pingsources(), event, cluster)
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let component = "pingsource-controller";
        let events = Some(component);
        with_finalizer(
            cluster,
            &pingsources(),
            key,
            PING_CONDITIONS,
            events,
            |src, rec| {
                if reconcile_sink(cluster, src, rec).is_err() {
                    rec.conditions.mark_false(SINK_PROVIDED, "NotFound", "");
                    sink_not_found(cluster, src, component);
                    return;
                }
                rec.conditions.mark_true_with_reason(
                    OIDC_IDENTITY_CREATED,
                    OIDC_DISABLED_REASON,
                    "",
                );
                rec.conditions.mark_true(DEPLOYED);
                rec.status().insert(
                "ceAttributes".into(),
                json!([{
                    "type": "dev.knative.sources.ping",
                    "source": format!("/apis/v1/namespaces/{}/pingsources/{}", namespace(src), name(src)),
                }]),
            );
            },
        )
    }
}

pub struct ApiServerSourceController;

impl Controller for ApiServerSourceController {
    fn name(&self) -> &'static str {
        "apiserversource"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        sink_keys(&apiserversources(), event, cluster)
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        with_finalizer(
            cluster,
            &apiserversources(),
            key,
            APISERVER_CONDITIONS,
            Some("apiserversource-controller"),
            |src, rec| {
                if reconcile_sink(cluster, src, rec).is_err() {
                    rec.conditions.mark_false(SINK_PROVIDED, "NotFound", "");
                    sink_not_found(cluster, src, "apiserversource-controller");
                    return;
                }
                rec.conditions.mark_true_with_reason(
                    OIDC_IDENTITY_CREATED,
                    OIDC_DISABLED_REASON,
                    "",
                );
                rec.conditions.mark_true(SUFFICIENT_PERMISSIONS);
                rec.conditions.mark_true(DEPLOYED);
                let kind = if str_at(src, "/spec/mode") == "Resource" {
                    "resource"
                } else {
                    "ref"
                };
                let attrs: Vec<Value> = ["add", "delete", "update"]
                    .iter()
                    .map(|op| {
                        json!({"type": format!("dev.knative.apiserver.{kind}.{op}"), "source": API_SERVER_URL})
                    })
                    .collect();
                rec.status().insert("ceAttributes".into(), json!(attrs));
            },
        )
    }
}

pub struct SinkBindingController;

/// Whether the binding's subject exists (`Err` with the NotFound text when it does not).
/// Workload kinds outside the core and Knative groups (Deployments, Jobs …) are not served by
/// the emulator, where nothing runs anyway: they count as bound.
fn check_subject(cluster: &dyn ClusterApi, sb: &Value) -> Result<(), String> {
    let subject = sb.at("/spec/subject").cloned().unwrap_or(json!({}));
    let subject_name = str_at(&subject, "/name");
    let gr = kind_to_resource(str_at(&subject, "/apiVersion"), str_at(&subject, "/kind"));
    let modelled = gr.group.is_empty() || gr.group.ends_with("knative.dev");
    if subject_name.is_empty() || !modelled {
        return Ok(());
    }
    let ns = match str_at(&subject, "/namespace") {
        "" => namespace(sb),
        n => n,
    };
    match cluster.get(&gr, ns, subject_name) {
        Ok(_) => Ok(()),
        Err(e) => Err(e.message),
    }
}

impl Controller for SinkBindingController {
    fn name(&self) -> &'static str {
        "sinkbinding"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        let mut keys = sink_keys(&sinkbindings(), event, cluster);
        if event.key.gr != sinkbindings() && !super::is_plumbing(event) {
            keys.extend(
                cluster
                    .list(&sinkbindings(), &event.key.namespace)
                    .iter()
                    .filter(|sb| {
                        str_at(sb, "/spec/subject/name") == event.key.name
                            && str_at(sb, "/spec/subject/kind") == str_at(event.object, "/kind")
                    })
                    .map(|sb| ObjectKey::new(sinkbindings(), namespace(sb), name(sb))),
            );
        }
        keys
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        with_finalizer(
            cluster,
            &sinkbindings(),
            key,
            SINKBINDING_CONDITIONS,
            None,
            |sb, rec| {
                if let Err(e) = check_subject(cluster, sb) {
                    rec.conditions
                        .mark_false("SinkBindingAvailable", "SubjectMissing", &e);
                    return;
                }
                if let Err(e) = reconcile_sink(cluster, sb, rec) {
                    rec.conditions.mark_false(
                        SINK_PROVIDED,
                        "NoAddressable",
                        &format!("Addressable could not be extracted from destination: {e}"),
                    );
                    return;
                }
                for c in [OIDC_IDENTITY_CREATED, "OIDCTokenSecretCreated"] {
                    rec.conditions
                        .mark_true_with_reason(c, OIDC_DISABLED_REASON, "");
                }
                rec.conditions.mark_true("TrustBundlePropagated");
                rec.conditions.mark_true("SinkBindingAvailable");
            },
        )
    }
}

pub struct ContainerSourceController;

/// Who Knative's ContainerSource reconciler records events as.
const CONTAINER_COMPONENT: &str = "containersource-controller";

impl Controller for ContainerSourceController {
    fn name(&self) -> &'static str {
        "containersource"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == containersources() {
            return vec![event.key.clone()];
        }
        owner(event, "ContainerSource", containersources())
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(src) = get_live(cluster, &containersources(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&src) {
            return Ok(Requeue::Done);
        }
        let ns = namespace(&src);
        let mut spec = json!({
            "subject": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "namespace": ns,
                "name": child_name(name(&src), "-deployment"),
            },
            "sink": src.at("/spec/sink").cloned().unwrap_or(json!({})),
        });
        if let Some(ce) = src.at("/spec/ceOverrides").filter(|c| !c.is_null()) {
            spec["ceOverrides"] = ce.clone();
        }
        let desired = json!({
            "apiVersion": "sources.knative.dev/v1",
            "kind": "SinkBinding",
            "metadata": {
                "name": child_name(name(&src), "-sinkbinding"),
                "namespace": ns,
                "ownerReferences": [controller_ref(&src)],
            },
            "spec": spec,
        });
        let binding = name(&desired).to_string();
        let existed = cluster.get(&sinkbindings(), ns, &binding).is_ok();
        let mut rec = StatusReconcile::begin(&src, CONTAINER_CONDITIONS);
        let mut failed = false;
        match ensure_child(cluster, &sinkbindings(), desired) {
            Ok(sb) => {
                if !existed {
                    normal(
                        cluster,
                        &src,
                        CONTAINER_COMPONENT,
                        "ContainerSourceSinkBindingCreated",
                        &format!("SinkBinding created {binding:?}"),
                    );
                }
                for field in ["sinkUri", "sinkCACerts", "sinkAudience"] {
                    match sb.at(&format!("/status/{field}")) {
                        Some(v) => {
                            rec.status().insert(field.into(), v.clone());
                        }
                        None => {
                            rec.status().remove(field);
                        }
                    }
                }
                propagate_ready(&mut rec.conditions, "SinkBindingReady", &sb, ("", ""));
            }
            Err(e) => {
                failed = true;
                rec.conditions
                    .mark_false("SinkBindingReady", "SinkBindingFailed", &e.message);
            }
        }
        rec.conditions.mark_true("ReceiveAdapterReady");
        rec.finish(cluster, &containersources())?;
        if !failed {
            let message = format!("ContainerSource reconciled: \"{ns}/{}\"", name(&src));
            record_once(
                cluster,
                &src,
                CONTAINER_COMPONENT,
                "Normal",
                "ContainerSourceReconciled",
                &message,
            );
        }
        Ok(Requeue::Done)
    }
}
