//! `knit service diagnose NAME`: why a Service is not Ready, from the Service down to its Pods.

use clap::Args;

use crate::commands::args::diagnose::DiagnoseFlags;
use crate::context::Context;
use crate::diagnose::{Diagnosis, walk};
use crate::error::Result;

const EXAMPLES: &str = "
  # Why is service 'hello' not ready?
  knit service diagnose hello

  # The same as JSON, for a program
  knit service diagnose hello -o json";

/// Show why a service is not ready
#[derive(Args, Debug)]
#[command(
    about = "Show why a service is not ready",
    long_about = "Walk a service's objects (Service, Configuration and Route, its Revisions, their Deployment and Pods), print each with the conditions that are not OK, the Warning events about it and the states of failing containers, and end with a one-line verdict. Exits 0 when everything is healthy, 1 otherwise.",
    after_help = EXAMPLES
)]
pub struct DiagnoseArgs {
    #[command(flatten)]
    pub flags: DiagnoseFlags,
}

pub async fn run(args: &DiagnoseArgs, ctx: &Context) -> Result<()> {
    let namespace = args.flags.resolve(ctx, "service diagnose")?;
    let client = ctx.client().await?;
    let tree = walk::service(client, &namespace, &args.flags.name).await?;
    args.flags
        .finish(ctx, &Diagnosis::new(&namespace, tree, "service"))
}
