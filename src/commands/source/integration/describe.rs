//! `knit source integration describe NAME`.

use clap::Args;

use crate::api::integ::IntegrationSource;
use crate::client::kinds::INTEGRATION_SOURCE;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::integration::describe_source;

const EXAMPLES: &str = "
  # Describe the integration source 'ticker'
  knit source integration describe ticker

  # Describe it in YAML format
  knit source integration describe ticker -o yaml";

/// Show details of an integration source
#[derive(Args, Debug)]
#[command(
    about = "Show details of an integration source",
    long_about = "Show details of an integration source",
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
        "source integration describe",
        &format!(
            "'{bin} source integration describe' requires name of the source as single argument"
        ),
        false,
    )?;
    describe_addressable(
        ctx,
        target,
        &INTEGRATION_SOURCE,
        |object: &IntegrationSource| describe_source(object, args.describe.verbose, ctx.now),
    )
    .await
}
