//! `knit eventtype list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::eventing::EventType;
use crate::client::ListOptions;
use crate::client::kinds::EVENT_TYPE;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all eventtypes
  knit eventtype list

  # List all eventtypes in JSON output format
  knit eventtype list -o json";

/// List eventtypes
#[derive(Args, Debug)]
#[command(about = "List eventtypes", long_about = "List eventtypes", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::eventtype::list_table(
            &decode::<EventType>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &EVENT_TYPE,
            ListOptions::default(),
            messages::NO_EVENTTYPES,
            &table,
        )
        .await
}
