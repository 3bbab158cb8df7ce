//! `knit trigger events NAME`: list the events of a trigger and its subscription.

use clap::Args;

use crate::client::kinds::TRIGGER;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of trigger 'my-trigger'
  knit trigger events my-trigger

  # Keep printing new ones
  knit trigger events my-trigger -w";

/// List the events of a trigger and its subscription
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a trigger and its subscription",
    long_about = "List the events of a trigger and of what it owns (its subscription to the broker's channel), oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let scope = |name| Scope::Owner(TRIGGER, name);
    let flags = &args.flags;
    flags
        .run(ctx, "trigger events", "trigger", &TRIGGER, scope)
        .await
}
