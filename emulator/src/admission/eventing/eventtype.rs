//! EventType defaulting and validation (eventing `apis/eventing/v1beta2` and `v1beta3`):
//! `spec.type` required in v1beta2, the required CloudEvent attributes in v1beta3.

use serde_json::{Value, json};

use super::Ctx;
use super::common::{default_kref, s};
use crate::knative::fielderror::FieldError;
use crate::knative::meta::ensure_object;

pub fn set_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    let spec = ensure_object(obj, "spec");
    if let Some(r) = spec.get_mut("reference").filter(|r| r.is_object()) {
        default_kref(r, ctx.namespace);
    }
}

pub fn validate(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = FieldError::none();
    if ctx.version == "v1beta3" {
        let attrs = spec
            .get("attributes")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let missing: Vec<&str> = ["type", "source", "specversion", "id"]
            .into_iter()
            .filter(|required| !attrs.iter().any(|a| s(a, "name") == *required))
            .collect();
        if !missing.is_empty() {
            errs.push(FieldError::missing(&missing).via_field("attributes"));
        }
    } else if s(&spec, "type").is_empty() {
        errs.push(FieldError::missing(&["type"]));
    }
    errs.via_field("spec")
}
