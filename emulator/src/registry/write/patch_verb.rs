//! PATCH: a merge, JSON or strategic-merge patch, or a server-side apply (which may create).

use super::*;

impl Registry {
    /// PATCH with a merge, JSON or strategic-merge patch, or server-side apply.
    #[allow(clippy::too_many_arguments)]
    pub fn patch(
        &self,
        ti: &TypeInfo,
        namespace: &str,
        name: &str,
        kind: PatchKind,
        body: &[u8],
        opts: &WriteOptions,
        subresource: Subresource,
    ) -> Result<Written, ApiError> {
        if kind == PatchKind::Strategic && ti.custom {
            return Err(ApiError::unsupported_media_type());
        }
        let patch = super::patch::Patch::parse(kind, body)?;
        // A patch that names managedFields, or copies or moves a part of the object, is applied
        // to the object as clients see it (see `fields_form`).
        let touches_managed_fields = body.windows(13).any(|w| w == b"managedFields")
            || (kind == PatchKind::Json && body.windows(6).any(|w| w == b"\"from\""));
        if let super::patch::Patch::Apply(config) = &patch {
            Self::check_apply_config(ti, config)?;
        }
        let opts = &WriteOptions {
            apply: kind == PatchKind::Apply,
            ..opts.clone()
        };
        let key = Self::key(ti, namespace, name);
        for _ in 0..MAX_RETRIES {
            let Some(current) = self.store.get(&key) else {
                return match &patch {
                    super::patch::Patch::Apply(config) if subresource == Subresource::Main => {
                        self.apply_create(ti, namespace, name, config.clone(), opts)
                    }
                    _ => Err(ApiError::not_found(&ti.gr(), name)),
                };
            };
            let mut old = self.stored_at_version(ti, &current)?;
            if touches_managed_fields {
                crate::fields_form::expand(&mut old);
            }
            let mut patched = patch.apply_to(ti, &old, opts, subresource)?;
            let patched_rv = parse_rv(&patched);
            let explicit_rv = patch.sets_resource_version();
            if explicit_rv
                && patched_rv.is_none()
                && let Some(text) = meta_str(&patched, "resourceVersion").filter(|s| !s.is_empty())
            {
                return Err(bad_rv(text));
            }
            if explicit_rv && patched_rv != Some(current.rv) {
                return Err(ApiError::conflict(&ti.gr(), name));
            }
            if ti.custom && kind != PatchKind::Apply {
                // Upstream decodes the patched object; what fails there is the patch's 422.
                let mut why = core_rules::decode_error(&ti.rt.kind, true, &patched).err();
                if why.is_none() && opts.field_validation == FieldValidation::Strict {
                    let mut probe = patched.clone();
                    let mut unknown = core_rules::unknown_metadata(&probe);
                    if let Some(schema) = &ti.schema {
                        unknown.extend(schema.decode(&mut probe, false));
                    }
                    if !unknown.is_empty() {
                        let fields: Vec<String> = unknown
                            .iter()
                            .map(|p| format!("unknown field {}", quote(p)))
                            .collect();
                        why = Some(format!("strict decoding error: {}", fields.join(", ")));
                    }
                }
                if let Some(why) = why {
                    let patched = crate::fields_form::expanded(&patched);
                    return Err(core_rules::patch_invalid(&patched, &why));
                }
            }
            Self::check_body(ti, &mut patched)?;
            if meta_str(&patched, "name").is_none_or(str::is_empty) {
                return Err(ApiError::bad_request(format!(
                    "the name of the object ({name} based on URL) was undeterminable: name must be provided"
                )));
            }
            Self::check_body_name(&patched, name)?;
            if ti.rt.namespaced && meta_str(&patched, "namespace").is_some_and(|ns| ns != namespace)
            {
                return Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ));
            }
            match self.write_update(ti, &current, patched, opts, subresource, Vec::new()) {
                Ok(written) => return Ok(written),
                Err(WriteErr::Api(e)) => return Err(e),
                Err(WriteErr::Race) if explicit_rv => {
                    return Err(ApiError::conflict(&ti.gr(), name));
                }
                Err(WriteErr::Race) => continue,
            }
        }
        Err(ApiError::conflict(&ti.gr(), name))
    }

    /// Server-side apply of an object that does not exist yet: a create owned by the applier.
    /// What upstream's field manager refuses before it applies a configuration: no
    /// apiVersion, and fields the schema does not declare (a 500, as 1.28 answers).
    fn check_apply_config(ti: &TypeInfo, config: &Value) -> Result<(), ApiError> {
        let api_version = config
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("");
        let kind = config.get("kind").and_then(Value::as_str).unwrap_or("");
        if api_version.is_empty() && !kind.is_empty() {
            return Err(ApiError::bad_request(format!(
                "invalid object type: /, Kind={kind}"
            )));
        }
        if let Some(schema) = &ti.schema
            && api_version == ti.rt.api_version()
        {
            let mut probe = config.clone();
            if let Some(path) = schema.decode(&mut probe, false).first() {
                return Err(ApiError::new(
                    500,
                    "",
                    format!(
                        "failed to create typed patch object ({}/{}; {api_version}, Kind={kind}): .{path}: field not declared in schema",
                        meta_str(config, "namespace").unwrap_or(""),
                        meta_str(config, "name").unwrap_or(""),
                    ),
                ));
            }
        }
        Ok(())
    }

    fn apply_create(
        &self,
        ti: &TypeInfo,
        namespace: &str,
        name: &str,
        config: Value,
        opts: &WriteOptions,
    ) -> Result<Written, ApiError> {
        let mut object = config;
        Self::check_body(ti, &mut object)?;
        Self::check_body_name(&object, name)?;
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("managedFields");
        }
        let opts = WriteOptions {
            apply: true,
            ..opts.clone()
        };
        self.create(ti, namespace, object, &opts)
    }
}
