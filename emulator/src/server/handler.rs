//! Request handling: authentication, path routing (`/api/v1/…`, `/apis/GROUP/VERSION/…`),
//! query parameters, content negotiation (JSON, Table, PartialObjectMetadata, protobuf), and the verb
//! handlers that call the registry. Every failure is a `Status` body; nothing panics.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};
use bytes::Bytes;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tokio::sync::watch as watch_channel;

use super::discovery::{self, Discovery};
use super::table::{self, IncludeObject};
use crate::registry::validation::{options_error, parse_dry_run};
use crate::registry::{
    DeleteOptions, Deleted, FieldValidation, ListOptions, PatchKind, Registry, Subresource,
    TypeInfo, WriteOptions,
};
use crate::selectors::{FieldSelector, LabelSelector, Selection};
use crate::status::ApiError;
use crate::store::Stored;
use crate::watch::{self, EventRenderer, JsonRenderer, WatchRequest, event_line};

/// The largest request body the API server accepts (3 MiB).
pub const MAX_BODY: usize = 3 * 1024 * 1024;

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
        Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
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

/// Query parameters, in order (keys may repeat).
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(uri: &axum::http::Uri) -> Query {
        Query(
            axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri)
                .map(|q| q.0)
                .unwrap_or_default(),
        )
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, key: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean parameter as apimachinery converts it: present and not `0`, `f` or `false`.
    fn flag(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "0" | "f" | "false"))
    }
}

/// How the client wants objects rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Json,
    Table(&'static str),
    Partial,
    /// Kubernetes protobuf (built-in kinds only).
    Protobuf,
    /// `PartialObjectMetadata` in protobuf (any kind).
    PartialProtobuf,
}

impl Output {
    fn protobuf(self) -> bool {
        matches!(self, Output::Protobuf | Output::PartialProtobuf)
    }
}

/// What the Accept header asks for. A protobuf-only Accept for a kind without a protobuf
/// form is refused with 406, its Status in protobuf (a protobuf Table: in JSON), as upstream.
fn negotiate(
    headers: &HeaderMap,
    ti: Option<&TypeInfo>,
) -> Result<Output, Box<(ApiError, Output)>> {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut refused = None;
    for clause in accept.split(',') {
        let mut parts = clause.split(';').map(str::trim);
        let media = parts.next().unwrap_or("");
        let params: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once('=')).collect();
        let param = |k: &str| params.iter().find(|(pk, _)| *pk == k).map(|(_, v)| *v);
        if media == crate::protobuf::MEDIA_TYPE {
            match (param("as"), param("g")) {
                (None, _) if ti.is_none_or(crate::protobuf::supported) => {
                    return Ok(Output::Protobuf);
                }
                (None, _) => refused = refused.or(Some(Output::Protobuf)),
                (
                    Some("PartialObjectMetadata" | "PartialObjectMetadataList"),
                    Some("meta.k8s.io"),
                ) => {
                    return Ok(Output::PartialProtobuf);
                }
                _ => refused = refused.or(Some(Output::Json)),
            }
            continue;
        }
        if media == "application/json" || media == "*/*" || media == "application/*" {
            match (param("as"), param("g"), param("v")) {
                (Some("Table"), Some("meta.k8s.io"), Some("v1")) => return Ok(Output::Table("v1")),
                (Some("Table"), Some("meta.k8s.io"), Some("v1beta1")) => {
                    return Ok(Output::Table("v1beta1"));
                }
                (
                    Some("PartialObjectMetadata" | "PartialObjectMetadataList"),
                    Some("meta.k8s.io"),
                    _,
                ) => {
                    return Ok(Output::Partial);
                }
                (None, _, _) => return Ok(Output::Json),
                _ => continue,
            }
        }
    }
    match refused {
        Some(answer) => Err(Box::new((
            ApiError::new(
                406,
                "NotAcceptable",
                "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf",
            ),
            answer,
        ))),
        None => Ok(Output::Json),
    }
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
        // An unknown subresource of a known resource reads as the object not being found.
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

/// How much of an oversized body is still read (and dropped) so the client, which is still
/// sending, receives the 413 instead of a reset connection.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

