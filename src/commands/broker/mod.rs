//! `knit broker` (alias `brokers`): Eventing brokers (kn-reference §6.1).

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod update;

use clap::Args;

/// Manage message brokers
#[derive(Args, Debug)]
#[command(
    about = "Manage message brokers",
    long_about = "Manage message brokers"
)]
pub struct BrokerCommand {
    #[command(subcommand)]
    pub verb: Option<BrokerVerb>,
}

noun_verbs! {
    /// The verbs of `knit broker`.
    pub enum BrokerVerb for BrokerCommand at ["broker"] {
        Create(create::CreateArgs),
        Describe(describe::DescribeArgs),
        Delete(delete::DeleteArgs),
        Diagnose(diagnose::DiagnoseArgs),
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
        Update(update::UpdateArgs),
        Events(events::EventsArgs),
    }
}
