//! `knit source list-types`: the source kinds the cluster offers.

use clap::Args;

use super::discovery::{BUILT_IN, SOURCE_LABEL, labelled_crd_list, print_types, synthetic_crd};
use crate::client::ListOptions;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::views;

const EXAMPLES: &str = "
  # List available event source types
  knit source list-types

  # List available event source types in YAML format
  knit source list-types -o yaml";

/// List event source types
#[derive(Args, Debug)]
#[command(about = "List event source types", long_about = "List event source types", after_help = EXAMPLES)]
pub struct ListTypesArgs {
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
}

pub async fn run(args: &ListTypesArgs, ctx: &Context) -> Result<()> {
    let printer = args.output.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let client = ctx.client().await?;
    let (crds, resource_version) = match labelled_crd_list(client, SOURCE_LABEL).await? {
        Some(list) => (list.items, Some(list.resource_version)),
        None => {
            // Probe the built-in kinds: those the server serves are listed.
            let mut found = Vec::new();
            let mut last_error = None;
            for kind in BUILT_IN {
                match client
                    .list(&kind, Some(&namespace), &ListOptions::default())
                    .await
                {
                    Ok(_) => found.push(synthetic_crd(&kind)),
                    Err(e) => last_error = Some(e),
                }
            }
            match last_error {
                Some(e) if found.is_empty() => return Err(e),
                _ => (found, None),
            }
        }
    };
    print_types(
        ctx,
        printer,
        (&crds, resource_version.as_deref()),
        "Sources",
        views::source::list_types_table,
        args.output.no_headers,
    )
}
