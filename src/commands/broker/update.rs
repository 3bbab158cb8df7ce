//! `knit broker update NAME`: the delivery flags that are given (kn's update has no others).

use clap::Args;

use crate::client::kinds::BROKER;
use crate::commands::args::delivery::DeliveryArgs;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{single_name, sink_mappings};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::broker::update_broker;
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Update a broker 'mybroker' in the current namespace with delivery sink svc1
  knit broker update mybroker --dl-sink svc1

  # Update a broker 'mybroker' in the 'myproject' namespace and with retry 2 seconds
  knit broker update mybroker --namespace myproject --retry 2";

/// Update a broker
#[derive(Args, Debug)]
#[command(
    about = "Update a broker",
    long_about = "Update a broker",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub delivery: DeliveryArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    if args.delivery.is_empty() {
        return Err(Error::usage_in(
            "broker update",
            "flag(s) not set\nUsage: update NAME",
        ));
    }
    let name = single_name(
        &args.names,
        "broker update",
        "'broker update' requires the broker name given as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let delivery = args
        .delivery
        .resolve(write.client, &sink_mappings(ctx), namespace)
        .await?;
    let edit = |broker: &mut serde_json::Value| -> Result<()> {
        update_broker(broker, &delivery);
        Ok(())
    };
    let message = messages::done_in_namespace("Broker", name, "updated", namespace);
    write.update(&BROKER, name, edit, &message).await
}
