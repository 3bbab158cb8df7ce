//! `knit eventtype` (alias `eventtypes`): EventTypes, `eventing.knative.dev/v1beta2`
//! (kn-reference §6.6).

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;

use clap::Args;

/// Manage eventtypes
#[derive(Args, Debug)]
#[command(about = "Manage eventtypes", long_about = "Manage eventtypes")]
pub struct EventTypeCommand {
    #[command(subcommand)]
    pub verb: Option<EventTypeVerb>,
}

noun_verbs! {
    /// The verbs of `knit eventtype`.
    pub enum EventTypeVerb for EventTypeCommand at ["eventtype"] {
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
        Describe(describe::DescribeArgs),
        Create(create::CreateArgs),
        Delete(delete::DeleteArgs),
    }
}
