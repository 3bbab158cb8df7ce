//! `knit source binding describe NAME`.

use clap::Args;

use crate::api::eventing::SinkBinding;
use crate::client::kinds::SINK_BINDING;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::commands::eventing_common;
use crate::context::Context;
use crate::error::Result;
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
        "source binding describe",
        &format!(
            "'{bin} source binding describe' requires name of the sink binding as single argument"
        ),
    )?;
    eventing_common::describe(
        ctx,
        &SINK_BINDING,
        name,
        &args.namespace,
        &args.output,
        false,
        |object: &SinkBinding| describe(object, args.verbose, ctx.now),
    )
    .await
}