async fn read_body(mut body: hyper::body::Incoming) -> Result<Bytes, ApiError> {
    let mut data = Vec::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame
            .map_err(|e| ApiError::bad_request(format!("unable to read the request body: {e}")))?;
        if let Ok(chunk) = frame.into_data() {
            total += chunk.len();
            if total <= MAX_BODY {
                data.extend_from_slice(&chunk);
            } else if total > DRAIN_LIMIT {
                break;
            }
        }
    }
    if total > MAX_BODY {
        return Err(ApiError::too_large(format!(
            "Request entity too large: limit is {MAX_BODY}"
        )));
    }
    Ok(Bytes::from(data))
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

/// apimachinery's `summarizeData`: an object body as text, anything else in hex, cut at 30 bytes.
fn summarize(body: &[u8]) -> String {
    const MAX: usize = 30;
    let cut = &body[..body.len().min(MAX)];
    let more = if body.len() > MAX { " ..." } else { "" };
    match body.first() {
        None => "<empty>".into(),
        Some(b'{') => format!("{}{more}", String::from_utf8_lossy(cut)),
        Some(_) => {
            let hex: String = cut.iter().map(|b| format!("{b:02x}")).collect();
            format!("{hex}{more}")
        }
    }
}

/// The decoder's 400 for a body whose apiVersion/kind cannot even be read.
fn unrecognized(kind: &str, why: &str, body: &[u8]) -> ApiError {
    ApiError::bad_request(format!(
        "the object provided is unrecognized (must be of type {kind}): couldn't get version/kind; json parse error: {why} ({})",
        summarize(body)
    ))
}

/// Decodes a JSON (or YAML) object body.
fn decode_object(headers: &HeaderMap, body: &[u8], ti: &TypeInfo) -> Result<Value, ApiError> {
    let kind = ti.rt.kind.as_str();
    let ct = content_type(headers);
    if ct == "application/yaml" {
        let text = std::str::from_utf8(body).map_err(|e| ApiError::bad_request(e.to_string()))?;
        return serde_saphyr::from_str(text)
            .map_err(|e| ApiError::bad_request(format!("error converting YAML to JSON: {e}")));
    }
    if ct == crate::protobuf::MEDIA_TYPE && crate::protobuf::supported(ti) {
        return crate::protobuf::decode_object(ti, body).map_err(|e| {
            ApiError::bad_request(format!(
                "the object provided is unrecognized (must be of type {kind}): {e} ({})",
                summarize(body)
            ))
        });
    }
    if !ct.is_empty() && ct != "application/json" && ct != "*/*" {
        // Built-in types also name protobuf, which they are served in (not by the emulator).
        let protobuf = if ti.custom {
            ""
        } else {
            ", application/vnd.kubernetes.protobuf"
        };
        return Err(ApiError::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml{protobuf}"
            ),
        ));
    }
    if let Some(why) = crate::gojson::syntax_error(body) {
        return Err(unrecognized(kind, &why, body));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!("couldn't get version/kind; json parse error: {e}"))
    })?;
    if !value.is_object() {
        let go_type = crate::gojson::go_type(&value);
        if go_type != "null" {
            return Err(unrecognized(
                kind,
                &format!(
                    "json: cannot unmarshal {go_type} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}"
                ),
                body,
            ));
        }
    }
    Ok(value)
}

fn write_options(
    app: &App,
    headers: &HeaderMap,
    query: &Query,
    options_kind: &str,
) -> Result<WriteOptions, ApiError> {
    let dry_run = parse_dry_run(options_kind, query.all("dryRun"))?;
    let field_validation = match query.get("fieldValidation") {
        None | Some("") | Some("Warn") => FieldValidation::Warn,
        Some("Ignore") => FieldValidation::Ignore,
        Some("Strict") => FieldValidation::Strict,
        Some(other) => {
            return Err(crate::registry::validation::unsupported_option(
                options_kind,
                "fieldValidation",
                other,
                &["", "Ignore", "Strict", "Warn"],
            ));
        }
    };
    let manager = field_manager(headers, query);
    Ok(WriteOptions {
        user: app.registry.config().user.clone(),
        manager,
        dry_run,
        field_validation,
        unconditional: false,
        force: query.flag("force"),
        apply: false,
    })
}

