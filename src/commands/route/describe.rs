//! `knit route describe NAME`.

use clap::Args;

use crate::api::{from_value, serving::Route};
use crate::client::kinds::ROUTE;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::views;

const EXAMPLES: &str = "Examples:

  # Describe route 'myroute' in the current namespace
  knit route describe myroute

  # Describe route 'myroute' in YAML format
  knit route describe myroute -o yaml";

/// Show details of a route
#[derive(Args, Debug)]
#[command(about = "Show details of a route", long_about = "Show details of a route", after_help = EXAMPLES)]
pub struct DescribeArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[arg(help = "More output.", short = 'v', long = "verbose")]
    pub verbose: bool,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    if args.names.len() != 1 {
        return Err(Error::usage_in(
            "route describe",
            format!("'{bin} route describe' requires name of the route as single argument"),
        ));
    }
    let printer = args.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let object = ctx
        .client()
        .await?
        .get(&ROUTE, &namespace, &args.names[0])
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print(&object)?);
    }
    let route: Route = from_value(&object)?;
    ctx.print(&views::route::describe(&route, args.verbose, ctx.now))
}
