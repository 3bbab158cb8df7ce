//! The scheduler and the kubelet of the emulator's one node, for pods of ReplicaSets: binding
//! (`Scheduled`), image pulls (`Pulling`/`Pulled`, or `Failed` with ErrImagePull then
//! ImagePullBackOff for images configured as unfetchable), containers created and started,
//! readiness after `Config::ready_delay`, and `Killing` when a pod is scaled away.

use std::sync::Arc;
use std::time::Duration;

use globset::{Glob, GlobSetBuilder};
use serde_json::{Value, json};

use super::events::{Source, record};
use super::replicas::pods;
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::meta::{is_deleting, name, namespace};
use crate::resource::ObjectKey;
use crate::status::ApiError;

/// The emulator's one node.
pub const NODE: &str = "knit-emulator";
const HOST_IP: &str = "172.18.0.2";
/// How long the kubelet waits before backing off a failed pull.
const PULL_BACKOFF: Duration = Duration::from_secs(1);

const KUBELET: Source<'static> = Source {
    component: "kubelet",
    host: Some(NODE),
};

pub struct Kubelet;

fn containers(pod: &Value) -> Vec<(String, String)> {
    pod.at("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| {
            let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            (s("name"), s("image"))
        })
        .collect()
}

fn field_path(container: &str) -> String {
    format!("spec.containers{{{container}}}")
}

/// The pod's address: 10.244.0.0/24, from its name.
fn pod_ip(pod: &Value) -> String {
    let digest = crate::knative::names::sha256_hex(name(pod).as_bytes());
    let n = u8::from_str_radix(&digest[..2], 16).unwrap_or(0);
    format!("10.244.0.{}", n.max(2))
}

fn now() -> String {
    crate::registry::now_timestamp()
}

fn unfetchable(cluster: &dyn ClusterApi, image: &str) -> bool {
    let mut builder = GlobSetBuilder::new();
    for pattern in &cluster.config().unfetchable_images {
        if let Ok(g) = Glob::new(pattern) {
            builder.add(g);
        }
    }
    builder.build().is_ok_and(|set| set.is_match(image))
}

fn pod_conditions(ready: bool, unready: &[String], at: &str) -> Value {
    let (status, reason, message) = if ready {
        ("True", None, None)
    } else {
        (
            "False",
            Some("ContainersNotReady"),
            Some(format!(
                "containers with unready status: [{}]",
                unready.join(" ")
            )),
        )
    };
    let cond = |t: &str, s: &str| {
        let mut c =
            json!({"type": t, "status": s, "lastProbeTime": null, "lastTransitionTime": at});
        if s == "False" {
            c["reason"] = json!(reason);
            c["message"] = json!(message);
        }
        c
    };
    Value::Array(vec![
        cond("PodReadyToStartContainers", "True"),
        cond("Initialized", "True"),
        cond("Ready", status),
        cond("ContainersReady", status),
        cond("PodScheduled", "True"),
    ])
}

