//! `knit broker` (alias `brokers`): Eventing brokers (kn-reference §6.1).

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

/// The verbs of `knit broker`.
#[derive(Subcommand, Debug)]
pub enum BrokerVerb {
    Create(create::CreateArgs),
    Describe(describe::DescribeArgs),
    Delete(delete::DeleteArgs),
    Diagnose(diagnose::DiagnoseArgs),
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    Update(update::UpdateArgs),
    Events(events::EventsArgs),
}

pub async fn run(cmd: BrokerCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(ctx, &["broker"])),
        Some(BrokerVerb::Create(args)) => create::run(&args, ctx).await,
        Some(BrokerVerb::Describe(args)) => describe::run(&args, ctx).await,
        Some(BrokerVerb::Delete(args)) => delete::run(&args, ctx).await,
        Some(BrokerVerb::Diagnose(args)) => diagnose::run(&args, ctx).await,
        Some(BrokerVerb::List(args)) => list::run(&args, ctx).await,
        Some(BrokerVerb::Update(args)) => update::run(&args, ctx).await,
        Some(BrokerVerb::Events(args)) => events::run(&args, ctx).await,
    }
}
