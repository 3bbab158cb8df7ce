//! Why is it not Ready: the tree of objects under a Service, Broker, Trigger or source, each with
//! what is wrong with it (conditions that are not OK, Warning events, container states), and
//! the one-line verdict a person can act on. `walk`/`eventing` read the cluster; the model and
//! the verdict here are pure.

pub mod doctor;
pub mod eventing;
pub mod pod;
pub mod verdict;
pub mod walk;

use serde::Serialize;
use serde_json::Value;

/// How one object is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Health {
    /// Ready (or, for objects without conditions, nothing wrong seen).
    Ok,
    /// Not ready yet, nothing failed (Ready=Unknown).
    Pending,
    /// Ready=False, a failing container, or a Warning event.
    Failed,
    /// Referenced but not found.
    Missing,
}

/// One thing wrong with an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// What it comes from: `condition`, `event`, `container`.
    pub source: String,
    /// The condition type, the event's count and kind, or the container name.
    pub subject: String,
    /// The condition status, the container state (`waiting`/`terminated`), or `Warning`.
    pub status: String,
    pub reason: String,
    pub message: String,
    /// The container's image (container findings only).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image: String,
}

/// One object in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    pub kind: String,
    pub name: String,
    pub health: Health,
    /// A short fact worth showing beside the name (URL, image, replicas, pod phase).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    pub findings: Vec<Finding>,
    pub children: Vec<Node>,
    /// When a Knative object last became Ready (its `lastTransitionTime`): Warning events from
    /// before then are about a problem it has got over.
    #[serde(skip)]
    pub ready_since: Option<String>,
}

impl Node {
    pub fn new(kind: &str, name: &str) -> Node {
        Node {
            kind: kind.to_string(),
            name: name.to_string(),
            health: Health::Ok,
            detail: String::new(),
            findings: Vec::new(),
            children: Vec::new(),
            ready_since: None,
        }
    }

    /// An object that is referenced but does not exist.
    pub fn missing(kind: &str, name: &str) -> Node {
        Node {
            health: Health::Missing,
            detail: "not found".to_string(),
            ..Node::new(kind, name)
        }
    }

    /// A Knative object: its health from `Ready` (or `Succeeded`), a finding per condition
    /// that is not OK (Info-severity conditions that are merely not True are left out).
    pub fn knative(kind: &str, object: &Value) -> Node {
        let name = object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut node = Node::new(kind, name);
        let conditions = object
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let text = |c: &Value, key: &str| c[key].as_str().unwrap_or_default().to_string();
        let mut ready = None;
        for c in &conditions {
            let type_ = text(c, "type");
            let status = text(c, "status");
            if type_ == "Ready" || type_ == "Succeeded" {
                ready = Some(status.clone());
                let since = text(c, "lastTransitionTime");
                node.ready_since = (status == "True" && !since.is_empty()).then_some(since);
            }
            let info = c["severity"].as_str() == Some("Info");
            if status != "True" && !(info && status != "False") {
                node.findings.push(Finding {
                    source: "condition".into(),
                    subject: type_,
                    status,
                    reason: text(c, "reason"),
                    message: text(c, "message"),
                    image: String::new(),
                });
            }
        }
        let generation = object
            .pointer("/metadata/generation")
            .and_then(Value::as_i64);
        let observed = object
            .pointer("/status/observedGeneration")
            .and_then(Value::as_i64);
        node.health = match ready.as_deref() {
            Some("True") if generation.is_some() && observed != generation => Health::Pending,
            Some("True") => Health::Ok,
            Some("False") => Health::Failed,
            _ => Health::Pending,
        };
        if ready.is_none() {
            node.findings.push(Finding {
                source: "condition".into(),
                subject: "Ready".into(),
                status: "Unknown".into(),
                reason: String::new(),
                message: "no Ready condition yet: the controller has not reconciled it".into(),
                image: String::new(),
            });
        }
        node
    }

    /// Adds a Warning event about this object; the object counts as failed.
    pub fn add_event(&mut self, event: &Value) {
        let count = event["count"].as_i64().unwrap_or(1).max(1);
        let reason = event["reason"].as_str().unwrap_or_default();
        let message = event["message"]
            .as_str()
            .or_else(|| event["note"].as_str())
            .unwrap_or_default();
        self.findings.push(Finding {
            source: "event".into(),
            subject: if count > 1 {
                format!("x{count}")
            } else {
                String::new()
            },
            status: "Warning".into(),
            reason: reason.to_string(),
            message: message.trim().to_string(),
            image: String::new(),
        });
        if self.health == Health::Ok {
            self.health = Health::Failed;
        }
    }

    /// Whether this node and everything under it is OK.
    pub fn healthy(&self) -> bool {
        self.health == Health::Ok && self.children.iter().all(Node::healthy)
    }

    /// Every node, depth first, parents before children.
    pub fn walk(&self) -> Vec<&Node> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }
}

/// A finished diagnosis: the tree and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnosis {
    pub namespace: String,
    pub healthy: bool,
    pub verdict: String,
    pub tree: Node,
}

impl Diagnosis {
    pub fn new(namespace: &str, tree: Node, noun: &str) -> Diagnosis {
        Diagnosis {
            namespace: namespace.to_string(),
            healthy: tree.healthy(),
            verdict: verdict::verdict(&tree, noun),
            tree,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn knative_nodes_take_health_from_ready_and_keep_failing_conditions() {
        let rev = json!({"metadata": {"name": "r", "generation": 1}, "status": {"observedGeneration": 1, "conditions": [
            {"type": "Active", "status": "Unknown", "severity": "Info", "reason": "Deploying"},
            {"type": "ContainerHealthy", "status": "False", "reason": "ContainerMissing", "message": "Unable to fetch image \"x\""},
            {"type": "Ready", "status": "False", "reason": "ContainerMissing", "message": "m"},
            {"type": "ResourcesAvailable", "status": "True"},
        ]}});
        let node = Node::knative("Revision", &rev);
        assert_eq!(node.health, Health::Failed);
        let subjects: Vec<&str> = node.findings.iter().map(|f| f.subject.as_str()).collect();
        assert_eq!(subjects, ["ContainerHealthy", "Ready"]);
        let fresh = Node::knative("Service", &json!({"metadata": {"name": "s"}}));
        assert_eq!(fresh.health, Health::Pending);
        assert_eq!(fresh.findings[0].subject, "Ready");
        let stale = json!({"metadata": {"name": "s", "generation": 2}, "status": {"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "True"}]}});
        assert_eq!(Node::knative("Service", &stale).health, Health::Pending);
    }

    #[test]
    fn events_make_a_node_fail() {
        let mut pod = Node::new("Pod", "p");
        pod.add_event(&json!({"reason": "Failed", "message": "boom\n", "count": 3}));
        assert_eq!(pod.health, Health::Failed);
        assert_eq!(pod.findings[0].subject, "x3");
        assert_eq!(pod.findings[0].message, "boom");
        let mut parent = Node::new("Deployment", "d");
        parent.children.push(pod);
        assert!(!parent.healthy());
    }
}
