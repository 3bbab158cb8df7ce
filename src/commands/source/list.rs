//! `knit source list` (alias `ls`): sources of every kind, through the source duck type.

use clap::Args;
use serde_json::{Value, json};

use super::discovery::{
    SOURCE_LABEL, SourceType, built_in_types, labelled_crds, source_type_of_crd,
};
use crate::api::eventing::DuckSource;
use crate::client::ListOptions;
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::list::{Listing, Watched, decode};
use crate::output::structured::qualified_name;
use crate::output::{OutputFormat, Printer, messages, views};

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
    let run = args.query.resolve(ctx, &args.namespace, &args.output)?;
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
    let mut watches = Vec::new();
    for (source_type, list) in wanted.iter().zip(lists) {
        let watched = Watched::Dynamic(&source_type.gvr, &source_type.kind);
        match list {
            Ok(list) => {
                items.extend(list.items.into_iter().map(|mut item| {
                    watched.fill(&mut item);
                    item
                }));
                watches.push((watched, list.resource_version));
            }
            // A kind whose CRD exists but is not served (yet) has no sources to show.
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    run.sort_items(&mut items);
    let all = args.namespace.all_namespaces;
    let table = |items: &[Value]| {
        Ok(views::source::list_table(
            &decode::<DuckSource>(items)?,
            all,
        ))
    };
    let structured = |printer: &Printer, items: Vec<Value>| match printer.format {
        OutputFormat::Name => Ok(items
            .iter()
            .map(|i| format!("{}\n", qualified_name(i)))
            .collect()),
        _ => printer.print_owned(json!({
            "apiVersion": "client.knative.dev/v1alpha1",
            "kind": "SourceList",
            "items": items,
        })),
    };
    run.present(
        ctx,
        Listing {
            items,
            watches,
            options: &options,
            empty: messages::NO_SOURCES,
            table: &table,
            wide_kind: "Source",
            structured: &structured,
        },
    )
    .await
}
