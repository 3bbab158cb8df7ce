//! `knit source ping describe NAME`.

use clap::Args;

use crate::api::eventing::PingSource;
use crate::client::kinds::PING_SOURCE;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::commands::eventing_common;
use crate::context::Context;
use crate::error::Result;
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
        "source ping describe",
        &format!("'{bin} source ping describe' requires name of the source as single argument"),
    )?;
    eventing_common::describe(
        ctx,
        &PING_SOURCE,
        name,
        &args.namespace,
        &args.output,
        false,
        |object: &PingSource| describe(object, args.verbose, ctx.now),
    )
    .await
}
