//! `knit route` (alias `routes`): list and describe routes.

pub mod describe;
pub mod list;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

/// List and describe service routes
#[derive(Args, Debug)]
#[command(
    override_usage = "[options]",
    about = "List and describe service routes",
    long_about = "List and describe service routes"
)]
pub struct RouteCommand {
    #[command(subcommand)]
    pub verb: Option<RouteVerb>,
}

/// The verbs of `knit route`.
#[derive(Subcommand, Debug)]
pub enum RouteVerb {
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    Describe(describe::DescribeArgs),
}

pub async fn run(cmd: RouteCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(ctx, &["route"])),
        Some(RouteVerb::List(args)) => list::run(&args, ctx).await,
        Some(RouteVerb::Describe(args)) => describe::run(&args, ctx).await,
    }
}
