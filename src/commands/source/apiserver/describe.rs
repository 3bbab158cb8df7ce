//! `knit source apiserver describe NAME`.

use clap::Args;

use crate::api::eventing::ApiServerSource;
use crate::client::kinds::API_SERVER_SOURCE;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::commands::eventing_common;
use crate::context::Context;
use crate::error::Result;
use crate::output::views::source_apiserver::describe;

const EXAMPLES: &str = "
  # Describe an api-server source with name 'k8sevents'
  knit source apiserver describe k8sevents

  # Describe an api-server source with name 'k8sevents' in YAML format
  knit source apiserver describe k8sevents -o yaml";

/// Show details of an api-server source
#[derive(Args, Debug)]
#[command(
    about = "Show details of an api-server source",
    long_about = "Show details of an api-server source",
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
        "source apiserver describe",
        &format!(
            "'{bin} source apiserver describe' requires name of the source as single argument"
        ),
    )?;
    eventing_common::describe(
        ctx,
        &API_SERVER_SOURCE,
        name,
        &args.namespace,
        &args.output,
        false,
        |object: &ApiServerSource| describe(object, args.verbose, ctx.now),
    )
    .await
}
