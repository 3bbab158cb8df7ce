//! `knit apply -f FILE`: server-side apply of the objects of files (YAML with any number of
//! documents, JSON, or a `List`), one kubectl-style line per object: flags and `run`, the engine
//! is [`crate::ops::apply`]; and the apply flow shared with `knit service apply`
//! ([`crate::ops::apply::server_side`]).
//!
//! Every document is read and checked (a kind the cluster serves, a name, the namespace) before
//! the first request that writes, so a bad file applies nothing.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::wait::{WaitArgs, WaitHelp as _};
use crate::context::Context;
use crate::edit::apply::client_dry_run;
use crate::error::{Error, Result};
use crate::ops::apply::{self as engine, Planned, server_side};
use crate::ops::write::dry_run::{DryRun, Mode};

const EXAMPLES: &str = "Examples:

  # Apply the objects of a file (several YAML documents, JSON, or a List)
  knit apply -f app.yaml

  # Apply from stdin, into namespace 'staging'
  cat app.yaml | knit apply -f - -n staging

  # Take over fields that another field manager (kubectl, kn, a controller) owns
  knit apply -f app.yaml --force-conflicts";

/// Apply objects from files (server-side apply)
#[derive(Args, Debug)]
#[command(
    about = "Apply objects from files (server-side apply)",
    long_about = "Apply objects from files with server-side apply, as field manager 'knit'. Each file may hold any number of YAML documents, JSON, or a List, of any kind and version the cluster serves (found by discovery). Every object is checked before the first one is sent; they are then applied several at a time (a cluster-scoped object, such as a Namespace, alone, in file order), and knit waits until the applied Knative objects are ready.",
    override_usage = "-f FILE",
    after_help = EXAMPLES,
    wait_help("apply"),
)]
pub struct ApplyArgs {
    /// File with the objects to apply, '-' for stdin. Repeat the flag to apply several files.
    #[arg(
        verbatim_doc_comment,
        short = 'f',
        long = "filename",
        value_name = "string",
        required = true
    )]
    pub filenames: Vec<PathBuf>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    /// Take over fields that other field managers own instead of failing on the conflict.
    #[arg(verbatim_doc_comment, long = "force-conflicts")]
    pub force_conflicts: bool,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &ApplyArgs, ctx: &Context) -> Result<()> {
    let wait = args.wait.resolve(true)?;
    let dry_run = args.dry_run.resolve()?;
    let explicit = args.namespace.namespace.as_deref();
    let namespace = args.namespace.resolve(ctx)?;
    let mut documents = Vec::new();
    let mut stdin_read = false;
    for path in &args.filenames {
        if path == Path::new("-") {
            if stdin_read {
                return Err(Error::usage("'-' (stdin) can be given only once"));
            }
            stdin_read = true;
            engine::read_documents("stdin", std::io::stdin().lock(), &mut documents)?;
        } else {
            let file = std::fs::File::open(path)
                .map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?;
            let reader = std::io::BufReader::new(file);
            engine::read_documents(&path.display().to_string(), reader, &mut documents)?;
        }
    }
    if documents.is_empty() {
        return Err(Error::usage("no objects passed to apply"));
    }

    let client = ctx.client().await?;
    let planned = engine::plan(client, documents, &namespace, explicit).await?;
    if let Some(dry_run) = dry_run {
        return simulate(ctx, client, &dry_run, &planned, args.force_conflicts).await;
    }
    let mut errors = Vec::new();
    let mut applied = Vec::new();
    engine::apply_all(client, &planned, args.force_conflicts, |item, result| {
        match result {
            Ok(result) => {
                let verb = if result.changed() {
                    "serverside-applied"
                } else {
                    "unchanged"
                };
                ctx.println(&format!("{} {verb}", item.display()))?;
                applied.push(item);
            }
            Err(e) => errors.push(e),
        }
        Ok(())
    })
    .await?;
    if let Some(settings) = wait {
        errors.extend(engine::wait_all(client, &applied, settings).await);
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Multiple(errors)),
    }
}

/// `--dry-run`/`--diff` for every object: kubectl's line marked as a dry run, the object in the
/// `-o` format, or the diff from the live object (exit 1 when any differs). The client mode
/// shows the apply configuration itself (diffed against the part of the live object it declares),
/// the server mode what a `dryRun=All` apply returns.
async fn simulate(
    ctx: &Context,
    client: &crate::client::Client,
    dry_run: &DryRun,
    planned: &[Planned],
    force: bool,
) -> Result<()> {
    let mut errors = Vec::new();
    let mut differs = None;
    for item in planned {
        let outcome = match dry_run.mode {
            Mode::Client => client
                .get_opt(&item.kind, &item.namespace, &item.name)
                .await
                .map(|live| client_dry_run(live.as_ref(), &item.object)),
            Mode::Server => server_side::apply_with(
                client,
                &item.kind,
                &item.namespace,
                &item.name,
                &item.object,
                force,
                &dry_run.write_options(),
            )
            .await
            .map(|applied| (applied.before, applied.after)),
        };
        let shown = match outcome {
            Ok((before, after)) if dry_run.diff || dry_run.format.is_some() => {
                dry_run.show(ctx, before.as_ref(), &after)
            }
            Ok(_) => {
                let suffix = match dry_run.mode {
                    Mode::Client => "(dry run)",
                    Mode::Server => "(server dry run)",
                };
                ctx.println(&format!("{} serverside-applied {suffix}", item.display()))
            }
            Err(e) => Err(e),
        };
        match shown {
            Ok(()) => {}
            Err(silent @ Error::Silent(_)) => differs = Some(silent),
            Err(e) => errors.push(e),
        }
    }
    match (errors.len(), differs) {
        (0, None) => Ok(()),
        (0, Some(silent)) => Err(silent),
        (1, _) => Err(errors.remove(0)),
        _ => Err(Error::Multiple(errors)),
    }
}
