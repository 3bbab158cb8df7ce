//! `knit source binding`: SinkBindings (kn-reference §5.4).

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod update;

use clap::Args;

use crate::commands::args::eventing::CeOverrideArgs;
use crate::edit::eventing::binding::SubjectArg;

/// Manage sink bindings
#[derive(Args, Debug)]
#[command(
    about = "Manage sink bindings",
    long_about = "Manage sink bindings",
    override_usage = "COMMAND"
)]
pub struct BindingCommand {
    #[command(subcommand)]
    pub verb: Option<BindingVerb>,
}

noun_verbs! {
    /// The verbs of `knit source binding`.
    pub enum BindingVerb for BindingCommand at ["source", "binding"] {
        Create(create::CreateArgs),
        Update(update::UpdateArgs),
        Delete(delete::DeleteArgs),
        #[command(alias = "ls")]
        List(list::ListArgs),
        Describe(describe::DescribeArgs),
        Diagnose(diagnose::DiagnoseArgs),
        Events(events::EventsArgs),
    }
}

/// The flags of `update` (`create` makes `--subject` required).
#[derive(Args, Debug, Clone, Default)]
pub struct BindingFlags {
    #[arg(
        long = "subject",
        value_name = "string",
        help = "Subject which emits cloud events. This argument takes format kind:apiVersion:name for named resources or kind:apiVersion:labelKey1=value1,labelKey2=value2 for matching via a label selector"
    )]
    pub subject: Option<SubjectArg>,
    #[command(flatten)]
    pub ce: CeOverrideArgs,
}
