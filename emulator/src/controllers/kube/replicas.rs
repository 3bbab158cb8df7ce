//! kube-controller-manager's deployment and replicaset controllers, for the Deployments the
//! Revision reconciler makes: one ReplicaSet per pod template (`NAME-HASH`), pods created and
//! deleted to match its replicas, statuses and the controllers' events.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use super::events::normal;
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::meta::{controller_ref, generation, is_deleting, name, namespace, uid};
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub fn deployments() -> GroupResource {
    GroupResource::of("apps", "deployments")
}

pub fn replicasets() -> GroupResource {
    GroupResource::of("apps", "replicasets")
}

pub fn pods() -> GroupResource {
    GroupResource::of("", "pods")
}

const HASH_LABEL: &str = "pod-template-hash";

fn own_or_owner(
    event: &ObjectEvent,
    own: GroupResource,
    child: GroupResource,
    kind: &str,
) -> Vec<ObjectKey> {
    if event.key.gr == own {
        vec![event.key.clone()]
    } else if event.key.gr == child {
        event
            .controller_name_of_kind(kind)
            .map(|n| vec![ObjectKey::new(own, &event.key.namespace, n)])
            .unwrap_or_default()
    } else {
        Vec::new()
    }
}

fn replicas(o: &Value, pointer: &str) -> i64 {
    o.at(pointer).and_then(Value::as_i64).unwrap_or(0)
}

/// The pod-template-hash of a template: ten characters from Kubernetes' safe alphabet.
pub fn template_hash(template: &Value) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    /// Hashes the JSON as it is written, rather than a copy of it in a string.
    struct Digest(ring::digest::Context);
    impl std::io::Write for Digest {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut digest = Digest(ring::digest::Context::new(&ring::digest::SHA256));
    // Writing a Value to something that cannot fail cannot fail.
    let _ = serde_json::to_writer(&mut digest, template);
    let digest = digest.0.finish();
    digest
        .as_ref()
        .iter()
        .take(10)
        .map(|byte| ALPHABET[*byte as usize % ALPHABET.len()] as char)
        .collect()
}

