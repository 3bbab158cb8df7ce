//! `knit eventtype describe NAME`.

use clap::Args;

use crate::api::eventing::EventType;
use crate::client::kinds::EVENT_TYPE;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::DescribeTarget;
use crate::ops::describe::describe_addressable;
use crate::output::views::eventtype::describe;

const EXAMPLES: &str = "
  # Describe eventtype 'myeventtype' in the current namespace
  knit eventtype describe myeventtype

  # Describe eventtype 'myeventtype' in the 'myproject' namespace
  knit eventtype describe myeventtype --namespace myproject

  # Describe eventtype 'myeventtype' in YAML format
  knit eventtype describe myeventtype -o yaml";

/// Describe eventtype
#[derive(Args, Debug)]
#[command(
    about = "Describe eventtype",
    long_about = "Describe eventtype",
    override_usage = "",
    after_help = EXAMPLES,
    mut_arg("output", |a| a.help("Output format. One of: json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file."))
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
        "eventtype describe",
        "'eventtype describe' requires the eventtype name given as single argument",
        false,
    )?;
    describe_addressable(ctx, target, &EVENT_TYPE, |object: &EventType| {
        describe(object, ctx.now)
    })
    .await
}
