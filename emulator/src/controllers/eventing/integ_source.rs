//! The ContainerSource an IntegrationSource runs as (`resources.NewContainerSource`): one
//! container `source` with the Camel Kamelet image of the source type and its settings as
//! environment variables (`integration.GenerateEnvVarsFromStruct`: the `camel` name or the
//! upper-cased JSON name; integers and booleans always, strings when not empty).

use serde_json::{Value, json};

use crate::json::At;
use crate::knative::meta::{controller_ref, name, namespace};
use crate::knative::names::child_name;

/// A field of a source type: JSON name, environment name (None: upper-cased JSON name), type.
type Field = (&'static str, Option<&'static str>, Kind);

#[derive(Clone, Copy)]
enum Kind {
    Str,
    Int,
    Bool,
}

const COMMON: [Field; 3] = [
    ("region", None, Kind::Str),
    ("uriEndpointOverride", None, Kind::Str),
    ("overrideEndpoint", None, Kind::Bool),
];
const TIMER: &[Field] = &[
    ("period", None, Kind::Int),
    ("message", None, Kind::Str),
    ("contentType", None, Kind::Str),
    ("repeatCount", None, Kind::Int),
];
const S3: &[Field] = &[
    ("arn", Some("BUCKET_NAME_OR_ARN"), Kind::Str),
    ("deleteAfterRead", None, Kind::Bool),
    ("moveAfterRead", None, Kind::Bool),
    ("destinationBucket", None, Kind::Str),
    ("destinationBucketPrefix", None, Kind::Str),
    ("destinationBucketSuffix", None, Kind::Str),
    ("autoCreateBucket", None, Kind::Bool),
    ("prefix", None, Kind::Str),
    ("ignoreBody", None, Kind::Bool),
    ("forcePathStyle", None, Kind::Bool),
    ("delay", None, Kind::Int),
    ("maxMessagesPerPoll", None, Kind::Int),
];
const SQS: &[Field] = &[
    ("arn", Some("QUEUE_NAME_OR_ARN"), Kind::Str),
    ("deleteAfterRead", None, Kind::Bool),
    ("autoCreateQueue", None, Kind::Bool),
    ("host", Some("AMAZONAWSHOST"), Kind::Str),
    ("protocol", None, Kind::Str),
    ("queueURL", None, Kind::Str),
    ("greedy", None, Kind::Bool),
    ("delay", None, Kind::Int),
    ("maxMessagesPerPoll", None, Kind::Int),
    ("waitTimeSeconds", None, Kind::Int),
    ("visibilityTimeout", None, Kind::Int),
];
const DDB_STREAMS: &[Field] = &[
    ("table", None, Kind::Str),
    ("streamIteratorType", None, Kind::Str),
    ("delay", None, Kind::Int),
];

/// `GenerateEnvVarsFromStruct` over a JSON object: embedded AWS fields first when `aws`.
fn env_of(prefix: &str, settings: &Value, fields: &[Field], aws: bool) -> Vec<Value> {
    let common: &[Field] = if aws { &COMMON } else { &[] };
    common
        .iter()
        .chain(fields)
        .filter_map(|(key, camel, kind)| {
            let env = format!(
                "{prefix}_{}",
                camel.map_or_else(|| key.to_uppercase(), str::to_string)
            );
            let v = settings.get(*key);
            let value = match kind {
                Kind::Str => v.and_then(Value::as_str).unwrap_or("").to_string(),
                Kind::Int => v.and_then(Value::as_i64).unwrap_or(0).to_string(),
                Kind::Bool => v.and_then(Value::as_bool).unwrap_or(false).to_string(),
            };
            (!value.is_empty()).then(|| json!({"name": env, "value": value}))
        })
        .collect()
}

fn secret_env(name: &str, key: &str, secret: &str) -> Value {
    json!({"name": name, "valueFrom": {"secretKeyRef": {"key": key, "name": secret}}})
}

/// The image key (in ConfigMap `eventing-integrations-images`) and the environment variables.
fn image_and_env(spec: &Value) -> (&'static str, Vec<Value>) {
    let mut env = vec![
        json!({"name": "CAMEL_KNATIVE_CLIENT_SSL_ENABLED", "value": "true"}),
        json!({"name": "CAMEL_KNATIVE_CLIENT_SSL_CERT_PATH", "value": "/knative-custom-certs/knative-eventing-bundle.pem"}),
    ];
    if let Some(timer) = spec.get("timer").filter(|t| t.is_object()) {
        env.extend(env_of("CAMEL_KAMELET_TIMER_SOURCE", timer, TIMER, false));
        return ("timer-source", env);
    }
    let aws = spec.get("aws").cloned().unwrap_or(Value::Null);
    let secret = aws
        .at("/auth/secret/ref/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    for (key, image, prefix, fields) in [
        ("s3", "aws-s3-source", "CAMEL_KAMELET_AWS_S3_SOURCE", S3),
        ("sqs", "aws-sqs-source", "CAMEL_KAMELET_AWS_SQS_SOURCE", SQS),
        (
            "ddbStreams",
            "aws-ddb-streams-source",
            "CAMEL_KAMELET_AWS_DDB_STREAMS_SOURCE",
            DDB_STREAMS,
        ),
    ] {
        let Some(settings) = aws.get(key).filter(|s| s.is_object()) else {
            continue;
        };
        env.extend(env_of(prefix, settings, fields, true));
        if secret.is_empty() {
            env.push(json!({"name": format!("{prefix}_USE_DEFAULT_CREDENTIALS_PROVIDER"), "value": "true"}));
        } else {
            env.push(secret_env(
                &format!("{prefix}_ACCESSKEY"),
                "aws.accessKey",
                secret,
            ));
            env.push(secret_env(
                &format!("{prefix}_SECRETKEY"),
                "aws.secretKey",
                secret,
            ));
        }
        return (image, env);
    }
    ("", env)
}

