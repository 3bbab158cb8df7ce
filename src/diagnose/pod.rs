//! The Deployment and Pod nodes of a Revision: replicas, pod phase and the containers that are
//! waiting for a reason other than starting, or that terminated with an error.

use serde_json::Value;

use super::{Finding, Health, Node};

/// Waiting reasons that only mean "starting": not a problem by themselves.
const STARTING: [&str; 2] = ["ContainerCreating", "PodInitializing"];

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// A Deployment: ready replicas of desired, failing when a condition is False.
pub fn deployment(object: &Value) -> Node {
    let mut node = Node::new("Deployment", text(object, "/metadata/name"));
    let desired = object
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let ready = object
        .pointer("/status/readyReplicas")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    node.detail = format!("{ready}/{desired} ready");
    for c in object
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if c["status"].as_str() == Some("False") {
            node.health = Health::Failed;
            node.findings.push(Finding {
                source: "condition".into(),
                subject: c["type"].as_str().unwrap_or_default().into(),
                status: "False".into(),
                reason: c["reason"].as_str().unwrap_or_default().into(),
                message: c["message"].as_str().unwrap_or_default().into(),
                image: String::new(),
            });
        }
    }
    if node.health == Health::Ok && ready < desired {
        node.health = Health::Pending;
    }
    node
}

/// A Pod: its phase, and a finding per container (init containers included) that waits for
/// a reason other than starting, terminated with a non-zero exit code, or restarted after one.
pub fn pod(object: &Value) -> Node {
    let mut node = Node::new("Pod", text(object, "/metadata/name"));
    let phase = text(object, "/status/phase");
    node.detail = if phase.is_empty() { "Pending" } else { phase }.to_string();
    let images: Vec<(&str, &str)> = ["/spec/initContainers", "/spec/containers"]
        .iter()
        .flat_map(|p| {
            object
                .pointer(p)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .map(|c| (text(c, "/name"), text(c, "/image")))
        .collect();
    let image_of = |name: &str| {
        images
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, i)| i.to_string())
            .unwrap_or_default()
    };
    let mut all_ready = true;
    for status in ["/status/initContainerStatuses", "/status/containerStatuses"]
        .iter()
        .flat_map(|p| {
            object
                .pointer(p)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
    {
        let name = text(status, "/name");
        let image = {
            let spec = image_of(name);
            if spec.is_empty() {
                text(status, "/image").to_string()
            } else {
                spec
            }
        };
        let finding = |state: &str, reason: &str, message: String| Finding {
            source: "container".into(),
            subject: name.to_string(),
            status: state.to_string(),
            reason: reason.to_string(),
            message,
            image: image.clone(),
        };
        if status["ready"].as_bool() != Some(true) {
            all_ready = false;
        }
        if let Some(waiting) = status.pointer("/state/waiting") {
            let reason = text(waiting, "/reason");
            if !STARTING.contains(&reason) {
                node.findings.push(finding(
                    "waiting",
                    reason,
                    text(waiting, "/message").to_string(),
                ));
            }
        }
        let restarts = status["restartCount"].as_i64().unwrap_or(0);
        for (state, pointer) in [
            ("terminated", "/state/terminated"),
            ("last terminated", "/lastState/terminated"),
        ] {
            let Some(t) = status.pointer(pointer) else {
                continue;
            };
            let code = t["exitCode"].as_i64().unwrap_or(0);
            if code == 0 {
                continue;
            }
            let mut message = format!("exit code {code}");
            if restarts > 0 {
                message.push_str(&format!(", {restarts} restarts"));
            }
            let detail = text(t, "/message");
            if !detail.is_empty() {
                message.push_str(&format!(": {}", detail.trim()));
            }
            node.findings
                .push(finding(state, text(t, "/reason"), message));
            break;
        }
    }
    node.health = if !node.findings.is_empty() || phase == "Failed" {
        Health::Failed
    } else if (phase == "Running" && all_ready) || phase == "Succeeded" {
        Health::Ok
    } else {
        Health::Pending
    };
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_pod_that_cannot_pull_its_image_names_the_image() {
        let p = json!({
            "metadata": {"name": "p1"},
            "spec": {"containers": [{"name": "user-container", "image": "ghcr.io/x:bad"}, {"name": "queue-proxy", "image": "qp"}]},
            "status": {"phase": "Pending", "containerStatuses": [
                {"name": "user-container", "ready": false, "restartCount": 0, "image": "ghcr.io/x:bad", "state": {"waiting": {"reason": "ErrImagePull", "message": "pull failed"}}},
                {"name": "queue-proxy", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}},
            ]},
        });
        let node = pod(&p);
        assert_eq!(node.health, Health::Failed);
        assert_eq!(node.findings.len(), 1);
        assert_eq!(node.findings[0].reason, "ErrImagePull");
        assert_eq!(node.findings[0].image, "ghcr.io/x:bad");
        assert_eq!(node.detail, "Pending");
    }

    #[test]
    fn crashes_and_readiness() {
        let crashing = json!({"metadata": {"name": "p"}, "status": {"phase": "Running", "containerStatuses": [
            {"name": "c", "ready": false, "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
             "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}}]}});
        let node = pod(&crashing);
        let reasons: Vec<&str> = node.findings.iter().map(|f| f.reason.as_str()).collect();
        assert_eq!(reasons, ["CrashLoopBackOff", "Error"]);
        assert_eq!(node.findings[1].message, "exit code 1, 4 restarts");
        let running = json!({"metadata": {"name": "p"}, "status": {"phase": "Running", "containerStatuses": [{"name": "c", "ready": true, "state": {"running": {}}}]}});
        assert_eq!(pod(&running).health, Health::Ok);
        let d = json!({"metadata": {"name": "d"}, "spec": {"replicas": 2}, "status": {"readyReplicas": 1}});
        let node = deployment(&d);
        assert_eq!(
            (node.health, node.detail.as_str()),
            (Health::Pending, "1/2 ready")
        );
    }
}
