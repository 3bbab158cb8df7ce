//! `knit eventtransform create NAME --jsonata EXPR [--sink SINK]`.

use clap::Args;

use super::TransformFlags;
use crate::client::kinds::EVENT_TRANSFORM;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{OptionalSinkArgs, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::transform::new_transform;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Reply to each event with its id and a new type
  knit eventtransform create retype --jsonata '{\"specversion\": \"1.0\", \"id\": id, \"source\": source, \"type\": \"retyped\"}'

  # Transform events and send them on to service 'mysvc', discarding its replies
  knit eventtransform create forward --jsonata '$' --sink ksvc:mysvc --reply-discard";

/// Create an event transform
#[derive(Args, Debug)]
#[command(
    about = "Create an event transform",
    long_about = "Create an event transform",
    override_usage = "NAME --jsonata EXPRESSION [--sink SINK]",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
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

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "eventtransform create",
        "requires the name of the event transform to create as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let sink = args.sink.resolve(ctx, write.client, namespace).await?;
    let edit = args.flags.edit(sink);
    let message = messages::done_in_namespace("Event transform", name, "created", namespace);
    write
        .create(
            &EVENT_TRANSFORM,
            &new_transform(name, namespace, &edit),
            &message,
        )
        .await
}
