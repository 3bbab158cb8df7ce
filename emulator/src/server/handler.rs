//! Request handling: authentication, path routing (`/api/v1/…`, `/apis/GROUP/VERSION/…`),
//! query parameters, content negotiation (JSON, Table, PartialObjectMetadata, protobuf), and the verb
//! handlers that call the registry. Every failure is a `Status` body; nothing panics. Routing and
//! the entry point are here; reading a request is in `request.rs`, one resource's verbs in
//! `verbs.rs`, lists and watches in `list.rs`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};
use bytes::Bytes;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tokio::sync::watch as watch_channel;

use super::discovery::{self, Discovery};
use super::proto;
use super::table::{self, IncludeObject};
use crate::registry::{
    DeleteOptions, Deleted, FieldValidation, ListOptions, PatchKind, Registry, Subresource,
    TypeInfo, WriteOptions,
};
use crate::status::ApiError;
use crate::store::Stored;
use crate::validation::{options_error, parse_dry_run};
use crate::watch::{self, EventRenderer, JsonRenderer, WatchRequest, event_line};
use kuberules::selectors::{FieldSelector, LabelSelector, Selection};

pub use crate::registry::MAX_BODY;

mod list;
mod request;
mod verbs;

use list::*;
use request::*;
use verbs::*;

/// Default watch timeout when the client sends none (upstream picks 30–60 minutes).
const DEFAULT_WATCH_TIMEOUT: Duration = Duration::from_secs(1800);

/// Shared state of the HTTP layer.
pub struct App {
    pub registry: Arc<Registry>,
    pub token: Option<String>,
    pub discovery: Discovery,
    pub openapi: super::openapi::OpenApi,
    pub shutdown: watch_channel::Receiver<bool>,
}

pub(super) type Resp = Response<Body>;

pub(super) fn json_bytes(code: StatusCode, body: Bytes, warnings: &[String]) -> Resp {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = code;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    add_warnings(resp.headers_mut(), warnings);
    resp
}

fn json_value(code: StatusCode, value: &Value, warnings: &[String]) -> Resp {
    json_bytes(
        code,
        Bytes::from(crate::fields_form::to_vec(value)),
        warnings,
    )
}

fn add_warnings(headers: &mut HeaderMap, warnings: &[String]) {
    for w in warnings {
        let text = w
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace(['\n', '\r'], " ");
        if let Ok(v) = HeaderValue::from_str(&format!("299 - \"{text}\"")) {
            headers.append(header::WARNING, v);
        }
    }
}

pub fn error_response(err: &ApiError) -> Resp {
    let code = StatusCode::from_u16(err.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json_value(code, &err.to_status(), &err.warnings)
}

fn not_found_path() -> ApiError {
    ApiError::not_found_path()
}

/// A parsed resource path.
struct Target {
    ti: Arc<TypeInfo>,
    namespace: Option<String>,
    name: Option<String>,
    subresource: Option<String>,
}

enum Route {
    Version,
    OpenApiV2,
    OpenApiRoot,
    OpenApiDocument(String),
    Health,
    Api,
    Apis,
    Group(String),
    ResourceList(String, String),
    Resource(Target),
}

fn route(app: &App, path: &str) -> Result<Route, ApiError> {
    let segments: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let (group, version, rest) = match segments.as_slice() {
        ["version"] => return Ok(Route::Version),
        ["openapi", "v2"] => return Ok(Route::OpenApiV2),
        ["openapi", "v3"] => return Ok(Route::OpenApiRoot),
        ["openapi", "v3", rest @ ..] => return Ok(Route::OpenApiDocument(rest.join("/"))),
        ["healthz" | "livez" | "readyz", ..] => return Ok(Route::Health),
        ["api"] => return Ok(Route::Api),
        ["apis"] => return Ok(Route::Apis),
        ["apis", group] => return Ok(Route::Group(group.to_string())),
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return Err(not_found_path()),
    };
    if !app
        .discovery
        .resource_lists
        .contains_key(&(group.to_string(), version.to_string()))
    {
        return Err(not_found_path());
    }
    let find = |plural: &str| app.registry.catalog.get(group, version, plural);
    let target =
        |ti: Arc<TypeInfo>, namespace: Option<&str>, name: Option<&str>, sub: Option<&str>| {
            Target {
                ti,
                namespace: namespace.map(str::to_string),
                name: name.map(str::to_string),
                subresource: sub.map(str::to_string),
            }
        };
    let resolved = match rest {
        [] => return Ok(Route::ResourceList(group.to_string(), version.to_string())),
        ["namespaces", ns, plural, tail @ ..] if find(plural).is_some_and(|t| t.rt.namespaced) => {
            let ti = find(plural).ok_or_else(not_found_path)?;
            match tail {
                [] => target(ti, Some(ns), None, None),
                [name] => target(ti, Some(ns), Some(name), None),
                [name, sub] => target(ti, Some(ns), Some(name), Some(sub)),
                _ => return Err(not_found_path()),
            }
        }
        [plural, tail @ ..] => {
            let ti = find(plural).ok_or_else(not_found_path)?;
            match tail {
                [] => target(ti, None, None, None),
                [name] if !ti.rt.namespaced => target(ti, None, Some(name), None),
                [name, sub] if !ti.rt.namespaced => target(ti, None, Some(name), Some(sub)),
                _ => return Err(not_found_path()),
            }
        }
    };
    if let Some(sub) = &resolved.subresource
        && !(sub == "status" && resolved.ti.rt.has_status)
        && !(sub == "log" && is_pods(&resolved.ti))
    {
        // Upstream routes built-in subresources by path, so an unknown one is not a route;
        // the custom-resource handler reads it as the object not being found.
        if !resolved.ti.custom {
            return Err(not_found_path());
        }
        let name = resolved.name.as_deref().unwrap_or("");
        return Err(ApiError::not_found(&resolved.ti.gr(), name));
    }
    Ok(Route::Resource(resolved))
}

/// The `fieldManager` parameter, else (as upstream) the User-Agent up to its first `/`.
fn field_manager(headers: &HeaderMap, query: &Query) -> String {
    match query.get("fieldManager").filter(|m| !m.is_empty()) {
        Some(m) => m.to_string(),
        None => {
            let ua = headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            ua.split('/')
                .next()
                .unwrap_or("")
                .chars()
                .take(128)
                .collect()
        }
    }
}

/// Whether a type is core v1 Pods (the one kind with a `log` subresource).
fn is_pods(ti: &TypeInfo) -> bool {
    ti.rt.group.is_empty() && ti.rt.plural == "pods"
}

fn authorized(app: &App, headers: &HeaderMap) -> bool {
    let Some(token) = &app.token else { return true };
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|given| given.trim() == token)
}

