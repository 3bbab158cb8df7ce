//! kube errors into knit's: API statuses, apply conflicts, transport failures (kn's wording).

use super::{ResourceKind, config};
use crate::error::{ApiStatus, Error};

/// The error of a failed response, as kube builds it: the body's `Status` when it is one, else
/// a Status carrying the body text (proxies and ingresses answer in plain text or HTML).
pub(super) fn api_error(code: http::StatusCode, body: &[u8]) -> kube::Error {
    let status = serde_json::from_slice::<kube::core::Status>(body).unwrap_or_else(|_| {
        let text = String::from_utf8_lossy(body);
        kube::core::Status::failure(text.trim(), "Failed to parse error data")
            .with_code(code.as_u16())
    });
    kube::Error::Api(status.boxed())
}

pub(super) fn status_of(status: kube::core::Status) -> ApiStatus {
    ApiStatus {
        code: status.code,
        reason: status.reason,
        message: status.message,
        name: status.details.map(|d| d.name).filter(|n| !n.is_empty()),
    }
}

/// The field conflicts of a refused server-side apply (409 with `FieldManagerConflict` causes).
fn apply_conflicts(status: &kube::core::Status) -> Option<Vec<crate::error::FieldConflict>> {
    let causes = &status.details.as_ref()?.causes;
    let conflicts: Vec<_> = causes
        .iter()
        .filter(|c| c.reason == "FieldManagerConflict")
        .map(|c| crate::error::FieldConflict {
            field: c.field.clone(),
            owner: c
                .message
                .strip_prefix("conflict with ")
                .unwrap_or(&c.message)
                .to_string(),
        })
        .collect();
    (status.code == 409 && !conflicts.is_empty()).then_some(conflicts)
}

/// Maps a kube error to knit's error, with kn's translations (kn-reference §11.3).
pub(crate) fn translate(kind: &ResourceKind, err: kube::Error) -> Error {
    match err {
        kube::Error::Api(status) => {
            if let Some(conflicts) = apply_conflicts(&status) {
                return Error::ApplyConflict {
                    object: String::new(),
                    conflicts,
                };
            }
            let status = status_of(*status);
            // A 404 that names no object means the resource type itself is not served.
            if status.code == 404 && status.name.is_none() && kind.group.ends_with("knative.dev") {
                return Error::NotInstalled {
                    group: kind.family(),
                    api_group: kind.group.to_string(),
                    version: kind.version.to_string(),
                    served: None,
                    bin: crate::bin_name(),
                };
            }
            Error::Api(status)
        }
        kube::Error::Auth(_) => config::build_error(err),
        kube::Error::HyperError(e) => connection_error(&e),
        kube::Error::Service(e) => connection_error(e.as_ref()),
        other => Error::failed(other.to_string()),
    }
}

/// kn's wording for transport failures: `error connecting to the cluster: …`.
pub(super) fn connection_error(err: &(dyn std::error::Error + 'static)) -> Error {
    if let Some(text) = config::credential_safe(err) {
        return Error::Config(text);
    }
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    let text = parts.join(": ");
    if text.contains("no route to host")
        || text.contains("timed out")
        || text.contains("i/o timeout")
    {
        Error::Connection(format!(
            "error connecting to the cluster, please verify connection at: {text}"
        ))
    } else {
        Error::Connection(format!("error connecting to the cluster: {text}"))
    }
}

#[cfg(test)]
mod tests;
