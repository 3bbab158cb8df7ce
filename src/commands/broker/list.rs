//! `knit broker list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::eventing::Broker;
use crate::client::ListOptions;
use crate::client::kinds::BROKER;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all brokers
  knit broker list

  # List all brokers in JSON output format
  knit broker list -o json";

/// List brokers
#[derive(Args, Debug)]
#[command(about = "List brokers", long_about = "List brokers", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::broker::list_table(
            &decode::<Broker>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &BROKER,
            ListOptions::default(),
            messages::NO_BROKERS,
            &table,
        )
        .await
}
