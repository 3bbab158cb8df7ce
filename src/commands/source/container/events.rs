//! `knit source container events NAME`: list the events of a container source and what it owns.

use clap::Args;

use crate::client::kinds::CONTAINER_SOURCE;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of container source 'my-source'
  knit source container events my-source

  # Keep printing new ones
  knit source container events my-source -w";

/// List the events of a container source and what it owns
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a container source and what it owns",
    long_about = "List the events of a container source and of what it owns (its sink binding, its deployment, replica sets and pods), oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let scope = |name| Scope::Owner(CONTAINER_SOURCE, name);
    let flags = &args.flags;
    flags
        .run(
            ctx,
            "source container events",
            "container source",
            &CONTAINER_SOURCE,
            scope,
        )
        .await
}
