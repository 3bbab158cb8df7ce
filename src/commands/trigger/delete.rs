//! `knit trigger delete NAME`.

use clap::Args;

use crate::client::kinds::TRIGGER;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete a trigger 'mytrigger' in default namespace
  knit trigger delete mytrigger";

/// Delete a trigger
#[derive(Args, Debug)]
#[command(
    about = "Delete a trigger",
    long_about = "Delete a trigger",
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
        "trigger delete",
        "'trigger delete' requires the name of the trigger as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::done_in_namespace("Trigger", name, "deleted", &write.namespace);
    write.delete(&TRIGGER, name, &message).await
}
