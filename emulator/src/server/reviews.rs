//! The review APIs a client asks "who am I" and "may I" with: `authentication.k8s.io/v1`
//! SelfSubjectReview and `authorization.k8s.io/v1` SelfSubjectAccessReview and
//! SelfSubjectRulesReview. They are create-only and never stored, as upstream.
//!
//! The emulator authenticates every caller as one user (`Config::user`), a member of
//! `system:masters` as kubeadm's admin credentials are (before 1.29). The API server's
//! privileged-group authorizer allows that group everything ahead of RBAC, with an empty reason,
//! so that is what the access reviews answer; the emulator does not enforce RBAC.

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::handler::{Resp, error_response, json_bytes};
use crate::json::At;
use crate::resource::GroupResource;
use crate::status::{ApiError, Cause};

pub const AUTHENTICATION_GROUP: &str = "authentication.k8s.io";
pub const AUTHORIZATION_GROUP: &str = "authorization.k8s.io";

/// The groups of the emulator's user, as the API server lists them (the authenticator adds
/// `system:authenticated` last).
pub const USER_GROUPS: [&str; 2] = ["system:masters", "system:authenticated"];

/// One review resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    SelfSubject,
    SelfSubjectAccess,
    SelfSubjectRules,
}

impl Review {
    fn group(self) -> &'static str {
        match self {
            Review::SelfSubject => AUTHENTICATION_GROUP,
            _ => AUTHORIZATION_GROUP,
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Review::SelfSubject => "SelfSubjectReview",
            Review::SelfSubjectAccess => "SelfSubjectAccessReview",
            Review::SelfSubjectRules => "SelfSubjectRulesReview",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Review::SelfSubject => "selfsubjectreviews",
            Review::SelfSubjectAccess => "selfsubjectaccessreviews",
            Review::SelfSubjectRules => "selfsubjectrulesreviews",
        }
    }
}

/// The review a path names (`/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`), if any.
pub fn route(path: &str) -> Option<Review> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["apis", AUTHENTICATION_GROUP, "v1", "selfsubjectreviews"] => Some(Review::SelfSubject),
        [
            "apis",
            AUTHORIZATION_GROUP,
            "v1",
            "selfsubjectaccessreviews",
        ] => Some(Review::SelfSubjectAccess),
        ["apis", AUTHORIZATION_GROUP, "v1", "selfsubjectrulesreviews"] => {
            Some(Review::SelfSubjectRules)
        }
        _ => None,
    }
}

/// Discovery: `(group, APIResourceList resources)` of the two review groups.
pub fn discovery_resources() -> Vec<(&'static str, Vec<Value>)> {
    let entry = |name: &str, kind: &str| json!({"name": name, "singularName": name.trim_end_matches('s'), "namespaced": false, "kind": kind, "verbs": ["create"]});
    vec![
        (
            AUTHENTICATION_GROUP,
            vec![entry("selfsubjectreviews", "SelfSubjectReview")],
        ),
        (
            AUTHORIZATION_GROUP,
            vec![
                entry("selfsubjectaccessreviews", "SelfSubjectAccessReview"),
                entry("selfsubjectrulesreviews", "SelfSubjectRulesReview"),
            ],
        ),
    ]
}

/// Who sent a review: the authenticated user and the field manager of the request.
pub struct Caller<'a> {
    pub user: &'a str,
    pub manager: &'a str,
}

