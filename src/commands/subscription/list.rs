//! `knit subscription list` (alias `ls`, which kn lacks).

use clap::Args;
use serde_json::Value;

use crate::api::eventing::Subscription;
use crate::client::ListOptions;
use crate::client::kinds::SUBSCRIPTION;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all subscriptions
  knit subscription list

  # List subscriptions in YAML format
  knit subscription list -o yaml";

/// List subscriptions
#[derive(Args, Debug)]
#[command(about = "List subscriptions", long_about = "List subscriptions", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::subscription::list_table(
            &decode::<Subscription>(items)?,
            all,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &SUBSCRIPTION,
            ListOptions::default(),
            messages::NO_SUBSCRIPTIONS,
            &table,
        )
        .await
}