/// A condition keeping its transition time while its status does not change.
fn condition(old: &Value, type_: &str, status: &str, reason: &str, message: &str) -> Value {
    let now = crate::registry::now_timestamp();
    let previous = old
        .at("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| c["type"] == type_));
    let transition = match previous {
        Some(p) if p["status"] == status => p["lastTransitionTime"].clone(),
        _ => json!(now),
    };
    json!({"type": type_, "status": status, "lastUpdateTime": now, "lastTransitionTime": transition, "reason": reason, "message": message})
}

fn children(cluster: &dyn ClusterApi, gr: &GroupResource, owner: &Value) -> Vec<Arc<Value>> {
    cluster.controlled_by(gr, owner)
}

/// Deployment → ReplicaSet.
#[derive(Default)]
pub struct DeploymentController {
    /// Each Deployment's template hash by its key, with the uid and generation it
    /// was computed at: the template is only in the spec, so a generation still the same
    /// means the same hash, which is otherwise a serialization and a SHA-256 per reconcile.
    hashes: Mutex<HashMap<ObjectKey, KnownHash>>,
}

struct KnownHash {
    uid: String,
    generation: i64,
    hash: String,
}

impl DeploymentController {
    fn hashes(&self) -> std::sync::MutexGuard<'_, HashMap<ObjectKey, KnownHash>> {
        self.hashes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The hash is worked out outside the lock, so two workers do not wait on each other.
    fn template_hash(&self, key: &ObjectKey, deploy: &Value, template: &Value) -> String {
        let (uid, generation) = (uid(deploy), generation(deploy));
        if let Some(known) = self.hashes().get(key)
            && known.uid == uid
            && known.generation == generation
        {
            return known.hash.clone();
        }
        let hash = template_hash(template);
        let known = KnownHash {
            uid: uid.to_string(),
            generation,
            hash: hash.clone(),
        };
        self.hashes().insert(key.clone(), known);
        hash
    }

    fn forget(&self, key: &ObjectKey) {
        self.hashes().remove(key);
    }
}

impl Controller for DeploymentController {
    fn name(&self) -> &'static str {
        "deployment"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        own_or_owner(event, deployments(), replicasets(), "Deployment")
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let deploy = match cluster.get_shared(&deployments(), &key.namespace, &key.name) {
            Ok(d) => d,
            Err(e) if e.code == 404 => {
                self.forget(key);
                return Ok(Requeue::Done);
            }
            Err(e) => return Err(e),
        };
        if is_deleting(&deploy) {
            self.forget(key);
            return Ok(Requeue::Done);
        }
        let empty = json!({});
        let template = deploy.at("/spec/template").unwrap_or(&empty);
        let hash = self.template_hash(key, &deploy, template);
        let rs_name = format!("{}-{hash}", name(&deploy));
        let want = replicas(&deploy, "/spec/replicas");
        let owned = children(cluster, &replicasets(), &deploy);
        // revisionHistoryLimit 0: a ReplicaSet of an older template goes away.
        for old in owned.iter().filter(|rs| name(rs) != rs_name) {
            let _ = cluster.delete(&replicasets(), namespace(old), name(old));
        }
        let rs = match owned.into_iter().find(|rs| name(rs) == rs_name) {
            Some(mut rs) => {
                let have = replicas(&rs, "/spec/replicas");
                if have != want {
                    let mut scaled = Arc::unwrap_or_clone(rs);
                    scaled["spec"]["replicas"] = json!(want);
                    rs = cluster.update(&replicasets(), scaled)?;
                    let direction = if want > have { "up" } else { "down" };
                    normal(
                        cluster,
                        &deploy,
                        "deployment-controller",
                        "ScalingReplicaSet",
                        &format!("Scaled {direction} replica set {rs_name} from {have} to {want}"),
                    );
                }
                rs
            }
            None => {
                let mut labels = template
                    .at("/metadata/labels")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                labels.insert(HASH_LABEL.into(), json!(hash));
                let mut rs_template = template.clone();
                rs_template["metadata"]["labels"] = Value::Object(labels.clone());
                let mut selector = deploy.at("/spec/selector").cloned().unwrap_or(json!({}));
                selector["matchLabels"][HASH_LABEL] = json!(hash);
                let mut annotations = deploy
                    .at("/metadata/annotations")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                annotations.insert(
                    "deployment.kubernetes.io/desired-replicas".into(),
                    json!(want.to_string()),
                );
                annotations.insert(
                    "deployment.kubernetes.io/max-replicas".into(),
                    json!((want + (want + 3) / 4).to_string()),
                );
                annotations.insert("deployment.kubernetes.io/revision".into(), json!("1"));
                let mut rs = json!({
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "metadata": {"name": rs_name, "namespace": namespace(&deploy)},
                    "spec": {"replicas": want},
                });
                // Moved in: `json!` copies values through serde's serializer.
                let meta = &mut rs["metadata"];
                meta["labels"] = Value::Object(labels);
                meta["annotations"] = Value::Object(annotations);
                meta["ownerReferences"] = Value::Array(vec![controller_ref(&deploy)]);
                rs["spec"]["selector"] = selector;
                rs["spec"]["template"] = rs_template;
                let rs = cluster.create(&replicasets(), rs)?;
                if want > 0 {
                    normal(
                        cluster,
                        &deploy,
                        "deployment-controller",
                        "ScalingReplicaSet",
                        &format!("Scaled up replica set {rs_name} from 0 to {want}"),
                    );
                }
                rs
            }
        };
        let ready = replicas(&rs, "/status/readyReplicas");
        let current = replicas(&rs, "/status/replicas");
        let mut status = Map::new();
        status.insert(
            "observedGeneration".into(),
            deploy
                .at("/metadata/generation")
                .cloned()
                .unwrap_or(json!(1)),
        );
        for (field, n) in [
            ("replicas", current),
            ("updatedReplicas", current),
            ("readyReplicas", ready),
            ("availableReplicas", ready),
            ("unavailableReplicas", (want - ready).max(0)),
        ] {
            if n > 0 {
                status.insert(field.into(), json!(n));
            }
        }
        let available = ready >= want;
        let conditions = vec![
            if available {
                condition(
                    &deploy,
                    "Available",
                    "True",
                    "MinimumReplicasAvailable",
                    "Deployment has minimum availability.",
                )
            } else {
                condition(
                    &deploy,
                    "Available",
                    "False",
                    "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.",
                )
            },
            if available {
                condition(
                    &deploy,
                    "Progressing",
                    "True",
                    "NewReplicaSetAvailable",
                    &format!("ReplicaSet \"{rs_name}\" has successfully progressed."),
                )
            } else {
                condition(
                    &deploy,
                    "Progressing",
                    "True",
                    "ReplicaSetUpdated",
                    &format!("ReplicaSet \"{rs_name}\" is progressing."),
                )
            },
        ];
        status.insert("conditions".into(), Value::Array(conditions));
        write_status_if_changed(cluster, &deployments(), &deploy, status)?;
        Ok(Requeue::Done)
    }
}