/// The HTTP answer to one request to a review resource, in protobuf when the body came in
/// protobuf or the client asks for it first (kubectl does both), else JSON.
pub(super) fn respond(
    review: Review,
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
    caller: &Caller,
) -> Resp {
    let media = |name: axum::http::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split([',', ';'])
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let protobuf_out = media(header::ACCEPT) == crate::protobuf::MEDIA_TYPE;
    let request = if media(header::CONTENT_TYPE) == crate::protobuf::MEDIA_TYPE {
        crate::protobuf::decode_any(body).map_err(ApiError::bad_request)
    } else {
        serde_json::from_slice::<Value>(body).map_err(|e| {
            ApiError::bad_request(format!(
                "the object provided is unrecognized (must be of type {}): {e}",
                review.kind()
            ))
        })
    };
    let answered = if *method == Method::POST {
        request.and_then(|r| answer(review, &r, caller))
    } else {
        let gr = GroupResource::new(review.group(), review.plural());
        let verb = if *method == Method::GET {
            "list"
        } else {
            "this verb"
        };
        Err(ApiError::method_not_supported(&gr, verb))
    };
    match answered {
        Ok(value) if protobuf_out => match crate::protobuf::encode_any(&value) {
            Ok(bytes) => {
                let mut resp = json_bytes(StatusCode::CREATED, Bytes::from(bytes), &[]);
                resp.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(crate::protobuf::MEDIA_TYPE),
                );
                resp
            }
            Err(e) => error_response(&ApiError::internal(format!(
                "unable to encode the object as protobuf: {e}"
            ))),
        },
        Ok(value) => json_bytes(
            StatusCode::CREATED,
            Bytes::from(serde_json::to_vec(&value).unwrap_or_default()),
            &[],
        ),
        Err(e) if protobuf_out => super::proto::error(&e),
        Err(e) => error_response(&e),
    }
}

/// The review answered for `request` (created, never stored): `user` is the caller's name.
pub fn answer(review: Review, request: &Value, caller: &Caller) -> Result<Value, ApiError> {
    let user = caller.user;
    if !request.is_object() {
        return Err(ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {}): not an object",
            review.kind()
        )));
    }
    let status = match review {
        Review::SelfSubject => json!({"userInfo": {"username": user, "groups": USER_GROUPS}}),
        Review::SelfSubjectAccess => {
            access_spec_check(request)?;
            json!({"allowed": true})
        }
        Review::SelfSubjectRules => json!({
            "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
            "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
            "incomplete": false,
        }),
    };
    let mut out = Map::new();
    out.insert("kind".into(), json!(review.kind()));
    out.insert("apiVersion".into(), json!(format!("{}/v1", review.group())));
    // Upstream stamps a "who am I" with the time; an access review with the managedFields
    // entry its create wrote (an `Update` by the caller's manager) and no time.
    out.insert("metadata".into(), json!({"creationTimestamp": null}));
    match review {
        Review::SelfSubject => {
            out.insert(
                "metadata".into(),
                json!({"creationTimestamp": crate::knative::conditions::now_rfc3339()}),
            );
        }
        Review::SelfSubjectAccess => {
            let spec = access_spec(&request["spec"]);
            out.insert(
                "metadata".into(),
                json!({"creationTimestamp": null, "managedFields": [{
                    "manager": caller.manager,
                    "operation": "Update",
                    "apiVersion": "authorization.k8s.io/v1",
                    "time": crate::knative::conditions::now_rfc3339(),
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": fields_v1(&spec)},
                }]}),
            );
            out.insert("spec".into(), spec);
        }
        Review::SelfSubjectRules => {
            let mut spec = Map::new();
            if let Some(ns) = request.at("/spec/namespace").and_then(Value::as_str)
                && !ns.is_empty()
            {
                spec.insert("namespace".into(), json!(ns));
            }
            out.insert("spec".into(), Value::Object(spec));
        }
    }
    out.insert("status".into(), status);
    Ok(Value::Object(out))
}

/// Upstream's spec validation: exactly one of the two attribute sets.
fn access_spec_check(request: &Value) -> Result<(), ApiError> {
    let present = |key: &str| {
        request
            .at(&format!("/spec/{key}"))
            .is_some_and(|v| !v.is_null())
    };
    if present("resourceAttributes") == present("nonResourceAttributes") {
        let value = if present("nonResourceAttributes") {
            "{}"
        } else {
            "\"null\""
        };
        // Upstream's error names no kind (".authorization.k8s.io") and its details none.
        let mut err = ApiError::invalid(
            ".authorization.k8s.io",
            AUTHORIZATION_GROUP,
            "",
            "",
            vec![Cause {
                reason: "FieldValueInvalid".into(),
                field: "spec.resourceAttributes".into(),
                message: format!(
                    "Invalid value: {value}: exactly one of nonResourceAttributes or resourceAttributes must be specified"
                ),
            }],
        );
        if let Some(d) = err.details.as_mut().and_then(Value::as_object_mut) {
            d.remove("kind");
            d.remove("name");
        }
        return Err(err);
    }
    Ok(())
}

