//! The Revision reconciler's Deployment (`REV-deployment`, Knative's `MakeDeployment`) and the
//! autoscaler's decisions for it: the initial scale, then, as the emulator receives no
//! traffic, scale to `min-scale` once the idle window (stable window plus scale-to-zero
//! grace period of `config-autoscaler`) has passed since the Revision became Ready.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::{CONFIGURATION_LABEL, SERVICE_LABEL, revisions};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::READY;
use crate::knative::configmaps::{CONFIG_AUTOSCALER, SERVING_NAMESPACE, read_data};
use crate::knative::meta::{
    annotations, controller_ref, is_deleting, labels, name, namespace, uid,
};
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub const REVISION_LABEL: &str = "serving.knative.dev/revision";
pub const REVISION_UID_LABEL: &str = "serving.knative.dev/revisionUID";
pub const QUEUE_CONTAINER: &str = "queue-proxy";
/// The queue-proxy image of Knative Serving v1.15.0.
pub const QUEUE_IMAGE: &str = "gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:0d1dd6c5e9fb6cbe1ec83d1ddc9a80b2a4ab56e8df9e14aa5e9e7a2d02a2af1d";
const MIN_SCALE: &str = "autoscaling.knative.dev/min-scale";
const INITIAL_SCALE: &str = "autoscaling.knative.dev/initial-scale";

pub fn deployments() -> GroupResource {
    GroupResource::of("apps", "deployments")
}

/// `REV-deployment`.
pub fn deployment_name(revision: &str) -> String {
    format!("{revision}-deployment")
}

/// Creates and scales each Revision's Deployment.
pub struct DeploymentController;

impl Controller for DeploymentController {
    fn name(&self) -> &'static str {
        "revision-deployment"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == revisions() {
            super::own_key(event)
        } else if event.key.gr == deployments() {
            super::owner_key(event, "Revision", revisions())
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let rev = match cluster.get_shared(&revisions(), &key.namespace, &key.name) {
            Ok(r) => r,
            Err(e) if e.code == 404 => return Ok(Requeue::Done),
            Err(e) => return Err(e),
        };
        // Before its digests are resolved a Revision has no Deployment (nor after a failure).
        if is_deleting(&rev) || rev.at("/status/containerStatuses").is_none() {
            return Ok(Requeue::Done);
        }
        let autoscaler = read_data(cluster, SERVING_NAMESPACE, CONFIG_AUTOSCALER);
        let (replicas, requeue) = desired_scale(&rev, &autoscaler, jiff::Timestamp::now());
        let dname = deployment_name(name(&rev));
        match cluster.get_shared(&deployments(), namespace(&rev), &dname) {
            Err(e) if e.code == 404 => {
                cluster.create(&deployments(), make_deployment(&rev, replicas))?;
            }
            Err(e) => return Err(e),
            Ok(existing) => {
                if existing.at("/spec/replicas").and_then(Value::as_i64) != Some(replicas) {
                    let mut existing = std::sync::Arc::unwrap_or_clone(existing);
                    existing["spec"]["replicas"] = json!(replicas);
                    cluster.update(&deployments(), existing)?;
                }
            }
        }
        Ok(requeue)
    }
}

