//! `knit source container list` (alias `ls`, which kn lacks).

use clap::Args;
use serde_json::Value;

use crate::api::eventing::ContainerSource;
use crate::client::ListOptions;
use crate::client::kinds::CONTAINER_SOURCE;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "Examples:
  # List all Container sources
  knit source container list

  # List all Container sources in YAML format
  knit source apiserver list -o yaml";

/// List container sources
#[derive(Args, Debug)]
#[command(about = "List container sources", long_about = "List container sources", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::source_container::list_table(
            &decode::<ContainerSource>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &CONTAINER_SOURCE,
            ListOptions::default(),
            messages::NO_CONTAINER_SOURCES,
            &table,
        )
        .await
}
