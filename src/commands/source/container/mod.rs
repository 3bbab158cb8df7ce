//! `knit source container`: ContainerSources (kn-reference §5.5), with the pod-spec flags of
//! `service create|update`.

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod update;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

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

/// The verbs of `knit source container`.
#[derive(Subcommand, Debug)]
pub enum ContainerVerb {
    Create(create::CreateArgs),
    Delete(delete::DeleteArgs),
    Update(update::UpdateArgs),
    #[command(alias = "ls")]
    List(list::ListArgs),
    Describe(describe::DescribeArgs),
    Diagnose(diagnose::DiagnoseArgs),
    Events(events::EventsArgs),
}

pub async fn run(cmd: ContainerCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(crate::commands::no_subcommand(
            ctx,
            &["source", "container"],
        )),
        Some(ContainerVerb::Create(args)) => create::run(&args, ctx).await,
        Some(ContainerVerb::Delete(args)) => delete::run(&args, ctx).await,
        Some(ContainerVerb::Update(args)) => update::run(&args, ctx).await,
        Some(ContainerVerb::List(args)) => list::run(&args, ctx).await,
        Some(ContainerVerb::Describe(args)) => describe::run(&args, ctx).await,
        Some(ContainerVerb::Diagnose(args)) => diagnose::run(&args, ctx).await,
        Some(ContainerVerb::Events(args)) => events::run(&args, ctx).await,
    }
}
