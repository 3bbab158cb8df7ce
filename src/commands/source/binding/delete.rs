//! `knit source binding delete NAME`.

use clap::Args;

use crate::client::kinds::SINK_BINDING;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete a sink binding with name 'my-binding'
  knit source binding delete my-binding";

/// Delete a sink binding
#[derive(Args, Debug)]
#[command(
    about = "Delete a sink binding",
    long_about = "Delete a sink binding",
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
        "source binding delete",
        "requires the name of the sink binding to delete as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::done_in_namespace("Sink binding", name, "deleted", &write.namespace);
    write.delete(&SINK_BINDING, name, &message).await
}
