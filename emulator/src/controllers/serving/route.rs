//! The Route reconciler: URLs from config-domain and config-network, traffic targets resolved to
//! revisions, `status.traffic`/`address`, and the AllTrafficAssigned, IngressReady and
//! CertificateProvisioned conditions (reference §2.7). The ingress is emulated: it becomes
//! ready one reconcile after the Route's traffic and URL were last changed.

mod domain;
pub use domain::domain_name;
use domain::render;

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};

use super::{SERVICE_LABEL, configurations, revisions, routes};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::crd::gofmt::quote;
use crate::json::At;
use crate::knative::conditions::{ConditionSet, Conditions, READY};
use crate::knative::configmaps::{
    CONFIG_DOMAIN, CONFIG_NETWORK, DomainConfig, NetworkConfig, VISIBILITY_CLUSTER_LOCAL,
    VISIBILITY_LABEL,
};
use crate::knative::meta::{
    StatusReconcile, generation, is_deleting, label, name, namespace, observed_generation, str_at,
};
use crate::resource::ObjectKey;
use crate::status::ApiError;

pub const ALL_TRAFFIC_ASSIGNED: &str = "AllTrafficAssigned";
pub const INGRESS_READY: &str = "IngressReady";
pub const CERTIFICATE_PROVISIONED: &str = "CertificateProvisioned";
pub const ROUTE_CONDITIONS: ConditionSet =
    ConditionSet::living(&[ALL_TRAFFIC_ASSIGNED, INGRESS_READY, CERTIFICATE_PROVISIONED]);

pub const EXTERNAL_DOMAIN_TLS_NOT_ENABLED: &str = "external-domain-tls is not enabled";

/// The Route reconciler, with a tracker of what each route refers to (configurations and
/// revisions, found or not), so that a change to one reaches exactly the routes that need it.
#[derive(Default)]
pub struct RouteController {
    tracker: Mutex<Tracker>,
}

#[derive(Default)]
struct Tracker {
    /// (namespace, resource, name) → routes referring to it.
    referrers: HashMap<(String, String, String), BTreeSet<String>>,
    /// (namespace, route) → what it refers to.
    references: HashMap<(String, String), BTreeSet<(String, String)>>,
}

impl Tracker {
    fn set(&mut self, ns: &str, route: &str, refs: BTreeSet<(String, String)>) {
        let key = (ns.to_string(), route.to_string());
        for (resource, n) in self.references.remove(&key).unwrap_or_default() {
            let rkey = (ns.to_string(), resource, n);
            if let Some(set) = self.referrers.get_mut(&rkey) {
                set.remove(route);
                if set.is_empty() {
                    self.referrers.remove(&rkey);
                }
            }
        }
        for (resource, n) in &refs {
            self.referrers
                .entry((ns.to_string(), resource.clone(), n.clone()))
                .or_default()
                .insert(route.to_string());
        }
        if !refs.is_empty() {
            self.references.insert(key, refs);
        }
    }