/// Writes `status` unless only condition times would change.
fn write_status_if_changed(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    object: &Value,
    status: Map<String, Value>,
) -> Result<(), ApiError> {
    let strip = |s: &Value| {
        let mut s = s.clone();
        if let Some(cs) = s.get_mut("conditions").and_then(Value::as_array_mut) {
            for c in cs.iter_mut().filter_map(Value::as_object_mut) {
                c.remove("lastUpdateTime");
                c.remove("lastTransitionTime");
            }
        }
        s
    };
    let status = Value::Object(status);
    if strip(&status) == strip(object.get("status").unwrap_or(&json!({}))) {
        return Ok(());
    }
    cluster.update_status_of(gr, object, status).map(|_| ())
}

/// Whether a pod's Ready condition is True.
pub fn pod_ready(pod: &Value) -> bool {
    pod.at("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True")
}

/// ReplicaSet → Pods.
pub struct ReplicaSetController;

impl Controller for ReplicaSetController {
    fn name(&self) -> &'static str {
        "replicaset"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        own_or_owner(event, replicasets(), pods(), "ReplicaSet")
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let rs = match cluster.get_shared(&replicasets(), &key.namespace, &key.name) {
            Ok(r) => r,
            Err(e) if e.code == 404 => return Ok(Requeue::Done),
            Err(e) => return Err(e),
        };
        if is_deleting(&rs) {
            return Ok(Requeue::Done);
        }
        let want = replicas(&rs, "/spec/replicas");
        let mut live: Vec<Arc<Value>> = children(cluster, &pods(), &rs)
            .into_iter()
            .filter(|p| !is_deleting(p))
            .collect();
        while (live.len() as i64) < want {
            let pod = cluster.create(&pods(), make_pod(&rs))?;
            normal(
                cluster,
                &rs,
                "replicaset-controller",
                "SuccessfulCreate",
                &format!("Created pod: {}", name(&pod)),
            );
            live.push(pod);
        }
        // The newest pods go first, not-ready ones before ready ones.
        live.sort_by_key(|p| {
            (
                pod_ready(p),
                std::cmp::Reverse(
                    p.at("/metadata/creationTimestamp")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                ),
            )
        });
        while (live.len() as i64) > want {
            let pod = live.remove(0);
            super::kubelet::stopping(cluster, &pod);
            cluster.delete(&pods(), namespace(&pod), name(&pod))?;
            normal(
                cluster,
                &rs,
                "replicaset-controller",
                "SuccessfulDelete",
                &format!("Deleted pod: {}", name(&pod)),
            );
        }
        let ready = live.iter().filter(|p| pod_ready(p)).count() as i64;
        let mut status = Map::new();
        status.insert("replicas".into(), json!(live.len()));
        if !live.is_empty() {
            status.insert("fullyLabeledReplicas".into(), json!(live.len()));
        }
        if ready > 0 {
            status.insert("readyReplicas".into(), json!(ready));
            status.insert("availableReplicas".into(), json!(ready));
        }
        status.insert(
            "observedGeneration".into(),
            rs.at("/metadata/generation").cloned().unwrap_or(json!(1)),
        );
        write_status_if_changed(cluster, &replicasets(), &rs, status)?;
        Ok(Requeue::Done)
    }
}

