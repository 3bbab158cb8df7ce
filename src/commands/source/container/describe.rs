//! `knit source container describe NAME` (with `-o`, which kn lacks here).

use clap::Args;

use crate::api::eventing::ContainerSource;
use crate::client::kinds::CONTAINER_SOURCE;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::commands::eventing_common;
use crate::context::Context;
use crate::error::Result;
use crate::output::views::source_container::describe;

const EXAMPLES: &str = "
  # Describe a container source with name 'k8sevents'
  knit source container describe k8sevents

  # Describe a container source with name 'k8sevents' in YAML format
  knit source container describe k8sevents -o yaml";

/// Show details of a container source
#[derive(Args, Debug)]
#[command(
    about = "Show details of a container source",
    long_about = "Show details of a container source",
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
        "source container describe",
        &format!(
            "'{bin} source container describe' requires name of the source as single argument"
        ),
    )?;
    eventing_common::describe(
        ctx,
        &CONTAINER_SOURCE,
        name,
        &args.namespace,
        &args.output,
        false,
        |object: &ContainerSource| describe(object, args.verbose, ctx.now),
    )
    .await
}
