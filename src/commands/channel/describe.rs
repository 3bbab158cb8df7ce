//! `knit channel describe NAME` (`-o url` prints the channel's address).

use clap::Args;

use crate::api::eventing::Channel;
use crate::client::kinds::CHANNEL;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::channel::describe;

const EXAMPLES: &str = "
  # Describe a channel 'pipe'
  knit channel describe pipe

  # Print only channel URL
  knit channel describe pipe -o url";

/// Show details of a channel
#[derive(Args, Debug)]
#[command(
    about = "Show details of a channel",
    long_about = "Show details of a channel",
    override_usage = "NAME",
    after_help = EXAMPLES,
    mut_arg("output", |a| a.help("Output format. One of: json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|url."))
)]
pub struct DescribeArgs {
    #[command(flatten)]
    pub describe: DescribeFlags,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let target = args.describe.resolve(
        ctx,
        "channel describe",
        &format!("'{bin} channel describe' requires the channel name given as single argument"),
        true,
    )?;
    describe_addressable(ctx, target, &CHANNEL, |object: &Channel| {
        describe(object, args.describe.verbose, ctx.now)
    })
    .await
}
