//! `knit eventpolicy describe NAME`.

use clap::Args;

use crate::api::integ::EventPolicy;
use crate::client::kinds::EVENT_POLICY;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::eventpolicy::describe;

const EXAMPLES: &str = "
  # Describe the event policy 'orders'
  knit eventpolicy describe orders

  # Describe it in YAML format
  knit eventpolicy describe orders -o yaml";

/// Show details of an event policy
#[derive(Args, Debug)]
#[command(
    about = "Show details of an event policy",
    long_about = "Show details of an event policy",
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
        "eventpolicy describe",
        &format!(
            "'{bin} eventpolicy describe' requires the name of the event policy as single argument"
        ),
        false,
    )?;
    describe_addressable(ctx, target, &EVENT_POLICY, |object: &EventPolicy| {
        describe(object, args.describe.verbose, ctx.now)
    })
    .await
}
