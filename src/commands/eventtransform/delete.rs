//! `knit eventtransform delete NAME`.

use clap::Args;

use crate::client::kinds::EVENT_TRANSFORM;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete the event transform 'retype'
  knit eventtransform delete retype";

/// Delete an event transform
#[derive(Args, Debug)]
#[command(
    about = "Delete an event transform",
    long_about = "Delete an event transform",
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
        "eventtransform delete",
        "requires the name of the event transform to delete as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::done_in_namespace("Event transform", name, "deleted", &write.namespace);
    write.delete(&EVENT_TRANSFORM, name, &message).await
}
