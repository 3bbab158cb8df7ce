//! `knit sequence describe NAME`.

use clap::Args;

use crate::api::flows::Sequence;
use crate::client::kinds::SEQUENCE;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::flows::sequence_describe;

const EXAMPLES: &str = "
  # Describe a sequence 'seq'
  knit sequence describe seq

  # Print only its address
  knit sequence describe seq -o url";

/// Show details of a sequence
#[derive(Args, Debug)]
#[command(
    about = "Show details of a sequence",
    long_about = "Show details of a sequence",
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
        "sequence describe",
        &format!("'{bin} sequence describe' requires the sequence name given as single argument"),
        true,
    )?;
    describe_addressable(ctx, target, &SEQUENCE, |object: &Sequence| {
        sequence_describe(object, args.describe.verbose, ctx.now)
    })
    .await
}
