//! `knit subscription list` (alias `ls`, which kn lacks).

use clap::Args;

use crate::api::eventing::Subscription;
use crate::api::from_value;
use crate::client::ListOptions;
use crate::client::kinds::SUBSCRIPTION;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List all subscriptions
  knit subscription list

  # List subscriptions in YAML format
  knit subscription list -o yaml";

/// List subscriptions
#[derive(Args, Debug)]
#[command(about = "List subscriptions", long_about = "List subscriptions", after_help = EXAMPLES)]
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
        .list(&SUBSCRIPTION, namespace.as_deref(), &ListOptions::default())
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&SUBSCRIPTION, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_SUBSCRIPTIONS);
    }
    let subs = list
        .items
        .iter()
        .map(from_value::<Subscription>)
        .collect::<Result<Vec<_>>>()?;
    let table = views::subscription::list_table(&subs, args.namespace.all_namespaces);
    ctx.print(&table.render(!args.output.no_headers))
}