fn selection(ti: &TypeInfo, query: &Query) -> Result<Selection, ApiError> {
    let labels = LabelSelector::parse(query.get("labelSelector").unwrap_or(""))
        .map_err(ApiError::bad_request)?;
    let fields = FieldSelector::parse(
        query.get("fieldSelector").unwrap_or(""),
        &ti.supported_fields(),
    )
    .map_err(|e| {
        // Kinds without field-label conversions of their own get the generic wording.
        match e.strip_prefix("field label not supported: ") {
            Some(field) if !ti.custom && ti.rt.plural == "configmaps" => ApiError::bad_request(
                format!(
                    "{} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
                    crate::crd::gofmt::quote(field)
                ),
            ),
            _ => ApiError::bad_request(e),
        }
    })?;
    let fields = crate::events_v1::storage_fields(ti, fields);
    Ok(Selection { labels, fields })
}

fn include_object(query: &Query) -> Result<IncludeObject, ApiError> {
    match query.get("includeObject") {
        None | Some("") | Some("Metadata") => Ok(IncludeObject::Metadata),
        Some("None") => Ok(IncludeObject::None),
        Some("Object") => Ok(IncludeObject::Object),
        Some(other) => Err(ApiError::bad_request(format!(
            "Unable to convert to Table as requested: includeObject: Invalid value: {}: must be 'Metadata', 'Object', 'None', or empty",
            crate::crd::gofmt::quote(other)
        ))),
    }
}

fn warnings_for(ti: &TypeInfo, mut warnings: Vec<String>) -> Vec<String> {
    if let Some(w) = &ti.rt.deprecation_warning {
        warnings.insert(0, w.clone());
    }
    warnings
}

async fn resource(
    app: Arc<App>,
    parts: axum::http::request::Parts,
    body: hyper::body::Incoming,
    target: Target,
) -> Result<Resp, ApiError> {
    let output = match negotiate(&parts.headers, Some(&target.ti)) {
        Ok(output) => output,
        Err(refused) => match *refused {
            (err, Output::Protobuf) => return Ok(super::proto::error(&err)),
            (err, _) => return Err(err),
        },
    };
    if output.protobuf() {
        // Errors are answered in the negotiated format too.
        return Ok(resource_in(app, parts, body, target, output)
            .await
            .unwrap_or_else(|e| super::proto::error(&e)));
    }
    resource_in(app, parts, body, target, output).await
}

