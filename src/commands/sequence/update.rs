//! `knit sequence update NAME [--step SINK…] [--reply SINK | --no-reply]`.

use clap::Args;

use super::{ReplyArgs, flow_edit, resolve_steps};
use crate::client::kinds::SEQUENCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::sink::SinkArg;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Replace the steps of sequence 'seq' (a step keeps the delivery settings of the step it replaces)
  knit sequence update seq --step ksvc:first --step ksvc:third

  # Send the result of sequence 'seq' to broker 'default', or nowhere
  knit sequence update seq --reply broker:default
  knit sequence update seq --no-reply";

/// Update a sequence
#[derive(Args, Debug)]
#[command(
    about = "Update a sequence",
    long_about = "Update a sequence",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        long = "step",
        value_name = "stringArray",
        help = "The new steps of the sequence, in order, replacing all steps: repeat the flag for each step. Same syntax as 'sequence create --step'."
    )]
    pub steps: Vec<SinkArg>,
    #[command(flatten)]
    pub reply: ReplyArgs,
    #[arg(long = "no-reply", help = "Remove the sequence's reply.")]
    pub no_reply: bool,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "sequence update",
        &format!("'{bin} sequence update' requires the sequence name given as single argument"),
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let mut edit = flow_edit(
        ctx,
        "sequence update",
        args.reply.reply.as_ref(),
        args.no_reply,
        None,
        namespace,
    )
    .await?;
    edit.steps = resolve_steps(ctx, &args.steps, namespace).await?;
    let edit = |seq: &mut serde_json::Value| -> Result<()> {
        edit.apply(crate::edit::eventing::spec(seq));
        Ok(())
    };
    let message = messages::done_in_namespace("Sequence", name, "updated", namespace);
    write.update(&SEQUENCE, name, edit, &message).await
}
