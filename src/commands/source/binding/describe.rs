//! `knit source binding describe NAME`.

use clap::Args;

use crate::api::eventing::SinkBinding;
use crate::client::kinds::SINK_BINDING;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::source_binding::describe;

const EXAMPLES: &str = "
  # Describe a sink binding 'mysinkbinding'
  knit source binding describe mysinkbinding

  # Describe a sink binding 'mysinkbinding' in YAML format
  knit source binding describe mysinkbinding -o yaml";

/// Show details of a sink binding
#[derive(Args, Debug)]
#[command(
    about = "Show details of a sink binding",
    long_about = "Show details of a sink binding",
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
        "source binding describe",
        &format!(
            "'{bin} source binding describe' requires name of the sink binding as single argument"
        ),
        false,
    )?;
    describe_addressable(ctx, target, &SINK_BINDING, |object: &SinkBinding| {
        describe(object, args.describe.verbose, ctx.now)
    })
    .await
}