async fn resource_in(
    app: Arc<App>,
    parts: axum::http::request::Parts,
    body: hyper::body::Incoming,
    target: Target,
    output: Output,
) -> Result<Resp, ApiError> {
    let query = Query::parse(&parts.uri);
    let ti = target.ti.clone();
    let namespace = target.namespace.clone().unwrap_or_default();
    let subresource = if target.subresource.is_some() {
        Subresource::Status
    } else {
        Subresource::Main
    };
    if crate::apiextensions::read_only(&ti) && parts.method != Method::GET {
        let verb = match parts.method {
            Method::POST => "create",
            Method::PUT => "update",
            Method::PATCH => "patch",
            Method::DELETE if target.name.is_none() => "deletecollection",
            Method::DELETE => "delete",
            _ => parts.method.as_str(),
        };
        return Err(ApiError::method_not_supported(&ti.gr(), verb));
    }
    match (&parts.method, &target.name) {
        (&Method::GET, None) => {
            if query.flag("watch") {
                return start_watch(app, &query, target, output);
            }
            list(&app, &query, &ti, target.namespace.as_deref(), output)
        }
        (&Method::GET, Some(name)) => {
            let object = app.registry.get(&ti, &namespace, name)?;
            Ok(render_one(
                &ti,
                &object,
                output,
                &query,
                StatusCode::OK,
                &warnings_for(&ti, Vec::new()),
            ))
        }
        (&Method::POST, None) => {
            if ti.rt.namespaced && target.namespace.is_none() {
                return Err(ApiError::method_not_supported(&ti.gr(), "create"));
            }
            let body = read_body(body).await?;
            let object = decode_object(&parts.headers, &body, &ti)?;
            let opts = write_options(&app, &parts.headers, &query, "CreateOptions")?;
            let written = app.registry.create(&ti, &namespace, object, &opts)?;
            Ok(render_one(
                &ti,
                &written.object,
                output,
                &query,
                StatusCode::CREATED,
                &warnings_for(&ti, written.warnings),
            ))
        }
        (&Method::PUT, Some(name)) => {
            let body = read_body(body).await?;
            let object = decode_object(&parts.headers, &body, &ti)?;
            let opts = write_options(&app, &parts.headers, &query, "UpdateOptions")?;
            let written = app
                .registry
                .update(&ti, &namespace, name, object, &opts, subresource)?;
            Ok(render_one(
                &ti,
                &written.object,
                output,
                &query,
                StatusCode::OK,
                &warnings_for(&ti, written.warnings),
            ))
        }
        (&Method::PATCH, Some(name)) => {
            let kind = match content_type(&parts.headers).as_str() {
                "application/merge-patch+json" => PatchKind::Merge,
                "application/json-patch+json" => PatchKind::Json,
                "application/strategic-merge-patch+json" if !ti.custom => PatchKind::Strategic,
                "application/apply-patch+yaml" => PatchKind::Apply,
                _ if ti.custom => return Err(ApiError::unsupported_media_type()),
                _ => {
                    return Err(ApiError::new(
                        415,
                        "UnsupportedMediaType",
                        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml",
                    ));
                }
            };
            let opts = write_options(&app, &parts.headers, &query, "PatchOptions")?;
            if kind == PatchKind::Apply && query.get("fieldManager").is_none_or(str::is_empty) {
                return Err(options_error(
                    "PatchOptions",
                    "fieldManager",
                    "FieldValueRequired",
                    "Required value: is required for apply patch".into(),
                ));
            }
            if kind != PatchKind::Apply && query.get("force").is_some() {
                return Err(options_error(
                    "PatchOptions",
                    "force",
                    "FieldValueForbidden",
                    "Forbidden: may not be specified for non-apply patch".into(),
                ));
            }
            let body = read_body(body).await?;
            let written =
                app.registry
                    .patch(&ti, &namespace, name, kind, &body, &opts, subresource)?;
            let code = if written.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok(render_one(
                &ti,
                &written.object,
                output,
                &query,
                code,
                &warnings_for(&ti, written.warnings),
            ))
        }
        (&Method::DELETE, Some(name)) => {
            let body = read_body(body).await?;
            let del = delete_options(&parts.headers, &body, &query)?;
            let opts = write_options(&app, &parts.headers, &Query(Vec::new()), "DeleteOptions")?;
            let outcome = app.registry.delete(&ti, &namespace, name, &del, &opts)?;
            let warnings = warnings_for(&ti, Vec::new());
            Ok(match outcome {
                Deleted::Gone(object) if returns_status_on_delete(&ti) => {
                    let uid = object
                        .pointer("/metadata/uid")
                        .cloned()
                        .unwrap_or(Value::Null);
                    let status = json!({
                        "kind": "Status",
                        "apiVersion": "v1",
                        "metadata": {},
                        "status": "Success",
                        "details": crate::status::omit_empty(json!({"name": name, "group": ti.rt.group, "kind": ti.rt.plural, "uid": uid})),
                    });
                    if output.protobuf() {
                        return Ok(super::proto::value(StatusCode::OK, &ti, &status, &warnings));
                    }
                    json_value(StatusCode::OK, &status, &warnings)
                }
                Deleted::Gone(object) | Deleted::Pending(object) => {
                    render_one(&ti, &object, output, &query, StatusCode::OK, &warnings)
                }
            })
        }
        (&Method::DELETE, None) => {
            let body = read_body(body).await?;
            let del = delete_options(&parts.headers, &body, &query)?;
            let opts = write_options(&app, &parts.headers, &Query(Vec::new()), "DeleteOptions")?;
            let list_opts = ListOptions {
                selection: selection(&ti, &query)?,
                ..ListOptions::default()
            };
            let (items, rv) = app.registry.delete_collection(
                &ti,
                target.namespace.as_deref(),
                &list_opts,
                &del,
                &opts,
            )?;
            let mut items = items;
            if !ti.custom {
                // As in any list of a built-in kind, the items carry no apiVersion/kind.
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    item.remove("apiVersion");
                    item.remove("kind");
                }
            }
            let mut list = json!({
                "apiVersion": ti.rt.api_version(),
                "kind": ti.rt.list_kind,
                "metadata": {"resourceVersion": rv.to_string()},
                "items": items,
            });
            if ti.custom {
                list["metadata"]["continue"] = json!("");
            }
            if output == Output::Protobuf {
                return Ok(super::proto::value(
                    StatusCode::OK,
                    &ti,
                    &list,
                    &warnings_for(&ti, Vec::new()),
                ));
            }
            Ok(json_value(
                StatusCode::OK,
                &list,
                &warnings_for(&ti, Vec::new()),
            ))
        }
        (method, _) => {
            let verb = match *method {
                Method::POST => "create",
                Method::PUT => "update",
                Method::PATCH => "patch",
                _ => method.as_str(),
            };
            Err(ApiError::method_not_supported(&ti.gr(), verb))
        }
    }
}

