//! The DomainMapping reconciler (v1beta1): URL and address `http://NAME` (`https` with a
//! `spec.tls` certificate), the domain claim
//! (ClusterDomainClaim, created when `autocreate-cluster-domain-claims` is on), resolution of
//! `spec.ref`, and the finalizer that releases the claim (reference §2.10).

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::{cluster_domain_claims, domain_mappings, routes, services};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::crd::gofmt::quote;
use crate::json::At;
use crate::knative::conditions::{ConditionSet, Conditions, TRUE};
use crate::knative::configmaps::{CONFIG_NETWORK, NetworkConfig};
use crate::knative::meta::{
    StatusReconcile, add_finalizer, generation, is_deleting, name, namespace, observed_generation,
    remove_finalizer, str_at,
};
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub const DOMAIN_CLAIMED: &str = "DomainClaimed";
pub const REFERENCE_RESOLVED: &str = "ReferenceResolved";
pub const INGRESS_READY: &str = "IngressReady";
pub const CERTIFICATE_PROVISIONED: &str = "CertificateProvisioned";
pub const DOMAIN_MAPPING_CONDITIONS: ConditionSet = ConditionSet::living(&[
    DOMAIN_CLAIMED,
    REFERENCE_RESOLVED,
    INGRESS_READY,
    CERTIFICATE_PROVISIONED,
]);
pub const DOMAIN_MAPPING_FINALIZER: &str = "domainmappings.serving.knative.dev";

pub struct DomainMappingController;

impl Controller for DomainMappingController {
    fn name(&self) -> &'static str {
        "domainmapping"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        let key_of = |dm: &Value| ObjectKey::new(domain_mappings(), namespace(dm), name(dm));
        if event.key.gr == domain_mappings() {
            super::own_key(event)
        } else if event.key.gr == services()
            || event.key.gr == routes()
            || event.key.gr == GroupResource::of("", "services")
        {
            cluster
                .list(&domain_mappings(), &event.key.namespace)
                .iter()
                .filter(|dm| str_at(dm, "/spec/ref/name") == event.key.name)
                .map(key_of)
                .collect()
        } else if event.key.gr == cluster_domain_claims() {
            cluster
                .list(&domain_mappings(), "")
                .iter()
                .filter(|dm| name(dm) == event.key.name)
                .map(key_of)
                .collect()
        } else if super::is_serving_configmap(event, &[CONFIG_NETWORK]) {
            cluster
                .list(&domain_mappings(), "")
                .iter()
                .map(key_of)
                .collect()
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let dm = match cluster.get(&domain_mappings(), &key.namespace, &key.name) {
            Ok(d) => d,
            Err(e) if e.code == 404 => return Ok(Requeue::Done),
            Err(e) => return Err(e),
        };
        if is_deleting(&dm) {
            if let Ok(claim) = cluster.get(&cluster_domain_claims(), "", name(&dm))
                && str_at(&claim, "/spec/namespace") == namespace(&dm)
            {
                match cluster.delete(&cluster_domain_claims(), "", name(&dm)) {
                    Ok(()) => {}
                    Err(e) if e.code == 404 => {}
                    Err(e) => return Err(e),
                }
            }
            remove_finalizer(cluster, &domain_mappings(), &dm, DOMAIN_MAPPING_FINALIZER)?;
            return Ok(Requeue::Done);
        }
        let dm = add_finalizer(
            cluster,
            &domain_mappings(),
            Arc::new(dm),
            DOMAIN_MAPPING_FINALIZER,
        )?;
        let mut rec = StatusReconcile::begin(&dm, DOMAIN_MAPPING_CONDITIONS);
        let requeue = reconcile_mapping(cluster, &dm, &mut rec);
        rec.finish(cluster, &domain_mappings())?;
        requeue
    }
}

/// `ClusterDomainClaim` for a mapping.
fn make_claim(dm: &Value) -> Value {
    json!({
        "apiVersion": "networking.internal.knative.dev/v1alpha1",
        "kind": "ClusterDomainClaim",
        "metadata": {"name": name(dm)},
        "spec": {"namespace": namespace(dm)},
    })
}

/// `%+v` of a `*corev1.ObjectReference`, as Knative's resolver puts it in messages.
fn object_reference(r: &Value, ns: &str) -> String {
    let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("");
    format!(
        "&ObjectReference{{Kind:{},Namespace:{},Name:{},UID:,APIVersion:{},ResourceVersion:,FieldPath:,}}",
        s("kind"),
        ns,
        s("name"),
        s("apiVersion")
    )
}

/// Resolves `spec.ref` to its address URL.
fn resolve_ref(cluster: &dyn ClusterApi, dm: &Value) -> Result<String, String> {
    let r = dm.at("/spec/ref").cloned().unwrap_or(Value::Null);
    let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let ns = match s("namespace") {
        n if n.is_empty() => namespace(dm).to_string(),
        n => n,
    };
    let (api_version, kind, ref_name) = (s("apiVersion"), s("kind"), s("name"));
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    if group.is_empty() && kind == "Service" {
        let core = GroupResource::of("", "services");
        cluster.get(&core, &ns, &ref_name).map_err(|e| e.message)?;
        return Ok(format!("http://{ref_name}.{ns}.svc.cluster.local"));
    }
    let gr = match (group, kind.as_str()) {
        ("serving.knative.dev", "Service") => services(),
        ("serving.knative.dev", "Route") => routes(),
        _ => GroupResource::new(group, &format!("{}s", kind.to_lowercase())),
    };
    let target = cluster.get(&gr, &ns, &ref_name).map_err(|e| e.message)?;
    match target.at("/status/address") {
        None | Some(Value::Null) => {
            Err(format!("address not set for {}", object_reference(&r, &ns)))
        }
        Some(addr) => match addr.get("url").and_then(Value::as_str) {
            Some(url) if !url.is_empty() => Ok(url.to_string()),
            _ => Err(format!(
                "URL missing in address of {}",
                object_reference(&r, &ns)
            )),
        },
    }
}