    fn referrers(&self, ns: &str, resource: &str, n: &str) -> Vec<String> {
        self.referrers
            .get(&(ns.to_string(), resource.to_string(), n.to_string()))
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// Everything a route's traffic names, in spec and status.
fn references(route: &Value) -> BTreeSet<(String, String)> {
    let mut refs = BTreeSet::new();
    for p in ["/spec/traffic", "/status/traffic"] {
        for tt in route.at(p).and_then(Value::as_array).into_iter().flatten() {
            if let Some(c) = tt
                .get("configurationName")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            {
                refs.insert(("configurations".to_string(), c.to_string()));
            }
            if let Some(r) = tt
                .get("revisionName")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            {
                refs.insert(("revisions".to_string(), r.to_string()));
            }
        }
    }
    refs
}

impl Controller for RouteController {
    fn name(&self) -> &'static str {
        "route"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == routes() {
            super::own_key(event)
        } else if event.key.gr == configurations() || event.key.gr == revisions() {
            let tracker = self.tracker.lock().unwrap_or_else(|e| e.into_inner());
            tracker
                .referrers(
                    &event.key.namespace,
                    &event.key.gr.resource,
                    &event.key.name,
                )
                .into_iter()
                .map(|r| ObjectKey::new(routes(), &event.key.namespace, &r))
                .collect()
        } else if super::is_serving_configmap(event, &[CONFIG_DOMAIN, CONFIG_NETWORK]) {
            cluster
                .list(&routes(), "")
                .iter()
                .map(|r| ObjectKey::new(routes(), namespace(r), name(r)))
                .collect()
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let track = |refs: BTreeSet<(String, String)>| {
            self.tracker.lock().unwrap_or_else(|e| e.into_inner()).set(
                &key.namespace,
                &key.name,
                refs,
            );
        };
        let route = match cluster.get_shared(&routes(), &key.namespace, &key.name) {
            Ok(r) => r,
            Err(e) if e.code == 404 => {
                track(BTreeSet::new());
                return Ok(Requeue::Done);
            }
            Err(e) => return Err(e),
        };
        if is_deleting(&route) {
            track(BTreeSet::new());
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&route, ROUTE_CONDITIONS);
        let requeue = reconcile_route(cluster, &route, &mut rec);
        let mut refs = references(&route);
        refs.extend(references(&rec.object));
        track(refs);
        rec.finish(cluster, &routes())?;
        Ok(requeue)
    }
}

/// A traffic target that cannot be routed yet (`traffic.TargetError`).
struct TargetError {
    failure: bool,
    reason: &'static str,
    message: String,
}

fn revision_is_ready(rev: &Value) -> bool {
    generation(rev) == observed_generation(rev)
        && Conditions::from_status(super::revision::REVISION_CONDITIONS, rev.get("status"))
            .is_happy()
}

fn revision_is_failed(rev: &Value) -> bool {
    Conditions::from_status(super::revision::REVISION_CONDITIONS, rev.get("status"))
        .get(READY)
        .is_some_and(|c| c.is_false())
}

/// Resolves one spec target to a status target (without URL) or a target error.
fn resolve_target(
    cluster: &dyn ClusterApi,
    route: &Value,
    tt: &Value,
) -> Result<Option<Value>, TargetError> {
    let ns = namespace(route);
    let s = |k: &str| tt.get(k).and_then(Value::as_str).unwrap_or("");
    let (rev_name, config_name) = (s("revisionName"), s("configurationName"));
    let revision = if !rev_name.is_empty() {
        let rev = cluster
            .get_shared(&revisions(), ns, rev_name)
            .map_err(|_| TargetError {
                failure: true,
                reason: "RevisionMissing",
                message: format!(
                    "Revision {} referenced in traffic not found.",
                    quote(rev_name)
                ),
            })?;
        if !revision_is_ready(&rev) {
            let failed = revision_is_failed(&rev);
            return Err(TargetError {
                failure: failed,
                reason: "RevisionMissing",
                message: if failed {
                    format!("Revision {} failed to become ready.", quote(rev_name))
                } else {
                    format!("Revision {} is not yet ready.", quote(rev_name))
                },
            });
        }
        if let Some(svc) = label(route, SERVICE_LABEL).filter(|s| !s.is_empty()) {
            match label(&rev, SERVICE_LABEL) {
                Some(other) if other == svc => {}
                Some(other) => {
                    return Err(TargetError {
                        failure: true,
                        reason: "RevisionNotOwned",
                        message: format!(
                            "Revision {} belongs to Service {}, not Service {}.",
                            quote(rev_name),
                            quote(other),
                            quote(svc)
                        ),
                    });
                }
                None => {
                    return Err(TargetError {
                        failure: true,
                        reason: "RevisionNotOwned",
                        message: format!(
                            "Revision {} does not belong to Service {}.",
                            quote(rev_name),
                            quote(svc)
                        ),
                    });
                }
            }
        }
        rev_name.to_string()
    } else if !config_name.is_empty() {
        let config = cluster
            .get_shared(&configurations(), ns, config_name)
            .map_err(|_| TargetError {
                failure: true,
                reason: "ConfigurationMissing",
                message: format!(
                    "Configuration {} referenced in traffic not found.",
                    quote(config_name)
                ),
            })?;
        let lrr = str_at(&config, "/status/latestReadyRevisionName");
        if lrr.is_empty() {
            let failed = Conditions::from_status(
                super::configuration::CONFIGURATION_CONDITIONS,
                config.get("status"),
            )
            .get(READY)
            .is_some_and(|c| c.is_false());
            return Err(TargetError {
                failure: failed,
                reason: "RevisionMissing",
                message: if failed {
                    format!(
                        "Configuration {} does not have any ready Revision.",
                        quote(config_name)
                    )
                } else {
                    format!(
                        "Configuration {} is waiting for a Revision to become ready.",
                        quote(config_name)
                    )
                },
            });
        }
        if cluster.get_shared(&revisions(), ns, lrr).is_err() {
            return Err(TargetError {
                failure: true,
                reason: "RevisionMissing",
                message: format!("Revision {} referenced in traffic not found.", quote(lrr)),
            });
        }
        lrr.to_string()
    } else {
        return Ok(None);
    };
    let mut target = json!({"revisionName": revision, "percent": tt.get("percent").cloned().unwrap_or(json!(0))});
    if let Some(tag) = tt
        .get("tag")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    {
        target["tag"] = json!(tag);
    }
    if let Some(lr) = tt.get("latestRevision").filter(|v| v.is_boolean()) {
        target["latestRevision"] = lr.clone();
    }
    Ok(Some(target))
}

/// Adds percents of targets with the same tag, revision and latestRevision (first one wins).
fn consolidate(targets: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for t in targets {
        let key = |v: &Value| {
            (
                v.get("tag").cloned(),
                v.get("revisionName").cloned(),
                v.get("latestRevision").cloned(),
            )
        };
        match out.iter_mut().find(|o| key(o) == key(&t)) {
            Some(existing) => {
                let sum =
                    existing["percent"].as_i64().unwrap_or(0) + t["percent"].as_i64().unwrap_or(0);
                existing["percent"] = json!(sum);
            }
            None => out.push(t),
        }
    }
    out
}

fn reconcile_route(cluster: &dyn ClusterApi, route: &Value, rec: &mut StatusReconcile) -> Requeue {
    if generation(route) != observed_generation(route) {
        rec.conditions.mark_unknown(
            INGRESS_READY,
            "IngressNotConfigured",
            "Ingress has not yet been reconciled.",
        );
    }
    let domains = DomainConfig::read(cluster);
    let network = NetworkConfig::read(cluster);
    let cluster_local = label(route, VISIBILITY_LABEL) == Some(VISIBILITY_CLUSTER_LOCAL);
    let tls = network.external_domain_tls && !cluster_local;
    let scheme = if cluster_local {
        "http".to_string()
    } else if tls {
        "https".to_string()
    } else {
        network.default_external_scheme.clone()
    };

    // The URL.
    let host = match domain_name(&domains, &network, route, name(route)) {
        Ok(h) => h,
        Err(message) => {
            rec.conditions
                .mark_false(ALL_TRAFFIC_ASSIGNED, "ErrorConfig", &message);
            return Requeue::Done;
        }
    };
    let url = format!("{scheme}://{host}");
    rec.status().insert("url".into(), json!(url));

    // The traffic targets.
    let mut targets = Vec::new();
    let mut deferred: Option<TargetError> = None;
    for tt in route
        .at("/spec/traffic")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match resolve_target(cluster, route, tt) {
            Ok(Some(t)) => targets.push(t),
            Ok(None) => {}
            Err(e) => {
                if deferred.as_ref().is_none_or(|d| !d.failure) {
                    deferred = Some(e);
                }
            }
        }
    }
    if let Some(bad) = deferred {
        if bad.failure {
            rec.conditions
                .mark_false(ALL_TRAFFIC_ASSIGNED, bad.reason, &bad.message);
        } else {
            rec.conditions
                .mark_unknown(ALL_TRAFFIC_ASSIGNED, bad.reason, &bad.message);
        }
        return Requeue::Done;
    }
    let mut traffic = consolidate(targets);
    for t in &mut traffic {
        let Some(tag) = t.get("tag").and_then(Value::as_str).map(String::from) else {
            continue;
        };
        let tag_host = render(
            &network.tag_template,
            &json!({"Tag": tag, "Name": name(route)}),
        )
        .map_err(|e| format!("error executing the TagTemplate: {e}"))
        .and_then(|h| domain_name(&domains, &network, route, &h));
        match tag_host {
            Ok(h) => t["url"] = json!(format!("{scheme}://{h}")),
            Err(message) => {
                rec.conditions
                    .mark_false(ALL_TRAFFIC_ASSIGNED, "ErrorConfig", &message);
                return Requeue::Done;
            }
        }
    }
    rec.status()
        .insert("traffic".into(), Value::Array(traffic.clone()));
    rec.conditions.mark_true(ALL_TRAFFIC_ASSIGNED);
    rec.status().insert(
        "address".into(),
        json!({"url": format!("http://{}.{}.svc.cluster.local", name(route), namespace(route))}),
    );
    if tls {
        rec.conditions.mark_true(CERTIFICATE_PROVISIONED);
    } else {
        rec.conditions.mark_true_with_reason(
            CERTIFICATE_PROVISIONED,
            "TLSNotEnabled",
            EXTERNAL_DOMAIN_TLS_NOT_ENABLED,
        );
    }

    // The emulated ingress is programmed with what the previous reconcile published.
    let programmed = route.at("/status/traffic") == Some(&Value::Array(traffic))
        && route.at("/status/url").and_then(Value::as_str) == Some(url.as_str())
        && route.at("/status/address").is_some();
    if programmed {
        rec.conditions.mark_true(INGRESS_READY);
        Requeue::Done
    } else {
        rec.conditions.mark_unknown(
            INGRESS_READY,
            "IngressNotConfigured",
            "Ingress has not yet been reconciled.",
        );
        Requeue::After(Duration::ZERO)
    }
}