/// A pod of a ReplicaSet's template, as the replicaset controller creates it.
fn make_pod(rs: &Value) -> Value {
    let template = rs.at("/spec/template").cloned().unwrap_or(json!({}));
    let mut spec = template.get("spec").cloned().unwrap_or(json!({}));
    if let Some(s) = spec.as_object_mut() {
        s.entry("restartPolicy").or_insert(json!("Always"));
        s.entry("dnsPolicy").or_insert(json!("ClusterFirst"));
        s.entry("schedulerName")
            .or_insert(json!("default-scheduler"));
        s.entry("securityContext").or_insert(json!({}));
    }
    let mut pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"generateName": format!("{}-", name(rs)), "namespace": namespace(rs)},
    });
    // Moved in: `json!` copies values through serde's serializer.
    let meta = &mut pod["metadata"];
    meta["labels"] = (template.at("/metadata/labels").cloned()).unwrap_or(json!({}));
    meta["annotations"] = (template.at("/metadata/annotations").cloned()).unwrap_or(json!({}));
    meta["ownerReferences"] = Value::Array(vec![controller_ref(rs)]);
    pod["spec"] = spec;
    pod
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Deployment's hash is worked out again when its generation or uid changes (a new
    /// template, or a new Deployment of the same name), and not otherwise.
    #[test]
    fn template_hashes_are_remembered_per_generation() {
        let controller = DeploymentController::default();
        let key = ObjectKey::new(deployments(), "ns", "d");
        let deploy = |uid: &str, generation: i64| json!({"metadata": {"namespace": "ns", "name": "d", "uid": uid, "generation": generation}});
        let (x, y) = (json!({"x": 1}), json!({"y": 1}));
        let hash = |d: &Value, t: &Value| controller.template_hash(&key, d, t);
        assert_eq!(hash(&deploy("u1", 1), &x), template_hash(&x));
        // Same generation: the remembered hash, whatever template is passed.
        assert_eq!(hash(&deploy("u1", 1), &y), template_hash(&x));
        assert_eq!(hash(&deploy("u1", 2), &y), template_hash(&y));
        assert_eq!(hash(&deploy("u2", 2), &x), template_hash(&x));
        controller.forget(&key);
        assert!(controller.hashes.lock().unwrap().is_empty());
        assert_eq!(hash(&deploy("u2", 2), &y), template_hash(&y));
    }

    #[test]
    fn template_hashes_are_stable_and_safe() {
        let a = template_hash(&json!({"spec": {"containers": [{"image": "x"}]}}));
        // SHA-256 of the compact JSON, its first ten bytes mapped onto the alphabet (worked out
        // apart from this code).
        assert_eq!(a, "588t9lgdbk");
        assert_eq!(
            a,
            template_hash(&json!({"spec": {"containers": [{"image": "x"}]}}))
        );
        assert_eq!(a.len(), 10);
        assert!(
            a.bytes()
                .all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b))
        );
        assert_ne!(
            a,
            template_hash(&json!({"spec": {"containers": [{"image": "y"}]}}))
        );
    }
}
