//! Reads the objects around an Eventing object: Trigger → Broker and subscriber, Broker →
//! dead-letter sink and the Triggers on it, a source → its sink, Subscription → channel,
//! subscriber, reply and dead-letter sink, Channel → the Subscriptions to it, and any destination (`ref` or `uri`) → the object
//! it names, which must exist and be addressable.

use serde_json::{Value, json};

use super::{Finding, Health, Node, walk};
use crate::client::dynamic::Gvr;
use crate::client::kinds::{BROKER, CHANNEL, ResourceKind, SUBSCRIPTION, TRIGGER};
use crate::client::{Client, ListOptions};
use crate::error::Result;

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The tree of the Trigger `name`: its Broker and its subscriber.
pub async fn trigger(client: &Client, namespace: &str, name: &str) -> Result<Node> {
    let object = client.get(&TRIGGER, namespace, name).await?;
    let mut root = trigger_node(client, namespace, &object).await?;
    walk::attach_events(client, namespace, &mut root).await;
    Ok(root)
}

async fn trigger_node(client: &Client, namespace: &str, object: &Value) -> Result<Node> {
    let mut node = Node::knative("Trigger", object);
    let broker = text(object, "/spec/broker");
    node.children
        .push(match client.get_opt(&BROKER, namespace, broker).await? {
            Some(b) => addressable(Node::knative("Broker", &b), &b),
            None => Node::missing("Broker", broker),
        });
    if let Some(dest) = object.pointer("/spec/subscriber") {
        node.children
            .push(destination(client, namespace, dest, "subscriber").await);
    }
    Ok(node)
}

/// The tree of the Broker `name`: its dead-letter sink and every Trigger on it.
pub async fn broker(client: &Client, namespace: &str, name: &str) -> Result<Node> {
    let object = client.get(&BROKER, namespace, name).await?;
    let mut root = addressable(Node::knative("Broker", &object), &object);
    if let Some(dest) = object.pointer("/spec/delivery/deadLetterSink") {
        root.children
            .push(destination(client, namespace, dest, "dead-letter sink").await);
    }
    let triggers = client
        .list(&TRIGGER, Some(namespace), &ListOptions::default())
        .await?;
    for t in triggers
        .items
        .iter()
        .filter(|t| text(t, "/spec/broker") == name)
    {
        let mut node = Node::knative("Trigger", t);
        if let Some(dest) = t.pointer("/spec/subscriber") {
            node.children
                .push(destination(client, namespace, dest, "subscriber").await);
        }
        root.children.push(node);
    }
    walk::attach_events(client, namespace, &mut root).await;
    Ok(root)
}

/// The tree of the Subscription `name`: its channel, subscriber, reply and dead-letter sink.
pub async fn subscription(client: &Client, namespace: &str, name: &str) -> Result<Node> {
    let object = client.get(&SUBSCRIPTION, namespace, name).await?;
    let mut root = subscription_node(client, namespace, &object).await;
    if let Some(channel) = object.pointer("/spec/channel") {
        let dest = json!({ "ref": channel });
        let node = destination(client, namespace, &dest, "channel").await;
        root.children.insert(0, node);
    }
    walk::attach_events(client, namespace, &mut root).await;
    Ok(root)
}

/// A Subscription with the destinations it delivers to.
async fn subscription_node(client: &Client, namespace: &str, object: &Value) -> Node {
    let mut node = Node::knative("Subscription", object);
    for (pointer, role) in [
        ("/spec/subscriber", "subscriber"),
        ("/spec/reply", "reply"),
        ("/spec/delivery/deadLetterSink", "dead-letter sink"),
    ] {
        let set = |d: &&Value| d.as_object().is_some_and(|m| !m.is_empty());
        if let Some(dest) = object.pointer(pointer).filter(set) {
            node.children
                .push(destination(client, namespace, dest, role).await);
        }
    }
    node
}

