//! `knit parallel create NAME --branch BRANCH… [--reply SINK] [--channel-type TYPE]`.

use clap::Args;

use super::{BRANCH_HELP, BranchArg, resolve_branches};
use crate::client::kinds::PARALLEL;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{because, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::sequence::{CHANNEL_TYPE_HELP, ReplyArgs, flow_edit};
use crate::context::Context;
use crate::edit::eventing::channel::ChannelTypeArg;
use crate::edit::eventing::flows::new_parallel;
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Create a parallel 'par' sending every event to ksvc 'audit', and those that ksvc 'is-order' accepts to ksvc 'orders'
  knit parallel create par --branch ksvc:audit --branch filter=ksvc:is-order,subscriber=ksvc:orders

  # Send the branches' results to broker 'default'
  knit parallel create par --branch ksvc:audit --reply broker:default";

/// Create a parallel
#[derive(Args, Debug)]
#[command(
    about = "Create a parallel",
    long_about = "Create a parallel",
    override_usage = "NAME --branch BRANCH [--branch BRANCH]...",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(long = "branch", value_name = "stringArray", help = BRANCH_HELP)]
    pub branches: Vec<BranchArg>,
    #[command(flatten)]
    pub reply: ReplyArgs,
    #[arg(long = "channel-type", value_name = "string", help = CHANNEL_TYPE_HELP)]
    pub channel_type: Option<ChannelTypeArg>,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "parallel create",
        &format!("'{bin} parallel create' requires the parallel name given as single argument"),
    )?;
    if args.branches.is_empty() {
        return Err(Error::usage_in(
            "parallel create",
            format!("'{bin} parallel create' requires at least one branch given with --branch"),
        ));
    }
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let mut edit = flow_edit(
        ctx,
        "parallel create",
        args.reply.reply.as_ref(),
        false,
        args.channel_type.as_ref(),
        namespace,
    )
    .await?;
    edit.branches = resolve_branches(ctx, &args.branches, namespace).await?;
    let par = new_parallel(name, namespace, &edit);
    let wrap = because(format!(
        "cannot create parallel '{name}' in namespace '{namespace}' because"
    ));
    let message = messages::done_in_namespace("Parallel", name, "created", namespace);
    write.create_or(&PARALLEL, &par, &message, wrap).await
}
