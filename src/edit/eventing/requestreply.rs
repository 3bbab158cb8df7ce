//! RequestReply edits: the broker, the correlation and reply attributes, the timeout and the
//! delivery's dead letter sink.

use serde_json::{Value, json};

use crate::edit::json;

/// The changes of one `requestreply create|update`; `None` = not given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestReplyEdit {
    pub broker: Option<String>,
    pub correlation_attribute: Option<String>,
    pub reply_attribute: Option<String>,
    /// An ISO 8601 duration (`PT30S`), passed as given for the webhook to judge.
    pub timeout: Option<String>,
    pub dead_letter_sink: Option<Value>,
}

impl RequestReplyEdit {
    pub fn apply(&self, spec: &mut Value) {
        if let Some(b) = &self.broker {
            json::set(
                spec,
                "brokerRef",
                json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": b}),
            );
        }
        for (key, v) in [
            ("correlationAttribute", &self.correlation_attribute),
            ("replyAttribute", &self.reply_attribute),
            ("timeout", &self.timeout),
        ] {
            if let Some(v) = v {
                json::set(spec, key, json!(v));
            }
        }
        if let Some(dls) = &self.dead_letter_sink {
            json::set(
                json::object(spec, "delivery"),
                "deadLetterSink",
                dls.clone(),
            );
        }
    }
}

/// A new RequestReply.
pub fn new_request_reply(name: &str, namespace: &str, edit: &RequestReplyEdit) -> Value {
    let mut rr = super::new_object(
        "eventing.knative.dev/v1alpha1",
        "RequestReply",
        name,
        namespace,
    );
    edit.apply(super::spec(&mut rr));
    rr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_and_update() {
        let rr = new_request_reply(
            "rr",
            "ns",
            &RequestReplyEdit {
                broker: Some("default".into()),
                timeout: Some("PT10S".into()),
                ..Default::default()
            },
        );
        assert_eq!(
            rr["spec"],
            json!({"brokerRef": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default"}, "timeout": "PT10S"})
        );
        let mut spec =
            json!({"brokerRef": {"name": "b"}, "timeout": "PT1S", "delivery": {"retry": 3}});
        RequestReplyEdit {
            reply_attribute: Some("rid".into()),
            dead_letter_sink: Some(json!({"uri": "http://d"})),
            ..Default::default()
        }
        .apply(&mut spec);
        assert_eq!(
            spec,
            json!({"brokerRef": {"name": "b"}, "timeout": "PT1S", "replyAttribute": "rid",
                "delivery": {"retry": 3, "deadLetterSink": {"uri": "http://d"}}})
        );
    }
}
