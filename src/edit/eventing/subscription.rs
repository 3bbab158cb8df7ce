//! Subscription edits: channel reference, subscriber, reply and dead letter sink.

use serde_json::Value;

use crate::edit::json;

/// The sinks of one `subscription create|update`; `None` = not given (left as it is).
#[derive(Debug, Clone, Default)]
pub struct SubscriptionEdit {
    pub subscriber: Option<Value>,
    pub reply: Option<Value>,
    pub dead_letter_sink: Option<Value>,
}

impl SubscriptionEdit {
    /// Sets the given destinations. The dead letter sink goes into `spec.delivery`, keeping the
    /// other delivery settings (kn replaced the whole delivery spec).
    pub fn apply(&self, spec: &mut Value) {
        if let Some(subscriber) = &self.subscriber {
            json::set(spec, "subscriber", subscriber.clone());
        }
        if let Some(reply) = &self.reply {
            json::set(spec, "reply", reply.clone());
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

/// A new Subscription on `channel` (a resolved reference).
pub fn new_subscription(
    name: &str,
    namespace: &str,
    channel: Value,
    edit: &SubscriptionEdit,
) -> Value {
    let mut sub = super::new_object("messaging.knative.dev/v1", "Subscription", name, namespace);
    let spec = super::spec(&mut sub);
    json::set(spec, "channel", channel);
    edit.apply(spec);
    sub
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn create_and_update() {
        let channel =
            json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "pipe"});
        let sub = new_subscription(
            "s",
            "ns",
            channel.clone(),
            &SubscriptionEdit {
                subscriber: Some(json!({"uri": "http://a"})),
                ..Default::default()
            },
        );
        assert_eq!(
            sub["spec"],
            json!({"channel": channel, "subscriber": {"uri": "http://a"}})
        );
        let mut spec = json!({"channel": {"name": "pipe"}, "subscriber": {"uri": "http://a"}, "delivery": {"retry": 3}});
        SubscriptionEdit {
            reply: Some(json!({"uri": "http://r"})),
            dead_letter_sink: Some(json!({"uri": "http://d"})),
            ..Default::default()
        }
        .apply(&mut spec);
        assert_eq!(
            spec,
            json!({"channel": {"name": "pipe"}, "subscriber": {"uri": "http://a"}, "reply": {"uri": "http://r"}, "delivery": {"retry": 3, "deadLetterSink": {"uri": "http://d"}}})
        );
    }
}
