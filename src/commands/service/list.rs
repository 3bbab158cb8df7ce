//! `knit service list [NAME]`.

use clap::Args;
use serde_json::Value;

use crate::api::{
    from_value,
    serving::{Service, ServiceListItem},
};
use crate::client::{ListOptions, kinds::SERVICE};
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::commands::args::target::TargetArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{messages, views};

const EXAMPLES: &str = "Examples:
  # List all services
  knit service list

  # List all services in JSON output format
  knit service list -o json

  # List service 'web'
  knit service list web";

/// List services
#[derive(Args, Debug)]
#[command(about = "List services", long_about = "List services", after_help = EXAMPLES)]
pub struct ListArgs {
    #[arg(help = "Only the service with this name", value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: ListNamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
    #[command(flatten)]
    pub target: TargetArgs,
}

pub async fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    if args.names.len() > 1 {
        return Err(Error::usage_in(
            "service list",
            format!("'{bin} service list' accepts maximum 1 argument"),
        ));
    }
    let printer = args.output.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let wanted = args.names.first().map(String::as_str);
    let services: Vec<Service> = match (args.target.store(), printer) {
        (Some(store), printer) => {
            let items: Vec<Value> = store
                .list_services(namespace.as_deref())?
                .into_iter()
                .filter(|s| {
                    wanted.is_none()
                        || s.pointer("/metadata/name").and_then(|v| v.as_str()) == wanted
                })
                .collect();
            if let Some(printer) = printer {
                return ctx.print(&printer.print_list_owned(&SERVICE, items)?);
            }
            items
                .iter()
                .map(from_value::<Service>)
                .collect::<Result<Vec<_>>>()?
        }
        (None, printer) => {
            let options = wanted.map(ListOptions::named).unwrap_or_default();
            let client = ctx.client().await?;
            if let Some(printer) = printer {
                let items = client
                    .list(&SERVICE, namespace.as_deref(), &options)
                    .await?
                    .items;
                return ctx.print(&printer.print_list_owned(&SERVICE, items)?);
            }
            // The table needs typed rows only: decode them straight from the response.
            client
                .list_as::<ServiceListItem>(&SERVICE, namespace.as_deref(), &options)
                .await?
                .into_iter()
                .map(Service::from)
                .collect()
        }
    };
    if services.is_empty() {
        return ctx.println(messages::NO_SERVICES);
    }
    let table = views::service::list_table(&services, args.namespace.all_namespaces, ctx.now);
    ctx.print(&table.render(!args.output.no_headers))
}
