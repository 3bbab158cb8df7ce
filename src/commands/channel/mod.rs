//! `knit channel` (alias `channels`): Eventing channels (kn-reference §6.3, §6.5).

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod list_types;

use clap::Args;

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

noun_verbs! {
    /// The verbs of `knit channel`.
    pub enum ChannelVerb for ChannelCommand at ["channel"] {
        Create(create::CreateArgs),
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
        ListTypes(list_types::ListTypesArgs),
        Diagnose(diagnose::DiagnoseArgs),
        Events(events::EventsArgs),
    }
}
