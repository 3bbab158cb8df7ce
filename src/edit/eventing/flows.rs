//! Sequence and Parallel edits: steps, branches, the reply and the channel template, from
//! destinations the command has already resolved.

use serde_json::{Map, Value, json};

use crate::edit::eventing::channel::ChannelKind;
use crate::edit::json;

/// One Parallel branch as resolved destinations.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub filter: Option<Value>,
    pub subscriber: Value,
    pub reply: Option<Value>,
}

impl Branch {
    fn to_json(&self) -> Value {
        let mut b = Map::new();
        if let Some(f) = &self.filter {
            b.insert("filter".into(), f.clone());
        }
        b.insert("subscriber".into(), self.subscriber.clone());
        if let Some(r) = &self.reply {
            b.insert("reply".into(), r.clone());
        }
        Value::Object(b)
    }
}

/// The changes of one `sequence`/`parallel` `create|update`; `None` = not given (left as is).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlowEdit {
    /// Sequence steps (destinations), replacing all steps.
    pub steps: Option<Vec<Value>>,
    /// Parallel branches, replacing all branches.
    pub branches: Option<Vec<Branch>>,
    pub reply: Option<Value>,
    /// `--no-reply`: remove `spec.reply`.
    pub remove_reply: bool,
    pub channel: Option<ChannelKind>,
}

impl FlowEdit {
    /// Applies the edit to a flow's `spec`. A step or branch keeps its own delivery settings
    /// when one at the same position is replaced.
    pub fn apply(&self, spec: &mut Value) {
        if let Some(steps) = &self.steps {
            let old = json::get(spec, &["steps"])
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let new = steps
                .iter()
                .enumerate()
                .map(|(i, dest)| with_delivery(dest.clone(), old.get(i)))
                .collect();
            json::set(spec, "steps", Value::Array(new));
        }
        if let Some(branches) = &self.branches {
            let old = json::get(spec, &["branches"])
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let new = branches
                .iter()
                .enumerate()
                .map(|(i, b)| with_delivery(b.to_json(), old.get(i)))
                .collect();
            json::set(spec, "branches", Value::Array(new));
        }
        if self.remove_reply {
            json::remove(spec, "reply");
        }
        if let Some(reply) = &self.reply {
            json::set(spec, "reply", reply.clone());
        }
        if let Some(kind) = &self.channel {
            json::set(
                spec,
                "channelTemplate",
                json!({"apiVersion": kind.api_version(), "kind": kind.kind}),
            );
        }
    }
}

fn with_delivery(mut item: Value, old: Option<&Value>) -> Value {
    if let Some(d) = old.and_then(|o| o.get("delivery")).filter(|d| !d.is_null()) {
        json::set(&mut item, "delivery", d.clone());
    }
    item
}

/// A new Sequence.
pub fn new_sequence(name: &str, namespace: &str, edit: &FlowEdit) -> Value {
    new_flow("Sequence", name, namespace, edit)
}

/// A new Parallel.
pub fn new_parallel(name: &str, namespace: &str, edit: &FlowEdit) -> Value {
    new_flow("Parallel", name, namespace, edit)
}

fn new_flow(kind: &str, name: &str, namespace: &str, edit: &FlowEdit) -> Value {
    let mut flow = super::new_object("flows.knative.dev/v1", kind, name, namespace);
    edit.apply(super::spec(&mut flow));
    flow
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(u: &str) -> Value {
        json!({"uri": u})
    }

    #[test]
    fn sequence_create_and_update() {
        let edit = FlowEdit {
            steps: Some(vec![uri("http://a"), uri("http://b")]),
            reply: Some(uri("http://r")),
            channel: Some(ChannelKind::new(
                "messaging.knative.dev",
                "v1",
                "InMemoryChannel",
            )),
            ..Default::default()
        };
        let seq = new_sequence("s", "ns", &edit);
        assert_eq!(seq["apiVersion"], "flows.knative.dev/v1");
        assert_eq!(
            seq["spec"],
            json!({
                "steps": [{"uri": "http://a"}, {"uri": "http://b"}],
                "reply": {"uri": "http://r"},
                "channelTemplate": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel"},
            })
        );
        // New steps keep the delivery of the step they replace; --no-reply removes the reply.
        let mut spec = json!({"steps": [{"uri": "http://a", "delivery": {"retry": 2}}], "reply": {"uri": "http://r"}, "x": 1});
        FlowEdit {
            steps: Some(vec![uri("http://c"), uri("http://d")]),
            remove_reply: true,
            ..Default::default()
        }
        .apply(&mut spec);
        assert_eq!(
            spec,
            json!({"steps": [{"uri": "http://c", "delivery": {"retry": 2}}, {"uri": "http://d"}], "x": 1})
        );
    }

    #[test]
    fn parallel_branches() {
        let edit = FlowEdit {
            branches: Some(vec![
                Branch {
                    filter: Some(uri("http://f")),
                    subscriber: uri("http://s"),
                    reply: None,
                },
                Branch {
                    filter: None,
                    subscriber: uri("http://t"),
                    reply: Some(uri("http://r")),
                },
            ]),
            ..Default::default()
        };
        let par = new_parallel("p", "ns", &edit);
        assert_eq!(
            par["spec"],
            json!({"branches": [
                {"filter": {"uri": "http://f"}, "subscriber": {"uri": "http://s"}},
                {"subscriber": {"uri": "http://t"}, "reply": {"uri": "http://r"}},
            ]})
        );
    }
}
