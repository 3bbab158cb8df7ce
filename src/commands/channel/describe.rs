//! `knit channel describe NAME` (`-o url` prints the channel's address).

use clap::Args;

use crate::api::eventing::Channel;
use crate::client::kinds::CHANNEL;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::commands::eventing_common;
use crate::context::Context;
use crate::error::Result;
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
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[arg(short = 'v', long = "verbose", help = "More output.")]
    pub verbose: bool,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "channel describe",
        &format!("'{bin} channel describe' requires the channel name given as single argument"),
    )?;
    eventing_common::describe(
        ctx,
        &CHANNEL,
        name,
        &args.namespace,
        &args.output,
        true,
        |object: &Channel| describe(object, args.verbose, ctx.now),
    )
    .await
}
