//! `knit source ping describe NAME`.

use clap::Args;

use crate::api::eventing::PingSource;
use crate::api::from_value;
use crate::client::kinds::PING_SOURCE;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
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
    let printer = args.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let object = ctx
        .client()
        .await?
        .get(&PING_SOURCE, &namespace, name)
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print(&object)?);
    }
    let source: PingSource = from_value(&object)?;
    ctx.print(&describe(&source, args.verbose, ctx.now))
}
