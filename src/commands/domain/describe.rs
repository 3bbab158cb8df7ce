//! `knit domain describe NAME`.

use clap::Args;

use crate::api::serving::DomainMapping;
use crate::client::kinds::DOMAIN_MAPPING;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_one;
use crate::output::views;

const EXAMPLES: &str = "Examples:

  # Show details of for the domain 'hello.example.com'
  knit domain describe hello.example.com";

/// Show details of a domain mapping
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "Show details of a domain mapping",
    long_about = "Show details of a domain mapping",
    after_help = EXAMPLES,
    mut_arg("output", |a| a.help("Output format. One of: json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|url."))
)]
pub struct DescribeArgs {
    #[command(flatten)]
    pub describe: DescribeFlags,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let target = args.describe.resolve(
        ctx,
        "domain describe",
        &format!("'{bin} domain describe' requires name of the domain mapping as single argument"),
        true,
    )?;
    describe_one(ctx, target, &DOMAIN_MAPPING, |mapping: &DomainMapping| {
        views::domain::describe(mapping, args.describe.verbose, ctx.now)
    })
    .await
}
