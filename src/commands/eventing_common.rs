//! The steps the single-NAME verbs of the Eventing nouns (and `secret`) share: `describe`'s fetch
//! and print, and the write of `create`, `update` and `delete` (real, or simulated under
//! `--dry-run`/`--diff`) followed by the command's own line.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::{Client, ResourceKind};
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::address_url;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::{DescribeTarget, describe_one};
use crate::commands::dry_run::{self, DryRun};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::OutputFormat;

/// `describe NAME` of an Eventing noun: as [`describe_one`], except that `-o url` prints the
/// object's address.
pub async fn describe<T: DeserializeOwned>(
    ctx: &Context,
    target: DescribeTarget<'_>,
    kind: &ResourceKind,
    view: impl FnOnce(&T) -> String,
) -> Result<()> {
    let url = matches!(&target.printer, Some(p) if matches!(p.format, OutputFormat::Url));
    if !url {
        return describe_one(ctx, target, kind, view).await;
    }
    let client = ctx.client().await?;
    let object = client.get(kind, &target.namespace, target.name).await?;
    ctx.print(&address_url(&object))
}

/// Where a single-NAME write goes: the resolved namespace, the client, and the dry run that
/// replaces the write when one is asked for.
pub struct Write<'a> {
    ctx: &'a Context,
    pub client: &'a Client,
    pub namespace: String,
    dry_run: Option<DryRun>,
}

impl<'a> Write<'a> {
    /// Resolves the namespace, `--dry-run`/`--diff` and the client, in that order (the order in
    /// which their errors win).
    pub async fn resolve(
        ctx: &'a Context,
        namespace: &NamespaceArgs,
        dry_run: &DryRunArgs,
    ) -> Result<Self> {
        let namespace = namespace.resolve(ctx)?;
        let dry_run = dry_run.resolve()?;
        let client = ctx.client().await?;
        Ok(Write {
            ctx,
            client,
            namespace,
            dry_run,
        })
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