impl Controller for Kubelet {
    fn name(&self) -> &'static str {
        "kubelet"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        let ours = event.key.gr == pods()
            && event.controller_name_of_kind("ReplicaSet").is_some()
            && event.kind != crate::cluster::EventKind::Deleted;
        if ours {
            vec![event.key.clone()]
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        // Shared, not copied: the later steps write only the status.
        let pod = match cluster.get_shared(&pods(), &key.namespace, &key.name) {
            Ok(p) => p,
            Err(e) if e.code == 404 => return Ok(Requeue::Done),
            Err(e) => return Err(e),
        };
        if is_deleting(&pod) {
            return Ok(Requeue::Done);
        }
        if pod
            .at("/spec/nodeName")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            // The scheduler binds the pod to the node.
            let mut pod = Arc::unwrap_or_clone(pod);
            pod["spec"]["nodeName"] = json!(NODE);
            let pod = cluster.update(&pods(), pod)?;
            let message = format!(
                "Successfully assigned {}/{} to {NODE}",
                namespace(&pod),
                name(&pod)
            );
            record(
                cluster,
                &pod,
                None,
                Source::controller("default-scheduler"),
                "Normal",
                "Scheduled",
                &message,
            );
            let status = json!({
                "phase": "Pending",
                "conditions": [{"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now()}],
                "qosClass": "Burstable",
            });
            cluster.update_status_of(&pods(), &pod, status)?;
            return Ok(Requeue::After(Duration::ZERO));
        }
        let statuses = pod
            .at("/status/containerStatuses")
            .and_then(Value::as_array)
            .cloned();
        match statuses {
            None => self.start(cluster, &pod),
            Some(statuses) => self.progress(cluster, &pod, statuses),
        }
    }
}

impl Kubelet {
    /// Pulls every image and starts the containers that could be pulled.
    fn start(&self, cluster: &dyn ClusterApi, pod: &Value) -> Result<Requeue, ApiError> {
        let at = now();
        let mut statuses = Vec::new();
        let mut failed = false;
        for (container, image) in containers(pod) {
            let path = field_path(&container);
            let event = |type_: &str, reason: &str, message: &str| {
                record(cluster, pod, Some(&path), KUBELET, type_, reason, message)
            };
            event("Normal", "Pulling", &format!("Pulling image \"{image}\""));
            let mut status = json!({"name": container, "image": image, "imageID": "", "ready": false, "restartCount": 0, "started": false});
            if unfetchable(cluster, &image) {
                let why = format!(
                    "failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": unexpected status from HEAD request: 401 Unauthorized"
                );
                event(
                    "Warning",
                    "Failed",
                    &format!("Failed to pull image \"{image}\": {why}"),
                );
                event("Warning", "Failed", "Error: ErrImagePull");
                status["state"] = json!({"waiting": {"reason": "ErrImagePull", "message": format!("rpc error: code = Unknown desc = {why}")}});
                failed = true;
            } else {
                event(
                    "Normal",
                    "Pulled",
                    &format!(
                        "Successfully pulled image \"{image}\" in 1.2s (1.2s including waiting). Image size: 0 bytes."
                    ),
                );
                event(
                    "Normal",
                    "Created",
                    &format!("Created container: {container}"),
                );
                event(
                    "Normal",
                    "Started",
                    &format!("Started container {container}"),
                );
                status["imageID"] = json!(image);
                status["containerID"] = json!(format!(
                    "containerd://{}",
                    crate::knative::names::sha256_hex(
                        format!("{}/{container}", name(pod)).as_bytes()
                    )
                ));
                status["started"] = json!(true);
                status["state"] = json!({"running": {"startedAt": at}});
            }
            statuses.push(status);
        }
        let names: Vec<String> = containers(pod).into_iter().map(|(n, _)| n).collect();
        let ip = pod_ip(pod);
        let mut status = pod.get("status").cloned().unwrap_or(Value::Null);
        if let Some(status) = status.as_object_mut() {
            status.insert(
                "phase".into(),
                json!(if failed { "Pending" } else { "Running" }),
            );
            status.insert("conditions".into(), pod_conditions(false, &names, &at));
            status.insert("hostIP".into(), json!(HOST_IP));
            status.insert("hostIPs".into(), json!([{"ip": HOST_IP}]));
            status.insert("podIP".into(), json!(ip));
            status.insert("podIPs".into(), json!([{"ip": ip}]));
            status.insert("startTime".into(), json!(at));
            status.insert("containerStatuses".into(), Value::Array(statuses));
        }
        cluster.update_status_of(&pods(), pod, status)?;
        Ok(Requeue::After(if failed {
            PULL_BACKOFF
        } else {
            cluster.config().ready_delay
        }))
    }

    /// Backs off failed pulls; marks started containers ready once the ready delay passed.
    fn progress(
        &self,
        cluster: &dyn ClusterApi,
        pod: &Value,
        mut statuses: Vec<Value>,
    ) -> Result<Requeue, ApiError> {
        let mut changed = false;
        let mut wait = None;
        let delay = cluster.config().ready_delay;
        let now_s = jiff::Timestamp::now();
        for status in statuses.iter_mut() {
            let container = status["name"].as_str().unwrap_or("").to_string();
            let image = status["image"].as_str().unwrap_or("").to_string();
            if status.at("/state/waiting/reason") == Some(&json!("ErrImagePull")) {
                let path = field_path(&container);
                record(
                    cluster,
                    pod,
                    Some(&path),
                    KUBELET,
                    "Normal",
                    "BackOff",
                    &format!("Back-off pulling image \"{image}\""),
                );
                record(
                    cluster,
                    pod,
                    Some(&path),
                    KUBELET,
                    "Warning",
                    "Failed",
                    "Error: ImagePullBackOff",
                );
                status["state"] = json!({"waiting": {"reason": "ImagePullBackOff", "message": format!("Back-off pulling image \"{image}\"")}});
                changed = true;
                continue;
            }
            let started = status
                .at("/state/running/startedAt")
                .and_then(Value::as_str)
                .and_then(|t| t.parse::<jiff::Timestamp>().ok());
            if let Some(started) = started
                && status["ready"] != json!(true)
            {
                let elapsed =
                    Duration::from_secs((now_s.as_second() - started.as_second()).max(0) as u64);
                if elapsed >= delay {
                    status["ready"] = json!(true);
                    changed = true;
                } else {
                    wait = Some(delay - elapsed);
                }
            }
        }
        if !changed {
            return Ok(wait.map_or(Requeue::Done, Requeue::After));
        }
        let unready: Vec<String> = statuses
            .iter()
            .filter(|s| s["ready"] != json!(true))
            .filter_map(|s| s["name"].as_str().map(str::to_string))
            .collect();
        let mut status = pod.get("status").cloned().unwrap_or(Value::Null);
        status["conditions"] = pod_conditions(unready.is_empty(), &unready, &now());
        status["containerStatuses"] = Value::Array(statuses);
        cluster.update_status_of(&pods(), pod, status)?;
        Ok(wait.map_or(Requeue::Done, Requeue::After))
    }
}

/// The kubelet's `Killing` events for a pod about to be removed.
pub fn stopping(cluster: &dyn ClusterApi, pod: &Value) {
    for (container, _) in containers(pod) {
        let path = field_path(&container);
        record(
            cluster,
            pod,
            Some(&path),
            KUBELET,
            "Normal",
            "Killing",
            &format!("Stopping container {container}"),
        );
    }
}
