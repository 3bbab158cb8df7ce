//! `knit eventtype` (alias `eventtypes`): EventTypes, `eventing.knative.dev/v1beta2`
//! (kn-reference §6.6).

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

/// Manage eventtypes
#[derive(Args, Debug)]
#[command(about = "Manage eventtypes", long_about = "Manage eventtypes")]
pub struct EventTypeCommand {
    #[command(subcommand)]
    pub verb: Option<EventTypeVerb>,
}

/// The verbs of `knit eventtype`.
#[derive(Subcommand, Debug)]
pub enum EventTypeVerb {
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    Describe(describe::DescribeArgs),
    Create(create::CreateArgs),
    Delete(delete::DeleteArgs),
}

pub async fn run(cmd: EventTypeCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(ctx, &["eventtype"])),
        Some(EventTypeVerb::List(args)) => list::run(&args, ctx).await,
        Some(EventTypeVerb::Describe(args)) => describe::run(&args, ctx).await,
        Some(EventTypeVerb::Create(args)) => create::run(&args, ctx).await,
        Some(EventTypeVerb::Delete(args)) => delete::run(&args, ctx).await,
    }
}
