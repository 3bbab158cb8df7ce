//! `knit channel list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::eventing::Channel;
use crate::client::ListOptions;
use crate::client::kinds::CHANNEL;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "Examples:
  # List all channels
  knit channel list

  # List channels in YAML format
  knit channel ping list -o yaml";

/// List channels
#[derive(Args, Debug)]
#[command(about = "List channels", long_about = "List channels", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
pub struct ListArgs {
    #[command(flatten)]
    pub namespace: ListNamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
    #[command(flatten)]
    pub query: ListQueryArgs,
}

pub async fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let all = args.namespace.all_namespaces;
    let table = |items: &[Value]| {
        Ok(views::channel::list_table(
            &decode::<Channel>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &CHANNEL,
            ListOptions::default(),
            messages::NO_CHANNELS,
            &table,
        )
        .await
}
