//! DELETE of one object and of collections: preconditions, finalizers and
//! `deletionTimestamp`, propagation policies (the garbage collector in `gc.rs` finishes
//! background, foreground and orphan deletions), namespaces going `Terminating`.

use serde_json::{Value, json};

use super::write::{Subresource, WriteErr, WriteOptions, finalizers};
use super::{ListOptions, Registry, TypeInfo};
use crate::admission::{AdmissionRequest, Operation};
use crate::json::At;
use crate::status::ApiError;
use crate::store::StoreError;
use crate::validation::{parse_dry_run, unsupported_option};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    Orphan,
    Background,
    Foreground,
}

/// The `DeleteOptions` body and query parameters.
#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    pub propagation: Option<Propagation>,
    /// Legacy `orphanDependents`.
    pub orphan_dependents: Option<bool>,
    pub precondition_uid: Option<String>,
    pub precondition_rv: Option<String>,
    pub dry_run: bool,
}

impl DeleteOptions {
    /// Parses a `DeleteOptions` JSON body (kube-rs always sends one, maybe `{}`).
    pub fn from_json(body: &Value) -> Result<DeleteOptions, ApiError> {
        let mut opts = DeleteOptions::default();
        if body.is_null() {
            return Ok(opts);
        }
        let Some(obj) = body.as_object() else {
            return Err(ApiError::bad_request("DeleteOptions must be a JSON object"));
        };
        if let Some(p) = obj.get("propagationPolicy").and_then(Value::as_str) {
            opts.propagation = Some(Self::parse_propagation(p)?);
        }
        opts.orphan_dependents = obj.get("orphanDependents").and_then(Value::as_bool);
        if let Some(pre) = obj.get("preconditions") {
            opts.precondition_uid = pre.get("uid").and_then(Value::as_str).map(str::to_string);
            opts.precondition_rv = pre
                .get("resourceVersion")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        if let Some(dry) = obj.get("dryRun").and_then(Value::as_array) {
            opts.dry_run = parse_dry_run("DeleteOptions", dry.iter().filter_map(Value::as_str))?;
        }
        Ok(opts)
    }

    pub fn parse_propagation(p: &str) -> Result<Propagation, ApiError> {
        match p {
            "Orphan" => Ok(Propagation::Orphan),
            "Background" => Ok(Propagation::Background),
            "Foreground" => Ok(Propagation::Foreground),
            other => Err(unsupported_option(
                "DeleteOptions",
                "propagationPolicy",
                other,
                &["Foreground", "Background", "Orphan", "nil"],
            )),
        }
    }

    /// `ValidateDeleteOptions`: orphanDependents and propagationPolicy exclude each other.
    pub fn validate(&self) -> Result<(), ApiError> {
        if let (Some(p), Some(_)) = (self.propagation, self.orphan_dependents) {
            let shown = match p {
                Propagation::Orphan => "Orphan",
                Propagation::Background => "Background",
                Propagation::Foreground => "Foreground",
            };
            return Err(crate::validation::options_error(
                "DeleteOptions",
                "propagationPolicy",
                "FieldValueInvalid",
                format!(
                    "Invalid value: {}: orphanDependents and deletionPropagation cannot be both set",
                    crate::crd::gofmt::quote(shown)
                ),
            ));
        }
        Ok(())
    }

    fn effective_propagation(&self) -> Propagation {
        match (self.propagation, self.orphan_dependents) {
            (Some(p), _) => p,
            (None, Some(true)) => Propagation::Orphan,
            _ => Propagation::Background,
        }
    }
}

/// The outcome of a DELETE.
#[derive(Debug, Clone)]
pub enum Deleted {
    /// Removed now; its last state.
    Gone(Value),
    /// Marked for deletion (finalizers, foreground/orphan, namespaces); the updated object.
    Pending(Value),
}

impl Registry {
    /// DELETE one object.
    pub fn delete(
        &self,
        ti: &TypeInfo,
        namespace: &str,
        name: &str,
        del: &DeleteOptions,
        opts: &WriteOptions,
    ) -> Result<Deleted, ApiError> {
        let key = Self::key(ti, namespace, name);
        if Self::is_namespace(ti)
            && crate::builtin::SYSTEM_NAMESPACES.contains(&name)
            && name != "kube-node-lease"
        {
            return Err(ApiError::new(
                403,
                "Forbidden",
                format!("namespaces \"{name}\" is forbidden: this namespace may not be deleted"),
            )
            .with_details(json!({"name": name, "kind": "namespaces"})));
        }
        loop {
            let current = self
                .store
                .get(&key)
                .ok_or_else(|| ApiError::not_found(&ti.gr(), name))?;
            let object = self.catalog.convert(current.value(), ti)?;
            let kind_gr = format!(
                "{}",
                crate::resource::GroupResource::new(&ti.rt.group, &ti.rt.kind)
            );
            let precondition_failed = |detail: String| {
                ApiError::new(
                    409,
                    "Conflict",
                    format!("Operation cannot be fulfilled on {kind_gr} \"{name}\": {detail}"),
                )
                .with_details(json!({"name": name, "group": ti.rt.group, "kind": ti.rt.kind}))
            };
            let uid = object
                .at("/metadata/uid")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if let Some(want) = &del.precondition_uid
                && *want != uid
            {
                return Err(precondition_failed(format!(
                    "the UID in the precondition ({want}) does not match the UID in record ({uid}). The object might have been deleted and then recreated"
                )));
            }
            if let Some(want) = &del.precondition_rv
                && *want != current.rv.to_string()
            {
                return Err(precondition_failed(format!(
                    "the ResourceVersion in the precondition ({want}) does not match the ResourceVersion in record ({}). The object might have been modified",
                    current.rv
                )));
            }
            for webhook in self.webhooks_for(ti) {
                let request = AdmissionRequest {
                    operation: Operation::Delete,
                    resource: &ti.rt,
                    namespace,
                    name,
                    user: &opts.user,
                    old: Some(&object),
                    dry_run: del.dry_run,
                    cluster: self,
                };
                webhook.validate(&request, &object)?;
            }
            let propagation = del.effective_propagation();
            let mut finalizers = finalizers(&object);
            let pending = object.at("/metadata/deletionTimestamp").is_some();
            if pending {
                return Ok(Deleted::Pending(object));
            }
            let extra = match propagation {
                Propagation::Orphan => Some("orphan"),
                Propagation::Foreground => Some("foregroundDeletion"),
                Propagation::Background => None,
            };
            if let Some(f) = extra
                && !finalizers.iter().any(|x| x == f)
            {
                finalizers.push(f.to_string());
            }
            if finalizers.is_empty() && !Self::is_namespace(ti) {
                if del.dry_run {
                    return Ok(Deleted::Gone(object));
                }
                match self.store.delete(&key, Some(current.rv)) {
                    Ok(last) => {
                        return Ok(Deleted::Gone(self.catalog.convert(last.value(), ti)?));
                    }
                    Err(StoreError::NotFound) => return Err(ApiError::not_found(&ti.gr(), name)),
                    Err(_) => continue,
                }
            }
            let mut marked = object.clone();
            if let Some(meta) = marked.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.insert("deletionTimestamp".into(), json!(super::now_timestamp()));
                // Namespaces are deleted by their controller, with no grace period recorded.
                if !Self::is_namespace(ti) {
                    meta.insert("deletionGracePeriodSeconds".into(), json!(0));
                }
                if let Some(generation) = meta.get("generation").and_then(Value::as_i64) {
                    meta.insert("generation".into(), json!(generation + 1));
                }
                if !finalizers.is_empty() {
                    meta.insert("finalizers".into(), json!(finalizers));
                }
            }
            if Self::is_namespace(ti) {
                marked["status"] = json!({"phase": "Terminating"});
            }
            if del.dry_run {
                return Ok(Deleted::Pending(marked));
            }
            let storage = self.to_storage(ti, marked)?;
            match self.store.update(&key, current.rv, storage) {
                Ok(stored) => {
                    return Ok(Deleted::Pending(self.catalog.convert(stored.value(), ti)?));
                }
                Err(StoreError::NotFound) => return Err(ApiError::not_found(&ti.gr(), name)),
                Err(_) => continue,
            }
        }
    }

