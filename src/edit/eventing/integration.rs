//! IntegrationSource and IntegrationSink edits: one flag per source or sink type (`--timer`,
//! `--log`, `--aws-s3`, `--aws-sqs`, `--aws-ddb-streams`, `--aws-sns`) whose `KEY=VALUE[,…]`
//! settings are checked against the type's fields (names and value types from the CRDs), plus
//! the AWS credentials (`--aws-secret`, `--aws-service-account`). Giving a type replaces any
//! other type (Knative allows exactly one); settings merge into the type's object, `KEY-`
//! removes one.

use serde_json::{Map, Value, json};

use super::super::EditError;
use crate::edit::json;

/// The type of a setting's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Str,
    Int,
    Bool,
}

use FieldType::{Bool, Int, Str};

/// One source or sink type: its flag, where it lives in `spec`, and its fields.
#[derive(Debug)]
pub struct IntegrationType {
    pub flag: &'static str,
    /// The name `describe` and lists show.
    pub label: &'static str,
    pub path: &'static [&'static str],
    pub fields: &'static [(&'static str, FieldType)],
}

const AWS_COMMON: [(&str, FieldType); 3] = [
    ("region", Str),
    ("uriEndpointOverride", Str),
    ("overrideEndpoint", Bool),
];

macro_rules! fields {
    ($($f:expr),* $(,)?) => {
        &[AWS_COMMON[0], AWS_COMMON[1], AWS_COMMON[2], $($f),*]
    };
}

pub const TIMER: IntegrationType = IntegrationType {
    flag: "--timer",
    label: "timer",
    path: &["timer"],
    fields: &[
        ("period", Int),
        ("message", Str),
        ("contentType", Str),
        ("repeatCount", Int),
    ],
};
pub const LOG: IntegrationType = IntegrationType {
    flag: "--log",
    label: "log",
    path: &["log"],
    fields: &[
        ("loggerName", Str),
        ("level", Str),
        ("logMask", Bool),
        ("marker", Str),
        ("multiline", Bool),
        ("showAllProperties", Bool),
        ("showBody", Bool),
        ("showBodyType", Bool),
        ("showExchangePattern", Bool),
        ("showHeaders", Bool),
        ("showProperties", Bool),
        ("showStreams", Bool),
        ("showCachedStreams", Bool),
    ],
};
pub const AWS_S3: IntegrationType = IntegrationType {
    flag: "--aws-s3",
    label: "aws-s3",
    path: &["aws", "s3"],
    fields: fields![
        ("arn", Str),
        ("deleteAfterRead", Bool),
        ("moveAfterRead", Bool),
        ("destinationBucket", Str),
        ("destinationBucketPrefix", Str),
        ("destinationBucketSuffix", Str),
        ("autoCreateBucket", Bool),
        ("prefix", Str),
        ("ignoreBody", Bool),
        ("forcePathStyle", Bool),
        ("delay", Int),
        ("maxMessagesPerPoll", Int),
    ],
};
pub const AWS_SQS: IntegrationType = IntegrationType {
    flag: "--aws-sqs",
    label: "aws-sqs",
    path: &["aws", "sqs"],
    fields: fields![
        ("arn", Str),
        ("deleteAfterRead", Bool),
        ("autoCreateQueue", Bool),
        ("host", Str),
        ("protocol", Str),
        ("queueURL", Str),
        ("greedy", Bool),
        ("delay", Int),
        ("maxMessagesPerPoll", Int),
        ("waitTimeSeconds", Int),
        ("visibilityTimeout", Int),
    ],
};
pub const AWS_DDB_STREAMS: IntegrationType = IntegrationType {
    flag: "--aws-ddb-streams",
    label: "aws-ddb-streams",
    path: &["aws", "ddbStreams"],
    fields: fields![("table", Str), ("streamIteratorType", Str), ("delay", Int)],
};
pub const AWS_SNS: IntegrationType = IntegrationType {
    flag: "--aws-sns",
    label: "aws-sns",
    path: &["aws", "sns"],
    fields: fields![("arn", Str), ("autoCreateTopic", Bool)],
};

/// The types of IntegrationSources and of IntegrationSinks.
pub const SOURCE_TYPES: &[&IntegrationType] = &[&TIMER, &AWS_S3, &AWS_SQS, &AWS_DDB_STREAMS];
pub const SINK_TYPES: &[&IntegrationType] = &[&LOG, &AWS_S3, &AWS_SQS, &AWS_SNS];

