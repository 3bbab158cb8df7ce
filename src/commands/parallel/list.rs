//! `knit parallel list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::flows::Parallel;
use crate::client::ListOptions;
use crate::client::kinds::PARALLEL;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::views;

/// What an empty list prints.
pub const NO_PARALLELS: &str = "No parallels found.";

const EXAMPLES: &str = "
  # List the parallels of the current namespace
  knit parallel list

  # List the parallels of all namespaces in YAML
  knit parallel list -A -o yaml";

/// List parallels
#[derive(Args, Debug)]
#[command(about = "List parallels", long_about = "List parallels", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::flows::parallel_table(
            &decode::<Parallel>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(ctx, &PARALLEL, ListOptions::default(), NO_PARALLELS, &table)
        .await
}
