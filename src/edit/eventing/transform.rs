//! EventTransform edits: the JSONata expression, the sink, and what happens to the sink's
//! reply (its own JSONata expression, or discarded).

use serde_json::{Value, json};

use crate::edit::json;

/// The EventTransform flags of one command line; `None` = not given.
#[derive(Debug, Clone, Default)]
pub struct TransformEdit {
    pub jsonata: Option<String>,
    /// A resolved Destination.
    pub sink: Option<Value>,
    /// `Some("")` removes the reply's expression.
    pub reply_jsonata: Option<String>,
    pub reply_discard: Option<bool>,
}

impl TransformEdit {
    /// Applies the flags to `spec`; an emptied `reply` is dropped.
    pub fn apply(&self, spec: &mut Value) {
        if let Some(expression) = &self.jsonata {
            json::set(spec, "jsonata", json!({ "expression": expression }));
        }
        if let Some(sink) = &self.sink {
            json::set(spec, "sink", sink.clone());
        }
        if self.reply_jsonata.is_some() || self.reply_discard.is_some() {
            let reply = json::object(spec, "reply");
            match self.reply_jsonata.as_deref() {
                Some("") => {
                    json::remove(reply, "jsonata");
                }
                Some(expression) => {
                    json::set(reply, "jsonata", json!({ "expression": expression }))
                }
                None => {}
            }
            match self.reply_discard {
                Some(true) => json::set(reply, "discard", json!(true)),
                Some(false) => {
                    json::remove(reply, "discard");
                }
                None => {}
            }
            json::prune_empty(spec, "reply");
        }
    }
}

/// A new EventTransform.
pub fn new_transform(name: &str, namespace: &str, edit: &TransformEdit) -> Value {
    let mut transform = super::new_object(
        "eventing.knative.dev/v1alpha1",
        "EventTransform",
        name,
        namespace,
    );
    edit.apply(super::spec(&mut transform));
    transform
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_and_update() {
        let mut t = new_transform(
            "t",
            "ns",
            &TransformEdit {
                jsonata: Some("{'id': id}".into()),
                sink: Some(json!({"uri": "http://x"})),
                reply_discard: Some(true),
                ..Default::default()
            },
        );
        assert_eq!(
            t["spec"],
            json!({"jsonata": {"expression": "{'id': id}"}, "sink": {"uri": "http://x"}, "reply": {"discard": true}})
        );
        TransformEdit {
            reply_discard: Some(false),
            ..Default::default()
        }
        .apply(&mut t["spec"]);
        assert_eq!(
            t["spec"],
            json!({"jsonata": {"expression": "{'id': id}"}, "sink": {"uri": "http://x"}})
        );
        TransformEdit {
            reply_jsonata: Some("$".into()),
            ..Default::default()
        }
        .apply(&mut t["spec"]);
        assert_eq!(t["spec"]["reply"], json!({"jsonata": {"expression": "$"}}));
    }
}
