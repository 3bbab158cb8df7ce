//! `knit trigger list` (alias `ls`).

use clap::Args;

use crate::api::eventing::Trigger;
use crate::api::from_value;
use crate::client::ListOptions;
use crate::client::kinds::TRIGGER;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all triggers
  knit trigger list

  # List all triggers in JSON output format
  knit trigger list -o json";

/// List triggers
#[derive(Args, Debug)]
#[command(about = "List triggers", long_about = "List triggers", after_help = EXAMPLES)]
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
        .list(&TRIGGER, namespace.as_deref(), &ListOptions::default())
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&TRIGGER, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_TRIGGERS);
    }
    let triggers = list
        .items
        .iter()
        .map(from_value::<Trigger>)
        .collect::<Result<Vec<_>>>()?;
    let table = views::trigger::list_table(&triggers, args.namespace.all_namespaces, ctx.now);
    ctx.print(&table.render(!args.output.no_headers))
}
