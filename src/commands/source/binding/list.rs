//! `knit source binding list` (alias `ls`, which kn lacks).

use clap::Args;
use serde_json::Value;

use crate::api::eventing::SinkBinding;
use crate::client::ListOptions;
use crate::client::kinds::SINK_BINDING;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all sink bindings
  knit source binding list

  # List all sink bindings in YAML format
  knit source binding list -o yaml";

/// List sink bindings
#[derive(Args, Debug)]
#[command(about = "List sink bindings", long_about = "List sink bindings", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::source_binding::list_table(
            &decode::<SinkBinding>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &SINK_BINDING,
            ListOptions::default(),
            messages::NO_SINK_BINDINGS,
            &table,
        )
        .await
}
