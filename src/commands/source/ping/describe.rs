//! `knit source ping describe NAME`.

use clap::Args;

use crate::api::eventing::PingSource;
use crate::client::kinds::PING_SOURCE;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::source_ping::describe;

const EXAMPLES: &str = "
  # Describe a ping source 'myping'
  knit source ping describe myping

  # Describe a ping source 'myping' in YAML format
  knit source ping describe myping -o yaml";

/// Show details of a ping source
#[derive(Args, Debug)]
#[command(
    about = "Show details of a ping source",
    long_about = "Show details of a ping source",
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
        "source ping describe",
        &format!("'{bin} source ping describe' requires name of the source as single argument"),
        false,
    )?;
    describe_addressable(ctx, target, &PING_SOURCE, |object: &PingSource| {
        describe(object, args.describe.verbose, ctx.now)
    })
    .await
}
