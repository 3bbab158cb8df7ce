//! `knit source apiserver`: ApiServerSources (kn-reference §5.3).

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod update;

use clap::Args;

use crate::commands::args::eventing::CeOverrideArgs;
use crate::edit::eventing::apiserver::{EventMode, ResourceArg};

/// Manage Kubernetes api-server sources
#[derive(Args, Debug)]
#[command(
    about = "Manage Kubernetes api-server sources",
    long_about = "Manage Kubernetes api-server sources",
    override_usage = "COMMAND"
)]
pub struct ApiServerCommand {
    #[command(subcommand)]
    pub verb: Option<ApiServerVerb>,
}

noun_verbs! {
    /// The verbs of `knit source apiserver`.
    pub enum ApiServerVerb for ApiServerCommand at ["source", "apiserver"] {
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

const MODE_HELP: &str = "The mode the receive adapter controller runs under:,
\"Reference\" sends only the reference to the resource,
\"Resource\" send the full resource.";

const RESOURCE_HELP: &str = "Specification for which events to listen, in the format Kind:APIVersion:LabelSelector, e.g. \"Event:sourcesv1:key=value\".
\"LabelSelector\" is a list of comma separated key value pairs. \"LabelSelector\" can be omitted, e.g. \"Event:sourcesv1\".";

/// The flags of `update` (`create` makes `--resource` required and defaults `--mode`).
#[derive(Args, Debug, Clone, Default)]
pub struct ApiServerFlags {
    #[arg(
        long = "service-account",
        value_name = "string",
        help = "Name of the service account to use to run this source"
    )]
    pub service_account: Option<String>,
    #[arg(long = "mode", value_name = "string", help = MODE_HELP)]
    pub mode: Option<EventMode>,
    #[arg(long = "resource", value_name = "stringArray", help = RESOURCE_HELP)]
    pub resources: Vec<ResourceArg>,
    #[command(flatten)]
    pub ce: CeOverrideArgs,
}
