//! `knit trigger create NAME --sink SINK`.

use clap::Args;

use crate::client::kinds::TRIGGER;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{RequiredSinkArgs, because, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::filters::{FilterExpr, set_filters};
use crate::edit::eventing::trigger::{FilterArg, new_trigger};
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Create a trigger 'mytrigger' to declare a subscription to events from default broker. The subscriber is service 'mysvc'
  knit trigger create mytrigger --broker default --sink ksvc:mysvc

  # Create a trigger to filter events with attribute 'type=dev.knative.foo'
  knit trigger create mytrigger --broker default --filter type=dev.knative.foo --sink ksvc:mysvc

  # Create a trigger for events whose type starts with 'dev.knative.' and whose source is not 'test'
  knit trigger create mytrigger --filters prefix:type=dev.knative. --filters 'not(exact:source=test)' --sink ksvc:mysvc";

/// Create a trigger
#[derive(Args, Debug)]
#[command(
    about = "Create a trigger",
    long_about = "Create a trigger",
    override_usage = "NAME --sink SINK",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        long = "broker",
        value_name = "string",
        default_value = "default",
        help = "Name of the Broker which the trigger associates with."
    )]
    pub broker: String,
    #[arg(
        long = "filter",
        value_name = "strings",
        value_delimiter = ',',
        help = "Key-value pair for exact CloudEvent attribute matching against incoming events, e.g type=dev.knative.foo"
    )]
    pub filters: Vec<FilterArg>,
    #[arg(long = "filters", value_name = "filter", help = super::FILTERS_HELP)]
    pub subscriptions_filters: Vec<FilterExpr>,
    #[command(flatten)]
    pub sink: RequiredSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "trigger create",
        "'trigger create' requires the name of the trigger",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let wrap = || {
        because(format!(
            "cannot create trigger '{name}' in namespace '{namespace}' because"
        ))
    };
    let subscriber = args
        .sink
        .resolve(ctx, write.client, namespace)
        .await
        .map_err(wrap())?;
    let mut trigger = new_trigger(name, namespace, &args.broker, &args.filters, subscriber);
    if !args.subscriptions_filters.is_empty() {
        set_filters(&mut trigger, Some(&args.subscriptions_filters));
    }
    let message = messages::trigger_created(name, namespace);
    write.create_or(&TRIGGER, &trigger, &message, wrap()).await
}
