//! The write engine: create, update (read-modify-write, retrying on conflicts) and delete of one
//! object, each followed by the command's own line, or simulated under `--dry-run`/`--diff`
//! ([`dry_run`]). [`service`] holds what the Service writes add: the pure edit run with this
//! run's clock and profiles, and kn's wait-then-report output.

pub mod dry_run;
pub mod service;

use serde_json::Value;

use crate::client::{Client, ResourceKind};
use crate::context::Context;
use crate::error::{Error, Result};
use dry_run::DryRun;

/// Where a single-NAME write goes: the resolved namespace, the client, and the dry run that
/// replaces the write when one is asked for.
pub struct Write<'a> {
    ctx: &'a Context,
    pub client: &'a Client,
    pub namespace: String,
    dry_run: Option<DryRun>,
}

impl<'a> Write<'a> {
    /// A write into `namespace` through `client`; `dry_run` replaces the write when given.
    pub fn new(
        ctx: &'a Context,
        client: &'a Client,
        namespace: String,
        dry_run: Option<DryRun>,
    ) -> Self {
        Write {
            ctx,
            client,
            namespace,
            dry_run,
        }
    }

    /// Creates `object` and prints `message`, or simulates the create.
    pub async fn create(&self, kind: &ResourceKind, object: &Value, message: &str) -> Result<()> {
        self.create_or(kind, object, message, std::convert::identity)
            .await
    }

    /// [`Write::create`] whose write errors (not the printing) pass through `wrap`, kn's
    /// `cannot create … because: …`.
    pub async fn create_or(
        &self,
        kind: &ResourceKind,
        object: &Value,
        message: &str,
        wrap: impl FnOnce(Error) -> Error,
    ) -> Result<()> {
        if let Some(dry_run) = &self.dry_run {
            return dry_run
                .create(self.ctx, self.client, kind, &self.namespace, object)
                .await
                .map_err(wrap);
        }
        self.client
            .create(kind, &self.namespace, object)
            .await
            .map_err(wrap)?;
        self.ctx.println(message)
    }

    /// Applies `edit` to the live object `name` (retrying on conflicts) and prints `message`, or
    /// simulates the update.
    pub async fn update<F>(
        &self,
        kind: &ResourceKind,
        name: &str,
        edit: F,
        message: &str,
    ) -> Result<()>
    where
        F: FnMut(&mut Value) -> Result<()>,
    {
        if let Some(dry_run) = &self.dry_run {
            return dry_run
                .update(self.ctx, self.client, kind, &self.namespace, name, edit)
                .await;
        }
        self.client
            .update_with_retry(kind, &self.namespace, name, edit)
            .await?;
        self.ctx.println(message)
    }

    /// Deletes `name` (background propagation) and prints `message`, or simulates the delete.
    pub async fn delete(&self, kind: &ResourceKind, name: &str, message: &str) -> Result<()> {
        dry_run::delete_one(
            self.ctx,
            self.client,
            self.dry_run.as_ref(),
            kind,
            &self.namespace,
            name,
            message,
        )
        .await
    }
}
