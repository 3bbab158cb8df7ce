//! Validation of a Revision's pod spec (serving's `ValidatePodSpec`, `k8s_validation.go`):
//! feature-gated fields, containers, ports, env, volumes, mounts, probes and the
//! secure-defaults warnings. Paths are relative to the RevisionSpec. The pod-level fields are
//! here; volumes, containers and probes each have a file beside it.

use crate::crd::gofmt::quote;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::knative::configmaps::Features;
use crate::knative::names::ImageRef;
use kuberules::fielderror::{FieldError, Level};
use kuberules::names::{dns1123_label, dns1123_subdomain};

mod containers;
mod probes;
mod volumes;

use containers::*;
use probes::*;
use volumes::*;

const MAX_INT32: i64 = 2147483647;
const RESERVED_PORTS: &[i64] = &[8012, 8013, 8022, 9090, 9091, 8008];
const RESERVED_ENV: &[&str] = &["PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION"];
const RESERVED_PATHS: &[&str] = &["/", "/dev", "/dev/log"];

/// Pod-spec fields that are accepted only when their feature flag is not Disabled.
const GATED_POD_FIELDS: &[(&str, &str)] = &[
    ("affinity", "kubernetes.podspec-affinity"),
    (
        "topologySpreadConstraints",
        "kubernetes.podspec-topologyspreadconstraints",
    ),
    ("hostAliases", "kubernetes.podspec-hostaliases"),
    ("nodeSelector", "kubernetes.podspec-nodeselector"),
    ("runtimeClassName", "kubernetes.podspec-runtimeclassname"),
    ("tolerations", "kubernetes.podspec-tolerations"),
    ("schedulerName", "kubernetes.podspec-schedulername"),
    ("priorityClassName", "kubernetes.podspec-priorityclassname"),
    ("dnsPolicy", "kubernetes.podspec-dnspolicy"),
    ("dnsConfig", "kubernetes.podspec-dnsconfig"),
    (
        "shareProcessNamespace",
        "kubernetes.podspec-shareprocessnamespace",
    ),
    ("hostIPC", "kubernetes.podspec-hostipc"),
    ("hostPID", "kubernetes.podspec-hostpid"),
    ("hostNetwork", "kubernetes.podspec-hostnetwork"),
    ("initContainers", "kubernetes.podspec-init-containers"),
];

/// Volume sources behind feature flags (emptyDir and PVCs have their own messages).
const GATED_VOLUME_SOURCES: &[(&str, &str)] = &[
    ("hostPath", "kubernetes.podspec-volumes-hostpath"),
    ("csi", "kubernetes.podspec-volumes-csi"),
    ("ephemeral", "kubernetes.podspec-volumes-ephemeral"),
    ("image", "kubernetes.podspec-volumes-image"),
];

/// Pod security context fields allowed without `kubernetes.podspec-securitycontext`.
const POD_SECURITY_CONTEXT_ALLOWED: &[&str] = &[
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "fsGroup",
    "supplementalGroups",
    "seccompProfile",
];

fn is_set(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
    }
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn arr<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn int(v: &Value, k: &str) -> i64 {
    v.get(k).and_then(Value::as_i64).unwrap_or(0)
}

