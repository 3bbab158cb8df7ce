//! `knit route describe NAME`.

use clap::Args;

use crate::api::serving::Route;
use crate::client::kinds::ROUTE;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_one;
use crate::output::views;

/// Show details of a route
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "Show details of a route",
    long_about = "Show details of a route"
)]
pub struct DescribeArgs {
    #[command(flatten)]
    pub describe: DescribeFlags,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let target = args.describe.resolve(
        ctx,
        "route describe",
        &format!("'{bin} route describe' requires name of the route as single argument"),
        false,
    )?;
    describe_one(ctx, target, &ROUTE, |route: &Route| {
        views::route::describe(route, args.describe.verbose, ctx.now)
    })
    .await
}
