//! `knit source ping delete NAME`.

use clap::Args;

use crate::client::kinds::PING_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete a Ping source 'my-ping'
  knit source ping delete my-ping";

/// Delete a ping source
#[derive(Args, Debug)]
#[command(
    about = "Delete a ping source",
    long_about = "Delete a ping source",
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
    // kn's message starts with a stray quote; the sentence is kept without it.
    let name = single_name(
        &args.names,
        "source ping delete",
        "requires the name of the Ping source to delete as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::done_in_namespace("Ping source", name, "deleted", &write.namespace);
    write.delete(&PING_SOURCE, name, &message).await
}
