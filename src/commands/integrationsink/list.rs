//! `knit integrationsink list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::integ::IntegrationSink;
use crate::client::ListOptions;
use crate::client::kinds::INTEGRATION_SINK;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::views;

const EXAMPLES: &str = "
  # List the integration sinks of the current namespace
  knit integrationsink list

  # List the integration sinks of every namespace, sorted by age
  knit integrationsink list -A --sort-by .metadata.creationTimestamp";

/// List integration sinks
#[derive(Args, Debug)]
#[command(about = "List integration sinks", long_about = "List integration sinks", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::integration::sink_table(
            &decode::<IntegrationSink>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &INTEGRATION_SINK,
            ListOptions::default(),
            "No integration sinks found.",
            &table,
        )
        .await
}