/// The tree of the Channel `name`: its dead-letter sink and every Subscription to it.
pub async fn channel(client: &Client, namespace: &str, name: &str) -> Result<Node> {
    let object = client.get(&CHANNEL, namespace, name).await?;
    let mut root = addressable(Node::knative("Channel", &object), &object);
    if let Some(dest) = object.pointer("/spec/delivery/deadLetterSink") {
        root.children
            .push(destination(client, namespace, dest, "dead-letter sink").await);
    }
    let subscriptions = client
        .list(&SUBSCRIPTION, Some(namespace), &ListOptions::default())
        .await?;
    for s in subscriptions.items.iter().filter(|s| {
        text(s, "/spec/channel/kind") == CHANNEL.kind && text(s, "/spec/channel/name") == name
    }) {
        root.children
            .push(subscription_node(client, namespace, s).await);
    }
    walk::attach_events(client, namespace, &mut root).await;
    Ok(root)
}

/// The tree of a source (any kind with `spec.sink`): the sink it sends to.
pub async fn source(
    client: &Client,
    kind: &ResourceKind,
    namespace: &str,
    name: &str,
) -> Result<Node> {
    let object = client.get(kind, namespace, name).await?;
    let mut root = Node::knative(kind.kind, &object);
    if let Some(dest) = object.pointer("/spec/sink") {
        root.children
            .push(destination(client, namespace, dest, "sink").await);
    }
    walk::attach_events(client, namespace, &mut root).await;
    Ok(root)
}

/// The object a destination names (`ref`, else `uri`), checked to exist and have an address.
/// `role` says what it is to its parent (subscriber, sink …).
async fn destination(client: &Client, namespace: &str, dest: &Value, role: &str) -> Node {
    let Some(r) = dest.get("ref").filter(|r| r.is_object()) else {
        let mut node = Node::new("URI", text(dest, "/uri"));
        node.detail = role.to_string();
        return node;
    };
    let kind = text(r, "/kind");
    let name = text(r, "/name");
    let ns = Some(text(r, "/namespace"))
        .filter(|n| !n.is_empty())
        .unwrap_or(namespace);
    let (group, version) = match text(r, "/apiVersion").split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", text(r, "/apiVersion")),
    };
    let mut plural = kind.to_ascii_lowercase();
    if !plural.ends_with('s') {
        plural.push('s');
    }
    let gvr = Gvr::new(group, version, &plural);
    let mut node = match client.get_dynamic(&gvr, ns, name).await {
        Ok(object) if group.is_empty() => Node::new(kind, name).with_detail(&object),
        Ok(object) => addressable(Node::knative(kind, &object), &object),
        Err(e) if e.is_not_found() => Node::missing(kind, name),
        Err(e) => {
            let mut node = Node::new(kind, name);
            node.health = Health::Failed;
            node.findings.push(Finding {
                source: "request".into(),
                subject: role.to_string(),
                status: "Error".into(),
                reason: String::new(),
                message: e.to_string(),
                image: String::new(),
            });
            node
        }
    };
    node.detail = match (node.health, node.detail.is_empty()) {
        (Health::Missing, _) => format!("{role}, not found"),
        (_, true) => role.to_string(),
        (_, false) => format!("{role}, {}", node.detail),
    };
    node
}

/// A Knative object that should have `status.address.url`: its URL as the detail, or a
/// finding when it is Ready without one.
fn addressable(mut node: Node, object: &Value) -> Node {
    let url = text(object, "/status/address/url");
    if !url.is_empty() {
        node.detail = url.to_string();
    } else if node.health == Health::Ok {
        node.health = Health::Failed;
        node.findings.push(Finding {
            source: "address".into(),
            subject: "status.address.url".into(),
            status: "missing".into(),
            reason: "NotAddressable".into(),
            message: format!(
                "{} {} has no address: events cannot be sent to it",
                node.kind, node.name
            ),
            image: String::new(),
        });
    }
    node
}

impl Node {
    /// A plain Kubernetes object (core Service …): it exists, so it is OK.
    fn with_detail(mut self, object: &Value) -> Node {
        let ip = text(object, "/spec/clusterIP");
        if !ip.is_empty() {
            self.detail = ip.to_string();
        }
        self
    }
}
