//! `knit broker describe NAME` (`-o url` prints the broker's address).

use clap::Args;

use crate::api::eventing::Broker;
use crate::client::kinds::BROKER;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::DescribeTarget;
use crate::ops::describe::describe_addressable;
use crate::output::views::broker::describe;

const EXAMPLES: &str = "
  # Describe broker 'mybroker' in the current namespace
  knit broker describe mybroker

  # Describe broker 'mybroker' in the 'myproject' namespace
  knit broker describe mybroker --namespace myproject

  # Describe broker 'mybroker' in YAML format
  knit broker describe mybroker -o yaml

  # Print only broker URL
  knit broker describe mybroker -o url";

/// Describe broker
#[derive(Args, Debug)]
#[command(
    about = "Describe broker",
    long_about = "Describe broker",
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
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let target = DescribeTarget::resolve(
        ctx,
        &args.names,
        &args.namespace,
        &args.output,
        "broker describe",
        "'broker describe' requires the broker name given as single argument",
        true,
    )?;
    describe_addressable(ctx, target, &BROKER, |object: &Broker| {
        describe(object, ctx.now)
    })
    .await
}
