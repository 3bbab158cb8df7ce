//! `knit channel` (alias `channels`): Eventing channels (kn-reference §6.3, §6.5).

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod list_types;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

/// Manage event channels
#[derive(Args, Debug)]
#[command(
    about = "Manage event channels",
    long_about = "Manage event channels",
    override_usage = "COMMAND"
)]
pub struct ChannelCommand {
    #[command(subcommand)]
    pub verb: Option<ChannelVerb>,
}

/// The verbs of `knit channel`.
#[derive(Subcommand, Debug)]
pub enum ChannelVerb {
    Create(create::CreateArgs),
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    Delete(delete::DeleteArgs),
    Describe(describe::DescribeArgs),
    ListTypes(list_types::ListTypesArgs),
    Diagnose(diagnose::DiagnoseArgs),
    Events(events::EventsArgs),
}

pub async fn run(cmd: ChannelCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(ctx, &["channel"])),
        Some(ChannelVerb::Create(args)) => create::run(&args, ctx).await,
        Some(ChannelVerb::List(args)) => list::run(&args, ctx).await,
        Some(ChannelVerb::Delete(args)) => delete::run(&args, ctx).await,
        Some(ChannelVerb::Describe(args)) => describe::run(&args, ctx).await,
        Some(ChannelVerb::ListTypes(args)) => list_types::run(&args, ctx).await,
        Some(ChannelVerb::Diagnose(args)) => diagnose::run(&args, ctx).await,
        Some(ChannelVerb::Events(args)) => events::run(&args, ctx).await,
    }
}
