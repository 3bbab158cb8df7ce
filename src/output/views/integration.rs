//! IntegrationSource, IntegrationSink and EventTransform views: their lists and describes.
//! A source's or sink's type shows as the flag that sets it (`timer`, `aws-sqs`, …) and its
//! settings one per line.

use jiff::Timestamp;
use serde_json::Value;

use super::listing::{kn_order, namespaced_table};
use super::sink::{short_form, short_form_opt, write_sink, write_sink_section};
use crate::api::duck::{Condition, conditions_ok, ready_cell, reason_cell};
use crate::api::integ::{EventTransform, IntegrationSink, IntegrationSource};
use crate::api::meta::ObjectMeta;
use crate::edit::eventing::integration::{IntegrationType, SINK_TYPES, SOURCE_TYPES, type_of};
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// The spec's type objects as JSON, for [`type_of`].
fn type_spec(timer_or_log: (&str, Option<&Value>), aws: Option<&Value>) -> Value {
    let mut spec = serde_json::Map::new();
    if let Some(v) = timer_or_log.1 {
        spec.insert(timer_or_log.0.into(), v.clone());
    }
    if let Some(aws) = aws {
        spec.insert("aws".into(), aws.clone());
    }
    Value::Object(spec)
}

fn kind_cell(spec: &Value, types: &[&IntegrationType]) -> String {
    type_of(spec, types)
        .map(|t| t.label.to_string())
        .unwrap_or_default()
}

/// `Type:` and the settings of the type, then the AWS credentials.
fn write_type(dw: &mut DescribeWriter, spec: &Value, types: &[&IntegrationType]) {
    let Some(t) = type_of(spec, types) else {
        dw.attr(0, "Type", "");
        return;
    };
    dw.attr(0, "Type", t.label);
    let settings = crate::edit::json::get(spec, t.path).and_then(Value::as_object);
    for (key, value) in settings.into_iter().flatten() {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        dw.attr(1, key, &text);
    }
    if let Some(secret) = spec
        .pointer("/aws/auth/secret/ref/name")
        .and_then(Value::as_str)
    {
        dw.attr(1, "Secret", secret);
    }
    if let Some(sa) = spec
        .pointer("/aws/auth/serviceAccountName")
        .and_then(Value::as_str)
    {
        dw.attr(1, "Service Account", sa);
    }
}

/// The common list columns after NAME and the kind's own ones.
fn tail(meta: &ObjectMeta, conditions: &[Condition], now: Timestamp) -> [String; 4] {
    [
        table_age(meta.creation_timestamp, now),
        conditions_ok(conditions),
        ready_cell(conditions),
        reason_cell(conditions),
    ]
}

/// `NAME TYPE SINK AGE CONDITIONS READY REASON`, by name (`-A`: `default` first).
pub fn source_table(sources: &[IntegrationSource], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&IntegrationSource> = sources.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| s.metadata.name.as_str(),
    );
    namespaced_table(
        &[
            "Name",
            "Type",
            "Sink",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ],
        rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| {
            let spec = type_spec(("timer", s.spec.timer.as_ref()), s.spec.aws.as_ref());
            let mut row = vec![
                s.metadata.name.clone(),
                kind_cell(&spec, SOURCE_TYPES),
                short_form(&s.spec.sink),
            ];
            row.extend(tail(&s.metadata, &s.status.conditions, now));
            row
        },
    )
}

/// Metadata, the type and its settings, the Sink block, overrides, Sink URI and conditions.
pub fn describe_source(source: &IntegrationSource, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &source.metadata, verbose, now);
    let spec = type_spec(
        ("timer", source.spec.timer.as_ref()),
        source.spec.aws.as_ref(),
    );
    write_type(&mut dw, &spec, SOURCE_TYPES);
    if write_sink_section(
        &mut dw,
        &source.metadata.namespace,
        &source.spec.sink,
        source.spec.ce_overrides.as_ref(),
    ) {
        dw.blank();
    }
    if !source.status.sink_uri.is_empty() {
        dw.attr(0, "Sink URI", &source.status.sink_uri);
        dw.blank();
    }
    write_conditions(&mut dw, &source.status.conditions, verbose, now);
    dw.finish()
}

