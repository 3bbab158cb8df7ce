//! One resource's verbs: get, create, update, patch, delete (and their subresources), each
//! calling the registry and rendering its answer in the negotiated format.

use super::*;

use crate::json::At;

pub(super) fn warnings_for(ti: &TypeInfo, mut warnings: Vec<String>) -> Vec<String> {
    if let Some(w) = &ti.rt.deprecation_warning {
        warnings.insert(0, w.clone());
    }
    warnings
}

pub(super) async fn resource(
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

pub(super) async fn resource_in(
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
                    let uid = object.at("/metadata/uid").cloned().unwrap_or(Value::Null);
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
pub(super) fn returns_status_on_delete(ti: &TypeInfo) -> bool {
    ti.custom
        || !matches!(
            ti.rt.plural.as_str(),
            "pods" | "namespaces" | "resourcequotas"
        )
}

pub(super) fn delete_options(
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

pub(super) fn render_one(
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
                .at("/metadata/resourceVersion")
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
