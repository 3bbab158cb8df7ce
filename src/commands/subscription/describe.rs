//! `knit subscription describe NAME`.

use clap::Args;

use crate::api::eventing::Subscription;
use crate::client::kinds::SUBSCRIPTION;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
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
    #[command(flatten)]
    pub describe: DescribeFlags,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let target = args.describe.resolve(
        ctx,
        "subscription describe",
        &format!(
            "'{bin} subscription describe' requires the subscription name given as single argument"
        ),
        false,
    )?;
    describe_addressable(ctx, target, &SUBSCRIPTION, |object: &Subscription| {
        describe(object, args.describe.verbose, ctx.now)
    })
    .await
}
