//! `knit broker create NAME`.

use clap::Args;

use crate::client::kinds::BROKER;
use crate::commands::args::delivery::DeliveryArgs;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{because, single_name, sink_mappings};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::broker::{BrokerConfigArg, new_broker};
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Create a broker 'mybroker' in the current namespace
  knit broker create mybroker

  # Create a broker 'mybroker' in the 'myproject' namespace and with a broker class of 'Kafka'
  knit broker create mybroker --namespace myproject --class Kafka

  # Create a broker 'mybroker' in the myproject namespace with config referencing a configmap in current namespace
  knit broker create mybroker --namespace myproject --class Kafka --broker-config cm:spec-cm
  OR
  knit broker create mybroker --namespace myproject --class Kafka --broker-config spec-cm

  # Create a broker 'mybroker' in the myproject namespace with config referencing secret named spec-sc in test namespace
  knit broker create mybroker --namespace myproject --class Kafka --broker-config sc:spec-sc:test

  # Create a broker 'mybroker' in the myproject namespace with config referencing RabbitmqCluster mycluster in test namespace
  knit broker create mybroker --namespace myproject --class Kafka --broker-config rabbitmq.com/v1beta1:RabbitmqCluster:mycluster:test";

const BROKER_CONFIG_HELP: &str = "Reference to the broker configuration For example, a pointer to a ConfigMap (cm:, configmap:), Secret(sc:, secret:), RabbitmqCluster(rmq:, rabbitmq: rabbitmqcluster:) etc. It should be used in conjunction with --class flag. The format for specifying the object is a colon separated string consisting of at most 4 slices:
Length 1: <object-name> (the object will be assumed to be ConfigMap with the same name)
Length 2: <kind>:<object-name> (the APIVersion will be determined for ConfigMap, Secret, and RabbitmqCluster types)
Length 3: <kind>:<object-name>:<namespace> (the APIVersion will be determined only for ConfigMap, Secret, and RabbitmqCluster types. Otherwise it will be interpreted as:
<apiVersion>:<kind>:<object-name>)
Length 4: <apiVersion>:<kind>:<object-name>:<namespace>";

/// Create a broker
#[derive(Args, Debug)]
#[command(
    about = "Create a broker",
    long_about = "Create a broker",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        long = "class",
        value_name = "string",
        help = "Broker class like 'MTChannelBasedBroker' or 'Kafka' (if available)."
    )]
    pub class: Option<String>,
    #[arg(long = "broker-config", value_name = "string", help = BROKER_CONFIG_HELP)]
    pub broker_config: Option<BrokerConfigArg>,
    #[command(flatten)]
    pub delivery: DeliveryArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "broker create",
        "'broker create' requires the broker name given as single argument",
    )?;
    if args.broker_config.is_some() && args.class.is_none() {
        return Err(Error::usage_in(
            "broker create",
            "cannot set broker-config without setting class",
        ));
    }
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let delivery = args
        .delivery
        .resolve(write.client, &sink_mappings(ctx), namespace)
        .await?;
    let broker = new_broker(
        name,
        namespace,
        args.class.as_deref(),
        args.broker_config.as_ref(),
        &delivery,
    );
    let wrap = because(format!(
        "cannot create broker '{name}' in namespace '{namespace}' because"
    ));
    let message = messages::broker_successfully(name, "created", namespace);
    write.create_or(&BROKER, &broker, &message, wrap).await
}
