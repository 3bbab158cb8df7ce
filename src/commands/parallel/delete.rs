//! `knit parallel delete NAME`.

use clap::Args;

use crate::client::kinds::PARALLEL;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete a parallel 'par' (its channels and subscriptions go with it)
  knit parallel delete par";

/// Delete a parallel
#[derive(Args, Debug)]
#[command(
    about = "Delete a parallel",
    long_about = "Delete a parallel",
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
        "parallel delete",
        &format!("'{bin} parallel delete' requires the parallel name as single argument"),
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::done_in_namespace("Parallel", name, "deleted", &write.namespace);
    write.delete(&PARALLEL, name, &message).await
}
