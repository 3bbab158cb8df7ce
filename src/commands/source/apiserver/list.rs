//! `knit source apiserver list` (alias `ls`, which kn lacks).

use clap::Args;

use crate::api::eventing::ApiServerSource;
use crate::api::from_value;
use crate::client::ListOptions;
use crate::client::kinds::API_SERVER_SOURCE;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all ApiServer sources
  knit source apiserver list

  # List all ApiServer sources in YAML format
  knit source apiserver list -o yaml";

/// List api-server sources
#[derive(Args, Debug)]
#[command(about = "List api-server sources", long_about = "List api-server sources", after_help = EXAMPLES)]
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
            &API_SERVER_SOURCE,
            namespace.as_deref(),
            &ListOptions::default(),
        )
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&API_SERVER_SOURCE, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_APISERVER_SOURCES);
    }
    let sources = list
        .items
        .iter()
        .map(from_value::<ApiServerSource>)
        .collect::<Result<Vec<_>>>()?;
    let table =
        views::source_apiserver::list_table(&sources, args.namespace.all_namespaces, ctx.now);
    ctx.print(&table.render(!args.output.no_headers))
}
