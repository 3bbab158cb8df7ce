//! `knit jobsink list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::flows::JobSink;
use crate::client::ListOptions;
use crate::client::kinds::JOB_SINK;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::views;

/// What an empty list prints.
pub const NO_JOB_SINKS: &str = "No job sinks found.";

const EXAMPLES: &str = "
  # List the job sinks of the current namespace
  knit jobsink list

  # List the job sinks of all namespaces in YAML
  knit jobsink list -A -o yaml";

/// List job sinks
#[derive(Args, Debug)]
#[command(about = "List job sinks", long_about = "List job sinks", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
pub struct ListArgs {
    #[command(flatten)]
    pub namespace: ListNamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
    #[command(flatten)]
    pub query: ListQueryArgs,
}

pub async fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let all = args.namespace.all_namespaces;
    let table = |items: &[Value]| {
        Ok(views::jobsink::list_table(
            &decode::<JobSink>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(ctx, &JOB_SINK, ListOptions::default(), NO_JOB_SINKS, &table)
        .await
}
