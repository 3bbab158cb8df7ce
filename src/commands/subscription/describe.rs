//! `knit subscription describe NAME`.

use clap::Args;

use crate::api::eventing::Subscription;
use crate::client::kinds::SUBSCRIPTION;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::commands::eventing_common;
use crate::context::Context;
use crate::error::Result;
use crate::output::views::subscription::describe;

const EXAMPLES: &str = "
  # Describe a subscription 'pipe'
  knit subscription describe pipe";

/// Show details of a subscription
#[derive(Args, Debug)]
#[command(
    about = "Show details of a subscription",
    long_about = "Show details of a subscription",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct DescribeArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[arg(short = 'v', long = "verbose", help = "More output.")]
    pub verbose: bool,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "subscription describe",
        &format!(
            "'{bin} subscription describe' requires the subscription name given as single argument"
        ),
    )?;
    eventing_common::describe(
        ctx,
        &SUBSCRIPTION,
        name,
        &args.namespace,
        &args.output,
        false,
        |object: &Subscription| describe(object, args.verbose, ctx.now),
    )
    .await
}
