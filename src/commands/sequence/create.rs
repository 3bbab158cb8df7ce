//! `knit sequence create NAME --step SINK… [--reply SINK] [--channel-type TYPE]`.

use clap::Args;

use super::{CHANNEL_TYPE_HELP, ReplyArgs, STEP_HELP, flow_edit, resolve_steps};
use crate::client::kinds::SEQUENCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{because, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::channel::ChannelTypeArg;
use crate::edit::eventing::flows::new_sequence;
use crate::error::{Error, Result};
use crate::ops::sink::SinkArg;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Create a sequence 'seq' calling ksvc 'first' then ksvc 'second', the result going to broker 'default'
  knit sequence create seq --step ksvc:first --step ksvc:second --reply broker:default

  # Create a sequence on KafkaChannels
  knit sequence create seq --step first --channel-type messaging.knative.dev:v1beta1:KafkaChannel";

/// Create a sequence
#[derive(Args, Debug)]
#[command(
    about = "Create a sequence",
    long_about = "Create a sequence",
    override_usage = "NAME --step SINK [--step SINK]...",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(long = "step", value_name = "stringArray", help = STEP_HELP)]
    pub steps: Vec<SinkArg>,
    #[command(flatten)]
    pub reply: ReplyArgs,
    #[arg(long = "channel-type", value_name = "string", help = CHANNEL_TYPE_HELP)]
    pub channel_type: Option<ChannelTypeArg>,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "sequence create",
        &format!("'{bin} sequence create' requires the sequence name given as single argument"),
    )?;
    if args.steps.is_empty() {
        return Err(Error::usage_in(
            "sequence create",
            format!("'{bin} sequence create' requires at least one step given with --step"),
        ));
    }
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let mut edit = flow_edit(
        ctx,
        "sequence create",
        args.reply.reply.as_ref(),
        false,
        args.channel_type.as_ref(),
        namespace,
    )
    .await?;
    edit.steps = resolve_steps(ctx, &args.steps, namespace).await?;
    let seq = new_sequence(name, namespace, &edit);
    let wrap = because(format!(
        "cannot create sequence '{name}' in namespace '{namespace}' because"
    ));
    let message = messages::done_in_namespace("Sequence", name, "created", namespace);
    write.create_or(&SEQUENCE, &seq, &message, wrap).await
}
