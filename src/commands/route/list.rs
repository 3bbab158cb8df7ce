//! `knit route list [NAME]`.

use clap::Args;

use crate::api::{from_value, serving::Route};
use crate::client::{ListOptions, kinds::ROUTE};
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{messages, views};

const EXAMPLES: &str = "Examples:

  # List all routes
  knit route list

  # List route 'web' in namespace 'dev'
  knit route list web -n dev

  # List all routes in JSON output format
  knit route list -o json";

/// List routes
#[derive(Args, Debug)]
#[command(about = "List routes", long_about = "List routes", after_help = EXAMPLES)]
pub struct ListArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: ListNamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
}

pub async fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    if args.names.len() > 1 {
        return Err(Error::usage_in(
            "route list",
            format!("'{bin} route list' accepts only one additional argument"),
        ));
    }
    let printer = args.output.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let options = args
        .names
        .first()
        .map(|n| ListOptions::named(n))
        .unwrap_or_default();
    let list = ctx
        .client()
        .await?
        .list(&ROUTE, namespace.as_deref(), &options)
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&ROUTE, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_ROUTES);
    }
    let routes = list
        .items
        .iter()
        .map(from_value::<Route>)
        .collect::<Result<Vec<_>>>()?;
    let table = views::route::list_table(&routes, args.namespace.all_namespaces);
    ctx.print(&table.render(!args.output.no_headers))
}
