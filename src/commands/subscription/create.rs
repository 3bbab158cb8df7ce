//! `knit subscription create NAME --channel CHANNEL`.

use clap::Args;

use super::SubscriptionSinks;
use crate::client::kinds::SUBSCRIPTION;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{channel_mappings, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::channel::ChannelRefArg;
use crate::edit::eventing::subscription::new_subscription;
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Create a subscription 'sub0' from InMemoryChannel 'pipe0' to a subscriber ksvc 'receiver'
  knit subscription create sub0 --channel imcv1beta1:pipe0 --sink ksvc:receiver

  # Create a subscription 'sub1' from KafkaChannel 'k1' to ksvc 'mirror', reply to a broker 'nest' and DeadLetterSink to a ksvc 'bucket'
  knit subscription create sub1 --channel messaging.knative.dev:v1beta1:KafkaChannel:k1 --sink mirror --sink-reply broker:nest --sink-dead-letter bucket";

/// Create a subscription
#[derive(Args, Debug)]
#[command(
    about = "Create a subscription",
    long_about = "Create a subscription",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        long = "channel",
        value_name = "string",
        help = "Specify the channel to subscribe to. For the default channel, just use the name (e.g. 'mychannel'). A mapped channel type like 'imc' can be used as a prefix (e.g. 'imc:mychannel'). Finally you can specify the full coordinates to the referenced channel with Group:Version:Kind:Name (e.g. 'messaging.knative.dev:v1beta1:KafkaChannel:mychannel')."
    )]
    pub channel: Option<ChannelRefArg>,
    #[command(flatten)]
    pub sinks: SubscriptionSinks,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "subscription create",
        &format!(
            "'{bin} subscription create' requires the subscription name given as single argument"
        ),
    )?;
    let Some(channel) = &args.channel else {
        return Err(Error::usage_in(
            "subscription create",
            format!(
                "'{bin} subscription create' requires the channel reference provided with --channel flag"
            ),
        ));
    };
    let channel = channel
        .resolve(&channel_mappings(ctx))
        .map_err(|e| Error::usage_in("subscription create", e.to_string()))?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let edit = args.sinks.resolve(ctx, namespace).await?;
    let sub = new_subscription(name, namespace, channel, &edit);
    let message = messages::done_in_namespace("Subscription", name, "created", namespace);
    write.create(&SUBSCRIPTION, &sub, &message).await
}
