//! `knit trigger update NAME`: filters (`KEY-` removes), the `spec.filters` list (replaced or
//! cleared) and the sink. The broker is immutable, so
//! there is no `--broker`.

use clap::Args;

use crate::client::kinds::TRIGGER;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{OptionalSinkArgs, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::filters::{FilterExpr, set_filters};
use crate::edit::eventing::trigger::{FilterUpdateArg, update_trigger};
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Update the filter which key is 'type' to value 'knative.dev.bar' in a trigger 'mytrigger'
  knit trigger update mytrigger --filter type=knative.dev.bar

  # Remove the filter which key is 'type' from a trigger 'mytrigger'
  knit trigger update mytrigger --filter type-

  # Update the sink of a trigger 'mytrigger' to 'ksvc:new-service'
  knit trigger update mytrigger --sink ksvc:new-service

  # Replace the spec.filters of a trigger 'mytrigger', then remove them
  knit trigger update mytrigger --filters 'any(exact:type=a, exact:type=b)'
  knit trigger update mytrigger --filters-clear";

/// Update a trigger
#[derive(Args, Debug)]
#[command(
    about = "Update a trigger",
    long_about = "Update a trigger",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        long = "filter",
        value_name = "strings",
        value_delimiter = ',',
        help = "Key-value pair for exact CloudEvent attribute matching against incoming events, e.g type=dev.knative.foo"
    )]
    pub filters: Vec<FilterUpdateArg>,
    #[arg(long = "filters", value_name = "filter", help = format!("{}. The given list replaces the trigger's.", super::FILTERS_HELP))]
    pub subscriptions_filters: Vec<FilterExpr>,
    /// Remove the trigger's spec.filters
    #[arg(long = "filters-clear", conflicts_with = "subscriptions_filters")]
    pub filters_clear: bool,
    #[command(flatten)]
    pub sink: OptionalSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(&args.names, "trigger update", "name of trigger required")?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let subscriber = args.sink.resolve(ctx, write.client, namespace).await?;
    let edit = |trigger: &mut serde_json::Value| -> Result<()> {
        update_trigger(trigger, &args.filters, subscriber.clone());
        if args.filters_clear {
            set_filters(trigger, None);
        } else if !args.subscriptions_filters.is_empty() {
            set_filters(trigger, Some(&args.subscriptions_filters));
        }
        Ok(())
    };
    let message = messages::done_in_namespace("Trigger", name, "updated", namespace);
    write.update(&TRIGGER, name, edit, &message).await
}
