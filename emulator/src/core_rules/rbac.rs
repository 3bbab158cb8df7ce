//! RBAC objects (Roles, ClusterRoles and their bindings): policy rules, role references and
//! subjects, checked as the API server's `rbac/validation` does.

use super::*;

use crate::json::At;

/// Go's `%#v` of a `[]string`.
pub(super) fn go_string_slice(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

pub(super) fn required_with(field: String, detail: &str) -> Cause {
    Cause {
        reason: "FieldValueRequired".into(),
        message: if detail.is_empty() {
            "Required value".into()
        } else {
            format!("Required value: {detail}")
        },
        field,
    }
}

pub(super) fn not_supported(field: String, value: &str, supported: &[&str]) -> Cause {
    let list: Vec<String> = supported.iter().map(|s| quote(s)).collect();
    Cause {
        reason: "FieldValueNotSupported".into(),
        message: format!(
            "Unsupported value: {}: supported values: {}",
            quote(value),
            list.join(", ")
        ),
        field,
    }
}

/// `ValidatePolicyRule` for every rule of a Role or ClusterRole.
pub(super) fn policy_rules(object: &Value, namespaced: bool) -> Vec<Cause> {
    let mut causes = Vec::new();
    let rules = object.get("rules").and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        let path = format!("rules[{i}]");
        if strings_of(rule.get("verbs")).is_empty() {
            causes.push(required_with(
                format!("{path}.verbs"),
                "verbs must contain at least one value",
            ));
        }
        let urls = strings_of(rule.get("nonResourceURLs"));
        if !urls.is_empty() {
            let shown = go_string_slice(&urls);
            if namespaced {
                causes.push(invalid(
                    format!("{path}.nonResourceURLs"),
                    format!(
                        "Invalid value: {shown}: namespaced rules cannot apply to non-resource URLs"
                    ),
                ));
            }
            let resourceful = ["apiGroups", "resources", "resourceNames"]
                .iter()
                .any(|f| !strings_of(rule.get(*f)).is_empty());
            if resourceful {
                causes.push(invalid(
                    format!("{path}.nonResourceURLs"),
                    format!("Invalid value: {shown}: rules cannot apply to both regular resources and non-resource URLs"),
                ));
            }
            continue;
        }
        if strings_of(rule.get("apiGroups")).is_empty() {
            causes.push(required_with(
                format!("{path}.apiGroups"),
                "resource rules must supply at least one api group",
            ));
        }
        if strings_of(rule.get("resources")).is_empty() {
            causes.push(required_with(
                format!("{path}.resources"),
                "resource rules must supply at least one resource",
            ));
        }
    }
    causes
}

/// `ValidateRoleBinding` / `ValidateClusterRoleBinding` (and the immutable roleRef on update).
pub(super) fn binding(object: &Value, old: Option<&Value>, namespaced: bool) -> Vec<Cause> {
    let mut causes = Vec::new();
    let text = |v: &Value, p: &str| v.at(p).and_then(Value::as_str).unwrap_or("").to_string();
    let group = text(object, "/roleRef/apiGroup");
    if group != crate::builtin::RBAC_GROUP {
        causes.push(not_supported(
            "roleRef.apiGroup".into(),
            &group,
            &[crate::builtin::RBAC_GROUP],
        ));
    }
    let kind = text(object, "/roleRef/kind");
    let kinds: &[&str] = if namespaced {
        &["Role", "ClusterRole"]
    } else {
        &["ClusterRole"]
    };
    if !kinds.contains(&kind.as_str()) {
        causes.push(not_supported("roleRef.kind".into(), &kind, kinds));
    }
    let name = text(object, "/roleRef/name");
    if name.is_empty() {
        causes.push(required_with("roleRef.name".into(), ""));
    } else {
        for msg in crate::validation::path_segment(&name) {
            causes.push(invalid(
                "roleRef.name".into(),
                format!("Invalid value: {}: {msg}", quote(&name)),
            ));
        }
    }
    let subjects = object.get("subjects").and_then(Value::as_array);
    for (i, s) in subjects.into_iter().flatten().enumerate() {
        let path = format!("subjects[{i}]");
        let name = text(s, "/name");
        let api_group = text(s, "/apiGroup");
        if name.is_empty() {
            causes.push(required_with(format!("{path}.name"), ""));
        }
        match text(s, "/kind").as_str() {
            "ServiceAccount" => {
                if !name.is_empty() {
                    for msg in kuberules::names::dns1123_subdomain(&name) {
                        causes.push(invalid(
                            format!("{path}.name"),
                            format!("Invalid value: {}: {msg}", quote(&name)),
                        ));
                    }
                }
                if !api_group.is_empty() {
                    causes.push(not_supported(format!("{path}.apiGroup"), &api_group, &[""]));
                }
                if !namespaced && text(s, "/namespace").is_empty() {
                    causes.push(required_with(format!("{path}.namespace"), ""));
                }
            }
            "User" | "Group" => {
                if api_group != crate::builtin::RBAC_GROUP {
                    causes.push(not_supported(
                        format!("{path}.apiGroup"),
                        &api_group,
                        &[crate::builtin::RBAC_GROUP],
                    ));
                }
            }
            other => causes.push(not_supported(
                format!("{path}.kind"),
                other,
                &["ServiceAccount", "User", "Group"],
            )),
        }
    }
    if let Some(old) = old
        && old.get("roleRef") != object.get("roleRef")
    {
        causes.push(invalid(
            "roleRef".into(),
            format!(
                "Invalid value: rbac.RoleRef{{APIGroup:{}, Kind:{}, Name:{}}}: cannot change roleRef",
                quote(&group),
                quote(&kind),
                quote(&name)
            ),
        ));
    }
    causes
}
