//! `knit source apiserver`: ApiServerSources (kn-reference §5.3).

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod update;

use clap::{Args, Subcommand};

use crate::commands::args::eventing::CeOverrideArgs;
use crate::context::Context;
use crate::edit::eventing::apiserver::{EventMode, ResourceArg};
use crate::error::Result;

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

/// The verbs of `knit source apiserver`.
#[derive(Subcommand, Debug)]
pub enum ApiServerVerb {
    Create(create::CreateArgs),
    Delete(delete::DeleteArgs),
    Update(update::UpdateArgs),
    #[command(alias = "ls")]
    List(list::ListArgs),
    Describe(describe::DescribeArgs),
    Diagnose(diagnose::DiagnoseArgs),
    Events(events::EventsArgs),
}

pub async fn run(cmd: ApiServerCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(crate::commands::no_subcommand(
            ctx,
            &["source", "apiserver"],
        )),
        Some(ApiServerVerb::Create(args)) => create::run(&args, ctx).await,
        Some(ApiServerVerb::Delete(args)) => delete::run(&args, ctx).await,
        Some(ApiServerVerb::Update(args)) => update::run(&args, ctx).await,
        Some(ApiServerVerb::List(args)) => list::run(&args, ctx).await,
        Some(ApiServerVerb::Describe(args)) => describe::run(&args, ctx).await,
        Some(ApiServerVerb::Diagnose(args)) => diagnose::run(&args, ctx).await,
        Some(ApiServerVerb::Events(args)) => events::run(&args, ctx).await,
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
