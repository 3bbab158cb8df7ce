//! Patch bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902), strategic merge patch
//! (core types only, applied as a merge patch without directives) and server-side apply
//! configurations, parsed with the API server's error responses.

use serde_json::{Value, json};

use crate::json::At;
use crate::registry::{PatchKind, Subresource, TypeInfo, WriteOptions};
use crate::status::ApiError;

/// The most operations a JSON patch may have.
const MAX_JSON_PATCH_OPS: usize = 10_000;

/// The most bytes a JSON patch's `copy` operations may add up to. The API server sets
/// json-patch's accumulated copy limit to its request body limit, so a short patch of repeated
/// copies cannot double a list into gigabytes.
const MAX_JSON_PATCH_COPY_BYTES: usize = super::MAX_BODY;

pub enum Patch {
    Merge(Value),
    Json(json_patch::Patch),
    Strategic(Value),
    /// A server-side apply configuration (a partial object).
    Apply(Value),
}

/// A strategic merge patch over maps: a merge patch that also honours a map's
/// `$patch: replace` (the map becomes the patch's) and `$patch: delete` (it goes); other
/// directives are dropped. Lists are replaced whole. Returns false when `doc` is deleted.
fn strategic_merge(doc: &mut Value, patch: &Value) -> bool {
    let Value::Object(patch_map) = patch else {
        *doc = patch.clone();
        return true;
    };
    match patch_map.get("$patch").and_then(Value::as_str) {
        Some("delete") => return false,
        Some("replace") => {
            let mut replaced = patch.clone();
            strip_directives(&mut replaced);
            *doc = replaced;
            return true;
        }
        _ => {}
    }
    if !doc.is_object() {
        *doc = json!({});
    }
    let Some(target) = doc.as_object_mut() else {
        return true;
    };
    for (key, value) in patch_map {
        if key.starts_with('$') {
            continue;
        }
        if value.is_null() {
            target.remove(key);
            continue;
        }
        if value.is_object() {
            let entry = target.entry(key.clone()).or_insert(Value::Null);
            if !strategic_merge(entry, value) {
                target.remove(key);
            }
        } else {
            let mut v = value.clone();
            strip_directives(&mut v);
            target.insert(key.clone(), v);
        }
    }
    true
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

/// `error decoding patch: WHY`, the 400 of a patch body that is not the patch type's JSON.
fn decoding(why: &str) -> ApiError {
    ApiError::bad_request(format!("error decoding patch: {why}"))
}

/// The 422 a JSON patch that cannot be applied gets (upstream's message names nothing).
fn rejected() -> ApiError {
    ApiError::new(
        422,
        "Invalid",
        "the server rejected our request due to an error in our request",
    )
    .with_details(json!({}))
}

impl Patch {
    pub fn parse(kind: PatchKind, body: &[u8]) -> Result<Patch, ApiError> {
        match kind {
            PatchKind::Merge | PatchKind::Strategic => {
                if let Some(why) = crate::gojson::syntax_error(body) {
                    return Err(decoding(&why));
                }
                let value: Value = serde_json::from_slice(body)
                    .map_err(|e| ApiError::bad_request(e.to_string()))?;
                if !value.is_object() {
                    return Err(decoding(&format!(
                        "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                        crate::gojson::go_type(&value)
                    )));
                }
                if kind == PatchKind::Strategic {
                    Ok(Patch::Strategic(value))
                } else {
                    Ok(Patch::Merge(value))
                }
            }
            PatchKind::Json => {
                if let Some(why) = crate::gojson::syntax_error(body) {
                    return Err(decoding(&why));
                }
                let value: Value = serde_json::from_slice(body)
                    .map_err(|e| ApiError::bad_request(e.to_string()))?;
                let Value::Array(ops) = value else {
                    return Err(decoding(&format!(
                        "json: cannot unmarshal {} into Go value of type []handlers.jsonPatchOp",
                        crate::gojson::go_type(&value)
                    )));
                };
                if ops.len() > MAX_JSON_PATCH_OPS {
                    return Err(ApiError::too_large(format!(
                        "The allowed maximum operations in a JSON patch is {MAX_JSON_PATCH_OPS}, got {}",
                        ops.len()
                    )));
                }
                // An operation the patch library does not know fails when applied upstream: the
                // same generic 422.
                let patch: json_patch::Patch =
                    serde_json::from_value(Value::Array(ops)).map_err(|_| rejected())?;
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
                .at("/metadata/resourceVersion")
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
            Patch::Merge(patch) => {
                let mut doc = old.clone();
                json_patch::merge(&mut doc, patch);
                Ok(doc)
            }
            Patch::Strategic(patch) => {
                let mut doc = old.clone();
                if !strategic_merge(&mut doc, patch) {
                    doc = json!({});
                }
                Ok(doc)
            }
            Patch::Json(patch) => apply_json_patch(old, patch),
            Patch::Apply(config) => super::apply::apply(
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
            && let Some(value) = doc.at(copy.from.as_str())
        {
            copied += serde_json::to_vec(value).map_or(0, |v| v.len());
            if copied > MAX_JSON_PATCH_COPY_BYTES {
                return Err(rejected());
            }
        }
        json_patch::patch_unsafe(&mut doc, std::slice::from_ref(op)).map_err(|_| rejected())?;
    }
    Ok(doc)
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
    fn strategic_directives_are_honoured_or_dropped() {
        let old = json!({"metadata": {"name": "c"}, "data": {"a": "0", "b": "0"}, "x": {"y": 1}});
        let apply = |body: &[u8]| {
            let Patch::Strategic(p) = Patch::parse(PatchKind::Strategic, body).unwrap() else {
                panic!("strategic")
            };
            let mut doc = old.clone();
            if !strategic_merge(&mut doc, &p) {
                doc = Value::Null;
            }
            doc
        };
        // Unknown directives are dropped; the rest merges.
        assert_eq!(
            apply(br#"{"$patch":"x","data":{"a":"1","$retainKeys":["a"]}}"#),
            json!({"metadata": {"name": "c"}, "data": {"a": "1", "b": "0"}, "x": {"y": 1}})
        );
        // A map's $patch: replace makes it the patch's; delete removes it.
        assert_eq!(
            apply(br#"{"data":{"$patch":"replace","c":"2"},"x":{"$patch":"delete"}}"#),
            json!({"metadata": {"name": "c"}, "data": {"c": "2"}})
        );
        assert_eq!(apply(br#"{"$patch":"delete"}"#), Value::Null);
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
