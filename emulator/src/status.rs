//! API errors as the real API server reports them: `Status` objects with code, reason and details.

use serde_json::{Value, json};

use crate::resource::GroupResource;

/// One field-level cause of a 422 Invalid error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// e.g. `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`, `FieldManagerConflict`.
    pub reason: String,
    pub message: String,
    pub field: String,
}

/// A failed request. Rendered as a `Status` body with the HTTP code in `code`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: u16,
    pub reason: String,
    pub message: String,
    /// `details` object, when the real server sends one.
    pub details: Option<Value>,
    /// `Warning` headers sent with the failure (an admission webhook's warnings reach the
    /// client also when it denies the request).
    pub warnings: Vec<String>,
}

impl ApiError {
    pub fn new(code: u16, reason: &str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason: reason.to_string(),
            message: message.into(),
            details: None,
            warnings: Vec::new(),
        }
    }

    /// Sets the `details` object.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    fn gr_details(gr: &GroupResource, name: &str) -> Value {
        json!({"name": name, "group": gr.group, "kind": gr.resource})
    }

    /// 400 with free text.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    /// 404 `RESOURCE.GROUP "NAME" not found`.
    pub fn not_found(gr: &GroupResource, name: &str) -> Self {
        Self::new(404, "NotFound", format!("{gr} \"{name}\" not found"))
            .with_details(Self::gr_details(gr, name))
    }

    /// 404 for a path that serves nothing at all.
    pub fn not_found_path() -> Self {
        Self::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        )
        .with_details(json!({}))
    }

    /// 409 `RESOURCE.GROUP "NAME" already exists`.
    pub fn already_exists(gr: &GroupResource, name: &str) -> Self {
        Self::new(
            409,
            "AlreadyExists",
            format!("{gr} \"{name}\" already exists"),
        )
        .with_details(Self::gr_details(gr, name))
    }

    /// 409 Conflict on a stale resourceVersion.
    pub fn conflict(gr: &GroupResource, name: &str) -> Self {
        Self::conflict_with(
            gr,
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        )
    }

    /// 409 `Operation cannot be fulfilled on RESOURCE.GROUP "NAME": DETAIL`.
    pub fn conflict_with(gr: &GroupResource, name: &str, detail: &str) -> Self {
        Self::new(
            409,
            "Conflict",
            format!("Operation cannot be fulfilled on {gr} \"{name}\": {detail}"),
        )
        .with_details(Self::gr_details(gr, name))
    }

    /// 410 Expired (too old resourceVersion or continue token).
    pub fn expired(message: impl Into<String>) -> Self {
        Self::new(410, "Expired", message)
    }

    /// 422 `KIND.GROUP "NAME" is invalid: …` built from causes, as apimachinery formats it.
    /// `qualified_kind` is `Kind.group` (or, for some update errors, `resource.group`).
    pub fn invalid(
        qualified_kind: &str,
        group: &str,
        kind: &str,
        name: &str,
        causes: Vec<Cause>,
    ) -> Self {
        // apimachinery's aggregate drops repeated texts and brackets only several distinct ones.
        let mut texts: Vec<String> = Vec::new();
        for c in &causes {
            let text = format!("{}: {}", c.field, c.message);
            if !texts.contains(&text) {
                texts.push(text);
            }
        }
        let summary = match texts.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        let causes_json: Vec<Value> = causes
            .iter()
            .map(|c| json!({"reason": c.reason, "message": c.message, "field": c.field}))
            .collect();
        Self::new(
            422,
            "Invalid",
            format!("{qualified_kind} \"{name}\" is invalid: {summary}"),
        )
        .with_details(json!({"name": name, "group": group, "kind": kind, "causes": causes_json}))
    }

    /// 400 denial by a Knative admission webhook.
    /// The same failure, sent with these `Warning` headers.
    pub fn with_warnings(mut self, warnings: Vec<String>) -> Self {
        self.warnings = warnings;
        self
    }

    pub fn webhook_denied(webhook: &str, message: &str) -> Self {
        Self::bad_request(format!(
            "admission webhook \"{webhook}\" denied the request: {message}"
        ))
    }

    /// 415 for patch types custom resources do not accept.
    pub fn unsupported_media_type() -> Self {
        Self::new(
            415,
            "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
        )
    }

    /// 401 for a missing or wrong bearer token.
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized", "Unauthorized")
    }

    /// 405 for a verb the resource does not support.
    pub fn method_not_supported(gr: &GroupResource, verb: &str) -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            format!("{verb} is not supported on resources of kind \"{gr}\""),
        )
        .with_details(json!({"group": gr.group, "kind": gr.resource}))
    }

    /// 413 for an oversized request body.
    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(413, "RequestEntityTooLarge", message)
    }

    /// 500 for a failure inside the emulator itself.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalError", message)
    }

    /// The `Status` object sent as the response body (or inside a watch ERROR event).
    pub fn to_status(&self) -> Value {
        let mut status = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let Some(details) = &self.details {
            status["details"] = omit_empty(details.clone());
        }
        if self.reason.is_empty() {
            status.as_object_mut().map(|s| s.remove("reason"));
        }
        status
    }
}

/// `StatusDetails` as Go encodes it: empty `name`, `group`, `kind`, `uid` are left out.
pub fn omit_empty(mut details: Value) -> Value {
    if let Some(map) = details.as_object_mut() {
        map.retain(|k, v| {
            !(matches!(k.as_str(), "name" | "group" | "kind" | "uid") && v.as_str() == Some(""))
        });
    }
    details
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_matches_api_server_shape() {
        let gr = GroupResource::of("serving.knative.dev", "services");
        let status = ApiError::not_found(&gr, "hello").to_status();
        assert_eq!(
            status.to_string(),
            r#"{"apiVersion":"v1","code":404,"details":{"group":"serving.knative.dev","kind":"services","name":"hello"},"kind":"Status","message":"services.serving.knative.dev \"hello\" not found","metadata":{},"reason":"NotFound","status":"Failure"}"#
        );
    }

    #[test]
    fn invalid_with_two_causes_lists_them_in_brackets() {
        let causes = vec![
            Cause {
                reason: "FieldValueRequired".into(),
                message: "Required value".into(),
                field: "spec.a".into(),
            },
            Cause {
                reason: "FieldValueInvalid".into(),
                message: "Invalid value: 1".into(),
                field: "spec.b".into(),
            },
        ];
        let err = ApiError::invalid(
            "Service.serving.knative.dev",
            "serving.knative.dev",
            "Service",
            "x",
            causes,
        );
        assert_eq!(
            err.message,
            "Service.serving.knative.dev \"x\" is invalid: [spec.a: Required value, spec.b: Invalid value: 1]"
        );
        assert_eq!(err.code, 422);
    }

    #[test]
    fn invalid_summary_drops_repeated_texts_but_keeps_every_cause() {
        let cause = Cause {
            reason: "FieldValueRequired".into(),
            message: "Required value".into(),
            field: "spec.a".into(),
        };
        let err = ApiError::invalid(
            "Service.serving.knative.dev",
            "serving.knative.dev",
            "Service",
            "x",
            vec![cause.clone(), cause],
        );
        assert_eq!(
            err.message,
            "Service.serving.knative.dev \"x\" is invalid: spec.a: Required value"
        );
        assert_eq!(
            err.details
                .as_ref()
                .and_then(|d| d["causes"].as_array())
                .map(Vec::len),
            Some(2)
        );
    }
}
