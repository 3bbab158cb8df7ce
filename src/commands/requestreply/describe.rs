//! `knit requestreply describe NAME`.

use clap::Args;

use crate::api::flows::RequestReply;
use crate::client::kinds::REQUEST_REPLY;
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::describe_addressable;
use crate::output::views::requestreply::describe;

const EXAMPLES: &str = "
  # Describe a request-reply 'rr'
  knit requestreply describe rr

  # Print only its address
  knit requestreply describe rr -o url";

/// Show details of a request-reply
#[derive(Args, Debug)]
#[command(
    about = "Show details of a request-reply",
    long_about = "Show details of a request-reply",
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
        "requestreply describe",
        &format!(
            "'{bin} requestreply describe' requires the request-reply name given as single argument"
        ),
        true,
    )?;
    describe_addressable(ctx, target, &REQUEST_REPLY, |object: &RequestReply| {
        describe(object, args.describe.verbose, ctx.now)
    })
    .await
}
