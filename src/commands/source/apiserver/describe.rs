//! `knit source apiserver describe NAME`.

use clap::Args;

use crate::api::eventing::ApiServerSource;
use crate::api::from_value;
use crate::client::kinds::API_SERVER_SOURCE;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
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
    let printer = args.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let object = ctx
        .client()
        .await?
        .get(&API_SERVER_SOURCE, &namespace, name)
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print(&object)?);
    }
    let source: ApiServerSource = from_value(&object)?;
    ctx.print(&describe(&source, args.verbose, ctx.now))
}
