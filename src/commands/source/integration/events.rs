//! `knit source integration events NAME`: list the events of an integration source and what it owns.

use clap::Args;

use crate::client::kinds::INTEGRATION_SOURCE;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of integration source 'my-source'
  knit source integration events my-source

  # Keep printing new ones
  knit source integration events my-source -w";

/// List the events of an integration source and what it owns
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of an integration source and what it owns",
    long_about = "List the events of an integration source and of what it owns (its container source and, under that, its sink binding, deployment, replica sets and pods), oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let scope = |name| Scope::Owner(INTEGRATION_SOURCE, name);
    let flags = &args.flags;
    flags
        .run(
            ctx,
            "source integration events",
            "integration source",
            &INTEGRATION_SOURCE,
            scope,
        )
        .await
}
