//! `knit service rollback NAME [--to-revision R]`: all traffic back to an earlier revision and
//! the template made to match it, in one optimistic-concurrency update, then kn's wait.

use clap::Args;
use serde_json::Value;

use crate::api::serving::SERVICE_LABEL;
use crate::client::kinds::{REVISION, SERVICE};
use crate::client::{ListOptions, WriteOptions};
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::wait::{WaitArgs, WaitHelp as _};
use crate::context::Context;
use crate::edit::rollback;
use crate::error::{Error, Result};
use crate::output::progress::Progress;

const EXAMPLES: &str = "Examples:

  # Send all traffic back to the revision before the one serving now
  knit service rollback web

  # Roll back to a named revision
  knit service rollback web --to-revision web-00002

  # Show what would change, without changing it
  knit service rollback web --diff";

/// Roll a service back to an earlier revision
#[derive(Args, Debug)]
#[command(
    about = "Roll a service back to an earlier revision",
    long_about = "Roll a service back to an earlier revision: all traffic goes to that revision (tags are kept, at 0%), and the service's template is set to the revision's spec, image and autoscaling annotations, so the next update starts from it. Without --to-revision, the newest ready revision older than the one serving now is chosen. See 'service history' for the revisions.",
    override_usage = "NAME",
    after_help = EXAMPLES,
    wait_help("service rollback"),
    wait_timing_help("service", "ready"),
)]
pub struct RollbackArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    /// The revision to roll back to (default: the newest ready revision before the serving one).
    #[arg(long = "to-revision", value_name = "string")]
    pub to_revision: Option<String>,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &RollbackArgs, ctx: &Context) -> Result<()> {
    let [name] = args.names.as_slice() else {
        return Err(Error::usage_in(
            "service rollback",
            "'service rollback' requires the service name given as single argument",
        ));
    };
    let wait = args.wait.resolve(true)?;
    let dry_run = args.dry_run.resolve()?;
    let namespace = args.namespace.resolve(ctx)?;
    let client = ctx.client().await?;
    let service = client.get(&SERVICE, &namespace, name).await?;
    let revisions = client
        .list(
            &REVISION,
            Some(&namespace),
            &ListOptions::labelled(SERVICE_LABEL, name),
        )
        .await?
        .items;
    let target = rollback::target(&service, &revisions, args.to_revision.as_deref())
        .map_err(Error::failed)?
        .clone();
    let to = target["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let edit = |service: &mut Value| {
        rollback::apply(service, &target);
        Ok(())
    };
    if let Some(dry_run) = dry_run {
        return dry_run
            .update(ctx, client, &SERVICE, &namespace, name, edit)
            .await;
    }
    client
        .update_from(
            &SERVICE,
            &namespace,
            name,
            &WriteOptions::default(),
            Some(service),
            edit,
        )
        .await?;
    let Some(settings) = wait else {
        return ctx.println(&format!(
            "Service '{name}' rolled back to revision '{to}' in namespace '{namespace}'."
        ));
    };
    ctx.println(&format!(
        "Rolling back Service '{name}' to revision '{to}' in namespace '{namespace}':\n"
    ))?;
    let mut progress = Progress::stdout(ctx.stdout_tty);
    let outcome = crate::ops::wait::wait_for_ready(
        client,
        &SERVICE,
        &namespace,
        name,
        settings,
        &mut progress,
    )
    .await?;
    let url = outcome.object["status"]["url"].as_str().unwrap_or_default();
    ctx.println(&format!(
        "\nService '{name}' rolled back: revision '{to}' serves all traffic at URL:\n{url}"
    ))
}
