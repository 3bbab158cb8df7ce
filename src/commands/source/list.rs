//! `knit source list` (alias `ls`): sources of every kind, through the source duck type.

use clap::Args;
use serde_json::Value;

use super::discovery::{
    SOURCE_LABEL, SourceType, built_in_types, labelled_crds, source_type_of_crd,
};
use crate::api::eventing::DuckSource;
use crate::client::ListOptions;
use crate::commands::args::eventing::print_items;
use crate::commands::args::list::{ListMode, ListQueryArgs, ListRun, decode};
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::edit::json;
use crate::error::{Error, Result};
use crate::output::{messages, views};

const EXAMPLES: &str = "
  # List available eventing sources
  knit source list

  # List PingSource type sources
  knit source list --type=PingSource

  # List PingSource and ApiServerSource types sources
  knit source list --type=PingSource --type=apiserversource";

/// List event sources
#[derive(Args, Debug)]
#[command(about = "List event sources", long_about = "List event sources", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
pub struct ListArgs {
    #[command(flatten)]
    pub namespace: ListNamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
    #[arg(
        short = 't',
        long = "type",
        value_name = "strings",
        value_delimiter = ',',
        help = "Filter list on given source type. This flag can be given multiple times."
    )]
    pub types: Vec<String>,
    #[command(flatten)]
    pub query: ListQueryArgs,
}

pub async fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let run = ListRun::new(ctx, &args.namespace, &args.output, &args.query)?;
    run.refuse_watch(
        "by 'source list', which spans several kinds: watch one kind instead (e.g. 'source ping list --watch')",
    )?;
    let namespace = run.namespace.clone();
    let options = run.options(ListOptions::default());
    let client = ctx.client().await?;
    let types: Vec<SourceType> = match labelled_crds(client, SOURCE_LABEL).await? {
        Some(crds) if crds.is_empty() => {
            return Err(Error::failed(
                "no sources found on the backend, please verify the installation",
            ));
        }
        Some(crds) => crds.iter().filter_map(source_type_of_crd).collect(),
        None => built_in_types(),
    };
    let wanted: Vec<&SourceType> = types
        .iter()
        .filter(|t| {
            args.types.is_empty() || args.types.iter().any(|w| w.eq_ignore_ascii_case(&t.kind))
        })
        .collect();
    // All kinds at once (kn listed them one after another).
    let lists = futures::future::join_all(
        wanted
            .iter()
            .map(|t| client.list_dynamic_with(&t.gvr, namespace.as_deref(), &options)),
    )
    .await;
    let mut items: Vec<Value> = Vec::new();
    for (source_type, list) in wanted.iter().zip(lists) {
        match list {
            Ok(list) => items.extend(list.items.into_iter().map(|mut item| {
                let map = json::as_object(&mut item);
                map.entry("apiVersion")
                    .or_insert_with(|| Value::String(source_type.gvr.api_version()));
                map.entry("kind")
                    .or_insert_with(|| Value::String(source_type.kind.clone()));
                item
            })),
            // A kind whose CRD exists but is not served (yet) has no sources to show.
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    run.sort_items(&mut items);
    if let ListMode::Structured(printer) = &run.mode {
        return print_items(
            ctx,
            printer,
            "client.knative.dev/v1alpha1",
            "SourceList",
            &items,
        );
    }
    if items.is_empty() {
        return ctx.println(messages::NO_SOURCES);
    }
    let all = args.namespace.all_namespaces;
    let table = |items: &[Value]| {
        Ok(views::source::list_table(
            &decode::<DuckSource>(items)?,
            all,
        ))
    };
    ctx.print(&run.table(&items, &table, "Source")?.render(!run.no_headers))
}
