//! `knit channel create NAME [--type imc|ALIAS|Group:Version:Kind]`.

use clap::Args;

use crate::client::kinds::CHANNEL;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{channel_mappings, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::channel::{ChannelTypeArg, new_channel};
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Create a channel 'pipe' with default setting for channel configuration
  knit channel create pipe

  # Create a channel 'imc1' of type InMemoryChannel using inbuilt alias 'imc'
  knit channel create imc1 --type imc
  # same as above without using inbuilt alias but providing explicit GVK
  knit channel create imc1 --type messaging.knative.dev:v1:InMemoryChannel

  # Create a channel 'k1' of type KafkaChannel
  knit channel create k1 --type messaging.knative.dev:v1beta1:KafkaChannel";

/// Create an event channel
#[derive(Args, Debug)]
#[command(
    about = "Create an event channel",
    long_about = "Create an event channel",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        long = "type",
        value_name = "string",
        help = "Override channel type to create, in the format '--type Group:Version:Kind'. If flag is not specified, it uses default messaging layer settings for channel type, cluster wide or specific namespace. You can configure aliases for channel types in kn config and refer the aliases with this flag. You can also refer inbuilt channel type InMemoryChannel using an alias 'imc' like '--type imc'. Examples: '--type messaging.knative.dev:v1beta1:KafkaChannel' for specifying explicit Group:Version:Kind."
    )]
    pub type_: Option<ChannelTypeArg>,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "channel create",
        &format!("'{bin} channel create' requires the channel name given as single argument"),
    )?;
    let kind = match &args.type_ {
        Some(t) => Some(
            t.resolve(&channel_mappings(ctx))
                .map_err(|e| Error::usage_in("channel create", e.to_string()))?,
        ),
        None => None,
    };
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let channel = new_channel(name, namespace, kind.as_ref());
    let message = messages::done_in_namespace("Channel", name, "created", namespace);
    write.create(&CHANNEL, &channel, &message).await
}
