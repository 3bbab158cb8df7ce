//! `knit domain list`.

use clap::Args;

use crate::api::{from_value, serving::DomainMapping};
use crate::client::{ListOptions, kinds::DOMAIN_MAPPING};
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{messages, views};

const EXAMPLES: &str = "Examples:

  # List all domain mappings
  knit domain list

  # List all domain mappings in JSON output format
  knit domain list -o json";

/// List domain mappings
#[derive(Args, Debug)]
#[command(about = "List domain mappings", long_about = "List domain mappings", after_help = EXAMPLES)]
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
            &DOMAIN_MAPPING,
            namespace.as_deref(),
            &ListOptions::default(),
        )
        .await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print_list(&DOMAIN_MAPPING, &list.items)?);
    }
    if list.items.is_empty() {
        return ctx.println(messages::NO_DOMAIN_MAPPINGS);
    }
    let mappings = list
        .items
        .iter()
        .map(from_value::<DomainMapping>)
        .collect::<Result<Vec<_>>>()?;
    let table = views::domain::list_table(&mappings, args.namespace.all_namespaces);
    ctx.print(&table.render(!args.output.no_headers))
}
