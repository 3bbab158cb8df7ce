//! `knit trigger list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::eventing::Trigger;
use crate::client::ListOptions;
use crate::client::kinds::TRIGGER;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all triggers
  knit trigger list

  # List all triggers in JSON output format
  knit trigger list -o json";

/// List triggers
#[derive(Args, Debug)]
#[command(about = "List triggers", long_about = "List triggers", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::trigger::list_table(
            &decode::<Trigger>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &TRIGGER,
            ListOptions::default(),
            messages::NO_TRIGGERS,
            &table,
        )
        .await
}
