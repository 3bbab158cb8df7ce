//! `knit broker list` (alias `ls`).

use clap::Args;

use crate::api::eventing::Broker;
use crate::api::from_value;
use crate::client::ListOptions;
use crate::client::kinds::BROKER;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all brokers
  knit broker list

  # List all brokers in JSON output format
  knit broker list -o json";

/// List brokers
#[derive(Args, Debug)]
#[command(about = "List brokers", long_about = "List brokers", after_help = EXAMPLES)]
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
        .list(&BROKER, namespace.as_deref(), &ListOptions::default())
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&BROKER, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_BROKERS);
    }
    let brokers = list
        .items
        .iter()
        .map(from_value::<Broker>)
        .collect::<Result<Vec<_>>>()?;
    let table = views::broker::list_table(&brokers, args.namespace.all_namespaces, ctx.now);
    ctx.print(&table.render(!args.output.no_headers))
}