/// `ValidatePodSpec`.
pub fn validate_pod_spec(features: &Features, ps: &Value) -> FieldError {
    let mut errs = FieldError::none();

    // Feature-gated pod-spec fields.
    let disallowed: Vec<&str> = GATED_POD_FIELDS
        .iter()
        .filter(|(field, flag)| is_set(ps.get(*field)) && !features.allows(flag))
        .map(|(field, _)| *field)
        .collect();
    if !disallowed.is_empty() {
        errs.push(FieldError::disallowed(&disallowed));
    }

    // Pod security context.
    if let Some(sc) = ps.get("securityContext").and_then(Value::as_object) {
        let mut e = FieldError::none();
        let secure_defaults = features.allows("secure-pod-defaults");
        let feature = features.allows("kubernetes.podspec-securitycontext");
        // `PodSpecMask` keeps the pod securityContext only with the feature or secure pod
        // defaults; `PodSecurityContextMask` keeps the allowed subset only with the feature, and
        // otherwise a RuntimeDefault/Unconfined seccompProfile under secure pod defaults.
        if !feature && !secure_defaults && !sc.is_empty() {
            errs.push(FieldError::disallowed(&["securityContext"]));
        }
        let bad: Vec<&str> = sc
            .iter()
            .filter(|(k, v)| {
                let allowed = if feature {
                    POD_SECURITY_CONTEXT_ALLOWED.contains(&k.as_str())
                } else {
                    secure_defaults
                        && k.as_str() == "seccompProfile"
                        && matches!(
                            v.get("type").and_then(Value::as_str),
                            Some("RuntimeDefault" | "Unconfined")
                        )
                };
                !allowed && is_set(Some(v))
            })
            .map(|(k, _)| k.as_str())
            .collect();
        if !bad.is_empty() {
            e.push(FieldError::disallowed(&bad));
        }
        let sc_v = Value::Object(sc.clone());
        for field in ["runAsUser", "runAsGroup", "fsGroup"] {
            if let Some(n) = sc_v.get(field).and_then(Value::as_i64)
                && !(0..=MAX_INT32).contains(&n)
            {
                e.push(FieldError::out_of_bounds(n, 0, MAX_INT32, field));
            }
        }
        for (i, g) in arr(&sc_v, "supplementalGroups").iter().enumerate() {
            if let Some(n) = g.as_i64()
                && !(0..=MAX_INT32).contains(&n)
            {
                e.push(
                    FieldError::out_of_bounds(n, 0, MAX_INT32, "")
                        .via_field_index("supplementalGroups", i),
                );
            }
        }
        errs.push(e.via_field("securityContext"));
    }

    let containers = arr(ps, "containers");
    let init_containers = arr(ps, "initContainers");
    let pod_sc = ps.get("securityContext").cloned().unwrap_or(Value::Null);

    // Warnings about insecure Kubernetes defaults.
    for (i, c) in containers.iter().enumerate() {
        errs.push(
            warn_default_security_context(
                &pod_sc,
                c.get("securityContext").unwrap_or(&Value::Null),
            )
            .via_field("securityContext")
            .via_field_index("containers", i),
        );
    }
    for (i, c) in init_containers.iter().enumerate() {
        errs.push(
            warn_default_security_context(
                &pod_sc,
                c.get("securityContext").unwrap_or(&Value::Null),
            )
            .via_field("securityContext")
            .via_field_index("initContainers", i),
        );
    }

    // Volumes.
    let mut mounted = BTreeSet::new();
    for c in init_containers.iter().chain(containers) {
        for m in arr(c, "volumeMounts") {
            mounted.insert(s(m, "name").to_string());
        }
    }
    let (volumes, verrs) = validate_volumes(features, arr(ps, "volumes"), &mounted);
    errs.push(verrs.via_field("volumes"));

    // Init containers.
    if !init_containers.is_empty() {
        if !features.enabled("kubernetes.podspec-init-containers") {
            errs.push(FieldError::new(
                format!(
                    "pod spec support for init-containers is off, but found {} init containers",
                    init_containers.len()
                ),
                &[],
            ));
        } else {
            let names: BTreeSet<&str> = containers.iter().map(|c| s(c, "name")).collect();
            for (i, c) in init_containers.iter().enumerate() {
                if names.contains(s(c, "name")) {
                    errs.push(
                        FieldError::new(
                            format!("duplicate container name {}", quote(s(c, "name"))),
                            &["name"],
                        )
                        .via_field_index("containers", i),
                    );
                }
                let mut e = FieldError::none();
                for probe in [
                    "livenessProbe",
                    "readinessProbe",
                    "startupProbe",
                    "lifecycle",
                ] {
                    if c.get(probe).is_some_and(|v| !v.is_null()) {
                        e.push(FieldError::new(
                            "field not allowed in an init container",
                            &[probe],
                        ));
                    }
                }
                e.push(validate_container_common(features, c, &volumes, true));
                errs.push(e.via_field_index("containers", i));
            }
        }
    }

    // Ports across containers.
    let mut count = 0;
    let mut port = serde_json::json!({});
    for c in containers {
        let ports = arr(c, "ports");
        if !ports.is_empty() {
            count += ports.len();
            port = ports[0].clone();
        }
    }
    let port_name = match s(&port, "name") {
        "" => "http".to_string(),
        n => n.to_string(),
    };
    if count == 0 && containers.len() > 1 {
        errs.push(FieldError::missing(&["ports"]).via_field("containers[*]"));
    } else if count > 1 {
        errs.push(
            FieldError::with_details(
                "more than one container port is set",
                &["ports"],
                "Only a single port is allowed across all containers",
            )
            .via_field("containers[*]"),
        );
    }

    match containers.len() {
        0 => errs.push(FieldError::missing(&["containers"])),
        1 => errs.push(
            validate_serving_container(features, &containers[0], &volumes, &port_name)
                .via_field_index("containers", 0),
        ),
        n => {
            if !features.enabled("multi-container") {
                errs.push(FieldError::new(
                    format!("multi-container is off, but found {n} containers"),
                    &[],
                ));
            } else {
                let mut seen = BTreeSet::new();
                for (i, c) in containers.iter().enumerate() {
                    let name = s(c, "name");
                    if !seen.insert(name) {
                        errs.push(
                            FieldError::new(
                                format!("duplicate container name {}", quote(name)),
                                &["name"],
                            )
                            .via_field_index("containers", i),
                        );
                    }
                    let e = if arr(c, "ports").is_empty() {
                        validate_sidecar_container(features, c, &volumes)
                    } else {
                        validate_serving_container(features, c, &volumes, &port_name)
                    };
                    errs.push(e.via_field_index("containers", i));
                }
            }
        }
    }

    let sa = s(ps, "serviceAccountName");
    if !sa.is_empty() {
        for e in dns1123_subdomain(sa) {
            errs.push(FieldError::invalid_value_details(
                sa,
                "serviceAccountName",
                &[&e],
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_paths() {
        assert_eq!(clean_path("/dev/"), "/dev");
        assert_eq!(clean_path("/a/../dev/log"), "/dev/log");
        assert_eq!(clean_path("//"), "/");
    }
}
