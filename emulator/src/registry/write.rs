//! Create, update (main resource and `/status`) and patch: the API server's write pipeline
//! (system metadata → schema defaults and pruning → mutating admission → schema and metadata
//! validation → validating admission → storage), optimistic concurrency, generation, no-op
//! detection and dry run. The stages live beside it: `checks.rs` (body against URL), `admit.rs`
//! (admission), `generation.rs` (spec changes, no-ops), `update.rs` (PUT and controllers'
//! status writes), `patch_verb.rs` (PATCH and apply).

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::managed;
use super::{Registry, TypeInfo, parse_rv};
use crate::admission::{AdmissionRequest, Operation};
use crate::builtin;
use crate::core_rules;
use crate::crd::gofmt::quote;
use crate::json::At;
use crate::status::{ApiError, Cause};
use crate::store::{StoreError, Stored};
use crate::validation;

mod admit;
mod checks;
mod generation;
mod patch_verb;
mod update;

use super::patch;
use generation::*;

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
    /// Shared with the store when it is the stored version: most controller writes never
    /// read it.
    pub object: Arc<Value>,
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
    crate::core_rules::strings_of(object.at("/metadata/finalizers"))
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

impl Registry {
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
        let mut owned = String::new();
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
                if applied.is_some() {
                    return;
                }
                // What the storage layer sets after the field manager ran is owned by nobody.
                let by_storage = match ti.custom {
                    true => &[][..],
                    false => builtin::set_by_storage(&ti.rt.plural),
                };
                owned = managed::created_fields_text(ti, object, by_storage);
            },
        )?;
        managed::record_create(ti, &mut body, &opts.manager, applied, owned);
        let key = Self::key(ti, namespace, &name);
        if opts.dry_run {
            if self.store.get(&key).is_some() {
                return Err(ApiError::already_exists(&ti.gr(), &name));
            }
            return Ok(Written {
                object: Arc::new(body),
                warnings,
                created: true,
            });
        }
        let storage = self.to_storage(ti, body)?;
        match self.store.create(&key, storage) {
            Ok(stored) => Ok(Written {
                object: self.stored_shared(ti, &stored)?,
                warnings,
                created: true,
            }),
            Err(_) => Err(ApiError::already_exists(&ti.gr(), &name)),
        }
    }

    /// The common tail of updates and patches: `new` is the full desired object at the
    /// requested version, `current` the stored one it replaces.
    pub(super) fn write_update(
        &self,
        ti: &TypeInfo,
        current: &Arc<Stored>,
        mut new: Value,
        opts: &WriteOptions,
        subresource: Subresource,
        mut warnings: Vec<String>,
    ) -> Result<Written, WriteErr> {
        crate::fields_form::compact(&mut new); // compared with the stored form below
        let old = self.stored_view(ti, current)?;
        let namespace = meta_str(&old, "namespace").unwrap_or("").to_string();
        let name = meta_str(&old, "name").unwrap_or("").to_string();
        let mut request_meta: Option<Value> = None;
        let mut new = match subresource {
            Subresource::Main => {
                let empty = Map::new();
                let old_meta = old
                    .get("metadata")
                    .and_then(Value::as_object)
                    .unwrap_or(&empty);
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
                request_meta = new.as_object_mut().and_then(|o| o.remove("metadata"));
                let status = new.as_object_mut().and_then(|o| o.remove("status"));
                // The stored object but its status, which is replaced, not copied.
                let mut merged: Map<String, Value> = match old.as_object() {
                    Some(old) => old
                        .iter()
                        .filter(|(k, _)| *k != "status")
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    None => Map::new(),
                };
                if let Some(status) = status {
                    merged.insert("status".into(), status);
                }
                Value::Object(merged)
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
                match request_meta.take() {
                    // Upstream's field manager sees the request, whose metadata the status
                    // strategy then throws away: what it changed there is still recorded.
                    Some(mut seen_meta) => {
                        // The object with the request's metadata (and the stored managedFields),
                        // swapped in and out rather than copied.
                        let kept = object
                            .get_mut("metadata")
                            .and_then(Value::as_object_mut)
                            .and_then(|m| m.remove("managedFields"));
                        if let Some(m) = seen_meta.as_object_mut() {
                            m.remove("managedFields");
                            if let Some(kept) = kept {
                                m.insert("managedFields".into(), kept);
                            }
                        }
                        let own_meta = std::mem::replace(&mut object["metadata"], seen_meta);
                        managed::record_update(ti, &old, object, &opts.manager, true);
                        let mut seen_meta = std::mem::replace(&mut object["metadata"], own_meta);
                        let entries = seen_meta
                            .as_object_mut()
                            .and_then(|m| m.remove("managedFields"));
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
                .at("/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            meta_mut(&mut new).insert("generation".into(), json!(generation + 1));
        }
        if same_but_field_times(&new, &old) {
            return Ok(Written {
                object: Self::share_view(old, current),
                warnings,
                created: false,
            });
        }
        if opts.dry_run {
            return Ok(Written {
                object: Arc::new(new),
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
        if stored.deleting() && stored.finalizers().next().is_none() && !Self::is_namespace(ti) {
            // The last finalizer is gone: the pending deletion completes now.
            if let Ok(last) = self.store.delete(&key, Some(stored.rv)) {
                return Ok(Written {
                    object: self.stored_shared(ti, &last)?,
                    warnings,
                    created: false,
                });
            }
        }
        Ok(Written {
            object: self.stored_shared(ti, &stored)?,
            warnings,
            created: false,
        })
    }

    pub(super) fn is_namespace(ti: &TypeInfo) -> bool {
        ti.rt.group.is_empty() && ti.rt.plural == "namespaces"
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
mod tests;
