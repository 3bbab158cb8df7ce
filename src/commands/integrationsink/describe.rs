//! `knit integrationsink describe NAME` (`-o url` prints its address).

use clap::Args;

use crate::api::integ::IntegrationSink;
use crate::client::kinds::INTEGRATION_SINK;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::integration::describe_sink;

const EXAMPLES: &str = "
  # Describe the integration sink 'logger'
  knit integrationsink describe logger

  # Print its address only
  knit integrationsink describe logger -o url";

/// Show details of an integration sink
#[derive(Args, Debug)]
#[command(
    about = "Show details of an integration sink",
    long_about = "Show details of an integration sink",
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
        "integrationsink describe",
        &format!("'{bin} integrationsink describe' requires the name of the integration sink as single argument"),
        true,
    )?;
    describe_addressable(
        ctx,
        target,
        &INTEGRATION_SINK,
        |object: &IntegrationSink| describe_sink(object, args.describe.verbose, ctx.now),
    )
    .await
}
