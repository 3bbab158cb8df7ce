//! `knit source container delete NAME`.

use clap::Args;

use crate::client::kinds::CONTAINER_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete a ContainerSource 'containersrc' in default namespace
  knit source container delete containersrc";

/// Delete a container source
#[derive(Args, Debug)]
#[command(
    about = "Delete a container source",
    long_about = "Delete a container source",
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
        "source container delete",
        "requires the name of the source as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::done_in_namespace("ContainerSource", name, "deleted", &write.namespace);
    // kn prints "ContainerSourcd" here (a typo).
    write.delete(&CONTAINER_SOURCE, name, &message).await
}
