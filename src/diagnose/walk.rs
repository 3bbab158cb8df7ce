//! Reads the objects under a Knative Service: Service → Configuration → Revisions (the latest
//! created and every one that takes traffic) → Deployment → Pods, and its Route, then attaches
//! the namespace's Warning events to the objects they are about.

use serde_json::Value;

use super::{Node, pod};
use crate::client::kinds::{CONFIGURATION, DEPLOYMENT, EVENT, POD, REVISION, ROUTE, SERVICE};
use crate::client::{Client, ListOptions};
use crate::error::Result;

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The tree under the Service `name`; an error when the Service itself cannot be read.
pub async fn service(client: &Client, namespace: &str, name: &str) -> Result<Node> {
    let svc = client.get(&SERVICE, namespace, name).await?;
    let mut root = Node::knative("Service", &svc);
    root.detail = text(&svc, "/status/url").to_string();

    let mut config = match client.get_opt(&CONFIGURATION, namespace, name).await? {
        Some(c) => Node::knative("Configuration", &c),
        None => Node::missing("Configuration", name),
    };
    for rev_name in revision_names(&svc) {
        config
            .children
            .push(revision(client, namespace, &rev_name).await?);
    }
    root.children.push(config);
    root.children
        .push(match client.get_opt(&ROUTE, namespace, name).await? {
            Some(r) => {
                let mut node = Node::knative("Route", &r);
                node.detail = text(&r, "/status/url").to_string();
                node
            }
            None => Node::missing("Route", name),
        });
    attach_events(client, namespace, &mut root).await;
    Ok(root)
}

/// The latest created Revision first, then those in the traffic block, each once.
fn revision_names(svc: &Value) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let latest = text(svc, "/status/latestCreatedRevisionName");
    let traffic = svc
        .pointer("/status/traffic")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| text(t, "/revisionName"));
    for n in std::iter::once(latest).chain(traffic) {
        if !n.is_empty() && !names.iter().any(|have| have == n) {
            names.push(n.to_string());
        }
    }
    names
}

/// A Revision with its Deployment and Pods (when the cluster shows them).
async fn revision(client: &Client, namespace: &str, name: &str) -> Result<Node> {
    let Some(rev) = client.get_opt(&REVISION, namespace, name).await? else {
        return Ok(Node::missing("Revision", name));
    };
    let mut node = Node::knative("Revision", &rev);
    node.detail = text(&rev, "/spec/containers/0/image").to_string();
    let pods: Vec<Node> = client
        .list(
            &POD,
            Some(namespace),
            &ListOptions::labelled("serving.knative.dev/revision", name),
        )
        .await
        .map(|l| l.items.iter().map(pod::pod).collect())
        .unwrap_or_default();
    let deployment = client
        .get_opt(&DEPLOYMENT, namespace, &format!("{name}-deployment"))
        .await
        .ok()
        .flatten();
    match deployment {
        Some(d) => {
            let mut dep = pod::deployment(&d);
            dep.children = pods;
            node.children.push(dep);
        }
        None => node.children.extend(pods),
    }
    Ok(node)
}

/// Adds each Warning event of the namespace to the node it is about (by kind and name), but
/// not one from before the node last became Ready.
pub async fn attach_events(client: &Client, namespace: &str, root: &mut Node) {
    let Ok(events) = client
        .list(&EVENT, Some(namespace), &ListOptions::default())
        .await
    else {
        return;
    };
    let mut warnings: Vec<&Value> = events
        .items
        .iter()
        .filter(|e| text(e, "/type") == "Warning")
        .collect();
    warnings.sort_by_key(|e| event_time(e));
    for event in warnings {
        let kind = text(event, "/involvedObject/kind");
        let name = text(event, "/involvedObject/name");
        if let Some(node) = find_mut(root, kind, name) {
            let resolved = node
                .ready_since
                .as_deref()
                .is_some_and(|since| event_time(event).as_str() <= since);
            if !resolved {
                node.add_event(event);
            }
        }
    }
}

fn event_time(event: &Value) -> String {
    [
        "/lastTimestamp",
        "/eventTime",
        "/metadata/creationTimestamp",
    ]
    .iter()
    .map(|p| text(event, p))
    .find(|t| !t.is_empty())
    .unwrap_or_default()
    .to_string()
}

fn find_mut<'a>(node: &'a mut Node, kind: &str, name: &str) -> Option<&'a mut Node> {
    if node.kind == kind && node.name == name {
        return Some(node);
    }
    node.children
        .iter_mut()
        .find_map(|c| find_mut(c, kind, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn revisions_are_the_latest_then_those_with_traffic() {
        let svc = json!({"status": {"latestCreatedRevisionName": "s-3", "traffic": [
            {"revisionName": "s-2", "percent": 50}, {"revisionName": "s-3", "percent": 50}, {"latestRevision": true}]}});
        assert_eq!(revision_names(&svc), ["s-3", "s-2"]);
        assert!(revision_names(&json!({})).is_empty());
    }
}
