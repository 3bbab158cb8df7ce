//! `knit route` (alias `routes`): list and describe routes.

pub mod describe;
pub mod list;

use clap::Args;

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

noun_verbs! {
    /// The verbs of `knit route`.
    pub enum RouteVerb for RouteCommand at ["route"] {
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
        Describe(describe::DescribeArgs),
    }
}
