//! Create, update (main resource and `/status`) and patch: the API server's write pipeline
//! (system metadata → schema defaults and pruning → mutating admission → schema and metadata
//! validation → validating admission → storage), optimistic concurrency, generation, no-op
//! detection and dry run.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::{Registry, TypeInfo, parse_rv};
use crate::admission::{AdmissionRequest, Operation};
use crate::builtin;
use crate::core_rules;
use crate::crd::gofmt::quote;
use crate::managed::{self, FieldSet};
use crate::registry::validation;
use crate::status::{ApiError, Cause};
use crate::store::{StoreError, Stored};

/// `fieldValidation` query parameter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FieldValidation {
    Ignore,
    #[default]
    Warn,
    Strict,
}

/// Who writes and how.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Requesting user (admission sees it).
    pub user: String,
    /// `fieldManager`, or the one derived from the User-Agent.
    pub manager: String,
    pub dry_run: bool,
    pub field_validation: FieldValidation,
    /// Allow an update without `metadata.resourceVersion` (core types always do).
    pub unconditional: bool,
    /// Server-side apply `force=true`.
    pub force: bool,
    /// The write is a server-side apply (managedFields are computed from the configuration).
    pub apply: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subresource {
    Main,
    Status,
}

/// Patch media types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    Merge,
    Json,
    Apply,
    Strategic,
}

/// The result of a successful write: the object (at the requested version), warnings for
/// `Warning` headers, and whether it was created (201).
#[derive(Debug, Clone)]
pub struct Written {
    pub object: Value,
    pub warnings: Vec<String>,
    pub created: bool,
}

/// A write lost a race with another writer between read and commit.
pub(super) enum WriteErr {
    Api(ApiError),
    Race,
}

impl From<ApiError> for WriteErr {
    fn from(e: ApiError) -> Self {
        WriteErr::Api(e)
    }
}

/// How often a write without an explicit resourceVersion is retried after losing a race.
const MAX_RETRIES: usize = 16;

fn meta_mut(object: &mut Value) -> &mut Map<String, Value> {
    if !object.get("metadata").is_some_and(Value::is_object) {
        object["metadata"] = json!({});
    }
    match object.get_mut("metadata") {
        Some(Value::Object(meta)) => meta,
        _ => unreachable!("metadata was just made an object"),
    }
}

fn meta_str<'a>(object: &'a Value, field: &str) -> Option<&'a str> {
    object
        .get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
}

/// The object's `metadata.finalizers`.
pub(super) fn finalizers(object: &Value) -> Vec<String> {
    crate::core_rules::strings_of(object.pointer("/metadata/finalizers"))
}

/// Five characters from the alphabet apiserver uses for generated names.
fn random_suffix() -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let bytes = *uuid::Uuid::new_v4().as_bytes();
    bytes
        .iter()
        .take(5)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// Built-in kinds whose `metadata.generation` the API server maintains (apps/v1 workloads).
fn tracks_generation(ti: &TypeInfo) -> bool {
    ti.rt.group == crate::apps::APPS_GROUP
}

/// Whether anything outside `metadata` and `status` differs (what bumps `generation`).
fn spec_changed(old: &Value, new: &Value) -> bool {
    let strip = |v: &Value| -> Map<String, Value> {
        let mut m = v.as_object().cloned().unwrap_or_default();
        for k in ["metadata", "status", "apiVersion", "kind"] {
            m.remove(k);
        }
        m
    };
    strip(old) != strip(new)
}

/// Whether two versions differ only in what a no-op write may still change (managedFields
/// timestamps and order). Compares in place: copying both objects to normalise them cost a
/// tenth of every write.
fn same_but_field_times(a: &Value, b: &Value) -> bool {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return a == b;
    };
    if a.len() != b.len() {
        return false;
    }
    a.iter().all(|(key, va)| {
        let Some(vb) = b.get(key) else {
            return false;
        };
        match (key.as_str(), va.as_object(), vb.as_object()) {
            ("metadata", Some(ma), Some(mb)) => {
                ma.len() == mb.len()
                    && ma.iter().all(|(k, x)| match mb.get(k) {
                        None => false,
                        Some(y) if k == "managedFields" => {
                            comparable_fields(x) == comparable_fields(y)
                        }
                        Some(y) => x == y,
                    })
            }
            _ => va == vb,
        }
    })
}

