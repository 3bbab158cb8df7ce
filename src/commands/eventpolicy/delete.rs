//! `knit eventpolicy delete NAME`.

use clap::Args;

use crate::client::kinds::EVENT_POLICY;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete the event policy 'orders'
  knit eventpolicy delete orders";

/// Delete an event policy
#[derive(Args, Debug)]
#[command(
    about = "Delete an event policy",
    long_about = "Delete an event policy",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct DeleteArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &DeleteArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "eventpolicy delete",
        "requires the name of the event policy to delete as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::done_in_namespace("Event policy", name, "deleted", &write.namespace);
    write.delete(&EVENT_POLICY, name, &message).await
}
