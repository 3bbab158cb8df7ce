//! The containers' probes (liveness, readiness and their Knative limits) and the secure-defaults
//! security-context warnings.

use super::*;

use crate::json::At;

pub(super) fn validate_probe(p: &Value, port_name: &str) -> FieldError {
    let mut errs = FieldError::none();
    let mut handlers = Vec::new();
    let has = |k: &str| p.get(k).is_some_and(|v| !v.is_null());
    for (key, label) in [("httpGet", "httpGet"), ("tcpSocket", "tcpSocket")] {
        if has(key) {
            handlers.push(label);
            if let Some(port) = p
                .get(key)
                .and_then(|h| h.get("port"))
                .and_then(Value::as_str)
                && !port.is_empty()
                && port != port_name
            {
                errs.push(FieldError::invalid_value_details(
                    port,
                    &format!("{key}.port"),
                    &["Probe port must match container port"],
                ));
            }
        }
    }
    if has("exec") {
        handlers.push("exec");
    }
    if has("grpc") {
        handlers.push("gRPC");
    }
    if handlers.is_empty() {
        errs.push(FieldError::missing_one_of(&[
            "httpGet",
            "tcpSocket",
            "exec",
            "grpc",
        ]));
    } else if handlers.len() > 1 {
        errs.push(FieldError::multiple_one_of(&handlers));
    }
    errs
}

/// The probe's integer `field` (0 when unset), with an error when it is below `min`.
pub(super) fn at_least(errs: &mut FieldError, p: &Value, field: &str, min: i64) -> i64 {
    let value = int(p, field);
    if value < min {
        errs.push(FieldError::out_of_bounds(value, min, MAX_INT32, field));
    }
    value
}

pub(super) fn validate_readiness_probe(p: &Value, port_name: &str) -> FieldError {
    let mut errs = validate_probe(p, port_name);
    let period = at_least(&mut errs, p, "periodSeconds", 0);
    at_least(&mut errs, p, "initialDelaySeconds", 0);
    at_least(&mut errs, p, "successThreshold", 1);
    if period == 0 {
        for field in ["failureThreshold", "timeoutSeconds"] {
            if int(p, field) != 0 {
                errs.push(FieldError::new(
                    format!("{field} is disallowed when periodSeconds is zero"),
                    &[field],
                ));
            }
        }
    } else {
        at_least(&mut errs, p, "timeoutSeconds", 1);
        at_least(&mut errs, p, "failureThreshold", 1);
    }
    errs
}

/// `warnDefaultContainerSecurityContext`: warnings for insecure Kubernetes defaults.
pub(super) fn warn_default_security_context(pod_sc: &Value, sc: &Value) -> FieldError {
    let insecure = |path: &str| {
        FieldError::new(
            "Kubernetes default value is insecure, Knative may default this to secure in a future release",
            &[path],
        )
        .at(Level::Warning)
    };
    let unset = |v: &Value, k: &str| v.get(k).is_none_or(Value::is_null);
    let mut errs = FieldError::none();
    if unset(pod_sc, "runAsNonRoot") && unset(sc, "runAsNonRoot") {
        errs.push(insecure("runAsNonRoot"));
    }
    if unset(sc, "allowPrivilegeEscalation") {
        errs.push(insecure("allowPrivilegeEscalation"));
    }
    if unset(sc, "seccompProfile") && unset(pod_sc, "seccompProfile") {
        errs.push(insecure("seccompProfile"));
    } else {
        let pod_default = pod_sc
            .at("/seccompProfile/type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty();
        let c_default = sc
            .at("/seccompProfile/type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty();
        if pod_default && c_default {
            errs.push(insecure("seccompProfile.type"));
        }
    }
    match sc.get("capabilities").filter(|c| !c.is_null()) {
        None => errs.push(insecure("capabilities")),
        Some(caps) => match caps.get("drop").filter(|d| !d.is_null()) {
            None => errs.push(insecure("capabilities.drop")),
            Some(drop) => {
                if drop.get(0).and_then(Value::as_str) == Some("all") {
                    errs.push(
                        FieldError::invalid_value_details(
                            "all",
                            "capabilities.drop",
                            &["Must be spelled as 'ALL'"],
                        )
                        .at(Level::Warning),
                    );
                }
            }
        },
    }
    errs
}
