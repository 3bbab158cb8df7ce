//! `knit route describe NAME`.

use clap::Args;

use crate::api::serving::Route;
use crate::client::kinds::ROUTE;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::{OutputArgs, describe_one};
use crate::context::Context;
use crate::error::Result;
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
    let name = single_name(
        &args.names,
        "route describe",
        &format!("'{bin} route describe' requires name of the route as single argument"),
    )?;
    let printer = args.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    describe_one(ctx, printer, &ROUTE, &namespace, name, |route: &Route| {
        views::route::describe(route, args.verbose, ctx.now)
    })
    .await
}