/// Custom resources and most core types answer a completed DELETE with a `Status`; pods,
/// namespaces and resource quotas return the object.
fn returns_status_on_delete(ti: &TypeInfo) -> bool {
    ti.custom
        || !matches!(
            ti.rt.plural.as_str(),
            "pods" | "namespaces" | "resourcequotas"
        )
}

fn delete_options(
    headers: &HeaderMap,
    body: &[u8],
    query: &Query,
) -> Result<DeleteOptions, ApiError> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else if content_type(headers) == crate::protobuf::MEDIA_TYPE {
        crate::protobuf::decode_delete_options(body).map_err(ApiError::bad_request)?
    } else {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::bad_request(format!("couldn't get version/kind; json parse error: {e}"))
        })?
    };
    let mut del = DeleteOptions::from_json(&value)?;
    if let Some(p) = query.get("propagationPolicy") {
        del.propagation = Some(DeleteOptions::parse_propagation(p)?);
    }
    if query.get("dryRun").is_some() {
        del.dry_run = parse_dry_run("DeleteOptions", query.all("dryRun"))?;
    }
    if let Some(o) = query.get("orphanDependents") {
        del.orphan_dependents = Some(o == "true");
    }
    del.validate()?;
    Ok(del)
}

fn render_one(
    ti: &TypeInfo,
    object: &Value,
    output: Output,
    query: &Query,
    code: StatusCode,
    warnings: &[String],
) -> Resp {
    match output {
        Output::Json => json_value(code, object, warnings),
        Output::Partial => json_value(code, &table::partial_metadata(object), warnings),
        Output::Protobuf => super::proto::value(code, ti, object, warnings),
        Output::PartialProtobuf => {
            super::proto::value(code, ti, &table::partial_metadata(object), warnings)
        }
        Output::Table(version) => {
            let include = include_object(query).unwrap_or(IncludeObject::Metadata);
            let rv = object
                .pointer("/metadata/resourceVersion")
                .cloned()
                .unwrap_or(json!(""));
            let t = table::table(
                ti,
                version,
                std::slice::from_ref(object),
                json!({"resourceVersion": rv}),
                include,
                true,
            );
            json_value(code, &t, warnings)
        }
    }
}

fn list(
    app: &App,
    query: &Query,
    ti: &Arc<TypeInfo>,
    namespace: Option<&str>,
    output: Output,
) -> Result<Resp, ApiError> {
    let limit = match query.get("limit") {
        None | Some("") => None,
        Some(l) => Some(l.parse::<i64>().map_err(|_| {
            ApiError::bad_request(format!(
                "strconv.ParseInt: parsing {}: invalid syntax",
                crate::crd::gofmt::quote(l)
            ))
        })?),
    };
    let continue_token = query
        .get("continue")
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    if let Some(m) = query.get("resourceVersionMatch").filter(|m| !m.is_empty()) {
        list_match_errors(m, query)?;
    }
    if let Some(rv) = query.get("resourceVersion").filter(|rv| !rv.is_empty())
        && rv.parse::<u64>().is_err()
    {
        let rv = crate::crd::gofmt::quote(rv);
        return Err(ApiError::new(
            500,
            "",
            format!(
                "resourceVersion: Invalid value: {rv}: strconv.ParseUint: parsing {rv}: invalid syntax"
            ),
        ));
    }
    if continue_token.is_some()
        && query
            .get("resourceVersion")
            .is_some_and(|rv| !rv.is_empty())
    {
        return Err(ApiError::bad_request(
            "specifying resource version is not allowed when using continue",
        ));
    }
    let opts = ListOptions {
        selection: selection(ti, query)?,
        limit: limit.filter(|l| *l > 0).map(|l| l as usize),
        continue_token,
    };
    let page = app.registry.list(ti, namespace, &opts)?;
    let mut meta = json!({"resourceVersion": page.resource_version.to_string()});
    if let Some(token) = &page.continue_token {
        meta["continue"] = json!(token);
    } else if ti.custom && output == Output::Json {
        // An unstructured list from storage always carries the field, empty on the last page.
        meta["continue"] = json!("");
    }
    if let Some(remaining) = page.remaining {
        meta["remainingItemCount"] = json!(remaining);
    }
    let warnings = warnings_for(ti, Vec::new());
    match output {
        Output::Json => Ok(json_bytes(
            StatusCode::OK,
            list_bytes(app, ti, &page.items, &meta),
            &warnings,
        )),
        Output::Table(version) => {
            let include = include_object(query)?;
            let objects = page
                .items
                .iter()
                .filter_map(|s| app.registry.catalog.convert(s.value(), ti).ok());
            let body = table::table_bytes(ti, version, objects, &meta, include);
            Ok(json_bytes(StatusCode::OK, Bytes::from(body), &warnings))
        }
        Output::Partial | Output::PartialProtobuf => {
            let objects = converted(app, ti, &page.items);
            let list = json!({
                "kind": "PartialObjectMetadataList",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": meta,
                "items": objects.iter().map(table::partial_metadata).collect::<Vec<_>>(),
            });
            if output == Output::PartialProtobuf {
                return Ok(super::proto::value(StatusCode::OK, ti, &list, &warnings));
            }
            Ok(json_value(StatusCode::OK, &list, &warnings))
        }
        Output::Protobuf => {
            let items: Vec<Value> = converted(app, ti, &page.items)
                .into_iter()
                .map(|mut item| {
                    if let Some(map) = item.as_object_mut() {
                        map.remove("apiVersion");
                        map.remove("kind");
                    }
                    item
                })
                .collect();
            let list = json!({
                "apiVersion": ti.rt.api_version(),
                "kind": ti.rt.list_kind,
                "metadata": meta,
                "items": items,
            });
            Ok(super::proto::value(StatusCode::OK, ti, &list, &warnings))
        }
    }
}

