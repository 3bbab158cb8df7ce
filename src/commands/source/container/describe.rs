//! `knit source container describe NAME` (with `-o`, which kn lacks here).

use clap::Args;

use crate::api::eventing::ContainerSource;
use crate::client::kinds::CONTAINER_SOURCE;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::source_container::describe;

const EXAMPLES: &str = "
  # Describe a container source with name 'k8sevents'
  knit source container describe k8sevents

  # Describe a container source with name 'k8sevents' in YAML format
  knit source container describe k8sevents -o yaml";

/// Show details of a container source
#[derive(Args, Debug)]
#[command(
    about = "Show details of a container source",
    long_about = "Show details of a container source",
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
        "source container describe",
        &format!(
            "'{bin} source container describe' requires name of the source as single argument"
        ),
        false,
    )?;
    describe_addressable(
        ctx,
        target,
        &CONTAINER_SOURCE,
        |object: &ContainerSource| describe(object, args.describe.verbose, ctx.now),
    )
    .await
}
