//! `knit jobsink create NAME --image IMAGE [--env NAME=VALUE…] [--cmd WORD…] [--arg ARG…]`.

use clap::Args;

use super::JobArgs;
use crate::client::kinds::JOB_SINK;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{because, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::jobsink::new_jobsink;
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Create a job sink 'printer' whose Jobs print the event they were started for
  knit jobsink create printer --image docker.io/library/bash:5 --cmd cat --arg /etc/jobsink-event/event

  # Create a job sink with an environment variable
  knit jobsink create js --image ghcr.io/example/handler --env LEVEL=debug";

/// Create a job sink
#[derive(Args, Debug)]
#[command(
    about = "Create a job sink",
    long_about = "Create a job sink",
    override_usage = "NAME --image IMAGE",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub job: JobArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "jobsink create",
        &format!("'{bin} jobsink create' requires the job sink name given as single argument"),
    )?;
    if args.job.image.is_none() {
        return Err(Error::usage_in(
            "jobsink create",
            format!("'{bin} jobsink create' requires the image given with --image"),
        ));
    }
    let edit = args.job.edit("jobsink create")?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let js = new_jobsink(name, namespace, &edit);
    let wrap = because(format!(
        "cannot create job sink '{name}' in namespace '{namespace}' because"
    ));
    let message = messages::done_in_namespace("JobSink", name, "created", namespace);
    write.create_or(&JOB_SINK, &js, &message, wrap).await
}
