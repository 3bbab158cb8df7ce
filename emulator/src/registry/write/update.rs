//! PUT on an object or its `/status`, and a controller's write of the status it read: the
//! request's preconditions (resourceVersion, retries) before the common tail in `write.rs`.

use super::*;

impl Registry {
    fn missing_rv(ti: &TypeInfo, name: &str) -> ApiError {
        ApiError::invalid(
            &ti.gr().to_string(),
            &ti.rt.group,
            &ti.rt.plural,
            name,
            vec![Cause {
                reason: "FieldValueInvalid".into(),
                message: "Invalid value: 0x0: must be specified for an update".into(),
                field: "metadata.resourceVersion".into(),
            }],
        )
    }

    /// PUT on the main resource or on `/status`.
    pub fn update(
        &self,
        ti: &TypeInfo,
        namespace: &str,
        name: &str,
        mut body: Value,
        opts: &WriteOptions,
        subresource: Subresource,
    ) -> Result<Written, ApiError> {
        Self::check_body(ti, &mut body)?;
        Self::check_body_name(&body, name)?;
        Self::check_body_namespace(ti, namespace, &mut body)?;
        let body_rv = meta_str(&body, "resourceVersion")
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let body_rv = match body_rv {
            None => None,
            Some(s) => Some(s.parse::<u64>().map_err(|_| bad_rv(&s))?),
        };
        let key = Self::key(ti, namespace, name);
        // A request with a resourceVersion is tried once (a race is its conflict), so it is
        // moved into that attempt rather than copied for each.
        let once = body_rv.is_some();
        let mut body = Some(body);
        for _ in 0..MAX_RETRIES {
            let current = self
                .store
                .get(&key)
                .ok_or_else(|| ApiError::not_found(&ti.gr(), name))?;
            match body_rv {
                None if ti.custom && !opts.unconditional => return Err(Self::missing_rv(ti, name)),
                Some(rv) if rv != current.rv => return Err(ApiError::conflict(&ti.gr(), name)),
                _ => {}
            }
            let request = if once { body.take() } else { body.clone() };
            let Some(request) = request else { break };
            let attempt = match subresource {
                Subresource::Main => request,
                Subresource::Status => crate::cluster::into_status_body(request),
            };
            match self.write_update(ti, &current, attempt, opts, subresource, Vec::new()) {
                Ok(written) => return Ok(written),
                Err(WriteErr::Api(e)) => return Err(e),
                Err(WriteErr::Race) if body_rv.is_some() => {
                    return Err(ApiError::conflict(&ti.gr(), name));
                }
                Err(WriteErr::Race) => continue,
            }
        }
        Err(ApiError::conflict(&ti.gr(), name))
    }

    /// A `/status` write of `status` by a controller that read the object at revision `rv`:
    /// [`Registry::update`] on `/status` with the stored metadata as the request's, since
    /// that is what the caller read (a later revision is a conflict). Nothing of the request
    /// but its status is copied or sent.
    pub fn update_status_at(
        &self,
        ti: &TypeInfo,
        namespace: &str,
        name: &str,
        rv: u64,
        status: Value,
        opts: &WriteOptions,
    ) -> Result<Written, ApiError> {
        let key = Self::key(ti, namespace, name);
        let current = (self.store.get(&key)).ok_or_else(|| ApiError::not_found(&ti.gr(), name))?;
        if current.rv != rv {
            return Err(ApiError::conflict(&ti.gr(), name));
        }
        let mut body = Map::new();
        body.insert("status".into(), status);
        let body = Value::Object(body);
        match self.write_update(ti, &current, body, opts, Subresource::Status, Vec::new()) {
            Ok(written) => Ok(written),
            Err(WriteErr::Api(e)) => Err(e),
            Err(WriteErr::Race) => Err(ApiError::conflict(&ti.gr(), name)),
        }
    }
}