/// Checks that a resolved URL is an in-namespace cluster-local address without a path.
fn check_target(url: &str, dm_namespace: &str) -> Result<(), String> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let (host, path) = match rest.split_once('/') {
        Some((h, p)) => (h, p),
        None => (rest, ""),
    };
    if !path.is_empty() {
        return Err(format!("resolved URI {} contains a path", quote(url)));
    }
    let Some(prefix) = host.strip_suffix(".svc.cluster.local") else {
        return Err(format!(
            "resolved URI {} must be of the form {{name}}.{{namespace}}.svc.cluster.local",
            quote(url)
        ));
    };
    match prefix.rsplit_once('.') {
        Some((_, ns)) if ns == dm_namespace => Ok(()),
        Some(_) => Err(format!(
            "resolved URI {} must be in same namespace as DomainMapping",
            quote(url)
        )),
        None => Err(format!(
            "resolved URI {} must be of the form {{name}}.{{namespace}}.svc.cluster.local",
            quote(url)
        )),
    }
}

fn reconcile_mapping(
    cluster: &dyn ClusterApi,
    dm: &Value,
    rec: &mut StatusReconcile,
) -> Result<Requeue, ApiError> {
    if generation(dm) != observed_generation(dm) {
        rec.conditions.mark_unknown(
            INGRESS_READY,
            "IngressNotConfigured",
            "Ingress has not yet been reconciled.",
        );
    }
    let network = NetworkConfig::read(cluster);
    let url = format!("{}://{}", network.default_external_scheme, name(dm));
    rec.status().insert("url".into(), json!(url));
    rec.status().insert("address".into(), json!({"url": url}));
    rec.conditions.mark_true_with_reason(
        CERTIFICATE_PROVISIONED,
        "TLSNotEnabled",
        super::route::EXTERNAL_DOMAIN_TLS_NOT_ENABLED,
    );

    // The domain claim.
    match cluster.get(&cluster_domain_claims(), "", name(dm)) {
        Ok(claim) if str_at(&claim, "/spec/namespace") != namespace(dm) => {
            rec.conditions.mark_false(
                DOMAIN_CLAIMED,
                "DomainAlreadyClaimed",
                "The domain name is already in use by another DomainMapping",
            );
            return Ok(Requeue::Done);
        }
        Ok(_) => {}
        Err(e) if e.code == 404 => {
            if !network.autocreate_cluster_domain_claims {
                rec.conditions.mark_false(
                    DOMAIN_CLAIMED,
                    "DomainAlreadyClaimed",
                    "The domain name is already in use by another DomainMapping",
                );
                return Ok(Requeue::Done);
            }
            if let Err(e) = cluster.create(&cluster_domain_claims(), make_claim(dm)) {
                rec.conditions.mark_false(
                    DOMAIN_CLAIMED,
                    "DomainClaimFailed",
                    &format!("failed to create ClusterDomainClaim: {}", e.message),
                );
                return Err(e);
            }
        }
        Err(e) => return Err(e),
    }
    rec.conditions.mark_true(DOMAIN_CLAIMED);

    // A certificate given in `spec.tls` is served as is: the URL turns https.
    if dm.at("/spec/tls").is_some_and(|t| !t.is_null()) {
        rec.conditions.mark_true_with_reason(
            CERTIFICATE_PROVISIONED,
            "CertificateExternallyProvided",
            "TLS certificate was provided externally",
        );
        let url = format!("https://{}", name(dm));
        rec.status().insert("url".into(), json!(url));
        rec.status().insert("address".into(), json!({"url": url}));
    }

    // The reference.
    let resolved =
        resolve_ref(cluster, dm).and_then(|u| check_target(&u, namespace(dm)).map(|_| u));
    if let Err(message) = resolved {
        rec.conditions
            .mark_false(REFERENCE_RESOLVED, "ResolveFailed", &message);
        return Ok(Requeue::Done);
    }
    rec.conditions.mark_true(REFERENCE_RESOLVED);

    // The emulated ingress is ready once the resolved reference has been published.
    let was_resolved = observed_generation(dm) == generation(dm)
        && Conditions::from_status(DOMAIN_MAPPING_CONDITIONS, dm.get("status"))
            .get(REFERENCE_RESOLVED)
            .is_some_and(|c| c.status == TRUE);
    if was_resolved {
        rec.conditions.mark_true(INGRESS_READY);
        Ok(Requeue::Done)
    } else {
        rec.conditions.mark_unknown(
            INGRESS_READY,
            "IngressNotConfigured",
            "Ingress has not yet been reconciled.",
        );
        Ok(Requeue::After(Duration::ZERO))
    }
}
