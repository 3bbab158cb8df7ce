//! Lists and watches: selectors, `resourceVersionMatch`, list rendering (JSON, Table,
//! protobuf) and watch streams.

use super::*;

use crate::json::At;

pub(super) fn list(
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
pub(super) fn list_match_errors(m: &str, query: &Query) -> Result<(), ApiError> {
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

pub(super) fn converted(app: &App, ti: &TypeInfo, items: &[Arc<Stored>]) -> Vec<Value> {
    items
        .iter()
        .filter_map(|s| app.registry.catalog.convert(s.value(), ti).ok())
        .collect()
}

/// A list body spliced from the stored objects' JSON (no re-serialization when no conversion
/// is needed).
pub(super) fn list_bytes(app: &App, ti: &TypeInfo, items: &[Arc<Stored>], meta: &Value) -> Bytes {
    let api_version = ti.rt.api_version();
    let mut out = Vec::with_capacity(items.iter().map(|i| i.json().len() + 1).sum::<usize>() + 256);
    out.extend_from_slice(b"{\"apiVersion\":");
    out.extend_from_slice(&serde_json::to_vec(&api_version).unwrap_or_default());
    out.extend_from_slice(b",\"items\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if !ti.custom {
            // Items of a built-in list carry no apiVersion/kind (the list says what they are).
            let converted = (item.api_version() != api_version)
                .then(|| app.registry.catalog.convert(item.value(), ti).ok())
                .flatten();
            let object = converted.as_ref().unwrap_or(item.object());
            if object.is_object() {
                let rest = crate::fields_form::to_vec_without(object, &["apiVersion", "kind"]);
                out.extend_from_slice(&rest);
            }
        } else if item.api_version() == api_version {
            out.extend_from_slice(item.json());
        } else if let Ok(v) = app.registry.catalog.convert(item.value(), ti) {
            out.extend_from_slice(&crate::fields_form::to_vec(&v));
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
pub(super) struct TableRenderer {
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
            .at("/metadata/resourceVersion")
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
        Some(event_line(kind, &crate::fields_form::to_vec(&t)))
    }

    fn bookmark(&mut self, rv: u64, initial_events_end: bool) -> Bytes {
        let object = watch::bookmark_object(&self.ti, rv, initial_events_end);
        event_line("BOOKMARK", &serde_json::to_vec(&object).unwrap_or_default())
    }
}

pub(super) fn start_watch(
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
