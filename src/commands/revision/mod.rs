//! `knit revision` (alias `revisions`): list, describe, diff and delete revisions; their logs
//! and events.

pub mod delete;
pub mod describe;
pub mod diff;
pub mod events;
pub mod list;
pub mod logs;

use clap::Args;

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

noun_verbs! {
    /// The verbs of `knit revision`.
    pub enum RevisionVerb for RevisionCommand at ["revision"] {
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
        Describe(describe::DescribeArgs),
        Delete(delete::DeleteArgs),
        Diff(diff::DiffArgs),
        Logs(logs::LogsArgs),
        Events(events::EventsArgs),
    }
}
