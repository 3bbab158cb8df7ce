//! `knit domain describe NAME`.

use clap::Args;

use crate::api::serving::DomainMapping;
use crate::client::kinds::DOMAIN_MAPPING;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::{OutputArgs, describe_one};
use crate::context::Context;
use crate::error::Result;
use crate::output::views;

const EXAMPLES: &str = "Examples:

  # Show details of for the domain 'hello.example.com'
  knit domain describe hello.example.com";

/// Show details of a domain mapping
#[derive(Args, Debug)]
#[command(
    about = "Show details of a domain mapping",
    long_about = "Show details of a domain mapping",
    after_help = EXAMPLES,
    mut_arg("output", |a| a.help("Output format. One of: json|yaml|url|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file."))
)]
pub struct DescribeArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[arg(help = "More output.", short = 'v', long = "verbose")]
    pub verbose: bool,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "domain describe",
        &format!("'{bin} domain describe' requires name of the domain mapping as single argument"),
    )?;
    let printer = args.output.printer(true)?;
    let namespace = args.namespace.resolve(ctx)?;
    describe_one(
        ctx,
        printer,
        &DOMAIN_MAPPING,
        &namespace,
        name,
        |mapping: &DomainMapping| views::domain::describe(mapping, args.verbose, ctx.now),
    )
    .await
}