pub async fn handle(app: Arc<App>, req: axum::http::Request<hyper::body::Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let public = matches!(
        path.as_str(),
        "/version" | "/healthz" | "/livez" | "/readyz"
    );
    if !public && !authorized(&app, &parts.headers) {
        return error_response(&ApiError::unauthorized());
    }
    if let Some(review) = super::reviews::route(&path) {
        return match read_body(body).await {
            Ok(bytes) => super::reviews::respond(
                review,
                &parts.method,
                &parts.headers,
                &bytes,
                &super::reviews::Caller {
                    user: &app.registry.config().user,
                    manager: &field_manager(&parts.headers, &Query::parse(&parts.uri)),
                },
            ),
            Err(e) => error_response(&e),
        };
    }
    let route = match route(&app, &path) {
        Ok(r) => r,
        // Below /apis the aggregator answers an unknown group, version or resource with Go's
        // plain-text 404, not a Status.
        Err(e)
            if e.code == 404
                && path.starts_with("/apis/")
                && e.details.as_ref().is_none_or(|d| d.get("name").is_none()) =>
        {
            return plain_not_found();
        }
        Err(e) => return error_response(&e),
    };
    let result = match route {
        Route::Version => Ok(json_value(StatusCode::OK, &discovery::version(), &[])),
        Route::Health => Ok(Response::new(Body::from("ok"))),
        Route::OpenApiV2 => Ok(super::openapi::v2_response(&app.openapi.v2, &parts.headers)),
        Route::OpenApiRoot => Ok(json_value(StatusCode::OK, app.openapi.root(), &[])),
        Route::OpenApiDocument(key) => match app.openapi.document(&key) {
            Some(doc) => Ok(json_value(StatusCode::OK, doc, &[])),
            None => Err(not_found_path()),
        },
        Route::Api => Ok(json_value(StatusCode::OK, &app.discovery.api, &[])),
        Route::Apis => Ok(json_value(StatusCode::OK, &app.discovery.apis, &[])),
        Route::Group(g) => match app.discovery.groups.get(&g) {
            Some(doc) => Ok(json_value(StatusCode::OK, doc, &[])),
            None => return plain_not_found(),
        },
        Route::ResourceList(g, v) => match app.discovery.resource_lists.get(&(g.clone(), v)) {
            Some(doc) => Ok(json_value(StatusCode::OK, doc, &[])),
            None if !g.is_empty() => return plain_not_found(),
            None => Err(not_found_path()),
        },
        Route::Resource(target) if target.subresource.as_deref() == Some("log") => {
            let namespace = target.namespace.as_deref().unwrap_or("");
            let name = target.name.as_deref().unwrap_or("");
            super::podlog::serve(
                app.clone(),
                &parts.method,
                &parts.uri,
                target.ti.clone(),
                namespace,
                name,
            )
        }
        Route::Resource(target) => resource(app, parts, body, target).await,
    };
    result.unwrap_or_else(|e| error_response(&e))
}

/// Go's `http.NotFound`.
fn plain_not_found() -> Resp {
    let mut resp = Response::new(Body::from("404 page not found\n"));
    *resp.status_mut() = StatusCode::NOT_FOUND;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    resp
}
