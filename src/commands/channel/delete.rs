//! `knit channel delete NAME`.

use clap::Args;

use crate::client::kinds::CHANNEL;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete a channel 'pipe'
  knit channel delete pipe";

/// Delete a channel
#[derive(Args, Debug)]
#[command(
    about = "Delete a channel",
    long_about = "Delete a channel",
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
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "channel delete",
        &format!("'{bin} channel delete' requires the channel name as single argument"),
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::done_in_namespace("Channel", name, "deleted", &write.namespace);
    write.delete(&CHANNEL, name, &message).await
}
