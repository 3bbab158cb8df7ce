//! `knit source apiserver delete NAME`.

use clap::Args;

use crate::client::kinds::API_SERVER_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete an ApiServerSource 'k8sevents' in default namespace
  knit source apiserver delete k8sevents";

/// Delete an api-server source
#[derive(Args, Debug)]
#[command(
    about = "Delete an api-server source",
    long_about = "Delete an api-server source",
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
        "source apiserver delete",
        "requires the name of the source as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message =
        messages::done_in_namespace("ApiServer source", name, "deleted", &write.namespace);
    write.delete(&API_SERVER_SOURCE, name, &message).await
}