/// One setting: a typed value, or `None` to remove the key.
pub type Setting = (String, Option<Value>);

impl IntegrationType {
    fn field(&self, key: &str) -> Option<FieldType> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
    }

    fn accepted(&self) -> String {
        self.fields
            .iter()
            .map(|(k, _)| *k)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Parses `KEY=VALUE[,KEY=VALUE…]`. A part without `=` continues the previous value (a
    /// comma inside a value), unless it is `KEY-` for a field, which removes it.
    pub fn parse(&self, text: &str) -> Result<Vec<Setting>, EditError> {
        let mut raw: Vec<(String, Option<String>)> = Vec::new();
        for part in text.split(',') {
            match part.split_once('=') {
                Some((key, value)) => raw.push((key.to_string(), Some(value.to_string()))),
                None => match part.strip_suffix('-').filter(|k| self.field(k).is_some()) {
                    Some(key) => raw.push((key.to_string(), None)),
                    None => match raw.last_mut() {
                        Some((_, Some(value))) => {
                            value.push(',');
                            value.push_str(part);
                        }
                        _ => {
                            return Err(EditError::new(format!(
                                "invalid value '{text}' for {}: '{part}' is not KEY=VALUE or KEY-; accepted keys: {}",
                                self.flag,
                                self.accepted()
                            )));
                        }
                    },
                },
            }
        }
        raw.into_iter()
            .map(|(key, value)| {
                let Some(field) = self.field(&key) else {
                    return Err(EditError::new(format!(
                        "unknown key '{key}' in {}; accepted keys: {}",
                        self.flag,
                        self.accepted()
                    )));
                };
                let Some(value) = value else {
                    return Ok((key, None));
                };
                let typed = match field {
                    Str => json!(value),
                    Int => json!(value.parse::<i64>().map_err(|_| {
                        EditError::new(format!(
                            "invalid value '{value}' for key '{key}' of {}: expected an integer",
                            self.flag
                        ))
                    })?),
                    Bool => match value.as_str() {
                        "true" => json!(true),
                        "false" => json!(false),
                        _ => {
                            return Err(EditError::new(format!(
                                "invalid value '{value}' for key '{key}' of {}: expected true or false",
                                self.flag
                            )));
                        }
                    },
                };
                Ok((key, Some(typed)))
            })
            .collect()
    }
}

/// The type an object has (the first of `types` present in its spec).
pub fn type_of<'a>(spec: &Value, types: &[&'a IntegrationType]) -> Option<&'a IntegrationType> {
    types
        .iter()
        .find(|t| json::get(spec, t.path).is_some_and(|v| !v.is_null()))
        .copied()
}

