//! PingSource edits: schedule, data (with kn's encoding rules), sink and CloudEvent overrides.

use std::str::FromStr;

use base64::Engine;
use serde_json::{Value, json};

use crate::edit::json;
use crate::edit::kv::KeyValueArg;

/// `-e, --encoding`: how `--data` is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PingEncoding {
    Text,
    Base64,
}

impl FromStr for PingEncoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(PingEncoding::Text),
            "base64" => Ok(PingEncoding::Base64),
            _ => Err("Accepted values are: text|base64".to_string()),
        }
    }
}

/// Where `--data` goes: `spec.data` or `spec.dataBase64`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PingData {
    Text(String),
    Base64(String),
}

/// True when Go's `base64.StdEncoding` would decode `s` (padding required, CR/LF ignored).
fn is_std_base64(s: &str) -> bool {
    const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    let cleaned: String = s.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    LENIENT.decode(cleaned).is_ok()
}

impl PingData {
    /// kn's rule: an explicit encoding decides; without one, data that decodes as standard
    /// base64 is stored as `dataBase64` (so `--data test` is base64, as in kn). kn does not
    /// check data said to be base64: Knative's webhook refuses it, with its own message.
    pub fn new(data: &str, encoding: Option<PingEncoding>) -> Self {
        match encoding {
            Some(PingEncoding::Text) => PingData::Text(data.to_string()),
            Some(PingEncoding::Base64) => PingData::Base64(data.to_string()),
            None if is_std_base64(data) => PingData::Base64(data.to_string()),
            None => PingData::Text(data.to_string()),
        }
    }

    fn apply(&self, spec: &mut Value) {
        let (set, clear, value) = match self {
            PingData::Text(v) => ("data", "dataBase64", v),
            PingData::Base64(v) => ("dataBase64", "data", v),
        };
        json::remove(spec, clear);
        if value.is_empty() {
            json::remove(spec, set);
        } else {
            json::set(spec, set, json!(value));
        }
    }
}

/// The PingSource flags of one command line; `None` = not given.
#[derive(Debug, Clone, Default)]
pub struct PingEdit {
    pub schedule: Option<String>,
    pub data: Option<PingData>,
    /// A resolved Destination.
    pub sink: Option<Value>,
    pub ce_overrides: Vec<KeyValueArg>,
}

impl PingEdit {
    /// Applies the given flags to `spec`; an empty `--schedule` falls back to the server default.
    pub fn apply(&self, spec: &mut Value) {
        match self.schedule.as_deref() {
            Some("") => {
                json::remove(spec, "schedule");
            }
            Some(schedule) => json::set(spec, "schedule", json!(schedule)),
            None => {}
        }
        if let Some(data) = &self.data {
            data.apply(spec);
        }
        if let Some(sink) = &self.sink {
            json::set(spec, "sink", sink.clone());
        }
        super::ce_override::apply(spec, &self.ce_overrides);
    }
}

/// A new PingSource.
pub fn new_ping(name: &str, namespace: &str, edit: &PingEdit) -> Value {
    let mut source = super::new_object("sources.knative.dev/v1", "PingSource", name, namespace);
    edit.apply(super::spec(&mut source));
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_encoding_rules_follow_kn() {
        assert_eq!(PingData::new("test", None), PingData::Base64("test".into()));
        assert_eq!(
            PingData::new("{ value: \"hello\" }", None),
            PingData::Text("{ value: \"hello\" }".into())
        );
        assert_eq!(
            PingData::new("aGVsbG8=", Some(PingEncoding::Text)),
            PingData::Text("aGVsbG8=".into())
        );
        assert_eq!(
            PingData::new("aGVsbG8=", Some(PingEncoding::Base64)),
            PingData::Base64("aGVsbG8=".into())
        );
        // Not checked here: the webhook refuses it (kn sends it as given).
        assert_eq!(
            PingData::new("not base64!", Some(PingEncoding::Base64)),
            PingData::Base64("not base64!".into())
        );
        assert_eq!(
            "hex".parse::<PingEncoding>().unwrap_err(),
            "Accepted values are: text|base64"
        );
    }

    #[test]
    fn new_ping_source() {
        let edit = PingEdit {
            schedule: Some("*/2 * * * *".into()),
            data: Some(PingData::Text("{}".into())),
            sink: Some(json!({"ref": {"kind": "Service", "name": "s"}})),
            ce_overrides: vec!["foo=bar".parse().unwrap()],
        };
        assert_eq!(
            new_ping("p", "ns", &edit),
            json!({
                "apiVersion": "sources.knative.dev/v1", "kind": "PingSource",
                "metadata": {"name": "p", "namespace": "ns"},
                "spec": {"schedule": "*/2 * * * *", "data": "{}", "sink": {"ref": {"kind": "Service", "name": "s"}}, "ceOverrides": {"extensions": {"foo": "bar"}}}
            })
        );
    }

    #[test]
    fn update_switches_data_fields_and_keeps_the_rest() {
        let mut spec = json!({"schedule": "* * * * *", "dataBase64": "dGVzdA==", "timezone": "Europe/Rome", "x": 1});
        PingEdit {
            data: Some(PingData::Text("hi".into())),
            schedule: Some(String::new()),
            ..Default::default()
        }
        .apply(&mut spec);
        assert_eq!(
            spec,
            json!({"data": "hi", "timezone": "Europe/Rome", "x": 1})
        );
    }
}
