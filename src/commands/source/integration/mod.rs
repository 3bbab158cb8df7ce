//! `knit source integration`: IntegrationSources (sources.knative.dev/v1alpha1), Apache Camel
//! Kamelets (timer, AWS S3/SQS/DynamoDB Streams) that send events to a sink.

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

/// Manage integration sources
#[derive(Args, Debug)]
#[command(
    about = "Manage integration sources",
    long_about = "Manage integration sources: Apache Camel Kamelets (timer, AWS S3, AWS SQS, AWS DynamoDB Streams) that send events to a sink",
    override_usage = "COMMAND"
)]
pub struct IntegrationCommand {
    #[command(subcommand)]
    pub verb: Option<IntegrationVerb>,
}

/// The verbs of `knit source integration`.
#[derive(Subcommand, Debug)]
pub enum IntegrationVerb {
    Create(create::CreateArgs),
    Delete(delete::DeleteArgs),
    Describe(describe::DescribeArgs),
    Update(update::UpdateArgs),
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    Diagnose(diagnose::DiagnoseArgs),
    Events(events::EventsArgs),
}

pub async fn run(cmd: IntegrationCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(crate::commands::no_subcommand(
            ctx,
            &["source", "integration"],
        )),
        Some(IntegrationVerb::Create(args)) => create::run(&args, ctx).await,
        Some(IntegrationVerb::Delete(args)) => delete::run(&args, ctx).await,
        Some(IntegrationVerb::Describe(args)) => describe::run(&args, ctx).await,
        Some(IntegrationVerb::Update(args)) => update::run(&args, ctx).await,
        Some(IntegrationVerb::List(args)) => list::run(&args, ctx).await,
        Some(IntegrationVerb::Diagnose(args)) => diagnose::run(&args, ctx).await,
        Some(IntegrationVerb::Events(args)) => events::run(&args, ctx).await,
    }
}