/// managedFields without times, in a stable order (a no-op apply may reorder the entries).
fn comparable_fields(fields: &Value) -> Value {
    let mut fields = fields.clone();
    if let Some(entries) = fields.as_array_mut() {
        for entry in entries.iter_mut() {
            if let Some(e) = entry.as_object_mut() {
                e.remove("time");
            }
        }
        entries.sort_by_key(|e| e.to_string());
    }
    fields
}

impl Registry {
    /// Checks `kind`/`apiVersion` of a request body against the endpoint.
    pub(crate) fn check_body(ti: &TypeInfo, body: &mut Value) -> Result<(), ApiError> {
        let text = body.to_string();
        let Some(obj) = body.as_object_mut() else {
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
            obj.insert("kind".into(), json!(kind));
            obj.insert("apiVersion".into(), json!(api_version));
            return Ok(());
        }
        if kind.is_empty() {
            return Err(ApiError::bad_request(format!(
                "Object 'Kind' is missing in '{text}'"
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
    fn check_body_namespace(
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

    fn check_body_name(body: &Value, url_name: &str) -> Result<(), ApiError> {
        let name = meta_str(body, "name").unwrap_or("");
        if name != url_name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({name}) does not match the name on the URL ({url_name})"
            )));
        }
        Ok(())
    }

    /// Schema defaults/pruning, mutating admission, validation, validating admission.
    #[allow(clippy::too_many_arguments)]
    fn admit(
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
            unknown.extend(schema.apply(object).pruned);
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
        let mut causes = if crate::events_v1::is_event(ti) {
            crate::events_v1::validate(object, old)
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
            let found = schema.apply_after_admission(object).causes;
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
            if old.pointer("/metadata/deletionTimestamp").is_some() && !added.is_empty() {
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
        if !ti.custom {
            core_rules::storage_form(&ti.rt.kind, object);
        }
        Ok(())
    }

    pub(super) fn to_storage(&self, ti: &TypeInfo, object: Value) -> Result<Value, ApiError> {
        match self.catalog.storage(&ti.gr()) {
            Some(storage) if storage.rt.api_version() != ti.rt.api_version() => {
                self.catalog.convert(object, &storage)
            }
            _ => Ok(object),
        }
    }

    pub(super) fn stored_at_version(
        &self,
        ti: &TypeInfo,
        stored: &Arc<Stored>,
    ) -> Result<Value, ApiError> {
        self.catalog.convert(stored.value(), ti)
    }

    /// POST: creates an object in `namespace` ("" for cluster-scoped types).
    pub fn create(
        &self,
        ti: &TypeInfo,
        namespace: &str,
        mut body: Value,
        opts: &WriteOptions,
    ) -> Result<Written, ApiError> {
        Self::check_body(ti, &mut body)?;
        if !opts.apply && meta_str(&body, "resourceVersion").is_some_and(|rv| !rv.is_empty()) {
            return Err(ApiError::new(
                500,
                "",
                "resourceVersion should not be set on objects to be created",
            ));
        }
        Self::check_body_namespace(ti, namespace, &mut body)?;
        if ti.rt.namespaced {
            let name = meta_str(&body, "name").unwrap_or("").to_string();
            self.check_namespace(namespace, Some((&ti.gr(), &name)))?;
        }
        let meta = meta_mut(&mut body);
        let mut name = meta
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if name.is_empty()
            && let Some(prefix) = meta
                .get("generateName")
                .and_then(Value::as_str)
                .filter(|p| !p.is_empty())
        {
            let cut: String = prefix.chars().take(58).collect();
            name = format!("{cut}{}", random_suffix());
            meta.insert("name".into(), json!(name));
        }
        meta.insert("uid".into(), json!(uuid::Uuid::new_v4().to_string()));
        meta.insert("creationTimestamp".into(), json!(super::now_timestamp()));
        for field in [
            "resourceVersion",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "selfLink",
            "managedFields",
        ] {
            meta.remove(field);
        }
        if ti.custom || tracks_generation(ti) {
            meta.insert("generation".into(), json!(1));
        } else {
            meta.remove("generation");
        }
        if ti.rt.has_status
            && let Some(obj) = body.as_object_mut()
        {
            obj.remove("status");
        }
        // An apply owns what it sent, not what create's defaulting adds afterwards (a
        // namespace's name label and finalizers).
        let applied = opts.apply.then(|| managed::applied_set(ti, &body, false));
        if !ti.custom {
            builtin::prepare_create(&ti.rt.plural, &mut body, || self.allocate_cluster_ip());
        }
        let mut warnings = Vec::new();
        let mut owned = FieldSet::default();
        self.admit(
            ti,
            Operation::Create,
            namespace,
            &name,
            None,
            &mut body,
            opts,
            Subresource::Main,
            &mut warnings,
            &mut |object| {
                owned = managed::field_set(ti, object, false);
                if !ti.custom {
                    // What the storage layer sets after the field manager ran is owned by nobody.
                    owned.paths.retain(|p| {
                        !builtin::set_by_storage(&ti.rt.plural).iter().any(|f| {
                            p.first().map(String::as_str) == Some("f:spec")
                                && p.get(1).is_some_and(|x| x.strip_prefix("f:") == Some(*f))
                        })
                    });
                }
            },
        )?;
        managed::record_create(ti, &mut body, &opts.manager, applied, owned);
        let key = Self::key(ti, namespace, &name);
        if opts.dry_run {
            if self.store.get(&key).is_some() {
                return Err(ApiError::already_exists(&ti.gr(), &name));
            }
            return Ok(Written {
                object: body,
                warnings,
                created: true,
            });
        }
        let storage = self.to_storage(ti, body)?;
        match self.store.create(&key, storage) {
            Ok(stored) => Ok(Written {
                object: self.stored_at_version(ti, &stored)?,
                warnings,
                created: true,
            }),
            Err(_) => Err(ApiError::already_exists(&ti.gr(), &name)),
        }
    }

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
            match self.write_update(ti, &current, body.clone(), opts, subresource, Vec::new()) {
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

    /// The common tail of updates and patches: `new` is the full desired object at the
    /// requested version, `current` the stored one it replaces.
    pub(super) fn write_update(
        &self,
        ti: &TypeInfo,
        current: &Arc<Stored>,
        new: Value,
        opts: &WriteOptions,
        subresource: Subresource,
        mut warnings: Vec<String>,
    ) -> Result<Written, WriteErr> {
        let old = self.stored_at_version(ti, current)?;
        let namespace = meta_str(&old, "namespace").unwrap_or("").to_string();
        let name = meta_str(&old, "name").unwrap_or("").to_string();
        let mut request_meta: Option<Value> = None;
        let mut new = match subresource {
            Subresource::Main => {
                let mut new = new;
                let old_meta = old
                    .get("metadata")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                let meta = meta_mut(&mut new);
                for field in [
                    "uid",
                    "creationTimestamp",
                    "deletionTimestamp",
                    "deletionGracePeriodSeconds",
                    "generation",
                    "namespace",
                ] {
                    match old_meta.get(field) {
                        Some(v) => meta.insert(field.into(), v.clone()),
                        None => meta.remove(field),
                    };
                }
                meta.remove("selfLink");
                if ti.rt.has_status
                    && let Some(obj) = new.as_object_mut()
                {
                    match old.get("status") {
                        Some(status) => obj.insert("status".into(), status.clone()),
                        None => obj.remove("status"),
                    };
                }
                if !ti.custom {
                    builtin::prepare_update(&ti.rt.plural, &mut new);
                    builtin::keep_from_old(&ti.rt.plural, &old, &mut new);
                }
                new
            }
            Subresource::Status => {
                request_meta = new.get("metadata").cloned();
                let mut merged = old.clone();
                if let Some(obj) = merged.as_object_mut() {
                    match new.get("status") {
                        Some(status) => obj.insert("status".into(), status.clone()),
                        None => obj.remove("status"),
                    };
                }
                merged
            }
        };
        meta_mut(&mut new).insert("resourceVersion".into(), json!(current.rv.to_string()));
        self.admit(
            ti,
            Operation::Update,
            &namespace,
            &name,
            Some(&old),
            &mut new,
            opts,
            subresource,
            &mut warnings,
            &mut |object| {
                if opts.apply {
                    return;
                }
                match &request_meta {
                    // Upstream's field manager sees the request, whose metadata the status
                    // strategy then throws away: what it changed there is still recorded.
                    Some(meta) => {
                        let mut seen = object.clone();
                        seen["metadata"] = meta.clone();
                        if let Some(m) = seen["metadata"].as_object_mut() {
                            m.remove("managedFields");
                            if let Some(kept) = object.pointer("/metadata/managedFields") {
                                m.insert("managedFields".into(), kept.clone());
                            }
                        }
                        managed::record_update(ti, &old, &mut seen, &opts.manager, true);
                        let entries = seen.pointer("/metadata/managedFields").cloned();
                        if let Some(m) = object.get_mut("metadata").and_then(Value::as_object_mut) {
                            match entries {
                                Some(e) => m.insert("managedFields".into(), e),
                                None => m.remove("managedFields"),
                            };
                        }
                    }
                    None => managed::record_update(
                        ti,
                        &old,
                        object,
                        &opts.manager,
                        subresource == Subresource::Status,
                    ),
                }
            },
        )?;
        if (ti.custom || tracks_generation(ti))
            && subresource == Subresource::Main
            && spec_changed(&old, &new)
        {
            let generation = old
                .pointer("/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            meta_mut(&mut new).insert("generation".into(), json!(generation + 1));
        }
        if same_but_field_times(&new, &old) {
            return Ok(Written {
                object: old,
                warnings,
                created: false,
            });
        }
        if opts.dry_run {
            return Ok(Written {
                object: new,
                warnings,
                created: false,
            });
        }
        let key = Self::key(ti, &namespace, &name);
        let storage = self.to_storage(ti, new)?;
        let stored = match self.store.update(&key, current.rv, storage) {
            Ok(stored) => stored,
            Err(StoreError::NotFound) => return Err(ApiError::not_found(&ti.gr(), &name).into()),
            Err(_) => return Err(WriteErr::Race),
        };
        if stored.meta.deleting && stored.meta.finalizers.is_empty() && !Self::is_namespace(ti) {
            // The last finalizer is gone: the pending deletion completes now.
            if let Ok(last) = self.store.delete(&key, Some(stored.rv)) {
                return Ok(Written {
                    object: self.stored_at_version(ti, &last)?,
                    warnings,
                    created: false,
                });
            }
        }
        Ok(Written {
            object: self.stored_at_version(ti, &stored)?,
            warnings,
            created: false,
        })
    }

    pub(super) fn is_namespace(ti: &TypeInfo) -> bool {
        ti.rt.group.is_empty() && ti.rt.plural == "namespaces"
    }

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
        let patch = crate::patch::Patch::parse(kind, body)?;
        if let crate::patch::Patch::Apply(config) = &patch {
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
                    crate::patch::Patch::Apply(config) if subresource == Subresource::Main => {
                        self.apply_create(ti, namespace, name, config.clone(), opts)
                    }
                    _ => Err(ApiError::not_found(&ti.gr(), name)),
                };
            };
            let old = self.stored_at_version(ti, &current)?;
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
                        unknown.extend(schema.apply(&mut probe).pruned);
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
            if let Some(path) = schema.apply(&mut probe).pruned.first() {
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

/// A resourceVersion that is not a number: upstream's storage fails to parse it (a 500 without
/// a reason).
fn bad_rv(text: &str) -> ApiError {
    ApiError::new(
        500,
        "",
        format!("strconv.ParseUint: parsing {}: invalid syntax", quote(text)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_no_op_differs_only_in_field_times_and_their_order() {
        let object = |name: &str, n: i64, managers: [(&str, &str); 2]| {
            json!({
                "metadata": {"name": name, "managedFields": managers
                    .iter()
                    .map(|(m, t)| json!({"manager": m, "time": t}))
                    .collect::<Vec<_>>()},
                "spec": {"n": n},
            })
        };
        let a = object("x", 1, [("a", "1"), ("b", "2")]);
        assert!(same_but_field_times(
            &a,
            &object("x", 1, [("b", "9"), ("a", "8")])
        ));
        for other in [
            object("x", 2, [("a", "1"), ("b", "2")]),
            object("y", 1, [("a", "1"), ("b", "2")]),
            object("x", 1, [("a", "1"), ("c", "2")]),
            json!({"metadata": {"name": "x"}, "spec": {"n": 1}}),
            json!({"metadata": "x", "spec": {"n": 1}}),
            json!(null),
        ] {
            assert!(!same_but_field_times(&a, &other), "{other}");
            assert!(!same_but_field_times(&other, &a), "{other}");
        }
        let mut extra = a.clone();
        extra["metadata"]["labels"] = json!({"k": "v"});
        assert!(!same_but_field_times(&a, &extra));
        extra = a.clone();
        extra["status"] = json!({});
        assert!(!same_but_field_times(&a, &extra));
    }
}
