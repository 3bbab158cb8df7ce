//! `knit parallel update NAME [--branch BRANCH…] [--reply SINK | --no-reply]`.

use clap::Args;

use super::{BranchArg, resolve_branches};
use crate::client::kinds::PARALLEL;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::sequence::{ReplyArgs, flow_edit};
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Replace the branches of parallel 'par' (a branch keeps the delivery settings of the branch it replaces)
  knit parallel update par --branch ksvc:audit --branch filter=ksvc:is-order,subscriber=ksvc:orders

  # Send the results of parallel 'par' to broker 'default', or nowhere
  knit parallel update par --reply broker:default
  knit parallel update par --no-reply";

/// Update a parallel
#[derive(Args, Debug)]
#[command(
    about = "Update a parallel",
    long_about = "Update a parallel",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        long = "branch",
        value_name = "stringArray",
        help = "The new branches of the parallel, replacing all branches: repeat the flag for each branch. Same syntax as 'parallel create --branch'."
    )]
    pub branches: Vec<BranchArg>,
    #[command(flatten)]
    pub reply: ReplyArgs,
    #[arg(long = "no-reply", help = "Remove the parallel's reply.")]
    pub no_reply: bool,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "parallel update",
        &format!("'{bin} parallel update' requires the parallel name given as single argument"),
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let mut edit = flow_edit(
        ctx,
        "parallel update",
        args.reply.reply.as_ref(),
        args.no_reply,
        None,
        namespace,
    )
    .await?;
    edit.branches = resolve_branches(ctx, &args.branches, namespace).await?;
    let edit = |par: &mut serde_json::Value| -> Result<()> {
        edit.apply(crate::edit::eventing::spec(par));
        Ok(())
    };
    let message = messages::done_in_namespace("Parallel", name, "updated", namespace);
    write.update(&PARALLEL, name, edit, &message).await
}
