//! `knit trigger describe NAME`.

use clap::Args;

use crate::api::eventing::Trigger;
use crate::client::kinds::TRIGGER;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::trigger::describe;

const EXAMPLES: &str = "
  # Describe a trigger with name 'my-trigger'
  knit trigger describe my-trigger

  # Describe a trigger 'my-trigger' in YAML format
  knit trigger describe my-trigger -o yaml";

/// Show details of a trigger
#[derive(Args, Debug)]
#[command(
    about = "Show details of a trigger",
    long_about = "Show details of a trigger",
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
        "trigger describe",
        &format!("'{bin} trigger describe' requires name of the trigger as single argument"),
        false,
    )?;
    describe_addressable(ctx, target, &TRIGGER, |object: &Trigger| {
        describe(object, args.describe.verbose, ctx.now)
    })
    .await
}