    /// DELETE on a collection: deletes every selected object; returns the list of their
    /// states as the response items.
    pub fn delete_collection(
        &self,
        ti: &TypeInfo,
        namespace: Option<&str>,
        list: &ListOptions,
        del: &DeleteOptions,
        opts: &WriteOptions,
    ) -> Result<(Vec<Value>, u64), ApiError> {
        let page = self.list(
            ti,
            namespace,
            &ListOptions {
                limit: None,
                continue_token: None,
                ..list.clone()
            },
        )?;
        let mut items = Vec::new();
        for stored in page.items {
            let (ns, name) = (stored.namespace().to_string(), stored.name().to_string());
            match self.delete(ti, &ns, &name, del, opts) {
                Ok(Deleted::Gone(v)) | Ok(Deleted::Pending(v)) => items.push(v),
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e),
            }
        }
        Ok((items, self.store.current_rv()))
    }

    /// Removes `finalizer` from an object (used by the garbage collector and the namespace
    /// controller); completes the deletion when it was the last one.
    pub fn remove_finalizer(
        &self,
        ti: &TypeInfo,
        namespace: &str,
        name: &str,
        finalizer: &str,
    ) -> Result<(), ApiError> {
        let key = Self::key(ti, namespace, name);
        loop {
            let Some(current) = self.store.get(&key) else {
                return Ok(());
            };
            let mut object = self.catalog.convert(current.value(), ti)?;
            let list = finalizers(&object);
            if !list.iter().any(|f| f == finalizer) {
                return Ok(());
            }
            let rest: Vec<String> = list.into_iter().filter(|f| f != finalizer).collect();
            if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
                if rest.is_empty() {
                    meta.remove("finalizers");
                } else {
                    meta.insert("finalizers".into(), json!(rest));
                }
            }
            let opts = WriteOptions {
                user: "system:serviceaccount:kube-system:generic-garbage-collector".into(),
                manager: "kube-controller-manager".into(),
                unconditional: true,
                ..WriteOptions::default()
            };
            match self.write_update(ti, &current, object, &opts, Subresource::Main, Vec::new()) {
                Ok(_) => return Ok(()),
                Err(WriteErr::Api(e)) => return Err(e),
                Err(WriteErr::Race) => continue,
            }
        }
    }
}
