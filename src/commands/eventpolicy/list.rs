//! `knit eventpolicy list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::integ::EventPolicy;
use crate::client::ListOptions;
use crate::client::kinds::EVENT_POLICY;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::views;

const EXAMPLES: &str = "
  # List the event policies of the current namespace
  knit eventpolicy list

  # List the event policies of every namespace in YAML format
  knit eventpolicy list -A -o yaml";

/// List event policies
#[derive(Args, Debug)]
#[command(about = "List event policies", long_about = "List event policies", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::eventpolicy::list_table(
            &decode::<EventPolicy>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &EVENT_POLICY,
            ListOptions::default(),
            "No event policies found.",
            &table,
        )
        .await
}
