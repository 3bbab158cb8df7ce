//! `knit eventtype list` (alias `ls`).

use clap::Args;

use crate::api::eventing::EventType;
use crate::api::from_value;
use crate::client::ListOptions;
use crate::client::kinds::EVENT_TYPE;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all eventtypes
  knit eventtype list

  # List all eventtypes in JSON output format
  knit eventtype list -o json";

/// List eventtypes
#[derive(Args, Debug)]
#[command(about = "List eventtypes", long_about = "List eventtypes", after_help = EXAMPLES)]
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
        .list(&EVENT_TYPE, namespace.as_deref(), &ListOptions::default())
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&EVENT_TYPE, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_EVENTTYPES);
    }
    let eventtypes = list
        .items
        .iter()
        .map(from_value::<EventType>)
        .collect::<Result<Vec<_>>>()?;
    let table = views::eventtype::list_table(&eventtypes, args.namespace.all_namespaces, ctx.now);
    ctx.print(&table.render(!args.output.no_headers))
}
