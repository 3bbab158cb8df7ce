//! `knit channel list` (alias `ls`).

use clap::Args;

use crate::api::eventing::Channel;
use crate::api::from_value;
use crate::client::ListOptions;
use crate::client::kinds::CHANNEL;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all channels
  knit channel list

  # List channels in YAML format
  knit channel list -o yaml";

/// List channels
#[derive(Args, Debug)]
#[command(about = "List channels", long_about = "List channels", after_help = EXAMPLES)]
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
        .list(&CHANNEL, namespace.as_deref(), &ListOptions::default())
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&CHANNEL, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_CHANNELS);
    }
    let channels = list
        .items
        .iter()
        .map(from_value::<Channel>)
        .collect::<Result<Vec<_>>>()?;
    let table = views::channel::list_table(&channels, args.namespace.all_namespaces, ctx.now);
    ctx.print(&table.render(!args.output.no_headers))
}
