//! What the real API server checks of built-in objects that the emulator stores as JSON: the
//! decoding into Go types (unknown fields, value types, base64), and the validation of
//! ConfigMaps and Secrets (keys, immutability, type-specific keys), with upstream's messages.
//! Go decoding errors are in `core_rules/decode.rs`, the RBAC checks in `core_rules/rbac.rs`.

use base64::Engine;
use serde_json::{Map, Value};

use crate::crd::gofmt::quote;
use crate::status::{ApiError, Cause};

mod decode;
pub use decode::*;

mod rbac;
use rbac::*;

/// The fields of `ObjectMeta` (anything else under `metadata` is unknown).
const OBJECT_META: [&str; 15] = [
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

/// The top-level fields of a built-in kind, when the emulator knows them all.
fn known_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "ConfigMap" => &[
            "apiVersion",
            "kind",
            "metadata",
            "data",
            "binaryData",
            "immutable",
        ],
        "Secret" => &[
            "apiVersion",
            "kind",
            "metadata",
            "data",
            "stringData",
            "type",
            "immutable",
        ],
        "Namespace" | "Service" | "Pod" => &["apiVersion", "kind", "metadata", "spec", "status"],
        "ServiceAccount" => &[
            "apiVersion",
            "kind",
            "metadata",
            "secrets",
            "imagePullSecrets",
            "automountServiceAccountToken",
        ],
        "Role" => &["apiVersion", "kind", "metadata", "rules"],
        "ClusterRole" => &["apiVersion", "kind", "metadata", "rules", "aggregationRule"],
        "RoleBinding" | "ClusterRoleBinding" => {
            &["apiVersion", "kind", "metadata", "subjects", "roleRef"]
        }
        _ => return None,
    })
}

/// `Kind in version "v1" cannot be handled as a Kind: WHY`, the decoder's 400.
pub fn cannot_handle(kind: &str, version: &str, why: &str) -> ApiError {
    cannot_handle_as(kind, version, kind, why)
}

/// The decoder's 400 for a body of kind `from` sent where `into` is served.
pub fn cannot_handle_as(from: &str, version: &str, into: &str, why: &str) -> ApiError {
    ApiError::bad_request(format!(
        "{from} in version {} cannot be handled as a {into}: {why}",
        quote(version)
    ))
}

/// Unknown fields of `metadata` (any kind), as dotted paths.
pub fn unknown_metadata(object: &Value) -> Vec<String> {
    object
        .get("metadata")
        .and_then(Value::as_object)
        .map(|m| {
            m.keys()
                .filter(|k| !OBJECT_META.contains(&k.as_str()))
                .map(|k| format!("metadata.{k}"))
                .collect()
        })
        .unwrap_or_default()
}

/// Removes the unknown top-level and metadata fields of a built-in object and returns their
/// paths (in the order upstream's strict decoder reports them).
pub fn prune_unknown(kind: &str, object: &mut Value) -> Vec<String> {
    let mut unknown = Vec::new();
    let known = match kind {
        crate::event_versions::KIND => Some(crate::event_versions::known_fields(object)),
        _ => known_fields(kind),
    };
    if let Some(known) = known
        && let Some(map) = object.as_object_mut()
    {
        let extra: Vec<String> = map
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .cloned()
            .collect();
        for k in extra {
            map.remove(&k);
            unknown.push(k);
        }
    }
    for path in unknown_metadata(object) {
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove(path.trim_start_matches("metadata."));
        }
        unknown.push(path);
    }
    unknown
}

/// The 422 of a patch whose result the decoder refuses: the patched object, as JSON, and why.
pub fn patch_invalid(patched: &Value, why: &str) -> ApiError {
    let message = format!("Invalid value: {}: {why}", quote(&patched.to_string()));
    ApiError::new(422, "Invalid", format!(" \"\" is invalid: patch: {message}")).with_details(
        serde_json::json!({"causes": [{"reason": "FieldValueInvalid", "message": message, "field": "patch"}]}),
    )
}

