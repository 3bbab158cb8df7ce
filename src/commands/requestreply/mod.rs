//! `knit requestreply` (alias `requestreplies`): eventing.knative.dev RequestReplies, which turn
//! a broker into a synchronous request/response endpoint.

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;
pub mod update;

use clap::Args;

use crate::commands::args::eventing::{resolve_opt, sink_mappings};
use crate::context::Context;
use crate::edit::eventing::requestreply::RequestReplyEdit;
use crate::error::Result;
use crate::ops::sink::SinkArg;

/// Manage request-replies
#[derive(Args, Debug)]
#[command(
    about = "Manage request-replies",
    long_about = "Manage request-replies: an HTTP endpoint that sends the request event to a broker and answers with the event that replies to it",
    override_usage = "COMMAND"
)]
pub struct RequestReplyCommand {
    #[command(subcommand)]
    pub verb: Option<RequestReplyVerb>,
}

noun_verbs! {
    /// The verbs of `knit requestreply`.
    pub enum RequestReplyVerb for RequestReplyCommand at ["requestreply"] {
        Create(create::CreateArgs),
        Update(update::UpdateArgs),
        #[command(alias = "ls")]
        List(list::ListArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
    }
}

/// The flags of `create` and `update` besides the broker.
#[derive(Args, Debug, Clone, Default)]
pub struct RequestReplyArgs {
    #[arg(
        long = "timeout",
        value_name = "string",
        help = "How long a request waits for its reply, as an ISO 8601 duration (e.g. 'PT30S', 'PT1M'). Default: the cluster's requestreply-default-timeout (PT30S)."
    )]
    pub timeout: Option<String>,
    #[arg(
        long = "correlation-attribute",
        value_name = "string",
        help = "The CloudEvent attribute that carries the correlation id on the request (default 'correlationid'); not id, type, specversion or source."
    )]
    pub correlation_attribute: Option<String>,
    #[arg(
        long = "reply-attribute",
        value_name = "string",
        help = "The CloudEvent attribute that carries the correlation id on the reply (default 'replyid'); not id, type, specversion or source."
    )]
    pub reply_attribute: Option<String>,
    #[arg(long = "dead-letter-sink", value_name = "string", help = crate::sink_usage!("--dead-letter-sink"))]
    pub dead_letter_sink: Option<SinkArg>,
}

impl RequestReplyArgs {
    /// The edit these flags ask for (the dead letter sink must exist).
    pub async fn edit(
        &self,
        ctx: &Context,
        broker: Option<&str>,
        namespace: &str,
    ) -> Result<RequestReplyEdit> {
        let client = ctx.client().await?;
        let dead_letter_sink = resolve_opt(
            client,
            self.dead_letter_sink.as_ref(),
            "--dead-letter-sink",
            &sink_mappings(ctx),
            namespace,
        )
        .await?;
        Ok(RequestReplyEdit {
            broker: broker.map(str::to_string),
            correlation_attribute: self.correlation_attribute.clone(),
            reply_attribute: self.reply_attribute.clone(),
            timeout: self.timeout.clone(),
            dead_letter_sink,
        })
    }
}
