//! `spec.delivery` edits (`--dl-sink`, `--retry`, `--timeout`, `--backoff-policy`,
//! `--backoff-delay`, `--retry-after-max`) and their typed values.

use std::fmt;
use std::str::FromStr;

use serde_json::{Value, json};

use crate::edit::json;

/// `--backoff-policy`: `linear` or `exponential`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackoffPolicy {
    Linear,
    Exponential,
}

impl BackoffPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            BackoffPolicy::Linear => "linear",
            BackoffPolicy::Exponential => "exponential",
        }
    }
}

impl FromStr for BackoffPolicy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "linear" => Ok(BackoffPolicy::Linear),
            "exponential" => Ok(BackoffPolicy::Exponential),
            _ => Err("expected linear or exponential".to_string()),
        }
    }
}

/// An ISO-8601 duration as Knative's delivery fields take it (`PT1S`, `PT0.5S`, `P1DT2H`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsoDuration(String);

impl IsoDuration {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for IsoDuration {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        static PARSER: jiff::fmt::temporal::SpanParser = jiff::fmt::temporal::SpanParser::new();
        match PARSER.parse_span(s) {
            Ok(span) if span.is_negative() => {
                Err("expected a non-negative ISO-8601 duration such as PT1S or PT0.5S".to_string())
            }
            Ok(_) => Ok(IsoDuration(s.to_string())),
            Err(_) => {
                Err("expected an ISO-8601 duration such as PT1S, PT0.5S or P1DT2H".to_string())
            }
        }
    }
}

/// The delivery flags of one command line; `None` = flag not given (left as it is).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryEdit {
    /// A resolved Destination object for `deadLetterSink`.
    pub dead_letter_sink: Option<Value>,
    pub retry: Option<i32>,
    pub timeout: Option<IsoDuration>,
    pub backoff_policy: Option<BackoffPolicy>,
    pub backoff_delay: Option<IsoDuration>,
    pub retry_after_max: Option<IsoDuration>,
}

impl DeliveryEdit {
    /// True when no delivery flag was given.
    pub fn is_empty(&self) -> bool {
        *self == DeliveryEdit::default()
    }

    /// Sets the given fields of `spec.delivery` (created when needed), keeping every other field.
    pub fn apply(&self, spec: &mut Value) {
        if self.is_empty() {
            return;
        }
        let delivery = json::object(spec, "delivery");
        if let Some(sink) = &self.dead_letter_sink {
            json::set(delivery, "deadLetterSink", sink.clone());
        }
        if let Some(retry) = self.retry {
            json::set(delivery, "retry", json!(retry));
        }
        let strings = [
            ("timeout", self.timeout.as_ref().map(IsoDuration::as_str)),
            (
                "backoffPolicy",
                self.backoff_policy.map(BackoffPolicy::as_str),
            ),
            (
                "backoffDelay",
                self.backoff_delay.as_ref().map(IsoDuration::as_str),
            ),
            (
                "retryAfterMax",
                self.retry_after_max.as_ref().map(IsoDuration::as_str),
            ),
        ];
        for (key, value) in strings {
            if let Some(value) = value {
                json::set(delivery, key, json!(value));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_strictly() {
        assert_eq!("linear".parse(), Ok(BackoffPolicy::Linear));
        assert_eq!(
            "Linear".parse::<BackoffPolicy>().unwrap_err(),
            "expected linear or exponential"
        );
        for ok in ["PT1S", "PT0.5S", "P1DT2H", "PT0S", "P1W"] {
            assert_eq!(ok.parse::<IsoDuration>().unwrap().as_str(), ok);
        }
        for bad in ["1s", "", "PT", "-PT1S", "10"] {
            assert!(bad.parse::<IsoDuration>().is_err(), "{bad}");
        }
    }

    #[test]
    fn apply_sets_only_given_fields_and_keeps_the_rest() {
        let mut spec =
            json!({"delivery": {"retry": 3, "x-unknown": true}, "config": {"name": "c"}});
        DeliveryEdit {
            backoff_policy: Some(BackoffPolicy::Exponential),
            backoff_delay: Some("PT0.2S".parse().unwrap()),
            ..Default::default()
        }
        .apply(&mut spec);
        assert_eq!(
            spec,
            json!({"delivery": {"retry": 3, "x-unknown": true, "backoffPolicy": "exponential", "backoffDelay": "PT0.2S"}, "config": {"name": "c"}})
        );
    }

    #[test]
    fn apply_creates_delivery_and_nothing_when_empty() {
        let mut spec = json!({});
        DeliveryEdit::default().apply(&mut spec);
        assert_eq!(spec, json!({}));
        DeliveryEdit {
            dead_letter_sink: Some(json!({"uri": "http://dls"})),
            retry: Some(0),
            timeout: Some("PT5S".parse().unwrap()),
            retry_after_max: Some("PT0S".parse().unwrap()),
            ..Default::default()
        }
        .apply(&mut spec);
        assert_eq!(
            spec,
            json!({"delivery": {"deadLetterSink": {"uri": "http://dls"}, "retry": 0, "timeout": "PT5S", "retryAfterMax": "PT0S"}})
        );
    }
}
