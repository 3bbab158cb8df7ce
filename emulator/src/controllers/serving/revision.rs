//! The Revision reconciler, as deterministic steps: digests being resolved, then deploying, then
//! ready after `Config::ready_delay` — or `ContainerMissing` for images configured as
//! unfetchable (reference §2.6).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use globset::{Glob, GlobSetBuilder};
use serde_json::{Value, json};

use super::revisions;
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::kube::events::{normal, warning};
use crate::controllers::{Controller, Requeue};
use crate::crd::gofmt::quote;
use crate::json::At;
use crate::knative::conditions::{ConditionSet, READY};
use crate::knative::configmaps::DeploymentConfig;
use crate::knative::meta::{StatusReconcile, is_deleting};
use crate::knative::names::{ImageRef, sha256_hex};
use crate::resource::ObjectKey;
use crate::status::ApiError;

pub const RESOURCES_AVAILABLE: &str = "ResourcesAvailable";
pub const CONTAINER_HEALTHY: &str = "ContainerHealthy";
pub const ACTIVE: &str = "Active";
pub const REVISION_CONDITIONS: ConditionSet =
    ConditionSet::living(&[RESOURCES_AVAILABLE, CONTAINER_HEALTHY]);

const RESOLVING_DIGESTS: &str = "ResolvingDigests";
const DEPLOYING: &str = "Deploying";

/// Revision reconciler; remembers when each revision started deploying.
#[derive(Default)]
pub struct RevisionController {
    deploying_since: Mutex<HashMap<ObjectKey, Instant>>,
}

impl Controller for RevisionController {
    fn name(&self) -> &'static str {
        "revision"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == revisions() {
            super::own_key(event)
        } else if event.key.gr == super::deployment::deployments() {
            super::owner_key(event, "Revision", revisions())
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let rev = match cluster.get_shared(&revisions(), &key.namespace, &key.name) {
            Ok(r) => r,
            Err(e) if e.code == 404 => {
                self.forget(key);
                return Ok(Requeue::Done);
            }
            Err(e) => return Err(e),
        };
        if is_deleting(&rev) {
            self.forget(key);
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&rev, REVISION_CONDITIONS);
        let requeue = self.step(key, cluster, &rev, &mut rec);
        rec.finish(cluster, &revisions())?;
        Ok(requeue)
    }
}

fn condition_reason(rec: &StatusReconcile, t: &str) -> (String, String) {
    rec.conditions
        .get(t)
        .map(|c| (c.status.to_string(), c.reason.to_string()))
        .unwrap_or_default()
}

impl RevisionController {
    fn forget(&self, key: &ObjectKey) {
        if let Ok(mut m) = self.deploying_since.lock() {
            m.remove(key);
        }
    }

