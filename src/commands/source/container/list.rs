//! `knit source container list` (alias `ls`, which kn lacks).

use clap::Args;

use crate::api::eventing::ContainerSource;
use crate::api::from_value;
use crate::client::ListOptions;
use crate::client::kinds::CONTAINER_SOURCE;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all Container sources
  knit source container list

  # List all Container sources in YAML format
  knit source container list -o yaml";

/// List container sources
#[derive(Args, Debug)]
#[command(about = "List container sources", long_about = "List container sources", after_help = EXAMPLES)]
pub struct ListArgs {
    #[command(flatten)]
    pub namespace: ListNamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
}

pub async fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let printer = args.output.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let list = ctx
        .client()
        .await?
        .list(
            &CONTAINER_SOURCE,
            namespace.as_deref(),
            &ListOptions::default(),
        )
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&CONTAINER_SOURCE, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_CONTAINER_SOURCES);
    }
    let sources = list
        .items
        .iter()
        .map(from_value::<ContainerSource>)
        .collect::<Result<Vec<_>>>()?;
    let table =
        views::source_container::list_table(&sources, args.namespace.all_namespaces, ctx.now);
    ctx.print(&table.render(!args.output.no_headers))
}
