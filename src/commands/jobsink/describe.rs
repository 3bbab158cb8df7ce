//! `knit jobsink describe NAME`.

use clap::Args;

use crate::api::flows::JobSink;
use crate::client::kinds::JOB_SINK;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::jobsink::describe;

const EXAMPLES: &str = "
  # Describe a job sink 'printer'
  knit jobsink describe printer

  # Print only its address
  knit jobsink describe printer -o url";

/// Show details of a job sink
#[derive(Args, Debug)]
#[command(
    about = "Show details of a job sink",
    long_about = "Show details of a job sink",
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
        "jobsink describe",
        &format!("'{bin} jobsink describe' requires the job sink name given as single argument"),
        true,
    )?;
    describe_addressable(ctx, target, &JOB_SINK, |object: &JobSink| {
        describe(object, args.describe.verbose, ctx.now)
    })
    .await
}