    fn step(
        &self,
        key: &ObjectKey,
        cluster: &dyn ClusterApi,
        rev: &Value,
        rec: &mut StatusReconcile,
    ) -> Requeue {
        let digests_done = rec.object.at("/status/containerStatuses").is_some();
        let (healthy_status, healthy_reason) = condition_reason(rec, CONTAINER_HEALTHY);
        if healthy_status == "False" && healthy_reason == "ContainerMissing" {
            return Requeue::Done;
        }
        if !digests_done {
            let (_, reason) = condition_reason(rec, RESOURCES_AVAILABLE);
            if reason != RESOLVING_DIGESTS {
                // Step 1: digest resolution starts in the background.
                rec.conditions
                    .mark_unknown(RESOURCES_AVAILABLE, RESOLVING_DIGESTS, "");
                return Requeue::After(Duration::ZERO);
            }
            // Step 2: digests resolved (or not), the deployment is created.
            match resolve_digests(cluster, rev) {
                Err(message) => {
                    warning(cluster, rev, COMPONENT, "InternalError", &message);
                    rec.conditions
                        .mark_false(CONTAINER_HEALTHY, "ContainerMissing", &message);
                    return Requeue::Done;
                }
                Ok((containers, init)) => {
                    let status = rec.status();
                    status.insert("containerStatuses".into(), Value::Array(containers));
                    if !init.is_empty() {
                        status.insert("initContainerStatuses".into(), Value::Array(init));
                    }
                }
            }
            rec.conditions
                .mark_unknown(RESOURCES_AVAILABLE, DEPLOYING, "");
            rec.conditions
                .mark_unknown(CONTAINER_HEALTHY, DEPLOYING, "");
            rec.conditions.mark_unknown(ACTIVE, DEPLOYING, "");
            if let Ok(mut m) = self.deploying_since.lock() {
                m.insert(key.clone(), Instant::now());
            }
            return Requeue::After(cluster.config().ready_delay);
        }
        let ready = rec.conditions.get(READY).is_some_and(|c| c.is_true());
        if !ready {
            // Step 3: wait for the configured delay, then the pods are ready.
            let delay = cluster.config().ready_delay;
            let since = self
                .deploying_since
                .lock()
                .map(|mut m| *m.entry(key.clone()).or_insert_with(Instant::now))
                .unwrap_or_else(|_| Instant::now());
            let elapsed = since.elapsed();
            if let Some((reason, message)) = pod_waiting(cluster, rev) {
                // Pods that cannot start keep the Revision deploying until its progress
                // deadline, then make its resources unavailable with their reason.
                let deadline = progress_deadline(rev);
                if elapsed < deadline {
                    rec.conditions
                        .mark_unknown(RESOURCES_AVAILABLE, DEPLOYING, "");
                    rec.conditions
                        .mark_unknown(CONTAINER_HEALTHY, DEPLOYING, "");
                    return Requeue::After((deadline - elapsed).min(Duration::from_secs(1)));
                }
                rec.conditions
                    .mark_false(RESOURCES_AVAILABLE, &reason, &message);
                return Requeue::After(Duration::from_secs(1));
            }
            if cluster.runs_workloads() && !pods_ready(cluster, rev) {
                // Knative's ContainerHealthy waits for a ready replica of the Deployment.
                rec.conditions
                    .mark_unknown(RESOURCES_AVAILABLE, DEPLOYING, "");
                rec.conditions
                    .mark_unknown(CONTAINER_HEALTHY, DEPLOYING, "");
                return Requeue::After(Duration::from_secs(1));
            }
            if elapsed < delay {
                // Keep the Deploying state (a new generation flag would otherwise linger).
                rec.conditions
                    .mark_unknown(RESOURCES_AVAILABLE, DEPLOYING, "");
                rec.conditions
                    .mark_unknown(CONTAINER_HEALTHY, DEPLOYING, "");
                return Requeue::After(delay - elapsed);
            }
            self.forget(key);
            normal(
                cluster,
                rev,
                COMPONENT,
                "RevisionReady",
                "Revision becomes ready upon all resources being ready",
            );
        }
        rec.conditions.mark_true(RESOURCES_AVAILABLE);
        rec.conditions.mark_true(CONTAINER_HEALTHY);
        rec.conditions.mark_true(ACTIVE);
        let status = rec.status();
        status.insert("actualReplicas".into(), json!(1));
        status.insert("desiredReplicas".into(), json!(1));
        Requeue::Done
    }
}

/// The component name Knative's revision reconciler records events as.
const COMPONENT: &str = "revision-controller";

