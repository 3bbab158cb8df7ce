//! `knit source apiserver events NAME`: list the events of an ApiServer source and what it owns.

use clap::Args;

use crate::client::kinds::API_SERVER_SOURCE;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of ApiServer source 'my-source'
  knit source apiserver events my-source

  # Keep printing new ones
  knit source apiserver events my-source -w";

/// List the events of an ApiServer source and what it owns
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of an ApiServer source and what it owns",
    long_about = "List the events of an ApiServer source and of what it owns (its receive adapter's deployment, replica sets and pods), oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let scope = |name| Scope::Owner(API_SERVER_SOURCE, name);
    let flags = &args.flags;
    flags
        .run(
            ctx,
            "source apiserver events",
            "ApiServer source",
            &API_SERVER_SOURCE,
            scope,
        )
        .await
}
