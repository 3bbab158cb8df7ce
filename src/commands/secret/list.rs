//! `knit secret list` (alias `ls`; with `-A`, which kn lacks).

use clap::Args;
use serde_json::Value;

use crate::api::eventing::Secret;
use crate::client::ListOptions;
use crate::client::kinds::SECRET;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

/// List secrets
#[derive(Args, Debug)]
#[command(
    about = "List secrets",
    long_about = "List secrets",
    mut_arg("output", crate::commands::args::list::wide_help)
)]
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
    let table = |items: &[Value]| Ok(views::secret::list_table(&decode::<Secret>(items)?, all));
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &SECRET,
            ListOptions::default(),
            messages::NO_SECRETS,
            &table,
        )
        .await
}