fn int(map: &BTreeMap<String, String>, key: &str, default: i64) -> i64 {
    map.get(key)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn seconds(map: &BTreeMap<String, String>, key: &str, default: i64) -> i64 {
    map.get(key)
        .and_then(|v| kubetext::duration::parse_duration(v.trim()))
        .map_or(default, |d| d.as_secs() as i64)
}

/// The replicas a Revision should have now, and when to look again: the initial scale until
/// the Revision has been Ready for the idle window, then its min-scale (at least one when
/// scale to zero is disabled).
fn desired_scale(
    rev: &Value,
    autoscaler: &BTreeMap<String, String>,
    now: jiff::Timestamp,
) -> (i64, Requeue) {
    let ann = annotations(rev);
    let ann_int = |key: &str| ann.get(key).and_then(|v| v.parse::<i64>().ok());
    let initial = ann_int(INITIAL_SCALE).unwrap_or_else(|| int(autoscaler, "initial-scale", 1));
    let mut min = ann_int(MIN_SCALE).unwrap_or_else(|| int(autoscaler, "min-scale", 0));
    if autoscaler.get("enable-scale-to-zero").map(|v| v.trim()) == Some("false") {
        min = min.max(1);
    }
    let ready_since = rev
        .at("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| c["type"] == READY && c["status"] == "True")
        .and_then(|c| c["lastTransitionTime"].as_str())
        .and_then(|t| t.parse::<jiff::Timestamp>().ok());
    let Some(ready_since) = ready_since else {
        return (initial.max(min), Requeue::Done);
    };
    let window = seconds(autoscaler, "stable-window", 60)
        + seconds(autoscaler, "scale-to-zero-grace-period", 30);
    let idle = now.as_second() - ready_since.as_second();
    if idle >= window {
        (min, Requeue::Done)
    } else {
        let left = Duration::from_secs((window - idle) as u64);
        (initial.max(min), Requeue::After(left))
    }
}

/// Knative's `makeLabels`: the Revision's labels without routing ones, plus its name, uid and
/// `app` (unless set).
fn make_labels(rev: &Value) -> Map<String, Value> {
    let mut out: Map<String, Value> = labels(rev)
        .into_iter()
        .filter(|(k, _)| k != "serving.knative.dev/route" && k != super::ROUTING_STATE_LABEL)
        .map(|(k, v)| (k, json!(v)))
        .collect();
    out.insert(REVISION_LABEL.into(), json!(name(rev)));
    out.insert(REVISION_UID_LABEL.into(), json!(uid(rev)));
    out.entry("app").or_insert_with(|| json!(name(rev)));
    out
}

fn make_annotations(rev: &Value) -> Map<String, Value> {
    const EXCLUDED: [&str; 4] = [
        "serving.knative.dev/lastPinned",
        "serving.knative.dev/preserved",
        super::ROUTING_STATE_MODIFIED_ANNOTATION,
        super::ROUTES_ANNOTATION,
    ];
    annotations(rev)
        .into_iter()
        .filter(|(k, _)| {
            !EXCLUDED.contains(&k.as_str()) && !k.starts_with("autoscaling.knative.dev")
        })
        .map(|(k, v)| (k, json!(v)))
        .collect()
}

/// The user container as deployed: its image by digest, the user port and Knative's env.
fn user_container(rev: &Value, container: &Value, status: Option<&Value>) -> Value {
    let mut c = container.clone();
    let port = container
        .at("/ports/0/containerPort")
        .and_then(Value::as_i64)
        .unwrap_or(8080);
    if let Some(digest) = status.and_then(|s| s.get("imageDigest")) {
        c["image"] = digest.clone();
    }
    c["ports"] = json!([{"name": "user-port", "containerPort": port, "protocol": "TCP"}]);
    let label = |key: &str| labels(rev).get(key).cloned().unwrap_or_default();
    let mut env = container
        .get("env")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    env.push(json!({"name": "PORT", "value": port.to_string()}));
    env.push(json!({"name": "K_REVISION", "value": name(rev)}));
    env.push(json!({"name": "K_CONFIGURATION", "value": label(CONFIGURATION_LABEL)}));
    env.push(json!({"name": "K_SERVICE", "value": label(SERVICE_LABEL)}));
    c["env"] = Value::Array(env);
    c["lifecycle"] = json!({"preStop": {"httpGet": {"path": "/wait-for-drain", "port": 8022, "scheme": "HTTP"}}});
    c["terminationMessagePath"] = json!("/dev/termination-log");
    c["terminationMessagePolicy"] = json!("FallbackToLogsOnError");
    c["imagePullPolicy"] = json!("IfNotPresent");
    c
}

fn queue_container(rev: &Value, user_port: i64) -> Value {
    json!({
        "name": QUEUE_CONTAINER,
        "image": QUEUE_IMAGE,
        "ports": [
            {"name": "http-queueadm", "containerPort": 8022, "protocol": "TCP"},
            {"name": "http-autometric", "containerPort": 9090, "protocol": "TCP"},
            {"name": "http-usermetric", "containerPort": 9091, "protocol": "TCP"},
            {"name": "queue-port", "containerPort": 8012, "protocol": "TCP"},
            {"name": "https-port", "containerPort": 8112, "protocol": "TCP"},
        ],
        "env": [
            {"name": "SERVING_NAMESPACE", "value": namespace(rev)},
            {"name": "SERVING_REVISION", "value": name(rev)},
            {"name": "USER_PORT", "value": user_port.to_string()},
            {"name": "QUEUE_SERVING_PORT", "value": "8012"},
        ],
        "resources": {"requests": {"cpu": "25m"}},
        "readinessProbe": {"httpGet": {"path": "/", "port": 8012, "scheme": "HTTP", "httpHeaders": [{"name": "K-Network-Probe", "value": "queue"}]}, "periodSeconds": 1, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
        "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": true, "runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "imagePullPolicy": "IfNotPresent",
    })
}

/// Knative's `MakeDeployment` for a Revision.
pub fn make_deployment(rev: &Value, replicas: i64) -> Value {
    let statuses: Vec<Value> = rev
        .at("/status/containerStatuses")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let spec_containers = rev
        .at("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut containers: Vec<Value> = spec_containers
        .iter()
        .map(|c| {
            let status = statuses.iter().find(|s| s.get("name") == c.get("name"));
            user_container(rev, c, status)
        })
        .collect();
    let user_port = containers
        .first()
        .and_then(|c| c.at("/ports/0/containerPort"))
        .and_then(Value::as_i64)
        .unwrap_or(8080);
    containers.push(queue_container(rev, user_port));
    let mut pod_spec = rev
        .get("spec")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for knative_only in [
        "containerConcurrency",
        "timeoutSeconds",
        "responseStartTimeoutSeconds",
        "idleTimeoutSeconds",
    ] {
        pod_spec.remove(knative_only);
    }
    pod_spec.insert("containers".into(), Value::Array(containers));
    pod_spec.insert(
        "terminationGracePeriodSeconds".into(),
        rev.at("/spec/timeoutSeconds")
            .cloned()
            .unwrap_or(json!(300)),
    );
    pod_spec.entry("enableServiceLinks").or_insert(json!(false));
    pod_spec
        .entry("serviceAccountName")
        .or_insert(json!("default"));
    let labels = make_labels(rev);
    let mut pod_annotations = make_annotations(rev);
    if let Some(first) = spec_containers.first().and_then(|c| c.get("name")) {
        pod_annotations.insert(
            "kubectl.kubernetes.io/default-container".into(),
            first.clone(),
        );
    }
    let mut deployment = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": deployment_name(name(rev)),
            "namespace": namespace(rev),
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {REVISION_UID_LABEL: uid(rev)}},
            "progressDeadlineSeconds": 600,
            "revisionHistoryLimit": 0,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"}},
        },
    });
    // Moved in: `json!` copies values through serde's serializer.
    let meta = &mut deployment["metadata"];
    meta["labels"] = Value::Object(labels.clone());
    meta["annotations"] = Value::Object(make_annotations(rev));
    meta["ownerReferences"] = Value::Array(vec![controller_ref(rev)]);
    let template = &mut deployment["spec"]["template"];
    template["metadata"]["labels"] = Value::Object(labels);
    template["metadata"]["annotations"] = Value::Object(pod_annotations);
    template["spec"] = Value::Object(pod_spec);
    deployment
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(ann: Value, ready_at: Option<&str>) -> Value {
        let mut r = json!({"metadata": {"name": "r", "annotations": ann}, "status": {}});
        if let Some(t) = ready_at {
            r["status"]["conditions"] =
                json!([{"type": "Ready", "status": "True", "lastTransitionTime": t}]);
        }
        r
    }

    #[test]
    fn scale_starts_at_initial_then_drops_to_min_after_the_idle_window() {
        let now: jiff::Timestamp = "2026-01-01T00:10:00Z".parse().unwrap();
        let cfg = BTreeMap::new();
        assert_eq!(
            desired_scale(&rev(json!({}), None), &cfg, now),
            (1, Requeue::Done)
        );
        let recent = rev(json!({}), Some("2026-01-01T00:09:30Z"));
        assert_eq!(
            desired_scale(&recent, &cfg, now),
            (1, Requeue::After(Duration::from_secs(60)))
        );
        let idle = rev(json!({}), Some("2026-01-01T00:08:00Z"));
        assert_eq!(desired_scale(&idle, &cfg, now), (0, Requeue::Done));
        let pinned = rev(json!({MIN_SCALE: "2"}), Some("2026-01-01T00:08:00Z"));
        assert_eq!(desired_scale(&pinned, &cfg, now), (2, Requeue::Done));
        let no_zero = BTreeMap::from([("enable-scale-to-zero".to_string(), "false".to_string())]);
        assert_eq!(desired_scale(&idle, &no_zero, now), (1, Requeue::Done));
        let three = rev(json!({INITIAL_SCALE: "3"}), None);
        assert_eq!(desired_scale(&three, &cfg, now), (3, Requeue::Done));
    }
}
