//! `knit service list [NAME]`.

use clap::Args;
use serde_json::Value;

use crate::api::serving::{Service, ServiceListItem};
use crate::client::{ListOptions, ObjectList, kinds::SERVICE};
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::commands::args::target::TargetArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::list::decode;
use crate::output::{messages, views};

const EXAMPLES: &str = "Examples:
  # List all services
  knit service list

  # List all services in JSON output format
  knit service list -o json

  # List service 'web'
  knit service list web

  # List the services in offline mode instead of kubernetes cluster (Beta)
  knit service list --target=/user/knfiles
  knit service list --target=/user/knfiles/test.json
  knit service list --target=/user/knfiles/test.yaml
  knit service list -n test-ns --target=/user/knfiles";

/// List services
#[derive(Args, Debug)]
#[command(override_usage = "", about = "List services", long_about = "List services", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
pub struct ListArgs {
    #[arg(help = "Only the service with this name", value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: ListNamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
    #[command(flatten)]
    pub query: ListQueryArgs,
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
    let run = args.query.resolve(ctx, &args.namespace, &args.output)?;
    let wanted = args.names.first().map(String::as_str);
    let all = args.namespace.all_namespaces;
    let table = |items: &[Value]| {
        Ok(views::service::list_table(
            &decode::<Service>(items)?,
            all,
            ctx.now,
        ))
    };
    let options = run.options(wanted.map(ListOptions::named).unwrap_or_default());
    if let Some(store) = args.target.store() {
        run.refuse_watch("with --target")?;
        let mut items: Vec<Value> = store
            .list_services(run.namespace.as_deref())?
            .into_iter()
            .filter(|s| {
                wanted.is_none() || s.pointer("/metadata/name").and_then(|v| v.as_str()) == wanted
            })
            .collect();
        run.select_locally(&mut items)?;
        run.sort_items(&mut items);
        let list = ObjectList {
            items,
            ..Default::default()
        };
        return run
            .show(ctx, &SERVICE, &options, list, messages::NO_SERVICES, &table)
            .await;
    }
    let client = ctx.client().await?;
    if run.plain() {
        // kn's table needs typed rows only: decode them straight from the response.
        let services: Vec<Service> = client
            .list_as::<ServiceListItem>(&SERVICE, run.namespace.as_deref(), &options)
            .await?
            .into_iter()
            .map(Service::from)
            .collect();
        if services.is_empty() {
            return ctx.println(messages::NO_SERVICES);
        }
        let table = views::service::list_table(&services, all, ctx.now);
        return ctx.print(&table.render(!run.no_headers));
    }
    if run.stream(ctx, &SERVICE, &options).await? {
        return Ok(());
    }
    let list = run.fetch(client, &SERVICE, &options).await?;
    run.show(ctx, &SERVICE, &options, list, messages::NO_SERVICES, &table)
        .await
}
