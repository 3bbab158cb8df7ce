//! `knit broker events NAME`: list the events of a broker and everything under it.

use clap::Args;

use crate::client::kinds::BROKER;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of broker 'my-broker'
  knit broker events my-broker

  # Keep printing new ones
  knit broker events my-broker -w";

/// List the events of a broker and everything under it
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a broker and everything under it",
    long_about = "List the events of a broker, of what it owns (its trigger channel), of the Triggers on it and of what they own (their subscriptions), oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let scope = |name| Scope::Owner(BROKER, name);
    let flags = &args.flags;
    flags
        .run(ctx, "broker events", "broker", &BROKER, scope)
        .await
}
