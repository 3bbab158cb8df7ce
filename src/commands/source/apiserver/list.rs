//! `knit source apiserver list` (alias `ls`, which kn lacks).

use clap::Args;
use serde_json::Value;

use crate::api::eventing::ApiServerSource;
use crate::client::ListOptions;
use crate::client::kinds::API_SERVER_SOURCE;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all ApiServer sources
  knit source apiserver list

  # List all ApiServer sources in YAML format
  knit source apiserver list -o yaml";

/// List api-server sources
#[derive(Args, Debug)]
#[command(about = "List api-server sources", long_about = "List api-server sources", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::source_apiserver::list_table(
            &decode::<ApiServerSource>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &API_SERVER_SOURCE,
            ListOptions::default(),
            messages::NO_APISERVER_SOURCES,
            &table,
        )
        .await
}
