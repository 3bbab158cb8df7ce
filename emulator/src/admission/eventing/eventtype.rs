//! EventType defaulting and validation (eventing `apis/eventing/v1beta2`): `spec.type` is
//! required. The webhook serves v1beta1 and v1beta2 only (eventing 1.15 to 1.22
//! `cmd/webhook`), so the API server hands it a v1beta3 object converted to v1beta2, whose
//! `type` is the value of the `type` attribute.

use serde_json::{Value, json};

use super::Ctx;
use super::common::{default_kref, s};
use crate::knative::meta::ensure_object;
use kuberules::fielderror::FieldError;

pub fn set_defaults(ctx: &Ctx<'_>, obj: &mut Value) {
    let spec = ensure_object(obj, "spec");
    if let Some(r) = spec.get_mut("reference").filter(|r| r.is_object()) {
        default_kref(r, ctx.namespace);
    }
}

pub fn validate(ctx: &Ctx<'_>, obj: &Value) -> FieldError {
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let mut errs = FieldError::none();
    let ty = if ctx.version == "v1beta3" {
        spec.get("attributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|a| s(a, "name") == "type")
            .map(|a| s(a, "value"))
            .next_back()
            .unwrap_or("")
    } else {
        s(&spec, "type")
    };
    if ty.is_empty() {
        errs.push(FieldError::missing(&["type"]));
    }
    errs.via_field("spec")
}