/// `ValidateListOptions` of `resourceVersionMatch`.
fn list_match_errors(m: &str, query: &Query) -> Result<(), ApiError> {
    use crate::status::Cause;
    let rv = query.get("resourceVersion").unwrap_or("");
    let forbidden = |message: &str| Cause {
        reason: "FieldValueForbidden".into(),
        message: format!("Forbidden: {message}"),
        field: "resourceVersionMatch".into(),
    };
    let mut causes = Vec::new();
    if rv.is_empty() {
        causes.push(forbidden(
            "resourceVersionMatch is forbidden unless resourceVersion is provided",
        ));
    }
    if query.get("continue").is_some_and(|c| !c.is_empty()) {
        causes.push(forbidden(
            "resourceVersionMatch is forbidden when continue is provided",
        ));
    }
    if !matches!(m, "Exact" | "NotOlderThan") {
        causes.push(Cause {
            reason: "FieldValueNotSupported".into(),
            message: format!(
                "Unsupported value: {}: supported values: \"Exact\", \"NotOlderThan\", \"\"",
                crate::crd::gofmt::quote(m)
            ),
            field: "resourceVersionMatch".into(),
        });
    }
    if m == "Exact" && rv == "0" {
        causes.push(forbidden(
            "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
        ));
    }
    if causes.is_empty() {
        return Ok(());
    }
    Err(ApiError::invalid(
        "ListOptions.meta.k8s.io",
        "meta.k8s.io",
        "ListOptions",
        "",
        causes,
    ))
}

fn converted(app: &App, ti: &TypeInfo, items: &[Arc<Stored>]) -> Vec<Value> {
    items
        .iter()
        .filter_map(|s| app.registry.catalog.convert(s.value(), ti).ok())
        .collect()
}

/// A list body spliced from the stored objects' JSON (no re-serialization when no conversion
/// is needed).
fn list_bytes(app: &App, ti: &TypeInfo, items: &[Arc<Stored>], meta: &Value) -> Bytes {
    let api_version = ti.rt.api_version();
    let mut out = Vec::with_capacity(items.iter().map(|i| i.json.len() + 1).sum::<usize>() + 256);
    out.extend_from_slice(b"{\"apiVersion\":");
    out.extend_from_slice(&serde_json::to_vec(&api_version).unwrap_or_default());
    out.extend_from_slice(b",\"items\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if !ti.custom {
            // Items of a built-in list carry no apiVersion/kind (the list says what they are).
            let converted = (item.meta.api_version != api_version)
                .then(|| app.registry.catalog.convert(item.value(), ti).ok())
                .flatten();
            if let Some(map) = converted.as_ref().unwrap_or(item.object()).as_object() {
                let rest: std::collections::BTreeMap<&String, &Value> = map
                    .iter()
                    .filter(|(k, _)| *k != "apiVersion" && *k != "kind")
                    .collect();
                out.extend_from_slice(&serde_json::to_vec(&rest).unwrap_or_default());
            }
        } else if item.meta.api_version == api_version {
            out.extend_from_slice(&item.json);
        } else if let Ok(v) = app.registry.catalog.convert(item.value(), ti) {
            out.extend_from_slice(&serde_json::to_vec(&v).unwrap_or_default());
        }
    }
    out.extend_from_slice(b"],\"kind\":");
    out.extend_from_slice(&serde_json::to_vec(&ti.rt.list_kind).unwrap_or_default());
    out.extend_from_slice(b",\"metadata\":");
    out.extend_from_slice(&serde_json::to_vec(meta).unwrap_or_default());
    out.push(b'}');
    Bytes::from(out)
}

