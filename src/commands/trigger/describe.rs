//! `knit trigger describe NAME`.

use clap::Args;

use crate::api::eventing::Trigger;
use crate::client::kinds::TRIGGER;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::commands::eventing_common;
use crate::context::Context;
use crate::error::Result;
use crate::output::views::trigger::describe;

const EXAMPLES: &str = "
  # Describe a trigger with name 'my-trigger'
  knit trigger describe my-trigger

  # Describe a trigger 'my-trigger' in YAML format
  knit trigger describe my-trigger -o yaml";

/// Show details of a trigger
#[derive(Args, Debug)]
#[command(
    about = "Show details of a trigger",
    long_about = "Show details of a trigger",
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
        "trigger describe",
        &format!("'{bin} trigger describe' requires name of the trigger as single argument"),
    )?;
    eventing_common::describe(
        ctx,
        &TRIGGER,
        name,
        &args.namespace,
        &args.output,
        false,
        |object: &Trigger| describe(object, args.verbose, ctx.now),
    )
    .await
}
