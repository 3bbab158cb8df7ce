//! `knit subscription update NAME`: the sinks that are given.

use clap::Args;

use super::SubscriptionSinks;
use crate::client::kinds::SUBSCRIPTION;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Update a subscription 'sub0' with a subscriber ksvc 'receiver'
  knit subscription update sub0 --sink ksvc:receiver

  # Update a subscription 'sub1' with subscriber ksvc 'mirror', reply to a broker 'nest' and DeadLetterSink to a ksvc 'bucket'
  knit subscription update sub1 --sink mirror --sink-reply broker:nest --sink-dead-letter bucket";

/// Update an event subscription
#[derive(Args, Debug)]
#[command(
    about = "Update an event subscription",
    long_about = "Update an event subscription",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub sinks: SubscriptionSinks,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "subscription update",
        &format!(
            "'{bin} subscription update' requires the subscription name given as single argument"
        ),
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let edit = args.sinks.resolve(ctx, namespace).await?;
    let edit = |sub: &mut serde_json::Value| -> Result<()> {
        edit.apply(crate::edit::eventing::spec(sub));
        Ok(())
    };
    let message = messages::done_in_namespace("Subscription", name, "updated", namespace);
    write.update(&SUBSCRIPTION, name, edit, &message).await
}
