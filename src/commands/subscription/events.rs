//! `knit subscription events NAME`: list the events of a subscription.

use clap::Args;

use crate::client::kinds::SUBSCRIPTION;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of subscription 'my-subscription'
  knit subscription events my-subscription

  # Keep printing new ones
  knit subscription events my-subscription -w";

/// List the events of a subscription
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a subscription",
    long_about = "List the events of a subscription (its resolution of the subscriber, reply and dead-letter sink and its syncs to the channel), oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let scope = |name| Scope::Owner(SUBSCRIPTION, name);
    let flags = &args.flags;
    flags
        .run(
            ctx,
            "subscription events",
            "subscription",
            &SUBSCRIPTION,
            scope,
        )
        .await
}
