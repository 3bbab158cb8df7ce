//! `knit eventtransform update NAME`.

use clap::Args;

use super::TransformFlags;
use crate::client::kinds::EVENT_TRANSFORM;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{OptionalSinkArgs, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Change the expression
  knit eventtransform update retype --jsonata '{\"specversion\": \"1.0\", \"id\": id, \"source\": source, \"type\": \"v2\"}'

  # Return the sink's replies again
  knit eventtransform update forward --reply-discard=false";

/// Update an event transform
#[derive(Args, Debug)]
#[command(
    about = "Update an event transform",
    long_about = "Update an event transform",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub flags: TransformFlags,
    #[command(flatten)]
    pub sink: OptionalSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "eventtransform update",
        "name of event transform required",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let sink = args.sink.resolve(ctx, write.client, namespace).await?;
    let edit = args.flags.edit(sink);
    let edit = |transform: &mut serde_json::Value| -> Result<()> {
        edit.apply(crate::edit::eventing::spec(transform));
        Ok(())
    };
    let message = messages::done_in_namespace("Event transform", name, "updated", namespace);
    write.update(&EVENT_TRANSFORM, name, edit, &message).await
}
