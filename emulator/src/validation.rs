//! Object-metadata validation as apimachinery does it: names (DNS subdomain / label),
//! label keys (qualified names) and values, with apimachinery's exact messages.

use crate::crd::gofmt::quote;
use serde_json::Value;

use crate::status::{ApiError, Cause};
use kuberules::names::{
    dns1035_label, dns1123_label, dns1123_subdomain, label_value, qualified_name,
};

/// A 422 about a request option of `options_kind` (`DeleteOptions`, `PatchOptions`, …), as the
/// API server words it.
pub fn options_error(options_kind: &str, field: &str, reason: &str, message: String) -> ApiError {
    ApiError::invalid(
        &format!("{options_kind}.meta.k8s.io"),
        "meta.k8s.io",
        options_kind,
        "",
        vec![Cause {
            reason: reason.into(),
            message,
            field: field.into(),
        }],
    )
}

/// An option's value that is not one of `supported`.
pub fn unsupported_option(
    options_kind: &str,
    field: &str,
    value: &str,
    supported: &[&str],
) -> ApiError {
    let supported: Vec<String> = supported.iter().map(|s| quote(s)).collect();
    options_error(
        options_kind,
        field,
        "FieldValueNotSupported",
        format!(
            "Unsupported value: {}: supported values: {}",
            quote(value),
            supported.join(", ")
        ),
    )
}

/// `dryRun` values: only `All` is accepted. Whether a dry run was asked for.
pub fn parse_dry_run<'a>(
    options_kind: &str,
    values: impl Iterator<Item = &'a str>,
) -> Result<bool, ApiError> {
    let values: Vec<&str> = values.collect();
    if values.iter().any(|v| *v != "All") {
        // Upstream shows the whole list as Go's %#v of a []string.
        let shown: Vec<String> = values.iter().map(|v| quote(v)).collect();
        return Err(options_error(
            options_kind,
            "dryRun",
            "FieldValueNotSupported",
            format!(
                "Unsupported value: []string{{{}}}: supported values: \"All\"",
                shown.join(", ")
            ),
        ));
    }
    Ok(!values.is_empty())
}

fn invalid(field: &str, value: &str, msg: &str) -> Cause {
    Cause {
        reason: "FieldValueInvalid".into(),
        message: format!("Invalid value: {}: {msg}", quote(value)),
        field: field.into(),
    }
}

/// Which rule names of a resource must follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    Subdomain,
    Label,
    Dns1035,
    /// A path segment (RBAC objects: `system:controller:x` is fine, `a/b` is not).
    PathSegment,
}

/// `path.IsValidPathSegmentName`.
pub fn path_segment(value: &str) -> Vec<String> {
    match value {
        "." => return vec!["may not be '.'".into()],
        ".." => return vec!["may not be '..'".into()],
        _ => {}
    }
    let mut errs = Vec::new();
    for bad in ["/", "%"] {
        if value.contains(bad) {
            errs.push(format!("may not contain '{bad}'"));
        }
    }
    errs
}

/// Validates `metadata` of an object about to be stored: name, generateName-derived name,
/// labels and annotation keys. Returns the causes of a 422.
pub fn validate_metadata(object: &Value, rule: NameRule) -> Vec<Cause> {
    let mut causes = Vec::new();
    let meta = object.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if name.is_empty() {
        causes.push(Cause {
            reason: "FieldValueRequired".into(),
            message: "Required value: name or generateName is required".into(),
            field: "metadata.name".into(),
        });
    } else {
        let errs = match rule {
            NameRule::Subdomain => dns1123_subdomain(name),
            NameRule::Label => dns1123_label(name),
            NameRule::Dns1035 => dns1035_label(name),
            NameRule::PathSegment => path_segment(name),
        };
        for msg in errs {
            causes.push(invalid("metadata.name", name, &msg));
        }
    }
    if let Some(labels) = meta
        .and_then(|m| m.get("labels"))
        .and_then(Value::as_object)
    {
        for (key, value) in labels {
            for msg in qualified_name(key) {
                causes.push(invalid("metadata.labels", key, &msg));
            }
            let value = value.as_str().unwrap_or("");
            for msg in label_value(value) {
                causes.push(invalid("metadata.labels", value, &msg));
            }
        }
    }
    if let Some(annotations) = meta
        .and_then(|m| m.get("annotations"))
        .and_then(Value::as_object)
    {
        for key in annotations.keys() {
            for msg in qualified_name(&key.to_lowercase()) {
                causes.push(invalid("metadata.annotations", key, &msg));
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
    fn labels_are_validated() {
        let causes = validate_metadata(
            &json!({"metadata": {"name": "x", "labels": {"a/b/c": "ok", "k": "bad value"}}}),
            NameRule::Subdomain,
        );
        assert_eq!(causes.len(), 2);
        assert_eq!(causes[0].field, "metadata.labels");
        assert!(
            causes[0]
                .message
                .starts_with("Invalid value: \"a/b/c\": a qualified name must consist")
        );
        assert!(
            causes[1]
                .message
                .starts_with("Invalid value: \"bad value\": a valid label must be an empty string")
        );
    }

    #[test]
    fn missing_name() {
        let causes = validate_metadata(&json!({"metadata": {}}), NameRule::Subdomain);
        assert_eq!(
            causes[0].message,
            "Required value: name or generateName is required"
        );
    }
}
