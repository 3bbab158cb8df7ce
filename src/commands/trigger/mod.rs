//! `knit trigger` (alias `triggers`): Eventing triggers (kn-reference §6.2).

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod update;

use clap::Args;

/// `--filters` of create and update: the syntax in one place.
pub const FILTERS_HELP: &str = "Filter with the dialects of spec.filters (an event must match every --filters given): exact:ATTR=VALUE, prefix:ATTR=VALUE, suffix:ATTR=VALUE, cesql:EXPRESSION, all(F, …), any(F, …), not(F), or one filter as a JSON object. Inside all/any/not, quote a value holding ',' or ')': any(exact:type='a,b', prefix:source=x)";

/// Manage event triggers
#[derive(Args, Debug)]
#[command(about = "Manage event triggers", long_about = "Manage event triggers")]
pub struct TriggerCommand {
    #[command(subcommand)]
    pub verb: Option<TriggerVerb>,
}

noun_verbs! {
    /// The verbs of `knit trigger`.
    pub enum TriggerVerb for TriggerCommand at ["trigger"] {
        Create(create::CreateArgs),
        Update(update::UpdateArgs),
        Describe(describe::DescribeArgs),
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
        Delete(delete::DeleteArgs),
        Diagnose(diagnose::DiagnoseArgs),
        Events(events::EventsArgs),
    }
}
