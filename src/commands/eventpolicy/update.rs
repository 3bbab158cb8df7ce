//! `knit eventpolicy update NAME`: adds or (with a trailing `-`) removes senders and targets.

use clap::Args;

use super::PolicyFlags;
use crate::client::kinds::EVENT_POLICY;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Also allow the subject 'system:serviceaccount:ns:bot' and stop allowing Ping source 'heartbeat'
  knit eventpolicy update only-heartbeat --from-subject system:serviceaccount:ns:bot --from sources.knative.dev/v1/pingsources:heartbeat-

  # Remove the CloudEvents SQL filter
  knit eventpolicy update orders --cesql ''";

/// Update an event policy
#[derive(Args, Debug)]
#[command(
    about = "Update an event policy",
    long_about = "Update an event policy",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub flags: PolicyFlags,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "eventpolicy update",
        "name of event policy required",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let edit = args.flags.resolve(ctx, write.client, namespace).await?;
    let edit = |policy: &mut serde_json::Value| -> Result<()> {
        edit.apply(crate::edit::eventing::spec(policy));
        Ok(())
    };
    let message = messages::done_in_namespace("Event policy", name, "updated", namespace);
    write.update(&EVENT_POLICY, name, edit, &message).await
}
