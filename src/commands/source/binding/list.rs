//! `knit source binding list` (alias `ls`, which kn lacks).

use clap::Args;

use crate::api::eventing::SinkBinding;
use crate::api::from_value;
use crate::client::ListOptions;
use crate::client::kinds::SINK_BINDING;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all sink bindings
  knit source binding list

  # List all sink bindings in YAML format
  knit source binding list -o yaml";

/// List sink bindings
#[derive(Args, Debug)]
#[command(about = "List sink bindings", long_about = "List sink bindings", after_help = EXAMPLES)]
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
        .list(&SINK_BINDING, namespace.as_deref(), &ListOptions::default())
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&SINK_BINDING, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_SINK_BINDINGS);
    }
    let bindings = list
        .items
        .iter()
        .map(from_value::<SinkBinding>)
        .collect::<Result<Vec<_>>>()?;
    let table =
        views::source_binding::list_table(&bindings, args.namespace.all_namespaces, ctx.now);
    ctx.print(&table.render(!args.output.no_headers))
}
