//! `knit eventtransform describe NAME` (`-o url` prints its address).

use clap::Args;

use crate::api::integ::EventTransform;
use crate::client::kinds::EVENT_TRANSFORM;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::integration::describe_transform;

const EXAMPLES: &str = "
  # Describe the event transform 'retype'
  knit eventtransform describe retype

  # Print its address only
  knit eventtransform describe retype -o url";

/// Show details of an event transform
#[derive(Args, Debug)]
#[command(
    about = "Show details of an event transform",
    long_about = "Show details of an event transform",
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
        "eventtransform describe",
        &format!("'{bin} eventtransform describe' requires the name of the event transform as single argument"),
        true,
    )?;
    describe_addressable(ctx, target, &EVENT_TRANSFORM, |object: &EventTransform| {
        describe_transform(object, args.describe.verbose, ctx.now)
    })
    .await
}
