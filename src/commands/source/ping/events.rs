//! `knit source ping events NAME`: list the events of a ping source.

use clap::Args;

use crate::client::kinds::PING_SOURCE;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of ping source 'my-ping'
  knit source ping events my-ping

  # Keep printing new ones
  knit source ping events my-ping -w";

/// List the events of a ping source
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a ping source",
    long_about = "List the events of a ping source (sink resolution, finalizers), oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let scope = |name| Scope::Owner(PING_SOURCE, name);
    let flags = &args.flags;
    flags
        .run(
            ctx,
            "source ping events",
            "ping source",
            &PING_SOURCE,
            scope,
        )
        .await
}
