//! `knit eventtransform list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::integ::EventTransform;
use crate::client::ListOptions;
use crate::client::kinds::EVENT_TRANSFORM;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::views;

const EXAMPLES: &str = "
  # List the event transforms of the current namespace
  knit eventtransform list

  # List the event transforms of every namespace, sorted by age
  knit eventtransform list -A --sort-by .metadata.creationTimestamp";

/// List event transforms
#[derive(Args, Debug)]
#[command(about = "List event transforms", long_about = "List event transforms", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::integration::transform_table(
            &decode::<EventTransform>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &EVENT_TRANSFORM,
            ListOptions::default(),
            "No event transforms found.",
            &table,
        )
        .await
}
