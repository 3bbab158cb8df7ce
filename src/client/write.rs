//! Writes: create, replace, update with retry on conflicts, patch and delete.

use kube::api::{DeleteParams, Patch, PatchParams, PostParams, PropagationPolicy};
use kube::core::Request;
use serde_json::Value;

use std::time::Duration;

use super::{Client, ResourceKind};
use crate::error::{Error, Result};

/// The object before and after a successful [`Client::update_with_retry`].
#[derive(Debug, Clone)]
pub struct Updated {
    /// The object as read just before the winning write.
    pub before: Value,
    /// The object as stored by the server.
    pub after: Value,
}

/// How dependents are deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

/// Patch flavours the API server accepts for custom resources.
#[derive(Debug, Clone)]
pub enum PatchKind {
    /// RFC 7386 JSON merge patch.
    Merge(Value),
    /// Server-side apply with the given field manager.
    Apply {
        manager: String,
        force: bool,
        object: Value,
    },
}

/// How a write is sent. `Default` is a normal, persisted write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Send `dryRun=All`: admission, defaulting and validation run, nothing is stored.
    pub dry_run: bool,
}

impl WriteOptions {
    /// A server-side dry run (`dryRun=All`).
    pub const DRY_RUN: WriteOptions = WriteOptions { dry_run: true };

    fn post_params(&self) -> PostParams {
        PostParams {
            dry_run: self.dry_run,
            ..Default::default()
        }
    }
}

/// Attempts of an optimistic update before giving up on conflicts.
const UPDATE_ATTEMPTS: u32 = 30;

impl Client {
    /// POST a new object; returns the stored object.
    pub async fn create(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        object: &Value,
    ) -> Result<Value> {
        self.create_with(kind, namespace, object, &WriteOptions::default())
            .await
    }

    /// POST a new object with `options` (e.g. a dry run); returns the object the server answered.
    pub async fn create_with(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        object: &Value,
        options: &WriteOptions,
    ) -> Result<Value> {
        let req = Request::new(kind.collection_path(Some(namespace)));
        let body = serde_json::to_vec(object).map_err(|e| Error::failed(e.to_string()))?;
        self.send(kind, req.create(&options.post_params(), body))
            .await
    }

    /// PUT an object (which must carry its resourceVersion); returns the stored object.
    pub async fn replace(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        object: &Value,
    ) -> Result<Value> {
        self.replace_with(kind, namespace, name, object, &WriteOptions::default())
            .await
    }

    /// PUT an object with `options`; returns the object the server answered.
    pub async fn replace_with(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        object: &Value,
        options: &WriteOptions,
    ) -> Result<Value> {
        let req = Request::new(kind.collection_path(Some(namespace)));
        let body = serde_json::to_vec(object).map_err(|e| Error::failed(e.to_string()))?;
        self.send(kind, req.replace(name, &options.post_params(), body))
            .await
    }

    /// Read-modify-write with optimistic concurrency: GET, apply `edit`, PUT with the read
    /// resourceVersion; on 409 Conflict GET again and re-apply `edit` (with backoff).
    ///
    /// `edit` sees the complete object, so fields knit has no type for are written back unchanged.
    pub async fn update_with_retry<F>(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        edit: F,
    ) -> Result<Updated>
    where
        F: FnMut(&mut Value) -> Result<()>,
    {
        self.update_with(kind, namespace, name, &WriteOptions::default(), edit)
            .await
    }

    /// [`Client::update_with_retry`] with `options`: with a dry run, `after` is the object the
    /// server would have stored.
    pub async fn update_with<F>(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        options: &WriteOptions,
        edit: F,
    ) -> Result<Updated>
    where
        F: FnMut(&mut Value) -> Result<()>,
    {
        self.update_from(kind, namespace, name, options, None, edit)
            .await
    }

    /// [`Client::update_with`] whose first attempt edits `current`, the object as the caller just
    /// read it, instead of reading it again; a conflict still re-reads before the next attempt.
    pub async fn update_from<F>(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        options: &WriteOptions,
        mut current: Option<Value>,
        mut edit: F,
    ) -> Result<Updated>
    where
        F: FnMut(&mut Value) -> Result<()>,
    {
        let mut delay = Duration::from_millis(20);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let before = match current.take() {
                Some(object) => object,
                None => self.get(kind, namespace, name).await?,
            };
            let mut object = before.clone();
            edit(&mut object)?;
            match self
                .replace_with(kind, namespace, name, &object, options)
                .await
            {
                Ok(after) => return Ok(Updated { before, after }),
                Err(e) if e.is_conflict() && attempt < UPDATE_ATTEMPTS => {
                    // Jitter spreads concurrent writers apart so they stop colliding.
                    let jitter = rand::random_range(0..=delay.as_millis() as u64);
                    tokio::time::sleep(delay + Duration::from_millis(jitter)).await;
                    delay = (delay * 3 / 2).min(Duration::from_secs(1));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// PATCH an object.
    pub async fn patch(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        patch: &PatchKind,
    ) -> Result<Value> {
        self.patch_with(kind, namespace, name, patch, &WriteOptions::default())
            .await
    }

    /// PATCH an object with `options`; returns the object the server answered.
    pub async fn patch_with(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        patch: &PatchKind,
        options: &WriteOptions,
    ) -> Result<Value> {
        let req = Request::new(kind.collection_path(Some(namespace)));
        let built = match patch {
            PatchKind::Merge(value) => {
                let params = PatchParams {
                    dry_run: options.dry_run,
                    ..Default::default()
                };
                req.patch(name, &params, &Patch::Merge(value))
            }
            PatchKind::Apply {
                manager,
                force,
                object,
            } => {
                let mut params = PatchParams::apply(manager);
                params.force = *force;
                params.dry_run = options.dry_run;
                req.patch(name, &params, &Patch::Apply(object))
            }
        };
        self.send(kind, built).await
    }

    /// DELETE an object with the given propagation policy.
    pub async fn delete(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        propagation: Propagation,
    ) -> Result<()> {
        self.delete_with(kind, namespace, name, propagation, &WriteOptions::default())
            .await
            .map(|_| ())
    }

    /// DELETE an object with `options`; returns the server's answer (the object, or a Status).
    pub async fn delete_with(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        propagation: Propagation,
        options: &WriteOptions,
    ) -> Result<Value> {
        let req = Request::new(kind.collection_path(Some(namespace)));
        let params = DeleteParams {
            propagation_policy: Some(match propagation {
                Propagation::Background => PropagationPolicy::Background,
                Propagation::Foreground => PropagationPolicy::Foreground,
                Propagation::Orphan => PropagationPolicy::Orphan,
            }),
            dry_run: options.dry_run,
            ..Default::default()
        };
        self.send(kind, req.delete(name, &params)).await
    }
}
