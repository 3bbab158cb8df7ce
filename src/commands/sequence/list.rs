//! `knit sequence list` (alias `ls`).

use clap::Args;
use serde_json::Value;

use crate::api::flows::Sequence;
use crate::client::ListOptions;
use crate::client::kinds::SEQUENCE;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::list::decode;
use crate::output::views;

/// What an empty list prints.
pub const NO_SEQUENCES: &str = "No sequences found.";

const EXAMPLES: &str = "
  # List the sequences of the current namespace
  knit sequence list

  # List the sequences of all namespaces in YAML
  knit sequence list -A -o yaml";

/// List sequences
#[derive(Args, Debug)]
#[command(about = "List sequences", long_about = "List sequences", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
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
        Ok(views::flows::sequence_table(
            &decode::<Sequence>(items)?,
            all,
            ctx.now,
        ))
    };
    args.query
        .resolve(ctx, &args.namespace, &args.output)?
        .run(ctx, &SEQUENCE, ListOptions::default(), NO_SEQUENCES, &table)
        .await
}
