//! `knit channel list-types`: the channel kinds the cluster offers (subscribable CRDs other than
//! the generic Channel).

use clap::Args;
use serde_json::Value;

use crate::client::ListOptions;
use crate::client::kinds::IN_MEMORY_CHANNEL;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::commands::source::discovery::{labelled_crd_list, print_types, synthetic_crd};
use crate::context::Context;
use crate::error::Result;
use crate::output::views;

/// The label marking channel CRDs.
const SUBSCRIBABLE_LABEL: &str = "messaging.knative.dev/subscribable";

const EXAMPLES: &str = "
  # List available channel types
  knit channel list-types

  # List available channel types in YAML format
  knit channel list-types -o yaml";

/// List channel types
#[derive(Args, Debug)]
#[command(about = "List channel types", long_about = "List channel types", after_help = EXAMPLES)]
pub struct ListTypesArgs {
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
}

fn is_generic_channel(crd: &Value) -> bool {
    crd.pointer("/spec/names/kind").and_then(Value::as_str) == Some("Channel")
}

pub async fn run(args: &ListTypesArgs, ctx: &Context) -> Result<()> {
    let printer = args.output.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let client = ctx.client().await?;
    let (crds, resource_version): (Vec<Value>, _) =
        match labelled_crd_list(client, SUBSCRIBABLE_LABEL).await? {
            Some(list) => (
                list.items
                    .into_iter()
                    .filter(|c| !is_generic_channel(c))
                    .collect(),
                Some(list.resource_version),
            ),
            None => {
                // Probe the built-in channel kind.
                client
                    .list(
                        &IN_MEMORY_CHANNEL,
                        Some(&namespace),
                        &ListOptions::default(),
                    )
                    .await?;
                (vec![synthetic_crd(&IN_MEMORY_CHANNEL)], None)
            }
        };
    print_types(
        ctx,
        printer,
        (&crds, resource_version.as_deref()),
        "Channels",
        views::channel::list_types_table,
        args.output.no_headers,
    )
}