/// The image of a source type: `eventing-integrations-images` in `knative-eventing` names it in
/// an installation; without that ConfigMap, the nightly image its third-party copy names.
fn image(cluster: &dyn crate::cluster::ClusterApi, key: &str) -> String {
    if key.is_empty() {
        return String::new();
    }
    crate::knative::configmaps::read_data(
        cluster,
        crate::knative::configmaps::EVENTING_NAMESPACE,
        "eventing-integrations-images",
    )
    .get(key)
    .cloned()
    .unwrap_or_else(|| format!("gcr.io/knative-nightly/{key}"))
}

fn probe(path: &str) -> Value {
    json!({"httpGet": {"path": path, "port": 8080, "scheme": "HTTP"}})
}

/// The desired ContainerSource `NAME-containersource` of an IntegrationSource.
pub fn container_source(cluster: &dyn crate::cluster::ClusterApi, src: &Value) -> Value {
    let empty = json!({});
    let spec = src.get("spec").unwrap_or(&empty);
    let (image_key, env) = image_and_env(spec);
    let mut template = spec
        .get("template")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or(json!({}));
    if !template["metadata"].is_object() {
        template["metadata"] = json!({});
    }
    if !template["metadata"]["labels"].is_object() {
        template["metadata"]["labels"] = json!({});
    }
    template["metadata"]["labels"]["app.kubernetes.io/name"] = json!(name(src));
    let mut pod = template
        .get("spec")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or(json!({}));
    pod["containers"] = json!([{
        "name": "source",
        "image": image(cluster, image_key),
        "imagePullPolicy": "IfNotPresent",
        "env": env,
        "readinessProbe": probe("/q/health/ready"),
        "livenessProbe": probe("/q/health/live"),
        "startupProbe": probe("/q/health/started"),
    }]);
    match spec
        .at("/aws/auth/serviceAccountName")
        .and_then(Value::as_str)
    {
        Some(sa) if !sa.is_empty() => pod["serviceAccountName"] = json!(sa),
        _ => {
            if let Some(p) = pod.as_object_mut() {
                p.remove("serviceAccountName");
            }
        }
    }
    template["spec"] = pod;
    let mut cs_spec = json!({"template": template});
    for key in ["sink", "ceOverrides"] {
        if let Some(v) = spec.get(key).filter(|v| !v.is_null()) {
            cs_spec[key] = v.clone();
        }
    }
    json!({
        "apiVersion": "sources.knative.dev/v1",
        "kind": "ContainerSource",
        "metadata": {
            "name": child_name(name(src), "-containersource"),
            "namespace": namespace(src),
            "labels": {"app.kubernetes.io/name": name(src)},
            "ownerReferences": [controller_ref(src)],
        },
        "spec": cs_spec,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_settings_become_kamelet_variables() {
        let (image, env) = image_and_env(&json!({"timer": {"period": 2000, "message": "hi"}}));
        assert_eq!(image, "timer-source");
        assert_eq!(
            env[2..],
            [
                json!({"name": "CAMEL_KAMELET_TIMER_SOURCE_PERIOD", "value": "2000"}),
                json!({"name": "CAMEL_KAMELET_TIMER_SOURCE_MESSAGE", "value": "hi"}),
                json!({"name": "CAMEL_KAMELET_TIMER_SOURCE_REPEATCOUNT", "value": "0"}),
            ]
        );
    }

    #[test]
    fn aws_settings_use_camel_names_and_the_secret() {
        let (image, env) = image_and_env(&json!({"aws": {
            "ddbStreams": {"table": "t", "region": "eu-west-1"},
            "auth": {"secret": {"ref": {"name": "creds"}}}}}));
        assert_eq!(image, "aws-ddb-streams-source");
        assert_eq!(
            env[2..],
            [
                json!({"name": "CAMEL_KAMELET_AWS_DDB_STREAMS_SOURCE_REGION", "value": "eu-west-1"}),
                json!({"name": "CAMEL_KAMELET_AWS_DDB_STREAMS_SOURCE_OVERRIDEENDPOINT", "value": "false"}),
                json!({"name": "CAMEL_KAMELET_AWS_DDB_STREAMS_SOURCE_TABLE", "value": "t"}),
                json!({"name": "CAMEL_KAMELET_AWS_DDB_STREAMS_SOURCE_DELAY", "value": "0"}),
                secret_env(
                    "CAMEL_KAMELET_AWS_DDB_STREAMS_SOURCE_ACCESSKEY",
                    "aws.accessKey",
                    "creds"
                ),
                secret_env(
                    "CAMEL_KAMELET_AWS_DDB_STREAMS_SOURCE_SECRETKEY",
                    "aws.secretKey",
                    "creds"
                ),
            ]
        );
    }
}
