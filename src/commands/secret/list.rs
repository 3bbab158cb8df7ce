//! `knit secret list` (alias `ls`; with `-A`, which kn lacks).

use clap::Args;

use crate::api::eventing::Secret;
use crate::api::from_value;
use crate::client::ListOptions;
use crate::client::kinds::SECRET;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List the secrets of the current namespace
  knit secret list

  # List the secrets of all namespaces in YAML format
  knit secret list -A -o yaml";

/// List secrets
#[derive(Args, Debug)]
#[command(about = "List secrets", long_about = "List secrets", after_help = EXAMPLES)]
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
        .list(&SECRET, namespace.as_deref(), &ListOptions::default())
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&SECRET, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_SECRETS);
    }
    let secrets = list
        .items
        .iter()
        .map(from_value::<Secret>)
        .collect::<Result<Vec<_>>>()?;
    let table = views::secret::list_table(&secrets, args.namespace.all_namespaces);
    ctx.print(&table.render(!args.output.no_headers))
}
