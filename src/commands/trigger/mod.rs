//! `knit trigger` (alias `triggers`): Eventing triggers (kn-reference §6.2).

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

/// `--filters` of create and update: the syntax in one place.
pub const FILTERS_HELP: &str = "Filter with the dialects of spec.filters (an event must match every --filters given): exact:ATTR=VALUE, prefix:ATTR=VALUE, suffix:ATTR=VALUE, cesql:EXPRESSION, all(F, …), any(F, …), not(F), or one filter as a JSON object. Inside all/any/not, quote a value holding ',' or ')': any(exact:type='a,b', prefix:source=x)";

/// Manage event triggers
#[derive(Args, Debug)]
#[command(about = "Manage event triggers", long_about = "Manage event triggers")]
pub struct TriggerCommand {
    #[command(subcommand)]
    pub verb: Option<TriggerVerb>,
}

/// The verbs of `knit trigger`.
#[derive(Subcommand, Debug)]
pub enum TriggerVerb {
    Create(create::CreateArgs),
    Update(update::UpdateArgs),
    Describe(describe::DescribeArgs),
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    Delete(delete::DeleteArgs),
    Diagnose(diagnose::DiagnoseArgs),
    Events(events::EventsArgs),
}

pub async fn run(cmd: TriggerCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(ctx, &["trigger"])),
        Some(TriggerVerb::Create(args)) => create::run(&args, ctx).await,
        Some(TriggerVerb::Update(args)) => update::run(&args, ctx).await,
        Some(TriggerVerb::Describe(args)) => describe::run(&args, ctx).await,
        Some(TriggerVerb::List(args)) => list::run(&args, ctx).await,
        Some(TriggerVerb::Delete(args)) => delete::run(&args, ctx).await,
        Some(TriggerVerb::Diagnose(args)) => diagnose::run(&args, ctx).await,
        Some(TriggerVerb::Events(args)) => events::run(&args, ctx).await,
    }
}
