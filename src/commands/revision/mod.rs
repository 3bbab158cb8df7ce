//! `knit revision` (alias `revisions`): list, describe, diff and delete revisions; their logs
//! and events.

pub mod delete;
pub mod describe;
pub mod diff;
pub mod events;
pub mod list;
pub mod logs;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

/// Manage service revisions
#[derive(Args, Debug)]
#[command(
    override_usage = "[options]",
    about = "Manage service revisions",
    long_about = "Manage service revisions"
)]
pub struct RevisionCommand {
    #[command(subcommand)]
    pub verb: Option<RevisionVerb>,
}

/// The verbs of `knit revision`.
#[derive(Subcommand, Debug)]
pub enum RevisionVerb {
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    Describe(describe::DescribeArgs),
    Delete(delete::DeleteArgs),
    Diff(diff::DiffArgs),
    Logs(logs::LogsArgs),
    Events(events::EventsArgs),
}

pub async fn run(cmd: RevisionCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(&["revision"])),
        Some(RevisionVerb::List(args)) => list::run(&args, ctx).await,
        Some(RevisionVerb::Describe(args)) => describe::run(&args, ctx).await,
        Some(RevisionVerb::Delete(args)) => delete::run(&args, ctx).await,
        Some(RevisionVerb::Diff(args)) => diff::run(&args, ctx).await,
        Some(RevisionVerb::Logs(args)) => logs::run(&args, ctx).await,
        Some(RevisionVerb::Events(args)) => events::run(&args, ctx).await,
    }
}
