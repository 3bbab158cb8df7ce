//! `knit service` (aliases `ksvc`, `services`): the Knative Service verbs.

pub mod apply;
pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod export;
pub mod history;
pub mod import;
pub mod list;
pub mod logs;
pub mod rollback;
pub mod rollout;
pub mod update;
pub mod wait;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

/// Manage Knative services
#[derive(Args, Debug)]
#[command(
    override_usage = "[options]",
    about = "Manage Knative services",
    long_about = "Manage Knative services"
)]
pub struct ServiceCommand {
    #[command(subcommand)]
    pub verb: Option<ServiceVerb>,
}

/// The verbs of `knit service`.
#[derive(Subcommand, Debug)]
pub enum ServiceVerb {
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    Describe(describe::DescribeArgs),
    Create(Box<create::CreateArgs>),
    Update(Box<update::UpdateArgs>),
    Apply(Box<apply::ApplyArgs>),
    Export(export::ExportArgs),
    Import(import::ImportArgs),
    Delete(delete::DeleteArgs),
    Wait(wait::WaitArgs),
    Rollout(Box<rollout::RolloutArgs>),
    History(history::HistoryArgs),
    Rollback(Box<rollback::RollbackArgs>),
    Diagnose(diagnose::DiagnoseArgs),
    Logs(logs::LogsArgs),
    Events(events::EventsArgs),
}

pub async fn run(cmd: ServiceCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(ctx, &["service"])),
        Some(ServiceVerb::List(args)) => list::run(&args, ctx).await,
        Some(ServiceVerb::Describe(args)) => describe::run(&args, ctx).await,
        Some(ServiceVerb::Create(args)) => create::run(&args, ctx).await,
        Some(ServiceVerb::Update(args)) => update::run(&args, ctx).await,
        Some(ServiceVerb::Apply(args)) => apply::run(&args, ctx).await,
        Some(ServiceVerb::Export(args)) => export::run(&args, ctx).await,
        Some(ServiceVerb::Import(args)) => import::run(&args, ctx).await,
        Some(ServiceVerb::Delete(args)) => delete::run(&args, ctx).await,
        Some(ServiceVerb::Wait(args)) => wait::run(&args, ctx).await,
        Some(ServiceVerb::Rollout(args)) => rollout::run(&args, ctx).await,
        Some(ServiceVerb::History(args)) => history::run(&args, ctx).await,
        Some(ServiceVerb::Rollback(args)) => rollback::run(&args, ctx).await,
        Some(ServiceVerb::Diagnose(args)) => diagnose::run(&args, ctx).await,
        Some(ServiceVerb::Logs(args)) => logs::run(&args, ctx).await,
        Some(ServiceVerb::Events(args)) => events::run(&args, ctx).await,
    }
}
