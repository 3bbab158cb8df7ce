//! `knit integrationsink delete NAME`.

use clap::Args;

use crate::client::kinds::INTEGRATION_SINK;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete the integration sink 'logger'
  knit integrationsink delete logger";

/// Delete an integration sink
#[derive(Args, Debug)]
#[command(
    about = "Delete an integration sink",
    long_about = "Delete an integration sink",
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
        "integrationsink delete",
        "requires the name of the integration sink to delete as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message =
        messages::done_in_namespace("Integration sink", name, "deleted", &write.namespace);
    write.delete(&INTEGRATION_SINK, name, &message).await
}
