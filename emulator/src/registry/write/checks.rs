//! The request body against its endpoint: `kind`/`apiVersion`, `metadata.namespace` and
//! `metadata.name` as the URL gives them.

use super::*;

impl Registry {
    /// Checks `kind`/`apiVersion` of a request body against the endpoint.
    pub(crate) fn check_body(ti: &TypeInfo, body: &mut Value) -> Result<(), ApiError> {
        let Some(obj) = body.as_object() else {
            return Err(ApiError::bad_request(format!(
                "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}",
                crate::gojson::go_type(body)
            )));
        };
        let kind = obj
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let api_version = obj
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if !ti.custom {
            // The built-in decoder takes what is missing from the URL's type.
            let (kind, api_version) = (
                if kind.is_empty() {
                    ti.rt.kind.clone()
                } else {
                    kind
                },
                if api_version.is_empty() {
                    ti.rt.api_version()
                } else {
                    api_version
                },
            );
            if api_version != ti.rt.api_version() {
                let version = api_version.rsplit('/').next().unwrap_or("");
                return Err(core_rules::cannot_handle_as(
                    &kind,
                    version,
                    &ti.rt.kind,
                    &format!(
                        "no kind {} is registered for version {} in scheme \"k8s-1.28.7/pkg/api/legacyscheme/scheme.go:30\"",
                        quote(&kind),
                        quote(&api_version)
                    ),
                ));
            }
            if kind != ti.rt.kind {
                return Err(core_rules::cannot_handle_as(
                    &kind,
                    &ti.rt.version,
                    &ti.rt.kind,
                    &format!(
                        "converting (v1.{kind}) to (core.{}): unknown conversion",
                        ti.rt.kind
                    ),
                ));
            }
            if let Some(obj) = body.as_object_mut() {
                obj.insert("kind".into(), json!(kind));
                obj.insert("apiVersion".into(), json!(api_version));
            }
            return Ok(());
        }
        if kind.is_empty() {
            return Err(ApiError::bad_request(format!(
                "Object 'Kind' is missing in '{body}'"
            )));
        }
        if api_version != ti.rt.api_version() {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({api_version}) does not match the expected API version ({})",
                ti.rt.api_version()
            )));
        }
        if kind != ti.rt.kind {
            let name = obj
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            return Err(ApiError::invalid(
                &format!("{kind}.{}", ti.rt.group),
                &ti.rt.group,
                &kind,
                name,
                vec![Cause {
                    reason: "FieldValueInvalid".into(),
                    message: format!("Invalid value: {}: must be {}", quote(&kind), ti.rt.kind),
                    field: "kind".into(),
                }],
            ));
        }
        Ok(())
    }

    /// Fills or checks `metadata.namespace` against the URL.
    pub(super) fn check_body_namespace(
        ti: &TypeInfo,
        namespace: &str,
        body: &mut Value,
    ) -> Result<(), ApiError> {
        let meta = meta_mut(body);
        if !ti.rt.namespaced {
            meta.remove("namespace");
            return Ok(());
        }
        match meta.get("namespace").and_then(Value::as_str) {
            Some(ns) if !ns.is_empty() && ns != namespace => Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            )),
            _ => {
                meta.insert("namespace".into(), json!(namespace));
                Ok(())
            }
        }
    }

    pub(super) fn check_body_name(body: &Value, url_name: &str) -> Result<(), ApiError> {
        let name = meta_str(body, "name").unwrap_or("");
        if name != url_name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({name}) does not match the name on the URL ({url_name})"
            )));
        }
        Ok(())
    }
}
