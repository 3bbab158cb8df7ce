//! Patch bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902), strategic merge patch
//! (core types only, applied as a merge patch without directives) and server-side apply
//! configurations, parsed with the API server's error responses.

use serde_json::{Value, json};

use crate::registry::{PatchKind, Subresource, TypeInfo, WriteOptions};
use crate::status::ApiError;

/// The most operations a JSON patch may have.
const MAX_JSON_PATCH_OPS: usize = 10_000;

/// The most bytes a JSON patch's `copy` operations may add up to. The API server sets
/// json-patch's accumulated copy limit to its request body limit, so a short patch of repeated
/// copies cannot double a list into gigabytes.
const MAX_JSON_PATCH_COPY_BYTES: usize = crate::server::handler::MAX_BODY;

pub enum Patch {
    Merge(Value),
    Json(json_patch::Patch),
    Strategic(Value),
    /// A server-side apply configuration (a partial object).
    Apply(Value),
}

/// Removes strategic-merge-patch directives (`$patch`, `$retainKeys`, `$setElementOrder/…`,
/// `$deleteFromPrimitiveList/…`) so the rest applies as a merge patch.
fn strip_directives(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|k, _| !k.starts_with('$'));
            for v in map.values_mut() {
                strip_directives(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_directives),
        _ => {}
    }
}

impl Patch {
    pub fn parse(kind: PatchKind, body: &[u8]) -> Result<Patch, ApiError> {
        match kind {
            PatchKind::Merge | PatchKind::Strategic => {
                let mut value: Value = serde_json::from_slice(body)
                    .map_err(|e| ApiError::bad_request(e.to_string()))?;
                if kind == PatchKind::Strategic {
                    strip_directives(&mut value);
                    Ok(Patch::Strategic(value))
                } else {
                    Ok(Patch::Merge(value))
                }
            }
            PatchKind::Json => {
                let ops: Vec<Value> = serde_json::from_slice(body)
                    .map_err(|e| ApiError::bad_request(e.to_string()))?;
                if ops.len() > MAX_JSON_PATCH_OPS {
                    return Err(ApiError::too_large(format!(
                        "The allowed maximum operations in a JSON patch is {MAX_JSON_PATCH_OPS}, got {}",
                        ops.len()
                    )));
                }
                let patch: json_patch::Patch = serde_json::from_value(Value::Array(ops))
                    .map_err(|e| ApiError::bad_request(e.to_string()))?;
                Ok(Patch::Json(patch))
            }
            PatchKind::Apply => {
                let text = std::str::from_utf8(body)
                    .map_err(|e| ApiError::bad_request(format!("error decoding YAML: {e}")))?;
                let value: Value = serde_saphyr::from_str(text)
                    .map_err(|e| ApiError::bad_request(format!("error decoding YAML: {e}")))?;
                if !value.is_object() {
                    return Err(ApiError::bad_request(format!(
                        "error decoding YAML: the apply configuration must be an object, got {value}"
                    )));
                }
                Ok(Patch::Apply(value))
            }
        }
    }

    /// Whether the patch sets `metadata.resourceVersion` (which then acts as a precondition).
    pub fn sets_resource_version(&self) -> bool {
        match self {
            Patch::Merge(v) | Patch::Strategic(v) | Patch::Apply(v) => v
                .pointer("/metadata/resourceVersion")
                .is_some_and(|rv| !rv.is_null()),
            Patch::Json(ops) => ops.0.iter().any(|op| {
                let path = match op {
                    json_patch::PatchOperation::Add(o) => &o.path,
                    json_patch::PatchOperation::Replace(o) => &o.path,
                    _ => return false,
                };
                path.as_str() == "/metadata/resourceVersion"
            }),
        }
    }

    /// The object after applying the patch to `old` (both at the requested version).
    pub fn apply_to(
        &self,
        ti: &TypeInfo,
        old: &Value,
        opts: &WriteOptions,
        subresource: Subresource,
    ) -> Result<Value, ApiError> {
        match self {
            Patch::Merge(patch) | Patch::Strategic(patch) => {
                let mut doc = old.clone();
                json_patch::merge(&mut doc, patch);
                Ok(doc)
            }
            Patch::Json(patch) => apply_json_patch(old, patch),
            Patch::Apply(config) => crate::apply::apply(
                ti,
                old,
                config,
                &opts.manager,
                opts.force,
                subresource == Subresource::Status,
            ),
        }
    }
}

