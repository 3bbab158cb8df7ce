//! `knit broker describe NAME` (`-o url` prints the broker's address).

use clap::Args;

use crate::api::eventing::Broker;
use crate::api::from_value;
use crate::client::kinds::BROKER;
use crate::commands::args::eventing::{address_url, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::OutputFormat;
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
    let name = single_name(
        &args.names,
        "broker describe",
        "'broker describe' requires the broker name given as single argument",
    )?;
    let printer = args.output.printer(true)?;
    let namespace = args.namespace.resolve(ctx)?;
    let object = ctx.client().await?.get(&BROKER, &namespace, name).await?;
    match printer {
        Some(p) if matches!(p.format, OutputFormat::Url) => ctx.print(&address_url(&object)),
        Some(p) => ctx.print(&p.print(&object)?),
        None => {
            let broker: Broker = from_value(&object)?;
            ctx.print(&describe(&broker, ctx.now))
        }
    }
}
