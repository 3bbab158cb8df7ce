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

/// `%v` of an `intstr.IntOrString`: `{Type IntVal StrVal}`.
fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => format!("{{1 0 {s}}}"),
        Some(Value::Number(n)) => format!("{{0 {n} }}"),
        _ => "{0 0 }".into(),
    }
}

/// The generated `String()` of a `*corev1.Probe` (k8s.io/api `generated.pb.go`), which the
/// diff reporter prints for a probe that is nil on one side.
fn probe_string(v: &Value) -> String {
    if v.is_null() {
        return "nil".into();
    }
    let num = |o: &Value, k: &str| o.get(k).and_then(Value::as_i64).unwrap_or(0);
    let text = |o: &Value, k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let handler = |k: &str| v.get(k).filter(|h| !h.is_null());
    let exec = handler("exec").map_or("nil".into(), |e| {
        let command: Vec<String> = e
            .get("command")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(plain)
            .collect();
        format!("&ExecAction{{Command:[{}],}}", command.join(" "))
    });
    let http = handler("httpGet").map_or("nil".into(), |h| {
        let headers: String = h
            .get("httpHeaders")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|x| format!("HTTPHeader{{Name:{},Value:{},}},", text(x, "name"), text(x, "value")))
            .collect();
        format!(
            "&HTTPGetAction{{Path:{},Port:{},Host:{},Scheme:{},HTTPHeaders:[]HTTPHeader{{{headers}}},}}",
            text(h, "path"),
            int_or_string(h.get("port")),
            text(h, "host"),
            text(h, "scheme")
        )
    });
    let tcp = handler("tcpSocket").map_or("nil".into(), |t| {
        format!(
            "&TCPSocketAction{{Port:{},Host:{},}}",
            int_or_string(t.get("port")),
            text(t, "host")
        )
    });
    let grpc = handler("grpc").map_or("nil".into(), |g| {
        let service = g
            .get("service")
            .and_then(Value::as_str)
            .map_or("nil".to_string(), |s| format!("*{s}"));
        format!("&GRPCAction{{Port:{},Service:{service},}}", num(g, "port"))
    });
    let grace = v
        .get("terminationGracePeriodSeconds")
        .and_then(Value::as_i64)
        .map_or("nil".to_string(), |n| format!("*{n}"));
    format!(
        "&Probe{{ProbeHandler:ProbeHandler{{Exec:{exec},HTTPGet:{http},TCPSocket:{tcp},GRPC:{grpc},}},InitialDelaySeconds:{},TimeoutSeconds:{},PeriodSeconds:{},SuccessThreshold:{},FailureThreshold:{},TerminationGracePeriodSeconds:{grace},}}",
        num(v, "initialDelaySeconds"),
        num(v, "timeoutSeconds"),
        num(v, "periodSeconds"),
        num(v, "successThreshold"),
        num(v, "failureThreshold")
    )
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
            let probe = ["ReadinessProbe", "LivenessProbe", "StartupProbe"]
                .iter()
                .any(|p| path.ends_with(&format!(".{p}")));
            let show = |v: &Value| if probe { probe_string(v) } else { plain(v) };
            out.push_str(&format!(
                "{star}{path}:\n\t-: \"{}\"\n\t+: \"{}\"\n",
                show(old),
                show(new)
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
    fn removed_probe_prints_its_generated_string() {
        let a = json!({"spec": {"containers": [{"readinessProbe": {"tcpSocket": {"port": 0}, "successThreshold": 1}}]}});
        let b = json!({"spec": {"containers": [{}]}});
        assert_eq!(
            short_diff(Root::RevisionTemplate, &a, &b),
            "{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].ReadinessProbe:\n\t-: \"&Probe{ProbeHandler:ProbeHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{0 0 },Host:,},GRPC:nil,},InitialDelaySeconds:0,TimeoutSeconds:0,PeriodSeconds:0,SuccessThreshold:1,FailureThreshold:0,TerminationGracePeriodSeconds:nil,}\"\n\t+: \"nil\"\n"
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