/// The waiting reason and message of the Revision's pods when one of its deployed images is
/// configured as unfetchable (decided from the configuration, so that it holds before the
/// kubelet has tried).
fn pod_waiting(cluster: &dyn ClusterApi, rev: &Value) -> Option<(String, String)> {
    let mut builder = GlobSetBuilder::new();
    for pattern in &cluster.config().unfetchable_images {
        if let Ok(g) = Glob::new(pattern) {
            builder.add(g);
        }
    }
    let set = builder.build().ok()?;
    let statuses = rev
        .at("/status/containerStatuses")
        .and_then(Value::as_array)?;
    rev.at("/spec/containers")
        .and_then(Value::as_array)?
        .iter()
        .map(|c| {
            let digest = statuses
                .iter()
                .find(|s| s.get("name") == c.get("name"))
                .and_then(|s| s.get("imageDigest"));
            digest
                .or(c.get("image"))
                .and_then(Value::as_str)
                .unwrap_or("")
        })
        .find(|image| set.is_match(image))
        .map(|image| {
            (
                "ImagePullBackOff".to_string(),
                format!("Back-off pulling image {}", quote(image)),
            )
        })
}

/// Whether the Revision's Deployment has a ready replica, or is meant to have none.
fn pods_ready(cluster: &dyn ClusterApi, rev: &Value) -> bool {
    let name = super::deployment::deployment_name(crate::knative::meta::name(rev));
    let namespace = crate::knative::meta::namespace(rev);
    let Ok(deployment) = cluster.get_shared(&super::deployment::deployments(), namespace, &name)
    else {
        return false;
    };
    let int = |p: &str| deployment.at(p).and_then(Value::as_i64).unwrap_or(0);
    int("/spec/replicas") == 0 || int("/status/readyReplicas") > 0
}

/// `serving.knative.dev/progress-deadline`, or Knative's default of ten minutes.
fn progress_deadline(rev: &Value) -> Duration {
    crate::knative::meta::annotation(rev, "serving.knative.dev/progress-deadline")
        .and_then(kubetext::duration::parse_duration)
        .unwrap_or(Duration::from_secs(600))
}

/// The `containerStatuses` (and init ones) of a revision, or the ContainerMissing message of
/// the first image that "cannot be fetched".
fn resolve_digests(
    cluster: &dyn ClusterApi,
    rev: &Value,
) -> Result<(Vec<Value>, Vec<Value>), String> {
    let cfg = cluster.config();
    let mut builder = GlobSetBuilder::new();
    for pattern in &cfg.unfetchable_images {
        if let Ok(g) = Glob::new(pattern) {
            builder.add(g);
        }
    }
    let unfetchable = builder.build().ok();
    let skip = DeploymentConfig::read(cluster).registries_skipping_tag_resolving;
    let mut out = (Vec::new(), Vec::new());
    for (field, target) in [("containers", 0), ("initContainers", 1)] {
        for c in rev
            .at(&format!("/spec/{field}"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = c.get("name").and_then(Value::as_str).unwrap_or("");
            let image = c.get("image").and_then(Value::as_str).unwrap_or("");
            let parsed = ImageRef::parse(image).map_err(|e| {
                format!(
                    "Unable to fetch image {}: failed to resolve image to digest: failed to parse image {}: {e}",
                    quote(image),
                    quote(image)
                )
            })?;
            // Images by digest and registries that skip tag resolution are not looked up:
            // their pods fail to pull them instead (the kubelet's ErrImagePull).
            let resolved = parsed.digest.is_none() && !skip.contains(&parsed.registry);
            if resolved && unfetchable.as_ref().is_some_and(|set| set.is_match(image)) {
                return Err(format!(
                    "Unable to fetch image {}: failed to resolve image to digest: HEAD https://{}/v2/{}/manifests/{}: unexpected status code 401 Unauthorized (HEAD responses have no body, use GET for details)",
                    quote(image),
                    parsed.registry,
                    parsed.repository,
                    parsed.identifier()
                ));
            }
            let mut status = json!({"name": name});
            if parsed.digest.is_some() {
                status["imageDigest"] = json!(image);
            } else if !skip.contains(&parsed.registry) {
                status["imageDigest"] = json!(format!(
                    "{}@sha256:{}",
                    parsed.context(),
                    sha256_hex(image.as_bytes())
                ));
            }
            if target == 0 {
                out.0.push(status)
            } else {
                out.1.push(status)
            }
        }
    }
    Ok(out)
}
