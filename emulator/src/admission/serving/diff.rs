//! A rendering of knative.dev/pkg's `kmp.ShortDiff` (go-cmp with a short reporter) over the
//! JSON form of Revision templates and specs: one entry per changed leaf, with a Go-style path
//! such as `{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Image`.

use crate::crd::gofmt::quote;
use serde_json::Value;

/// Which Go struct the JSON describes (for field names and the path's root).
#[derive(Debug, Clone, Copy)]
pub enum Root {
    /// `*v1.RevisionTemplateSpec` (metadata + spec).
    RevisionTemplate,
    /// `v1.RevisionSpec`.
    RevisionSpec,
}

/// RevisionSpec's own fields; everything else is inlined from the PodSpec.
const REVISION_SPEC_FIELDS: &[&str] = &[
    "containerConcurrency",
    "timeoutSeconds",
    "responseStartTimeoutSeconds",
    "idleTimeoutSeconds",
];

/// Fields that are maps in Go (their keys render as `["key"]`).
const MAP_FIELDS: &[&str] = &[
    "labels",
    "annotations",
    "nodeSelector",
    "limits",
    "requests",
    "data",
    "matchLabels",
    "overhead",
];

fn go_field(json_key: &str) -> String {
    match json_key {
        "metadata" => "ObjectMeta".into(),
        "httpGet" => "HTTPGet".into(),
        "tcpSocket" => "TCPSocket".into(),
        "grpc" => "GRPC".into(),
        "hostIPC" => "HostIPC".into(),
        "hostPID" => "HostPID".into(),
        "dnsPolicy" => "DNSPolicy".into(),
        "dnsConfig" => "DNSConfig".into(),
        "tty" => "TTY".into(),
        "uid" => "UID".into(),
        "hostIP" => "HostIP".into(),
        "podIP" => "PodIP".into(),
        other => {
            let mut c = other.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        }
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// The short diff between two values, "" when equal.
pub fn short_diff(root: Root, old: &Value, new: &Value) -> String {
    let mut out = String::new();
    let (prefix, is_spec) = match root {
        Root::RevisionTemplate => ("{*v1.RevisionTemplateSpec}", false),
        Root::RevisionSpec => ("{v1.RevisionSpec}", true),
    };
    walk(
        prefix,
        old,
        new,
        Ctx {
            in_revision_spec: is_spec,
            in_map: false,
        },
        &mut out,
    );
    out
}

#[derive(Clone, Copy)]
struct Ctx {
    in_revision_spec: bool,
    in_map: bool,
}

/// Leaf fields Go holds by pointer, by the struct that holds them (the path's previous
/// segment): go-cmp writes a dereferenced leaf as `*` before the whole path.
fn is_pointer_leaf(path: &str) -> bool {
    let mut segments = path.rsplit('.');
    let (Some(last), Some(parent)) = (segments.next(), segments.next()) else {
        return false;
    };
    match parent {
        // `{v1.RevisionSpec}` splits at its own dot.
        "RevisionSpec}" | "Spec" => matches!(
            last,
            "ContainerConcurrency"
                | "TimeoutSeconds"
                | "ResponseStartTimeoutSeconds"
                | "IdleTimeoutSeconds"
        ),
        "PodSpec" => matches!(
            last,
            "EnableServiceLinks"
                | "AutomountServiceAccountToken"
                | "ShareProcessNamespace"
                | "RuntimeClassName"
                | "TerminationGracePeriodSeconds"
                | "ActiveDeadlineSeconds"
                | "HostUsers"
        ),
        "SecurityContext" => matches!(
            last,
            "RunAsUser"
                | "RunAsGroup"
                | "RunAsNonRoot"
                | "ReadOnlyRootFilesystem"
                | "AllowPrivilegeEscalation"
                | "Privileged"
                | "FSGroup"
        ),
        _ => false,
    }
}

fn walk(path: &str, old: &Value, new: &Value, ctx: Ctx, out: &mut String) {
    if old == new {
        return;
    }
    // A container's `resources` is a struct, not a pointer: absent and empty are the same
    // Go value.
    let empty = |v: &Value| v.is_null() || v.as_object().is_some_and(|m| m.is_empty());
    if path.ends_with(".Resources") && empty(old) && empty(new) {
        return;
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let va = a.get(k).unwrap_or(&Value::Null);
                let vb = b.get(k).unwrap_or(&Value::Null);
                let (child, child_ctx) = if ctx.in_map {
                    (
                        format!("{path}[{}]", quote(k)),
                        Ctx {
                            in_map: false,
                            in_revision_spec: false,
                        },
                    )
                } else if ctx.in_revision_spec {
                    let seg = if REVISION_SPEC_FIELDS.contains(&k.as_str()) {
                        go_field(k)
                    } else {
                        format!("PodSpec.{}", go_field(k))
                    };
                    (
                        format!("{path}.{seg}"),
                        Ctx {
                            in_map: MAP_FIELDS.contains(&k.as_str()),
                            in_revision_spec: false,
                        },
                    )
                } else {
                    let is_spec = k == "spec" && path == "{*v1.RevisionTemplateSpec}";
                    (
                        format!("{path}.{}", go_field(k)),
                        Ctx {
                            in_map: MAP_FIELDS.contains(&k.as_str()),
                            in_revision_spec: is_spec,
                        },
                    )
                };
                walk(&child, va, vb, child_ctx, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                walk(
                    &format!("{path}[{i}]"),
                    va,
                    vb,
                    Ctx {
                        in_map: false,
                        in_revision_spec: false,
                    },
                    out,
                );
            }
        }
        _ => {
            let star = if !old.is_null() && !new.is_null() && is_pointer_leaf(path) {
                "*"
            } else {
                ""
            };
            out.push_str(&format!(
                "{star}{path}:\n\t-: \"{}\"\n\t+: \"{}\"\n",
                plain(old),
                plain(new)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn image_change_in_template() {
        let a = json!({"metadata": {"name": "x"}, "spec": {"containers": [{"image": "a"}], "timeoutSeconds": 300}});
        let b = json!({"metadata": {"name": "x"}, "spec": {"containers": [{"image": "b"}], "timeoutSeconds": 300}});
        assert_eq!(
            short_diff(Root::RevisionTemplate, &a, &b),
            "{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Image:\n\t-: \"a\"\n\t+: \"b\"\n"
        );
    }

    #[test]
    fn annotation_change_in_template() {
        let a = json!({"metadata": {"annotations": {"k": "1"}}});
        let b = json!({"metadata": {"annotations": {"k": "2"}}});
        assert_eq!(
            short_diff(Root::RevisionTemplate, &a, &b),
            "{*v1.RevisionTemplateSpec}.ObjectMeta.Annotations[\"k\"]:\n\t-: \"1\"\n\t+: \"2\"\n"
        );
    }

    #[test]
    fn revision_spec_fields() {
        let a = json!({"timeoutSeconds": 300, "containers": [{"image": "a"}]});
        let b = json!({"timeoutSeconds": 30, "containers": [{"image": "a"}]});
        assert_eq!(
            short_diff(Root::RevisionSpec, &a, &b),
            "*{v1.RevisionSpec}.TimeoutSeconds:\n\t-: \"300\"\n\t+: \"30\"\n"
        );
    }
}
