//! `knit revision events NAME`: the events of a revision and of its deployment and pods.

use clap::Args;

use crate::client::kinds::REVISION;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of revision 'hello-00001' and its pods
  knit revision events hello-00001

  # Keep printing new ones
  knit revision events hello-00001 -w";

/// List the events of a revision and its pods
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a revision and its pods",
    long_about = "List the events of a revision and of its deployment, replica sets and pods, oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let command = "revision events";
    let flags = &args.flags;
    flags
        .run(ctx, command, "revision", &REVISION, Scope::Revision)
        .await
}
