//! `--dry-run=none|client|server`, `--diff` and the dry run's `-o`: the flags every write
//! command flattens, resolved into the write engine's [`DryRun`] ([`crate::ops::write`]).

use clap::Args;

use super::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::ops::write::dry_run::{DryRun, Mode};
use crate::output::OutputFormat;

const DRY_RUN_HELP: &str = "Only show what this command would write, and change nothing. One of: none, client, server. \"client\" sends no write: it prints the object that would be sent (an update reads the live object first). \"server\" sends the write with dryRun=All, so the cluster's defaulting and validation run, prints the object the server returned, and stores nothing.";

const DIFF_HELP: &str = "Show a unified diff between the live object and the one this command would write, and change nothing. The new side comes from a server dry run (dryRun=All) unless --dry-run=client is given. status and metadata.managedFields, resourceVersion, generation, uid and creationTimestamp are left out of both sides. Exits 1 when there are differences, 0 when there are none.";

/// `--dry-run`, `--diff` and `-o/--output` (for the dry run's object).
#[derive(Args, Debug, Clone, Default)]
pub struct DryRunArgs {
    #[arg(
        help = DRY_RUN_HELP,
        long = "dry-run",
        value_name = "string",
        value_parser = ["none", "client", "server"],
        hide_possible_values = true
    )]
    pub dry_run: Option<String>,
    #[arg(help = DIFF_HELP, long = "diff")]
    pub diff: bool,
    #[arg(
        id = "dry_run_output",
        help = "Output format of --dry-run. One of: (yaml, json, name). Default: yaml (a delete prints its message).",
        short = 'o',
        long = "output",
        value_name = "string"
    )]
    pub output: Option<String>,
}

impl DryRunArgs {
    /// `None` for a real write; otherwise how to simulate it. Called before any request, so
    /// every problem is a usage error.
    pub fn resolve(&self) -> Result<Option<DryRun>> {
        let mode = match self.dry_run.as_deref() {
            Some("client") => Some(Mode::Client),
            Some("server") => Some(Mode::Server),
            Some("none") | None => None,
            Some(other) => {
                return Err(Error::usage(format!(
                    "invalid argument \"{other}\" for \"--dry-run\" flag: accepted values: none, client, server"
                )));
            }
        };
        let format = match self.output.as_deref() {
            None => None,
            Some(_) if mode.is_none() || self.diff => {
                return Err(Error::usage(
                    "-o/--output applies to the object printed by --dry-run=client|server (without --diff)",
                ));
            }
            Some(output) => match output.to_ascii_lowercase().as_str() {
                "yaml" => Some(OutputFormat::Yaml),
                "json" => Some(OutputFormat::Json),
                "name" => Some(OutputFormat::Name),
                _ => {
                    return Err(Error::usage(format!(
                        "invalid argument \"{output}\" for \"-o, --output\" flag: accepted values: yaml, json, name"
                    )));
                }
            },
        };
        Ok(match (mode, self.diff) {
            (None, false) => None,
            (mode, diff) => Some(DryRun {
                mode: mode.unwrap_or(Mode::Server),
                diff,
                format,
            }),
        })
    }

    /// [`DryRunArgs::resolve`] for commands with `--target`, which writes files and has nothing
    /// to simulate: both together are a usage error.
    pub fn resolve_with_target(&self, target: bool) -> Result<Option<DryRun>> {
        let dry_run = self.resolve()?;
        if target && dry_run.is_some() {
            return Err(Error::usage(
                "--dry-run and --diff cannot be used with --target",
            ));
        }
        Ok(dry_run)
    }
}

// The flags' side of the write engine's input.
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
        Ok(Write::new(ctx, client, namespace, dry_run))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(dry_run: Option<&str>, diff: bool, output: Option<&str>) -> DryRunArgs {
        DryRunArgs {
            dry_run: dry_run.map(str::to_string),
            diff,
            output: output.map(str::to_string),
        }
    }

    #[test]
    fn modes() {
        assert!(args(None, false, None).resolve().unwrap().is_none());
        assert!(args(Some("none"), false, None).resolve().unwrap().is_none());
        let client = args(Some("client"), false, Some("json"))
            .resolve()
            .unwrap()
            .unwrap();
        assert_eq!((client.mode, client.diff), (Mode::Client, false));
        assert!(matches!(client.format, Some(OutputFormat::Json)));
        // --diff alone compares against a server dry run.
        let diff = args(None, true, None).resolve().unwrap().unwrap();
        assert_eq!((diff.mode, diff.diff), (Mode::Server, true));
        let diff = args(Some("client"), true, None).resolve().unwrap().unwrap();
        assert_eq!((diff.mode, diff.diff), (Mode::Client, true));
    }

    #[test]
    fn misuse_is_a_usage_error() {
        let usage = |a: DryRunArgs, target: bool| match a.resolve_with_target(target) {
            Err(e @ Error::Usage { .. }) => e.to_string(),
            other => panic!("expected a usage error, got {other:?}"),
        };
        assert_eq!(
            usage(args(None, false, Some("yaml")), false),
            "-o/--output applies to the object printed by --dry-run=client|server (without --diff)"
        );
        assert_eq!(
            usage(args(Some("server"), false, Some("wide")), false),
            "invalid argument \"wide\" for \"-o, --output\" flag: accepted values: yaml, json, name"
        );
        assert_eq!(
            usage(args(Some("client"), false, None), true),
            "--dry-run and --diff cannot be used with --target"
        );
        assert!(
            args(None, false, None)
                .resolve_with_target(true)
                .unwrap()
                .is_none()
        );
    }
}
