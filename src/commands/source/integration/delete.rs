//! `knit source integration delete NAME`.

use clap::Args;

use crate::client::kinds::INTEGRATION_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete the integration source 'ticker'
  knit source integration delete ticker";

/// Delete an integration source
#[derive(Args, Debug)]
#[command(
    about = "Delete an integration source",
    long_about = "Delete an integration source",
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
        "source integration delete",
        "requires the name of the integration source to delete as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message =
        messages::done_in_namespace("Integration source", name, "deleted", &write.namespace);
    write.delete(&INTEGRATION_SOURCE, name, &message).await
}
