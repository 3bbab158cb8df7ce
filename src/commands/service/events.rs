//! `knit service events NAME`: the events of a service and of everything under it.

use clap::Args;

use crate::client::kinds::SERVICE;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of service 'hello', its revisions and their pods
  knit service events hello

  # Keep printing new ones
  knit service events hello -w

  # As a JSON EventList
  knit service events hello -o json";

/// List the events of a service and everything under it
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a service and everything under it",
    long_about = "List the events of a service and everything under it (its configuration and route, its revisions and their deployments, replica sets and pods), oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let command = "service events";
    let flags = &args.flags;
    flags
        .run(ctx, command, "service", &SERVICE, Scope::Service)
        .await
}