/// The integration flags of one command line; `None` = not given.
#[derive(Debug, Default)]
pub struct IntegrationEdit {
    /// The type given and its settings.
    pub settings: Option<(&'static IntegrationType, Vec<Setting>)>,
    /// `--aws-secret` (`""` removes it).
    pub aws_secret: Option<String>,
    /// `--aws-service-account` (`""` removes it).
    pub aws_service_account: Option<String>,
    /// A resolved Destination (sources only).
    pub sink: Option<Value>,
    pub ce_overrides: Vec<crate::edit::kv::KeyValueArg>,
}

fn remove_path(spec: &mut Value, path: &[&str]) {
    match path {
        [key] => {
            json::remove(spec, key);
        }
        [parent, key] => {
            if let Some(p) = spec.get_mut(*parent) {
                json::remove(p, key);
            }
        }
        _ => {}
    }
}

fn set_or_remove(target: &mut Value, key: &str, value: &Option<String>) {
    match value.as_deref() {
        None => {}
        Some("") => {
            json::remove(target, key);
        }
        Some(v) => json::set(target, key, json!(v)),
    }
}

impl IntegrationEdit {
    /// Applies the flags to `spec`; `types` are the kind's types (the others are removed when a
    /// type is given).
    pub fn apply(&self, spec: &mut Value, types: &[&IntegrationType]) {
        if let Some((given, settings)) = &self.settings {
            for t in types.iter().filter(|t| t.path != given.path) {
                remove_path(spec, t.path);
            }
            let target = json::object_path(spec, given.path);
            for (key, value) in settings {
                match value {
                    Some(v) => json::set(target, key, v.clone()),
                    None => {
                        json::remove(target, key);
                    }
                }
            }
        }
        if self.aws_secret.is_some() {
            let auth = json::object_path(spec, &["aws", "auth"]);
            match self.aws_secret.as_deref() {
                Some("") => {
                    json::remove(auth, "secret");
                }
                Some(name) => json::set(auth, "secret", json!({"ref": {"name": name}})),
                None => {}
            }
        }
        if self.aws_service_account.is_some() {
            let auth = json::object_path(spec, &["aws", "auth"]);
            set_or_remove(auth, "serviceAccountName", &self.aws_service_account);
        }
        for path in [&["aws", "auth"][..], &["aws"][..]] {
            if json::get(spec, path).is_some_and(|v| v.as_object().is_some_and(Map::is_empty)) {
                remove_path(spec, path);
            }
        }
        if let Some(sink) = &self.sink {
            json::set(spec, "sink", sink.clone());
        }
        super::ce_override::apply(spec, &self.ce_overrides);
    }
}

/// A new IntegrationSource.
pub fn new_source(name: &str, namespace: &str, edit: &IntegrationEdit) -> Value {
    let mut source = super::new_object(
        "sources.knative.dev/v1alpha1",
        "IntegrationSource",
        name,
        namespace,
    );
    edit.apply(super::spec(&mut source), SOURCE_TYPES);
    source
}

/// A new IntegrationSink.
pub fn new_sink(name: &str, namespace: &str, edit: &IntegrationEdit) -> Value {
    let mut sink = super::new_object(
        "sinks.knative.dev/v1alpha1",
        "IntegrationSink",
        name,
        namespace,
    );
    edit.apply(super::spec(&mut sink), SINK_TYPES);
    sink
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_typed_and_commas_continue_values() {
        assert_eq!(
            TIMER
                .parse("period=2000,message=hello, world,repeatCount-")
                .unwrap(),
            vec![
                ("period".to_string(), Some(json!(2000))),
                ("message".to_string(), Some(json!("hello, world"))),
                ("repeatCount".to_string(), None),
            ]
        );
        assert_eq!(
            LOG.parse("showHeaders=true").unwrap(),
            vec![("showHeaders".to_string(), Some(json!(true)))]
        );
    }

    #[test]
    fn bad_settings_name_the_flag_key_and_what_is_accepted() {
        assert_eq!(
            TIMER.parse("perod=1").unwrap_err().message(),
            "unknown key 'perod' in --timer; accepted keys: period, message, contentType, repeatCount"
        );
        assert_eq!(
            TIMER.parse("period=soon").unwrap_err().message(),
            "invalid value 'soon' for key 'period' of --timer: expected an integer"
        );
        assert_eq!(
            AWS_SNS.parse("autoCreateTopic=yes").unwrap_err().message(),
            "invalid value 'yes' for key 'autoCreateTopic' of --aws-sns: expected true or false"
        );
        assert_eq!(
            AWS_SNS.parse("arn").unwrap_err().message(),
            "invalid value 'arn' for --aws-sns: 'arn' is not KEY=VALUE or KEY-; accepted keys: region, uriEndpointOverride, overrideEndpoint, arn, autoCreateTopic"
        );
    }

    #[test]
    fn a_new_type_replaces_the_old_and_credentials_merge() {
        let edit = IntegrationEdit {
            settings: Some((&TIMER, TIMER.parse("period=1000").unwrap())),
            sink: Some(json!({"uri": "http://x"})),
            ..Default::default()
        };
        let mut source = new_source("s", "ns", &edit);
        assert_eq!(
            source["spec"],
            json!({"timer": {"period": 1000}, "sink": {"uri": "http://x"}})
        );
        IntegrationEdit {
            settings: Some((&AWS_SQS, AWS_SQS.parse("arn=q,region=eu-west-1").unwrap())),
            aws_secret: Some("creds".into()),
            ..Default::default()
        }
        .apply(&mut source["spec"], SOURCE_TYPES);
        assert_eq!(
            source["spec"],
            json!({"aws": {"sqs": {"arn": "q", "region": "eu-west-1"}, "auth": {"secret": {"ref": {"name": "creds"}}}},
                   "sink": {"uri": "http://x"}})
        );
        assert_eq!(
            type_of(&source["spec"], SOURCE_TYPES).unwrap().label,
            "aws-sqs"
        );
        IntegrationEdit {
            settings: Some((&AWS_SQS, AWS_SQS.parse("region-").unwrap())),
            aws_secret: Some(String::new()),
            ..Default::default()
        }
        .apply(&mut source["spec"], SOURCE_TYPES);
        assert_eq!(source["spec"]["aws"], json!({"sqs": {"arn": "q"}}));
    }
}
