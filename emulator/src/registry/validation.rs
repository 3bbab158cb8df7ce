//! Object-metadata validation as apimachinery does it: names (DNS subdomain / label),
//! label keys (qualified names) and values, with apimachinery's exact messages.

use crate::crd::gofmt::quote;
use serde_json::Value;

use crate::status::{ApiError, Cause};

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

fn dns1123_subdomain_fmt() -> String {
    format!("{DNS1123_LABEL_FMT}(\\.{DNS1123_LABEL_FMT})*")
}

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn is_dns1123_label_shape(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| is_lower_alnum(c) || c == '-')
        && s.chars().next().is_some_and(is_lower_alnum)
        && s.chars().last().is_some_and(is_lower_alnum)
}

/// Messages of `IsDNS1123Subdomain` (empty when valid).
pub fn dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if !value.split('.').all(is_dns1123_label_shape) {
        errs.push(format!(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '{}')",
            dns1123_subdomain_fmt()
        ));
    }
    errs
}

/// Messages of `IsDNS1123Label`.
pub fn dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_dns1123_label_shape(value) {
        errs.push(format!(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '{DNS1123_LABEL_FMT}')"
        ));
    }
    errs
}

/// Messages of `IsDNS1035Label` (core Services' names).
pub fn dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let ok = !value.is_empty()
        && value.chars().all(|c| is_lower_alnum(c) || c == '-')
        && value.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && value.chars().last().is_some_and(is_lower_alnum);
    if !ok {
        errs.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".to_string());
    }
    errs
}

fn is_qualified_part(s: &str) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    !s.is_empty()
        && s.chars()
            .all(|c| alnum(c) || c == '-' || c == '_' || c == '.')
        && s.chars().next().is_some_and(alnum)
        && s.chars().last().is_some_and(alnum)
}

/// Messages of `IsQualifiedName` (label and annotation keys).
pub fn qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            return vec![format!(
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '{QUALIFIED_NAME_FMT}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            )];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    // The pattern needs at least one character, so an empty name fails it too.
    if !is_qualified_part(name) {
        errs.push(format!(
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '{QUALIFIED_NAME_FMT}')"
        ));
    }
    errs
}

/// Messages of `IsValidLabelValue`.
pub fn label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !is_qualified_part(value) {
        errs.push(format!(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '{LABEL_VALUE_FMT}')"
        ));
    }
    errs
}

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
    fn subdomain_names() {
        assert!(dns1123_subdomain("hello.world").is_empty());
        assert_eq!(
            dns1123_subdomain("Hello"),
            [
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            ]
        );
    }

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