/// `NAME TYPE URL AGE CONDITIONS READY REASON`, by name.
pub fn sink_table(sinks: &[IntegrationSink], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&IntegrationSink> = sinks.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| s.metadata.name.as_str(),
    );
    namespaced_table(
        &[
            "Name",
            "Type",
            "URL",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ],
        rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| {
            let spec = type_spec(("log", s.spec.log.as_ref()), s.spec.aws.as_ref());
            let mut row = vec![
                s.metadata.name.clone(),
                kind_cell(&spec, SINK_TYPES),
                s.status.url().to_string(),
            ];
            row.extend(tail(&s.metadata, &s.status.conditions, now));
            row
        },
    )
}

/// Metadata, URL, the type and its settings, and conditions.
pub fn describe_sink(sink: &IntegrationSink, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &sink.metadata, verbose, now);
    dw.attr(0, "URL", sink.status.url());
    let spec = type_spec(("log", sink.spec.log.as_ref()), sink.spec.aws.as_ref());
    write_type(&mut dw, &spec, SINK_TYPES);
    dw.blank();
    write_conditions(&mut dw, &sink.status.conditions, verbose, now);
    dw.finish()
}

/// `NAME URL SINK AGE CONDITIONS READY REASON`, by name.
pub fn transform_table(
    transforms: &[EventTransform],
    all_namespaces: bool,
    now: Timestamp,
) -> Table {
    let mut rows: Vec<&EventTransform> = transforms.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |t| t.metadata.namespace.as_str(),
        |t| t.metadata.name.as_str(),
    );
    namespaced_table(
        &[
            "Name",
            "URL",
            "Sink",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ],
        rows,
        all_namespaces,
        |t| t.metadata.namespace.as_str(),
        |t| {
            let mut row = vec![
                t.metadata.name.clone(),
                t.status.url().to_string(),
                short_form_opt(t.spec.sink.as_ref()),
            ];
            row.extend(tail(&t.metadata, &t.status.conditions, now));
            row
        },
    )
}

/// Metadata, URL, the JSONata expression, the Sink and Reply blocks, and conditions.
pub fn describe_transform(transform: &EventTransform, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &transform.metadata, verbose, now);
    dw.attr(0, "URL", transform.status.url());
    if let Some(j) = &transform.spec.jsonata {
        dw.attr(0, "JSONata", "");
        for line in j.expression.lines() {
            dw.line(1, line);
        }
    }
    if let Some(sink) = &transform.spec.sink {
        dw.blank();
        write_sink(&mut dw, "Sink", &transform.metadata.namespace, sink);
        if !transform.status.sink_uri.is_empty() {
            dw.attr(1, "URI (resolved)", &transform.status.sink_uri);
        }
    }
    if let Some(reply) = &transform.spec.reply {
        dw.blank();
        dw.attr(0, "Reply", "");
        if reply.discard == Some(true) {
            dw.attr(1, "Discard", "true");
        }
        if let Some(j) = &reply.jsonata {
            dw.attr(1, "JSONata", "");
            for line in j.expression.lines() {
                dw.line(2, line);
            }
        }
    }
    dw.blank();
    write_conditions(&mut dw, &transform.status.conditions, verbose, now);
    dw.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::from_value;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-01-01T00:10:00Z".parse().unwrap()
    }

    const META: &str =
        r#"{"name": "x", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"}"#;

    #[test]
    fn source_describe_shows_the_type_settings_and_sink() {
        let source: IntegrationSource = from_value(&json!({
            "metadata": serde_json::from_str::<Value>(META).unwrap(),
            "spec": {"aws": {"sqs": {"arn": "q", "region": "eu"}, "auth": {"secret": {"ref": {"name": "creds"}}}},
                     "sink": {"uri": "http://example.com"}},
            "status": {"sinkUri": "http://example.com", "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}]}
        }))
        .unwrap();
        assert_eq!(
            describe_source(&source, false, now()),
            "Name:       x\n\
             Namespace:  default\n\
             Age:        1m\n\
             Type:       aws-sqs\n  \
             arn:      q\n  \
             region:   eu\n  \
             Secret:   creds\n\
             \n\
             Sink:   \n  \
             URI:  http://example.com\n\
             \n\
             Sink URI:  http://example.com\n\
             \n\
             Conditions:  \n  \
             OK TYPE     AGE REASON\n  \
             ++ Ready     1m \n"
        );
        assert_eq!(
            source_table(&[source], false, now()).render(true),
            "NAME   TYPE      SINK                 AGE   CONDITIONS   READY   REASON\n\
             x      aws-sqs   http://example.com   60s   1 OK / 1     True    \n"
        );
    }
}