/// The managed-fields set of an object's fields: `f:KEY` per field, `.` inside each map.
fn fields_v1(value: &Value) -> Value {
    let mut set = Map::new();
    for (k, v) in value.as_object().into_iter().flatten() {
        let inner = match v {
            Value::Object(_) => {
                let mut nested = fields_v1(v);
                if let Some(m) = nested.as_object_mut() {
                    m.insert(".".into(), json!({}));
                }
                nested
            }
            _ => json!({}),
        };
        set.insert(format!("f:{k}"), inner);
    }
    Value::Object(set)
}

/// The spec as the server echoes it: the known string fields, empty ones left out.
fn access_spec(spec: &Value) -> Value {
    const RESOURCE: [&str; 7] = [
        "namespace",
        "verb",
        "group",
        "version",
        "resource",
        "subresource",
        "name",
    ];
    const NON_RESOURCE: [&str; 2] = ["path", "verb"];
    let pick = |from: &Value, keys: &[&str]| {
        let mut m = Map::new();
        for k in keys {
            if let Some(v) = from.get(*k).and_then(Value::as_str)
                && !v.is_empty()
            {
                m.insert((*k).into(), json!(v));
            }
        }
        Value::Object(m)
    };
    let mut out = Map::new();
    if let Some(r) = spec.get("resourceAttributes").filter(|v| v.is_object()) {
        out.insert("resourceAttributes".into(), pick(r, &RESOURCE));
    }
    if let Some(r) = spec.get("nonResourceAttributes").filter(|v| v.is_object()) {
        out.insert("nonResourceAttributes".into(), pick(r, &NON_RESOURCE));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALLER: Caller = Caller {
        user: "u",
        manager: "knit",
    };

    #[test]
    fn whoami_names_the_user_and_its_groups() {
        let body = answer(
            Review::SelfSubject,
            &json!({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}),
            &Caller {
                user: "kubernetes-admin",
                manager: "kubectl",
            },
        )
        .unwrap();
        assert_eq!(
            body["status"]["userInfo"],
            json!({"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]})
        );
    }

    #[test]
    fn access_review_allows_and_echoes_the_spec() {
        let req = json!({"spec": {"resourceAttributes": {"namespace": "ns", "verb": "create", "group": "serving.knative.dev", "resource": "services", "name": ""}}});
        let body = answer(Review::SelfSubjectAccess, &req, &CALLER).unwrap();
        assert_eq!(body["status"], json!({"allowed": true}));
        assert_eq!(
            body["metadata"]["managedFields"][0]["fieldsV1"],
            json!({"f:spec": {"f:resourceAttributes": {".": {}, "f:namespace": {}, "f:verb": {}, "f:group": {}, "f:resource": {}}}})
        );
        assert_eq!(
            body["spec"],
            json!({"resourceAttributes": {"namespace": "ns", "verb": "create", "group": "serving.knative.dev", "resource": "services"}})
        );
    }

    #[test]
    fn access_review_needs_exactly_one_attribute_set() {
        let err = answer(Review::SelfSubjectAccess, &json!({"spec": {}}), &CALLER).unwrap_err();
        assert_eq!(err.code, 422);
        assert_eq!(
            err.message,
            ".authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified"
        );
    }

    #[test]
    fn routes_only_the_review_paths() {
        assert_eq!(
            route("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
            Some(Review::SelfSubjectAccess)
        );
        assert_eq!(route("/apis/authorization.k8s.io/v1"), None);
        assert_eq!(route("/apis/authentication.k8s.io/v1/tokenreviews"), None);
    }
}
