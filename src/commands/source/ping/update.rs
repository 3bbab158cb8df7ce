//! `knit source ping update NAME`.

use clap::Args;

use super::PingFlags;
use crate::client::kinds::PING_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{OptionalSinkArgs, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::ping::PingEdit;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Update the schedule of a Ping source 'my-ping' to fire every minute
  knit source ping update my-ping --schedule \"* * * * *\"";

/// Update a ping source
#[derive(Args, Debug)]
#[command(
    about = "Update a ping source",
    long_about = "Update a ping source",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub flags: PingFlags,
    #[command(flatten)]
    pub sink: OptionalSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "source ping update",
        "name of Ping source required",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let data = args.flags.data("update", name, namespace)?;
    let sink = args.sink.resolve(ctx, write.client, namespace).await?;
    let edit = PingEdit {
        schedule: args.flags.schedule.clone(),
        data,
        sink,
        ce_overrides: args.flags.ce.ce_overrides.clone(),
    };
    let edit = |source: &mut serde_json::Value| -> Result<()> {
        edit.apply(crate::edit::eventing::spec(source));
        Ok(())
    };
    let message = messages::done_in_namespace("Ping source", name, "updated", namespace);
    write.update(&PING_SOURCE, name, edit, &message).await
}
