//! `knit parallel describe NAME`.

use clap::Args;

use crate::api::flows::Parallel;
use crate::client::kinds::PARALLEL;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::flows::parallel_describe;

const EXAMPLES: &str = "
  # Describe a parallel 'par'
  knit parallel describe par

  # Print only its address
  knit parallel describe par -o url";

/// Show details of a parallel
#[derive(Args, Debug)]
#[command(
    about = "Show details of a parallel",
    long_about = "Show details of a parallel",
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
        "parallel describe",
        &format!("'{bin} parallel describe' requires the parallel name given as single argument"),
        true,
    )?;
    describe_addressable(ctx, target, &PARALLEL, |object: &Parallel| {
        parallel_describe(object, args.describe.verbose, ctx.now)
    })
    .await
}
