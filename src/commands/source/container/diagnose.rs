//! `knit source container diagnose NAME`: why a container source is not Ready or sends nowhere.

use clap::Args;

use crate::client::kinds::CONTAINER_SOURCE;
use crate::commands::args::diagnose::DiagnoseFlags;
use crate::context::Context;
use crate::diagnose::{Diagnosis, eventing};
use crate::error::Result;

const EXAMPLES: &str = "
  # Why is container source 'my-source' not ready?
  knit source container diagnose my-source";

/// Show why a container source is not ready
#[derive(Args, Debug)]
#[command(
    about = "Show why a container source is not ready",
    long_about = "Walk a container source's objects (the source and its sink, which must exist and have an address), print each with the conditions that are not OK and the Warning events about it, and end with a one-line verdict. Exits 0 when everything is healthy, 1 otherwise.",
    after_help = EXAMPLES
)]
pub struct DiagnoseArgs {
    #[command(flatten)]
    pub flags: DiagnoseFlags,
}

pub async fn run(args: &DiagnoseArgs, ctx: &Context) -> Result<()> {
    let namespace = args.flags.resolve(ctx, "source container diagnose")?;
    let client = ctx.client().await?;
    let tree = eventing::source(client, &CONTAINER_SOURCE, &namespace, &args.flags.name).await?;
    args.flags
        .finish(ctx, &Diagnosis::new(&namespace, tree, "source container"))
}
