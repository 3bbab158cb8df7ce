//! `knit sequence` (alias `sequences`, `seq`): flows.knative.dev Sequences, which send an event
//! through steps in order, each step's reply going to the next.

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;
pub mod update;

use clap::Args;

use crate::commands::args::eventing::{channel_mappings, resolve_opt, sink_mappings};
use crate::context::Context;
use crate::edit::eventing::channel::ChannelTypeArg;
use crate::edit::eventing::flows::FlowEdit;
use crate::error::{Error, Result};
use crate::ops::sink::{SinkArg, resolve};

/// Manage sequences
#[derive(Args, Debug)]
#[command(
    about = "Manage event sequences",
    long_about = "Manage event sequences: steps that an event passes through in order, each step's reply going to the next step, the last one's to the sequence's reply",
    override_usage = "COMMAND"
)]
pub struct SequenceCommand {
    #[command(subcommand)]
    pub verb: Option<SequenceVerb>,
}

noun_verbs! {
    /// The verbs of `knit sequence`.
    pub enum SequenceVerb for SequenceCommand at ["sequence"] {
        Create(create::CreateArgs),
        Update(update::UpdateArgs),
        #[command(alias = "ls")]
        List(list::ListArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
    }
}

pub(crate) const STEP_HELP: &str = "A step of the sequence, in order: repeat the flag for each step. Accepts the sink syntax: NAME (a Knative service), PREFIX:NAME[:NAMESPACE] with PREFIX ksvc, broker, channel, svc or a configured sink mapping, or an http(s) URL. Examples: '--step ksvc:first --step ksvc:second'.";
pub(crate) const REPLY_HELP: &str = "Where the result of the last step (a sequence) or of every branch without its own reply (a parallel) is sent: NAME (a Knative service), PREFIX:NAME[:NAMESPACE] with PREFIX ksvc, broker, channel, svc or a configured sink mapping, or an http(s) URL, e.g. '--reply broker:default'.";
pub(crate) const CHANNEL_TYPE_HELP: &str = "The channel type the flow's channels are made of: 'imc', an alias configured in the config file, or Group:Version:Kind (e.g. 'messaging.knative.dev:v1:InMemoryChannel'). Without it, the namespace's default channel type is used.";

/// `--reply` and `--no-reply` (update only), shared by `sequence` and `parallel`.
#[derive(Args, Debug, Clone, Default)]
pub struct ReplyArgs {
    #[arg(long = "reply", value_name = "string", help = REPLY_HELP)]
    pub reply: Option<SinkArg>,
}

/// Resolves `--step` values (each named object must exist), in order.
pub(crate) async fn resolve_steps(
    ctx: &Context,
    steps: &[SinkArg],
    namespace: &str,
) -> Result<Option<Vec<serde_json::Value>>> {
    if steps.is_empty() {
        return Ok(None);
    }
    let client = ctx.client().await?;
    let mappings = sink_mappings(ctx);
    let mut out = Vec::new();
    for step in steps {
        out.push(resolve(client, step, "--step", &mappings, namespace).await?);
    }
    Ok(Some(out))
}

/// The common part of a flow's edit: `--reply`, `--no-reply` and `--channel-type`.
pub(crate) async fn flow_edit(
    ctx: &Context,
    command: &str,
    reply: Option<&SinkArg>,
    no_reply: bool,
    channel: Option<&ChannelTypeArg>,
    namespace: &str,
) -> Result<FlowEdit> {
    if reply.is_some() && no_reply {
        return Err(Error::usage_in(
            command,
            "--reply and --no-reply cannot be used together",
        ));
    }
    let channel = match channel {
        Some(t) => Some(
            t.resolve(&channel_mappings(ctx))
                .map_err(|e| Error::usage_in(command, e.to_string()))?,
        ),
        None => None,
    };
    let client = ctx.client().await?;
    let reply = resolve_opt(client, reply, "--reply", &sink_mappings(ctx), namespace).await?;
    Ok(FlowEdit {
        reply,
        remove_reply: no_reply,
        channel,
        ..Default::default()
    })
}
