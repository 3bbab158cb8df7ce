//! `knit route list [NAME]`.

use clap::Args;

use serde_json::Value;

use crate::api::serving::Route;
use crate::client::{ListOptions, kinds::ROUTE};
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "Examples:
  # List all routes
  knit route list

  # List route 'web' in namespace 'dev'
  knit route list web -n dev

  # List all routes in YAML format
  knit route list -o yaml";

/// List routes
#[derive(Args, Debug)]
#[command(override_usage = "NAME", about = "List routes", long_about = "List routes", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
pub struct ListArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: ListNamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
    #[command(flatten)]
    pub query: ListQueryArgs,
}

pub async fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    if args.names.len() > 1 {
        return Err(Error::usage_in(
            "route list",
            format!("'{bin} route list' accepts only one additional argument"),
        ));
    }
    let all = args.namespace.all_namespaces;
    let table = |items: &[Value]| Ok(views::route::list_table(&decode::<Route>(items)?, all));
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(
            ctx,
            &ROUTE,
            args.names
                .first()
                .map(|n| ListOptions::named(n))
                .unwrap_or_default(),
            messages::NO_ROUTES,
            &table,
        )
        .await
}
