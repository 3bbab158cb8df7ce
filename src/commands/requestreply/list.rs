//! `knit requestreply list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::flows::RequestReply;
use crate::client::ListOptions;
use crate::client::kinds::REQUEST_REPLY;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::views;

/// What an empty list prints.
pub const NO_REQUEST_REPLIES: &str = "No request-replies found.";

const EXAMPLES: &str = "
  # List the request-replies of the current namespace
  knit requestreply list

  # List the request-replies of all namespaces in YAML
  knit requestreply list -A -o yaml";

/// List request-replies
#[derive(Args, Debug)]
#[command(about = "List request-replies", long_about = "List request-replies", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::requestreply::list_table(
            &decode::<RequestReply>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &REQUEST_REPLY,
            ListOptions::default(),
            NO_REQUEST_REPLIES,
            &table,
        )
        .await
}
