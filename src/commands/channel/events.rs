//! `knit channel events NAME`: list the events of a channel and its backing channel.

use clap::Args;

use crate::client::kinds::CHANNEL;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of channel 'my-channel'
  knit channel events my-channel

  # Keep printing new ones
  knit channel events my-channel -w";

/// List the events of a channel and its backing channel
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a channel and its backing channel",
    long_about = "List the events of a channel and of what it owns (its backing channel), oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let scope = |name| Scope::Owner(CHANNEL, name);
    let flags = &args.flags;
    flags
        .run(ctx, "channel events", "channel", &CHANNEL, scope)
        .await
}
