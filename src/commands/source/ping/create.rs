//! `knit source ping create NAME --sink SINK`.

use clap::Args;

use super::PingFlags;
use crate::client::kinds::PING_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{RequiredSinkArgs, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::ping::{PingEdit, new_ping};
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Create a Ping source 'my-ping' which fires every two minutes and sends '{ value: \"hello\" }' to service 'mysvc' as a cloudevent
  knit source ping create my-ping --schedule \"*/2 * * * *\" --data '{ value: \"hello\" }' --sink ksvc:mysvc";

/// Create a ping source
#[derive(Args, Debug)]
#[command(
    about = "Create a ping source",
    long_about = "Create a ping source",
    override_usage = "NAME --sink SINK",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub flags: PingFlags,
    #[command(flatten)]
    pub sink: RequiredSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "source ping create",
        "requires the name of the Ping source to create as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let data = args.flags.data("create", name, namespace)?;
    let sink = args.sink.resolve(ctx, write.client, namespace).await?;
    let edit = PingEdit {
        schedule: args.flags.schedule.clone().filter(|s| !s.is_empty()),
        data,
        sink: Some(sink),
        ce_overrides: args.flags.ce.ce_overrides.clone(),
    };
    let message = messages::done_in_namespace("Ping source", name, "created", namespace);
    write
        .create(&PING_SOURCE, &new_ping(name, namespace, &edit), &message)
        .await
}
