//! JobSink (sinks.knative.dev/v1alpha1): defaulting tells every container it runs in batch
//! mode (`K_EXECUTION_MODE=batch`, eventing 1.16 and later) and the Go round trip writes the
//! Job's struct fields; validation requires a job. Upstream also dry-runs the Job against the
//! API server, which the emulator, serving no batch Jobs, does not.

use serde_json::{Value, json};

use kuberules::fielderror::FieldError;

use crate::json::At;

const EXECUTION_MODE_ENV: &str = "K_EXECUTION_MODE";

pub fn set_defaults(obj: &mut Value) {
    let Some(job) = obj.pointer_mut("/spec/job").and_then(Value::as_object_mut) else {
        return;
    };
    job.entry("metadata").or_insert_with(|| json!({}));
    job.entry("status").or_insert_with(|| json!({}));
    let spec = job.entry("spec").or_insert_with(|| json!({}));
    let Some(template) = spec
        .as_object_mut()
        .map(|s| s.entry("template").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    template.entry("metadata").or_insert_with(|| json!({}));
    let Some(pod) = template.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    for list in ["containers", "initContainers"] {
        for c in pod
            .get_mut(list)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object_mut)
        {
            c.entry("resources").or_insert_with(|| json!({}));
            let env = c.entry("env").or_insert_with(|| json!([]));
            if let Some(env) = env.as_array_mut()
                && !env
                    .iter()
                    .any(|e| e.get("name").and_then(Value::as_str) == Some(EXECUTION_MODE_ENV))
            {
                env.push(json!({"name": EXECUTION_MODE_ENV, "value": "batch"}));
            }
        }
    }
}

pub fn validate(obj: &Value) -> FieldError {
    if obj.at("/spec/job").is_none_or(Value::is_null) {
        return FieldError::missing_one_of(&["job"]).via_field("spec");
    }
    FieldError::none()
}
