//! `knit service apply NAME`: declarative create-or-update by server-side apply (field manager
//! `knit`), with kn's messages. A service last written by kn's or knit's old client-side apply
//! is taken over once (see [`crate::edit::apply`]); fields other managers own conflict unless
//! `--force-conflicts`.

use std::path::PathBuf;

use clap::Args;
use serde_json::Value;

use super::create::build_service;
use crate::client::kinds::SERVICE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::service_edit::DeclaringHelp as _;
use crate::commands::args::service_edit::ServiceEditArgs;
use crate::commands::args::wait::{WaitArgs, WaitHelp as _};
use crate::context::Context;
use crate::edit::apply::client_dry_run;
use crate::edit::service::Mode;
use crate::error::{Error, Result};
use crate::ops::apply::server_side;
use crate::ops::write::dry_run::{self, DryRun};
use crate::ops::write::service::{self as service_write, Latest};
use crate::output::messages;

const EXAMPLES: &str = "Examples:

# Create an initial service with using 'knit service apply', if the service has not
# been already created
knit service apply s0 --image knativesamples/helloworld

# Apply the service again which is a no-operation if none of the options changed
knit service apply s0 --image knativesamples/helloworld

# Add an environment variable to your service. Note, that you have to always fully
# specify all parameters (in contrast to 'knit service update')
knit service apply s0 --image knativesamples/helloworld --env foo=bar

# Read the service declaration from a file
knit service apply s0 --filename my-svc.yml";

/// Apply a service declaration
#[derive(Args, Debug)]
#[command(
    about = "Apply a service declaration",
    long_about = "Apply a service declaration",
    override_usage = "NAME",
    after_help = EXAMPLES,
    args_override_self = true,
    declaring_help(),
    wait_help("service apply"),
    wait_timing_help("service", "ready"),
)]
pub struct ApplyArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub edit: ServiceEditArgs,
    /// Create service forcefully, replaces existing service if any.
    #[arg(verbatim_doc_comment, long = "force", hide = true)]
    pub force: bool,
    /// Create a service from file. The created service can be further modified by combining with other options. For example, -f /path/to/file --env NAME=value adds also an environment variable.
    #[arg(
        verbatim_doc_comment,
        short = 'f',
        long = "filename",
        value_name = "string"
    )]
    pub filename: Option<PathBuf>,
    /// Take over fields that other field managers own instead of failing on the conflict.
    #[arg(verbatim_doc_comment, long = "force-conflicts")]
    pub force_conflicts: bool,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &ApplyArgs, ctx: &Context) -> Result<()> {
    let namespace = args.namespace.resolve(ctx)?;
    let wait = args.wait.resolve(true)?;
    let dry_run = args.dry_run.resolve()?;
    // `--revision-name` has no meaning for a declaration (kn resets it too).
    let mut edit_args = args.edit.clone();
    edit_args.revision_name = None;
    let desired = build_service(
        ctx,
        &args.names,
        args.filename.as_ref(),
        &edit_args,
        &namespace,
        Mode::Apply,
        "apply",
    )?;
    let has_image = desired
        .pointer("/spec/template/spec/containers/0/image")
        .and_then(Value::as_str)
        .is_some_and(|image| !image.is_empty());
    if !has_image {
        return Err(Error::usage(
            "'service apply' requires the image name to run provided with the --image option",
        ));
    }
    let name = desired
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let client = ctx.client().await?;
    if let Some(dry_run) = dry_run {
        return simulate(ctx, client, &dry_run, &namespace, &name, &desired, args).await;
    }
    let applied = server_side::apply(
        client,
        &SERVICE,
        &namespace,
        &name,
        &desired,
        args.force_conflicts,
    )
    .await?;
    if !applied.spec_changed() {
        ctx.println(&messages::no_changes_to_apply(&name))?;
        return service_write::show_url(ctx, &applied.after, Latest::Unchanged);
    }
    let (heading, done) = if applied.created() {
        ("Creating service", "created")
    } else {
        ("Applying service", "applied")
    };
    service_write::wait_if_requested(
        ctx,
        client,
        &name,
        &namespace,
        wait,
        service_write::Report {
            heading,
            done,
            before: None,
        },
    )
    .await
}

/// `--dry-run`/`--diff`: the client mode shows the apply configuration (the intent, not
/// merged); the server mode the object a `dryRun=All` apply returns. Nothing is stored.
async fn simulate(
    ctx: &Context,
    client: &crate::client::Client,
    dry_run: &DryRun,
    namespace: &str,
    name: &str,
    desired: &Value,
    args: &ApplyArgs,
) -> Result<()> {
    match dry_run.mode {
        dry_run::Mode::Client => {
            let live = client.get_opt(&SERVICE, namespace, name).await?;
            let (before, config) = client_dry_run(live.as_ref(), desired);
            dry_run.show(ctx, before.as_ref(), &config)
        }
        dry_run::Mode::Server => {
            let applied = server_side::apply_with(
                client,
                &SERVICE,
                namespace,
                name,
                desired,
                args.force_conflicts,
                &dry_run.write_options(),
            )
            .await?;
            dry_run.show(ctx, applied.before.as_ref(), &applied.after)
        }
    }
}