/// Go's `omitempty` on the map fields of built-in types: an empty map is not stored.
pub fn drop_empty_maps(object: &mut Value) {
    let empty = |v: Option<&Value>| v.and_then(Value::as_object).is_some_and(Map::is_empty);
    if let Some(map) = object.as_object_mut() {
        for field in ["data", "binaryData", "stringData"] {
            if empty(map.get(field)) {
                map.remove(field);
            }
        }
        for field in ["subjects"] {
            if map
                .get(field)
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty)
            {
                map.remove(field);
            }
        }
    }
    drop_empty_metadata(object);
}

/// How a built-in object is stored once admitted: a Role's `rules` has no `omitempty`, so an
/// empty or missing list is stored as null; an Event takes its version's Go JSON form.
pub fn storage_form(kind: &str, object: &mut Value) {
    if kind == crate::event_versions::KIND {
        crate::event_versions::storage_form(object);
    }
    if matches!(kind, "Role" | "ClusterRole")
        && let Some(map) = object.as_object_mut()
        && map
            .get("rules")
            .is_none_or(|r| r.as_array().is_some_and(Vec::is_empty))
    {
        map.insert("rules".into(), Value::Null);
    }
}

/// `ObjectMeta`'s `omitempty` (every kind's metadata goes through it): empty labels,
/// annotations, finalizers and ownerReferences are not stored.
pub fn drop_empty_metadata(object: &mut Value) {
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in ["labels", "annotations", "finalizers", "ownerReferences"] {
            let empty = match meta.get(field) {
                Some(Value::Object(m)) => m.is_empty(),
                Some(Value::Array(a)) => a.is_empty(),
                Some(Value::Null) => true,
                _ => false,
            };
            if empty {
                meta.remove(field);
            }
        }
    }
}

fn invalid(field: String, message: String) -> Cause {
    Cause {
        reason: "FieldValueInvalid".into(),
        message,
        field,
    }
}

/// `IsConfigMapKey`: the key rules of ConfigMap and Secret data.
fn key_causes(field: &str, key: &str) -> Vec<Cause> {
    let mut why = Vec::new();
    if key.len() > 253 {
        why.push("must be no more than 253 characters".to_string());
    }
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        if key == "." {
            why.push("must not be '.'".into());
        } else if key == ".." {
            why.push("must not be '..'".into());
        } else if key.starts_with("..") {
            why.push("must not start with '..'".into());
        }
    } else {
        why.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".into());
    }
    why.into_iter()
        .map(|w| {
            invalid(
                format!("{field}[{key}]"),
                format!("Invalid value: {}: {w}", quote(key)),
            )
        })
        .collect()
}

fn keys(object: &Value, field: &str) -> Vec<String> {
    object
        .get(field)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn required(field: String) -> Cause {
    Cause {
        reason: "FieldValueRequired".into(),
        message: "Required value".into(),
        field,
    }
}

fn immutable_forbidden(field: &str) -> Cause {
    Cause {
        reason: "FieldValueForbidden".into(),
        message: "Forbidden: field is immutable when `immutable` is set".into(),
        field: field.into(),
    }
}

fn non_empty(object: &Value, field: &str, key: &str) -> bool {
    object
        .get(field)
        .and_then(|d| d.get(key))
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
}

/// The v1 defaults of built-in objects applied when they are decoded: a binding subject's
/// apiGroup (`rbac.authorization.k8s.io` for users and groups).
pub fn apply_defaults(kind: &str, object: &mut Value) {
    if !matches!(kind, "RoleBinding" | "ClusterRoleBinding") {
        return;
    }
    if let Some(map) = object.as_object_mut() {
        let role_ref = map
            .entry("roleRef")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(r) = role_ref.as_object_mut()
            && r.get("apiGroup")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        {
            r.insert("apiGroup".into(), Value::from(crate::builtin::RBAC_GROUP));
        }
    }
    for subject in object
        .get_mut("subjects")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let Some(s) = subject.as_object_mut() else {
            continue;
        };
        let empty = s
            .get("apiGroup")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        let kind = s.get("kind").and_then(Value::as_str).unwrap_or("");
        if empty && matches!(kind, "User" | "Group") {
            s.insert("apiGroup".into(), Value::from(crate::builtin::RBAC_GROUP));
        }
    }
}

