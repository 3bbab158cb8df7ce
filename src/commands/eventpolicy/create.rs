//! `knit eventpolicy create NAME [--to REF] [--from REF|--from-subject SUB] [--cesql EXPR]`.

use clap::Args;

use super::PolicyFlags;
use crate::client::kinds::EVENT_POLICY;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::policy::new_policy;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Allow only the Ping source 'heartbeat' to send to broker 'default'
  knit eventpolicy create only-heartbeat --to broker:default --from sources.knative.dev/v1/pingsources:heartbeat

  # Allow every service account of namespace 'team-a' to send to brokers labelled 'team=a'
  knit eventpolicy create team-a --to-selector broker:team=a --from-subject 'system:serviceaccount:team-a:*'

  # Admit only 'order.created' events from one subject
  knit eventpolicy create orders --from-subject system:serviceaccount:shop:checkout --cesql \"type = 'order.created'\"";

/// Create an event policy
#[derive(Args, Debug)]
#[command(
    about = "Create an event policy",
    long_about = "Create an event policy",
    override_usage = "NAME [--to REF] [--from REF | --from-subject SUBJECT]",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub flags: PolicyFlags,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "eventpolicy create",
        "requires the name of the event policy to create as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let edit = args.flags.resolve(ctx, write.client, namespace).await?;
    let message = messages::done_in_namespace("Event policy", name, "created", namespace);
    write
        .create(&EVENT_POLICY, &new_policy(name, namespace, &edit), &message)
        .await
}
