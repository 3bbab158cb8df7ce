//! `knit subscription` (aliases `subscriptions`, `sub`): channel subscriptions (kn-reference §6.4).

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod update;

use clap::Args;

use crate::context::Context;
use crate::error::Result;
use crate::ops::sink::SinkArg;

/// Manage event subscriptions
#[derive(Args, Debug)]
#[command(
    about = "Manage event subscriptions",
    long_about = "Manage event subscriptions",
    override_usage = "COMMAND"
)]
pub struct SubscriptionCommand {
    #[command(subcommand)]
    pub verb: Option<SubscriptionVerb>,
}

noun_verbs! {
    /// The verbs of `knit subscription`.
    pub enum SubscriptionVerb for SubscriptionCommand at ["subscription"] {
        Create(create::CreateArgs),
        Update(update::UpdateArgs),
        #[command(alias = "ls")]
        List(list::ListArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
        Diagnose(diagnose::DiagnoseArgs),
        Events(events::EventsArgs),
    }
}

/// `-s/--sink` (the subscriber), `--sink-reply`, `--sink-dead-letter`.
#[derive(Args, Debug, Clone, Default)]
pub struct SubscriptionSinks {
    #[arg(short = 's', long = "sink", value_name = "string", help = crate::sink_usage!("--sink"))]
    pub sink: Option<SinkArg>,
    #[arg(long = "sink-reply", value_name = "string", help = crate::sink_usage!("--sink-reply"))]
    pub reply: Option<SinkArg>,
    #[arg(long = "sink-dead-letter", value_name = "string", help = crate::sink_usage!("--sink-dead-letter"))]
    pub dead_letter: Option<SinkArg>,
}

impl SubscriptionSinks {
    /// Resolves the given sinks (each named object must exist).
    pub async fn resolve(
        &self,
        ctx: &Context,
        namespace: &str,
    ) -> Result<crate::edit::eventing::subscription::SubscriptionEdit> {
        use crate::commands::args::eventing::{resolve_opt, sink_mappings};
        let client = ctx.client().await?;
        let mappings = sink_mappings(ctx);
        Ok(crate::edit::eventing::subscription::SubscriptionEdit {
            subscriber: resolve_opt(client, self.sink.as_ref(), "--sink", &mappings, namespace)
                .await?,
            reply: resolve_opt(
                client,
                self.reply.as_ref(),
                "--sink-reply",
                &mappings,
                namespace,
            )
            .await?,
            dead_letter_sink: resolve_opt(
                client,
                self.dead_letter.as_ref(),
                "--sink-dead-letter",
                &mappings,
                namespace,
            )
            .await?,
        })
    }
}