/// Renders watch events as Tables (headers only on the first event, as upstream does).
struct TableRenderer {
    registry: Arc<Registry>,
    ti: Arc<TypeInfo>,
    version: &'static str,
    include: IncludeObject,
    headers_sent: bool,
}

impl EventRenderer for TableRenderer {
    fn event(&mut self, kind: &str, object: &Arc<Stored>, rv: Option<u64>) -> Option<Bytes> {
        let value = watch::event_object(&self.registry, &self.ti, object, rv)?;
        let rv_text = value
            .pointer("/metadata/resourceVersion")
            .cloned()
            .unwrap_or(json!(""));
        let headers = !self.headers_sent;
        self.headers_sent = true;
        let t = table::table(
            &self.ti,
            self.version,
            &[value],
            json!({"resourceVersion": rv_text}),
            self.include,
            headers,
        );
        Some(event_line(kind, &serde_json::to_vec(&t).ok()?))
    }

    fn bookmark(&mut self, rv: u64, initial_events_end: bool) -> Bytes {
        let object = watch::bookmark_object(&self.ti, rv, initial_events_end);
        event_line("BOOKMARK", &serde_json::to_vec(&object).unwrap_or_default())
    }
}

fn start_watch(
    app: Arc<App>,
    query: &Query,
    target: Target,
    output: Output,
) -> Result<Resp, ApiError> {
    let ti = target.ti.clone();
    let mut sel = selection(&ti, query)?;
    if let Some(name) = &target.name {
        sel.fields = FieldSelector::parse(&format!("metadata.name={name}"), &ti.supported_fields())
            .map_err(ApiError::bad_request)?;
    }
    let timeout = match query.get("timeoutSeconds") {
        Some(t) if !t.is_empty() => Duration::from_secs(t.parse::<u64>().map_err(|_| {
            ApiError::bad_request(format!("timeoutSeconds: Invalid value: \"{t}\""))
        })?),
        _ => DEFAULT_WATCH_TIMEOUT,
    };
    let timeout = match app.registry.config().watch_cutoff {
        Some(cutoff) => timeout.min(cutoff),
        None => timeout,
    };
    let send_initial_events = match query.get("sendInitialEvents") {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    let renderer: Box<dyn EventRenderer> = match output {
        Output::Table(version) => Box::new(TableRenderer {
            registry: app.registry.clone(),
            ti: ti.clone(),
            version,
            include: include_object(query)?,
            headers_sent: false,
        }),
        Output::Protobuf | Output::PartialProtobuf => Box::new(super::proto::ProtobufRenderer {
            registry: app.registry.clone(),
            ti: ti.clone(),
            partial: output == Output::PartialProtobuf,
        }),
        _ => Box::new(JsonRenderer {
            registry: app.registry.clone(),
            ti: ti.clone(),
        }),
    };
    let request = WatchRequest {
        ti: ti.clone(),
        namespace: target.namespace.clone(),
        selection: sel,
        resource_version: query.get("resourceVersion").map(str::to_string),
        send_initial_events,
        allow_bookmarks: query.flag("allowWatchBookmarks"),
        timeout,
    };
    let rx = watch::spawn(
        app.registry.clone(),
        request,
        renderer,
        app.shutdown.clone(),
    )?;
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    let body = Body::from_stream(futures::StreamExt::map(
        stream,
        Ok::<_, std::convert::Infallible>,
    ));
    let mut resp = Response::new(body);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(if output.protobuf() {
            crate::protobuf::WATCH_MEDIA_TYPE
        } else {
            "application/json"
        }),
    );
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, private"),
    );
    add_warnings(resp.headers_mut(), &warnings_for(&ti, Vec::new()));
    Ok(resp)
}
