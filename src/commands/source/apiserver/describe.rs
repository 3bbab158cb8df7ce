//! `knit source apiserver describe NAME`.

use clap::Args;

use crate::api::eventing::ApiServerSource;
use crate::client::kinds::API_SERVER_SOURCE;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
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
    #[command(flatten)]
    pub describe: DescribeFlags,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let target = args.describe.resolve(
        ctx,
        "source apiserver describe",
        &format!(
            "'{bin} source apiserver describe' requires name of the source as single argument"
        ),
        false,
    )?;
    describe_addressable(
        ctx,
        target,
        &API_SERVER_SOURCE,
        |object: &ApiServerSource| describe(object, args.describe.verbose, ctx.now),
    )
    .await
}
