//! `knit jobsink update NAME [--image IMAGE] [--env NAME=VALUE|NAME-…] [--cmd WORD…] [--arg ARG…]`.

use clap::Args;

use super::JobArgs;
use crate::client::kinds::JOB_SINK;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Run a new image and drop the variable LEVEL
  knit jobsink update printer --image docker.io/library/bash:5.2 --env LEVEL-";

/// Update a job sink
#[derive(Args, Debug)]
#[command(
    about = "Update a job sink",
    long_about = "Update a job sink",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub job: JobArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "jobsink update",
        &format!("'{bin} jobsink update' requires the job sink name given as single argument"),
    )?;
    let edit = args.job.edit("jobsink update")?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let edit = |js: &mut serde_json::Value| -> Result<()> {
        edit.apply(crate::edit::eventing::spec(js));
        Ok(())
    };
    let message = messages::done_in_namespace("JobSink", name, "updated", namespace);
    write.update(&JOB_SINK, name, edit, &message).await
}
