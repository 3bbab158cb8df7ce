//! `knit source container`: ContainerSources (kn-reference §5.5), with the pod-spec flags of
//! `service create|update`.

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod update;

use clap::Args;

/// Manage container sources
#[derive(Args, Debug)]
#[command(
    about = "Manage container sources",
    long_about = "Manage container sources",
    override_usage = "create|delete|update|list|describe"
)]
pub struct ContainerCommand {
    #[command(subcommand)]
    pub verb: Option<ContainerVerb>,
}

noun_verbs! {
    /// The verbs of `knit source container`.
    pub enum ContainerVerb for ContainerCommand at ["source", "container"] {
        Create(create::CreateArgs),
        Delete(delete::DeleteArgs),
        Update(update::UpdateArgs),
        #[command(alias = "ls")]
        List(list::ListArgs),
        Describe(describe::DescribeArgs),
        Diagnose(diagnose::DiagnoseArgs),
        Events(events::EventsArgs),
    }
}
