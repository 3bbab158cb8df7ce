//! `knit source integration list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::integ::IntegrationSource;
use crate::client::ListOptions;
use crate::client::kinds::INTEGRATION_SOURCE;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::views;

const EXAMPLES: &str = "
  # List the integration sources of the current namespace
  knit source integration list

  # List them in JSON format
  knit source integration list -o json";

/// List integration sources
#[derive(Args, Debug)]
#[command(about = "List integration sources", long_about = "List integration sources", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::integration::source_table(
            &decode::<IntegrationSource>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &INTEGRATION_SOURCE,
            ListOptions::default(),
            "No integration sources found.",
            &table,
        )
        .await
}
