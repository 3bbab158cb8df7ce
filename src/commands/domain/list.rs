//! `knit domain list`.

use clap::Args;
use serde_json::Value;

use crate::api::serving::DomainMapping;
use crate::client::ListOptions;
use crate::client::kinds::DOMAIN_MAPPING;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "Examples:

  # List all domain mappings
  knit domain list

  # List all domain mappings in JSON output format
  knit domain list -o json";

/// List domain mappings
#[derive(Args, Debug)]
#[command(about = "List domain mappings", long_about = "List domain mappings", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::domain::list_table(
            &decode::<DomainMapping>(items)?,
            all,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &DOMAIN_MAPPING,
            ListOptions::default(),
            messages::NO_DOMAIN_MAPPINGS,
            &table,
        )
        .await
}
