//! `knit subscription describe NAME`.

use clap::Args;

use crate::api::eventing::Subscription;
use crate::api::from_value;
use crate::client::kinds::SUBSCRIPTION;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::views::subscription::describe;

const EXAMPLES: &str = "
  # Describe a subscription 'pipe'
  knit subscription describe pipe";

/// Show details of a subscription
#[derive(Args, Debug)]
#[command(
    about = "Show details of a subscription",
    long_about = "Show details of a subscription",
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
        "subscription describe",
        &format!(
            "'{bin} subscription describe' requires the subscription name given as single argument"
        ),
    )?;
    let printer = args.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let object = ctx
        .client()
        .await?
        .get(&SUBSCRIPTION, &namespace, name)
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print(&object)?);
    }
    let sub: Subscription = from_value(&object)?;
    ctx.print(&describe(&sub, args.verbose, ctx.now))
}
