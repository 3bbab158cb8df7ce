//! The dry-run engine every write command calls instead of writing: `--dry-run=client` prints
//! the object that would be sent, `--dry-run=server` sends the write with `dryRun=All` and prints
//! the server's answer, `--diff` prints a unified diff from the live object instead (exit 1
//! when it differs, like `kubectl diff`). Nothing is ever stored and nothing is waited for.

use serde_json::Value;

use crate::client::{Client, Propagation, ResourceKind, WriteOptions};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{OutputFormat, Printer, diff};

/// Where the simulated write happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing that writes is sent; the object is built (and, for updates, edited) locally.
    Client,
    /// The write is sent with `dryRun=All`: admission, defaulting and validation run.
    Server,
}

/// A resolved `--dry-run`/`--diff` (see [`crate::commands::args::dry_run::DryRunArgs`]).
#[derive(Debug, Clone)]
pub struct DryRun {
    pub mode: Mode,
    /// Print a diff from the live object instead of the object.
    pub diff: bool,
    /// `-o`: how the object is printed without `--diff` (YAML when not given; a delete prints
    /// its "deleted" line then).
    pub format: Option<OutputFormat>,
}

/// A plain delete (background propagation) that prints `message` — or, under `--dry-run` or
/// `--diff`, its simulation: the delete commands without a wait of their own all end this way.
pub async fn delete_one(
    ctx: &Context,
    client: &Client,
    dry_run: Option<&DryRun>,
    kind: &ResourceKind,
    namespace: &str,
    name: &str,
    message: &str,
) -> Result<()> {
    match dry_run {
        Some(dry_run) => {
            dry_run
                .delete(ctx, client, kind, namespace, name, message)
                .await
        }
        None => {
            client
                .delete(kind, namespace, name, Propagation::Background)
                .await?;
            ctx.println(message)
        }
    }
}

impl DryRun {
    /// The options a server dry run's requests carry.
    pub fn write_options(&self) -> WriteOptions {
        WriteOptions {
            dry_run: self.mode == Mode::Server,
        }
    }

    /// `client dry run` / `server dry run`: the right side of a diff.
    fn label(&self) -> &'static str {
        match self.mode {
            Mode::Client => "client dry run",
            Mode::Server => "server dry run",
        }
    }

    /// kubectl's suffix for a simulated delete.
    fn suffix(&self) -> &'static str {
        match self.mode {
            Mode::Client => " (dry run)",
            Mode::Server => " (server dry run)",
        }
    }

    /// Prints the outcome of a simulated write: the diff from `before` (with `--diff`) or the
    /// object `after`. A diff that is not empty ends the command with exit code 1.
    pub fn show(&self, ctx: &Context, before: Option<&Value>, after: &Value) -> Result<()> {
        if self.diff {
            return self.show_diff(ctx, before, Some(after));
        }
        let printer = Printer {
            format: self.format.clone().unwrap_or(OutputFormat::Yaml),
            allow_missing_keys: true,
            show_managed_fields: false,
        };
        ctx.print(&printer.print(after)?)
    }

    /// Prints the diff from `before` to `after` (`None`: deleted); exit 1 when they differ.
    pub fn show_diff(
        &self,
        ctx: &Context,
        before: Option<&Value>,
        after: Option<&Value>,
    ) -> Result<()> {
        let text = diff::unified(before, after, self.label())?;
        if text.is_empty() {
            return Ok(());
        }
        ctx.print(&diff::colorize(&text))?;
        Err(Error::Silent(crate::error::EXIT_FAILURE))
    }

    /// A create: prints `object` (client) or what the server would store (server).
    pub async fn create(
        &self,
        ctx: &Context,
        client: &Client,
        kind: &ResourceKind,
        namespace: &str,
        object: &Value,
    ) -> Result<()> {
        match self.mode {
            Mode::Client => self.show(ctx, None, object),
            Mode::Server => {
                let answer = client
                    .create_with(kind, namespace, object, &self.write_options())
                    .await?;
                self.show(ctx, None, &answer)
            }
        }
    }

    /// A read-modify-write: `edit` is applied to the live object, as the real update does.
    pub async fn update<F>(
        &self,
        ctx: &Context,
        client: &Client,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        mut edit: F,
    ) -> Result<()>
    where
        F: FnMut(&mut Value) -> Result<()>,
    {
        let (before, after) = match self.mode {
            Mode::Client => {
                let before = client.get(kind, namespace, name).await?;
                let mut after = before.clone();
                edit(&mut after)?;
                (before, after)
            }
            Mode::Server => {
                let updated = client
                    .update_with(kind, namespace, name, &self.write_options(), edit)
                    .await?;
                (updated.before, updated.after)
            }
        };
        self.show(ctx, Some(&before), &after)
    }

    /// A delete: the object must exist (client) or the server must accept the delete (server).
    /// Prints `message` (the command's own "deleted" line) marked as a dry run, the live object
    /// in the `-o` format, or with `--diff` the live object's lines as removed.
    pub async fn delete(
        &self,
        ctx: &Context,
        client: &Client,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        message: &str,
    ) -> Result<()> {
        let live = match (self.mode, self.diff || self.format.is_some()) {
            (Mode::Server, false) => None,
            _ => Some(client.get(kind, namespace, name).await?),
        };
        if self.mode == Mode::Server {
            client
                .delete_with(
                    kind,
                    namespace,
                    name,
                    Propagation::Background,
                    &self.write_options(),
                )
                .await?;
        }
        if self.diff {
            return self.show_diff(ctx, live.as_ref(), None);
        }
        if let Some(live) = &live
            && self.format.is_some()
        {
            return self.show(ctx, None, live);
        }
        ctx.println(&format!("{message}{}", self.suffix()))
    }
}

/// Runs simulated deletes of several objects in order (`service delete a b`, `--all`): each
/// prints its own line or diff; errors are gathered like the real delete gathers them, and a
/// diff exit code is kept only when nothing failed.
pub async fn delete_each<'a, M>(
    dry_run: &DryRun,
    ctx: &Context,
    client: &Client,
    kind: &ResourceKind,
    namespace: &str,
    names: impl IntoIterator<Item = &'a String>,
    message: M,
) -> Result<()>
where
    M: Fn(&str) -> String,
{
    let mut errors = Vec::new();
    let mut differs = None;
    for name in names {
        match dry_run
            .delete(ctx, client, kind, namespace, name, &message(name))
            .await
        {
            Ok(()) => {}
            Err(silent @ Error::Silent(_)) => differs = Some(silent),
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => differs.map_or(Ok(()), Err),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Multiple(errors)),
    }
}
