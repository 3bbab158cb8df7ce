//! `knit subscription diagnose NAME`: why a subscription is not Ready or delivers nowhere.

use clap::Args;

use crate::commands::args::diagnose::DiagnoseFlags;
use crate::context::Context;
use crate::diagnose::{Diagnosis, eventing};
use crate::error::Result;

const EXAMPLES: &str = "
  # Why is subscription 'my-subscription' not ready?
  knit subscription diagnose my-subscription";

/// Show why a subscription is not ready
#[derive(Args, Debug)]
#[command(
    about = "Show why a subscription is not ready",
    long_about = "Walk a subscription's objects (the Subscription, its channel, subscriber, reply and dead-letter sink, which must exist and have an address), print each with the conditions that are not OK and the Warning events about it, and end with a one-line verdict. Exits 0 when everything is healthy, 1 otherwise.",
    after_help = EXAMPLES
)]
pub struct DiagnoseArgs {
    #[command(flatten)]
    pub flags: DiagnoseFlags,
}

pub async fn run(args: &DiagnoseArgs, ctx: &Context) -> Result<()> {
    let namespace = args.flags.resolve(ctx, "subscription diagnose")?;
    let client = ctx.client().await?;
    let tree = eventing::subscription(client, &namespace, &args.flags.name).await?;
    args.flags
        .finish(ctx, &Diagnosis::new(&namespace, tree, "subscription"))
}