/// Applies a JSON patch to a copy of `old`, one operation at a time, so a failure leaves `old`
/// as it was and every copy is measured before it is made.
fn apply_json_patch(old: &Value, patch: &json_patch::Patch) -> Result<Value, ApiError> {
    let mut doc = old.clone();
    let mut copied = 0usize;
    for op in &patch.0 {
        if let json_patch::PatchOperation::Copy(copy) = op
            && let Some(value) = doc.pointer(copy.from.as_str())
        {
            copied += serde_json::to_vec(value).map_or(0, |v| v.len());
            if copied > MAX_JSON_PATCH_COPY_BYTES {
                return Err(json_patch_failed());
            }
        }
        json_patch::patch_unsafe(&mut doc, std::slice::from_ref(op))
            .map_err(|_| json_patch_failed())?;
    }
    Ok(doc)
}

/// The API server's answer to a JSON patch that cannot be applied: a bare 422 whose details
/// are empty, whatever the operation's own error was.
fn json_patch_failed() -> ApiError {
    ApiError::new(
        422,
        "Invalid",
        "the server rejected our request due to an error in our request",
    )
    .with_details(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_patch_limits_and_errors() {
        let ops: Vec<Value> = (0..10_001)
            .map(|_| json!({"op": "test", "path": "/a", "value": 1}))
            .collect();
        let err = Patch::parse(PatchKind::Json, &serde_json::to_vec(&ops).unwrap())
            .err()
            .unwrap();
        assert_eq!(
            (err.code, err.message.as_str()),
            (
                413,
                "The allowed maximum operations in a JSON patch is 10000, got 10001"
            )
        );
        assert_eq!(Patch::parse(PatchKind::Json, b"{").err().unwrap().code, 400);
    }

    #[test]
    fn repeated_copies_stop_at_the_body_limit() {
        // A 1,000-byte list copied into itself doubles on every copy: 11 copies stay under
        // 3 MiB in all, 12 do not (the real API server draws the line at the same place).
        let old = json!({"metadata": {"finalizers": ["a".repeat(1000)]}});
        let bomb = |copies: usize| {
            let ops: Vec<Value> = (0..copies)
                .map(|_| json!({"op": "copy", "from": "/metadata/finalizers", "path": "/metadata/finalizers/-"}))
                .collect();
            let Patch::Json(patch) =
                Patch::parse(PatchKind::Json, &serde_json::to_vec(&ops).unwrap()).unwrap()
            else {
                panic!("a JSON patch")
            };
            apply_json_patch(&old, &patch)
        };
        let grown = bomb(11).unwrap();
        assert_eq!(
            grown["metadata"]["finalizers"].as_array().unwrap().len(),
            12
        );
        for copies in [12, 40] {
            let err = bomb(copies).err().unwrap();
            assert_eq!((err.code, err.reason.as_str()), (422, "Invalid"));
            assert_eq!(err.to_status()["details"], json!({}));
        }
    }

    #[test]
    fn a_failed_operation_is_a_bare_422() {
        let Patch::Json(patch) =
            Patch::parse(PatchKind::Json, br#"[{"op":"remove","path":"/data/zz"}]"#).unwrap()
        else {
            panic!("a JSON patch")
        };
        let err = apply_json_patch(&json!({"data": {}}), &patch)
            .err()
            .unwrap();
        assert_eq!(
            err.to_status(),
            json!({"apiVersion": "v1", "kind": "Status", "metadata": {}, "status": "Failure", "code": 422,
                   "reason": "Invalid", "details": {},
                   "message": "the server rejected our request due to an error in our request"})
        );
    }

    #[test]
    fn strategic_directives_are_dropped() {
        let Patch::Strategic(v) = Patch::parse(
            PatchKind::Strategic,
            br#"{"$patch":"x","data":{"a":"1","$retainKeys":["a"]}}"#,
        )
        .unwrap() else {
            panic!("strategic")
        };
        assert_eq!(v, json!({"data": {"a": "1"}}));
    }

    #[test]
    fn resource_version_in_patch_is_a_precondition() {
        assert!(
            Patch::parse(PatchKind::Merge, br#"{"metadata":{"resourceVersion":"5"}}"#)
                .unwrap()
                .sets_resource_version()
        );
        assert!(
            !Patch::parse(PatchKind::Merge, br#"{"spec":{}}"#)
                .unwrap()
                .sets_resource_version()
        );
        assert!(
            Patch::parse(
                PatchKind::Json,
                br#"[{"op":"replace","path":"/metadata/resourceVersion","value":"5"}]"#
            )
            .unwrap()
            .sets_resource_version()
        );
    }
}
