//! Reading a request: query parameters, content negotiation, the body and its decoding, and
//! the options a write or list takes from the query.

use super::*;

/// Query parameters, in order (keys may repeat).
pub(super) struct Query(pub(super) Vec<(String, String)>);

impl Query {
    pub(super) fn parse(uri: &axum::http::Uri) -> Query {
        Query(
            axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri)
                .map(|q| q.0)
                .unwrap_or_default(),
        )
    }

    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn all(&self, key: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean parameter as apimachinery converts it: present and not `0`, `f` or `false`.
    pub(super) fn flag(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "0" | "f" | "false"))
    }
}

/// How the client wants objects rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Output {
    Json,
    Table(&'static str),
    Partial,
    /// Kubernetes protobuf (built-in kinds only).
    Protobuf,
    /// `PartialObjectMetadata` in protobuf (any kind).
    PartialProtobuf,
}

impl Output {
    pub(super) fn protobuf(self) -> bool {
        matches!(self, Output::Protobuf | Output::PartialProtobuf)
    }
}

/// What the Accept header asks for. A protobuf-only Accept for a kind without a protobuf
/// form is refused with 406, its Status in protobuf (a protobuf Table: in JSON), as upstream.
pub(super) fn negotiate(
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

/// How much of an oversized body is still read (and dropped) so the client, which is still
/// sending, receives the 413 instead of a reset connection.
pub(super) const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

pub(super) async fn read_body(mut body: hyper::body::Incoming) -> Result<Bytes, ApiError> {
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

pub(super) fn content_type(headers: &HeaderMap) -> String {
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
pub(super) fn summarize(body: &[u8]) -> String {
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
pub(super) fn unrecognized(kind: &str, why: &str, body: &[u8]) -> ApiError {
    ApiError::bad_request(format!(
        "the object provided is unrecognized (must be of type {kind}): couldn't get version/kind; json parse error: {why} ({})",
        summarize(body)
    ))
}

/// Decodes a JSON (or YAML) object body.
pub(super) fn decode_object(
    headers: &HeaderMap,
    body: &[u8],
    ti: &TypeInfo,
) -> Result<Value, ApiError> {
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

pub(super) fn write_options(
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
            return Err(crate::validation::unsupported_option(
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

pub(super) fn selection(ti: &TypeInfo, query: &Query) -> Result<Selection, ApiError> {
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

pub(super) fn include_object(query: &Query) -> Result<IncludeObject, ApiError> {
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
