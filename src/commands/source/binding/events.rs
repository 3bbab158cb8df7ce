//! `knit source binding events NAME`: list the events of a sink binding.

use clap::Args;

use crate::client::kinds::SINK_BINDING;
use crate::commands::args::events::EventsFlags;
use crate::context::Context;
use crate::error::Result;
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of sink binding 'my-binding'
  knit source binding events my-binding

  # Keep printing new ones
  knit source binding events my-binding -w";

/// List the events of a sink binding
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a sink binding",
    long_about = "List the events of a sink binding, oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[command(flatten)]
    pub flags: EventsFlags,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let scope = |name| Scope::Owner(SINK_BINDING, name);
    let flags = &args.flags;
    flags
        .run(
            ctx,
            "source binding events",
            "sink binding",
            &SINK_BINDING,
            scope,
        )
        .await
}
