//! `knit source ping list` (alias `ls`, which kn lacks).

use clap::Args;
use serde_json::Value;

use crate::api::eventing::PingSource;
use crate::client::ListOptions;
use crate::client::kinds::PING_SOURCE;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all Ping sources
  knit source ping list

  # List all Ping sources in YAML format
  knit source ping list -o yaml";

/// List ping sources
#[derive(Args, Debug)]
#[command(about = "List ping sources", long_about = "List ping sources", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::source_ping::list_table(
            &decode::<PingSource>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &PING_SOURCE,
            ListOptions::default(),
            messages::NO_PING_SOURCES,
            &table,
        )
        .await
}
