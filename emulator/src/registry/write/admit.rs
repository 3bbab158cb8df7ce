//! The admission stages of a write: schema defaults and pruning, mutating admission, schema
//! and metadata validation, validating admission; then conversion to the storage version.

use super::*;

use crate::json::At;

impl Registry {
    /// Schema defaults/pruning, mutating admission, validation, validating admission.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn admit(
        &self,
        ti: &TypeInfo,
        operation: Operation,
        namespace: &str,
        name: &str,
        old: Option<&Value>,
        object: &mut Value,
        opts: &WriteOptions,
        subresource: Subresource,
        warnings: &mut Vec<String>,
        before_webhooks: &mut dyn FnMut(&mut Value),
    ) -> Result<(), ApiError> {
        // Decoding: value types first, then the fields the type does not have (dropped, with a
        // warning, or refused with fieldValidation=Strict).
        core_rules::check_types(&ti.rt.kind, &ti.rt.version, ti.custom, object)?;
        let mut unknown = if ti.custom {
            core_rules::drop_empty_metadata(object);
            let meta = core_rules::unknown_metadata(object);
            if let Some(m) = object.get_mut("metadata").and_then(Value::as_object_mut) {
                for path in &meta {
                    m.remove(path.trim_start_matches("metadata."));
                }
            }
            meta
        } else {
            core_rules::drop_empty_maps(object);
            let unknown = core_rules::prune_unknown(&ti.rt.kind, object);
            core_rules::apply_defaults(&ti.rt.kind, object);
            unknown
        };
        if let Some(schema) = &ti.schema {
            unknown.extend(schema.decode(object, subresource == Subresource::Status));
        }
        match opts.field_validation {
            FieldValidation::Strict if !unknown.is_empty() => {
                let fields: Vec<String> = unknown
                    .iter()
                    .map(|p| format!("unknown field {}", quote(p)))
                    .collect();
                return Err(core_rules::cannot_handle(
                    &ti.rt.kind,
                    &ti.rt.version,
                    &format!("strict decoding error: {}", fields.join(", ")),
                ));
            }
            FieldValidation::Warn => {
                warnings.extend(
                    unknown
                        .iter()
                        .map(|p| format!("unknown field {}", quote(p))),
                );
            }
            _ => {}
        }
        let request = |op| AdmissionRequest {
            operation: op,
            resource: &ti.rt,
            namespace,
            name,
            user: &opts.user,
            old,
            dry_run: opts.dry_run,
            cluster: self,
        };
        // Field ownership is decided here, on the decoded request, as upstream's field manager
        // does before mutating admission: what webhooks add or change is owned by nobody.
        before_webhooks(object);
        if subresource == Subresource::Main {
            for webhook in self.webhooks_for(ti) {
                warnings.extend(webhook.mutate(&request(operation), object)?);
            }
        }
        // An Event's core form, checked here, is also the base of its storage form: what runs
        // below only reads an Event (a built-in type, it has no CRD schema to apply).
        let mut event_core = None;
        let mut causes = if crate::events_v1::is_event(ti) {
            let (causes, core) = crate::events_v1::validate(object, old);
            event_core = Some(core);
            causes
        } else {
            validation::validate_metadata(object, ti.name_rule)
        };
        if !ti.custom {
            causes.extend(core_rules::validate(&ti.rt.kind, object, old));
        }
        if let Some(schema) = &ti.schema {
            // After mutating admission the API server prunes and defaults the webhooks'
            // result but keeps its nulls (a Knative webhook's Go round trip writes
            // `containers: null`, which the schema then rejects).
            let found = match subresource {
                Subresource::Status => schema.apply_status(object, true).causes,
                Subresource::Main => schema.apply_after_admission(object).causes,
            };
            if subresource == Subresource::Status {
                // The status strategy validates status against its own schema: paths start
                // below `status`.
                causes.extend(found.into_iter().map(|mut c| {
                    if let Some(rest) = c.field.strip_prefix("status.") {
                        c.message = c
                            .message
                            .replace(&format!("{} in body", c.field), &format!("{rest} in body"));
                        c.field = rest.to_string();
                    }
                    c
                }));
            } else {
                causes.extend(found);
            }
        }
        if let Some(old) = old {
            let before = finalizers(old);
            let added: Vec<String> = finalizers(object)
                .into_iter()
                .filter(|f| !before.contains(f))
                .collect();
            if old.at("/metadata/deletionTimestamp").is_some() && !added.is_empty() {
                let list = added
                    .iter()
                    .map(|f| quote(f))
                    .collect::<Vec<_>>()
                    .join(", ");
                let cause = Cause {
                    reason: "FieldValueForbidden".into(),
                    message: format!(
                        "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{list}}}"
                    ),
                    field: "metadata.finalizers".into(),
                };
                // A custom resource's metadata is validated twice on update upstream, so the
                // cause appears twice (the message lists it once).
                if ti.custom {
                    causes.push(cause.clone());
                }
                causes.push(cause);
            }
        }
        if !causes.is_empty() {
            return Err(ApiError::invalid(
                &ti.qualified_kind(),
                &ti.internal_group(),
                &ti.rt.kind,
                name,
                causes,
            ));
        }
        if subresource == Subresource::Main {
            for webhook in self.webhooks_for(ti) {
                match webhook.validate(&request(operation), object) {
                    Ok(more) => warnings.extend(more),
                    // Warnings already collected go out with the denial, before its own.
                    Err(denied) => {
                        let mut all = std::mem::take(warnings);
                        all.extend(denied.warnings.iter().cloned());
                        return Err(denied.with_warnings(all));
                    }
                }
            }
        }
        match event_core {
            Some(core) => crate::event_versions::store_from_core(object, core),
            None if !ti.custom => core_rules::storage_form(&ti.rt.kind, object),
            None => {}
        }
        Ok(())
    }

    pub(in crate::registry) fn to_storage(
        &self,
        ti: &TypeInfo,
        object: Value,
    ) -> Result<Value, ApiError> {
        match self.catalog.storage(&ti.gr()) {
            Some(storage) if storage.rt.api_version() != ti.rt.api_version() => {
                self.catalog.convert(object, &storage)
            }
            _ => Ok(object),
        }
    }

    pub(in crate::registry) fn stored_at_version(
        &self,
        ti: &TypeInfo,
        stored: &Arc<Stored>,
    ) -> Result<Value, ApiError> {
        self.catalog.convert(stored.value(), ti)
    }

    /// [`Registry::stored_at_version`], shared with the store when the stored version is the
    /// one asked for.
    pub(in crate::registry) fn stored_shared(
        &self,
        ti: &TypeInfo,
        stored: &Stored,
    ) -> Result<Arc<Value>, ApiError> {
        Ok(Self::share_view(self.stored_view(ti, stored)?, stored))
    }

    /// A [`Registry::stored_view`] of `stored` as an `Arc`: the store's own when borrowed.
    pub(in crate::registry) fn share_view(
        view: std::borrow::Cow<'_, Value>,
        stored: &Stored,
    ) -> Arc<Value> {
        match view {
            std::borrow::Cow::Borrowed(_) => stored.shared(),
            std::borrow::Cow::Owned(converted) => Arc::new(converted),
        }
    }

    /// [`Registry::stored_at_version`], borrowed when the stored version is the one asked for.
    pub(in crate::registry) fn stored_view<'a>(
        &self,
        ti: &TypeInfo,
        stored: &'a Stored,
    ) -> Result<std::borrow::Cow<'a, Value>, ApiError> {
        let object = stored.object();
        if object.get("apiVersion").and_then(Value::as_str) == Some(ti.rt.api_version().as_str()) {
            return Ok(std::borrow::Cow::Borrowed(object));
        }
        self.catalog
            .convert(stored.value(), ti)
            .map(std::borrow::Cow::Owned)
    }
}