/// The strings of a JSON array (other items and a missing array give none).
pub(crate) fn strings_of(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Validation of a ConfigMap, Secret or RBAC object (create, or update from `old`).
pub fn validate(kind: &str, object: &Value, old: Option<&Value>) -> Vec<Cause> {
    let mut causes = Vec::new();
    match kind {
        "Role" | "ClusterRole" => {
            let once = policy_rules(object, kind == "Role");
            // Upstream's update validation validates the rules twice: each cause appears twice.
            if old.is_some() {
                causes.extend(once.iter().cloned());
            }
            causes.extend(once);
            return causes;
        }
        "RoleBinding" => return binding(object, old, true),
        "ClusterRoleBinding" => return binding(object, old, false),
        "ConfigMap" => {
            let data = keys(object, "data");
            for key in &data {
                causes.extend(key_causes("data", key));
            }
            for key in keys(object, "binaryData") {
                causes.extend(key_causes("binaryData", &key));
                if data.contains(&key) {
                    causes.push(invalid(
                        format!("data[{key}]"),
                        format!(
                            "Invalid value: {}: duplicate of key present in binaryData",
                            quote(&key)
                        ),
                    ));
                }
            }
        }
        "Secret" => {
            for key in keys(object, "data") {
                causes.extend(key_causes("data", &key));
            }
            let pair = |a: &str, b: &str| {
                [a, b]
                    .iter()
                    .filter(|k| !non_empty(object, "data", k))
                    .map(|k| required(format!("data[{k}]")))
                    .collect::<Vec<_>>()
            };
            match object.get("type").and_then(Value::as_str).unwrap_or("") {
                "kubernetes.io/tls" => causes.extend(pair("tls.crt", "tls.key")),
                "kubernetes.io/ssh-auth" if !non_empty(object, "data", "ssh-privatekey") => {
                    causes.push(required("data[ssh-privatekey]".into()));
                }
                "kubernetes.io/basic-auth"
                    if !non_empty(object, "data", "username")
                        && !non_empty(object, "data", "password") =>
                {
                    causes.extend(pair("username", "password"));
                }
                _ => {}
            }
        }
        _ => return causes,
    }
    let Some(old) = old else { return causes };
    if kind == "Secret" {
        let (before, after) = (old.get("type"), object.get("type"));
        if before != after {
            let shown = after.and_then(Value::as_str).unwrap_or("");
            causes.push(invalid(
                "type".into(),
                format!("Invalid value: {}: field is immutable", quote(shown)),
            ));
        }
    }
    if old.get("immutable") == Some(&Value::Bool(true)) {
        if object.get("immutable") != Some(&Value::Bool(true)) {
            causes.push(immutable_forbidden("immutable"));
        }
        let fields: &[&str] = if kind == "ConfigMap" {
            &["data", "binaryData"]
        } else {
            &["data"]
        };
        for field in fields {
            let empty =
                |v: Option<&Value>| v.is_none_or(|v| v.as_object().is_some_and(Map::is_empty));
            let (a, b) = (old.get(*field), object.get(*field));
            if a != b && !(empty(a) && empty(b)) {
                causes.push(immutable_forbidden(field));
            }
        }
    }
    causes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_errors_name_the_byte_as_go_does() {
        assert_eq!(base64_error("aGk="), None);
        assert_eq!(
            base64_error("not base64!").as_deref(),
            Some("illegal base64 data at input byte 3")
        );
    }

    #[test]
    fn config_keys_and_immutability() {
        let causes = validate(
            "ConfigMap",
            &json!({"data": {"not valid": "x", "ok": "y"}}),
            None,
        );
        assert_eq!(causes.len(), 1);
        assert_eq!(causes[0].field, "data[not valid]");
        let old = json!({"immutable": true, "data": {"a": "1"}});
        let causes = validate(
            "ConfigMap",
            &json!({"immutable": false, "data": {"a": "2"}}),
            Some(&old),
        );
        let fields: Vec<&str> = causes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["immutable", "data"]);
    }

    #[test]
    fn unknown_fields_are_pruned_and_named() {
        let mut cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "x": 1}, "bogus": true});
        assert_eq!(prune_unknown("ConfigMap", &mut cm), ["bogus", "metadata.x"]);
        assert_eq!(
            cm,
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
        );
    }
}
