//! `knit jobsink delete NAME`.

use clap::Args;

use crate::client::kinds::JOB_SINK;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete a job sink 'printer'
  knit jobsink delete printer";

/// Delete a job sink
#[derive(Args, Debug)]
#[command(
    about = "Delete a job sink",
    long_about = "Delete a job sink",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct DeleteArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &DeleteArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "jobsink delete",
        &format!("'{bin} jobsink delete' requires the job sink name as single argument"),
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::done_in_namespace("JobSink", name, "deleted", &write.namespace);
    write.delete(&JOB_SINK, name, &message).await
}
