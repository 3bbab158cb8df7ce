//! `knit integrationsink` (alias `integrationsinks`): IntegrationSinks (sinks.knative.dev/v1alpha1),
//! Apache Camel Kamelets (log, AWS S3/SQS/SNS) that receive events at an address.

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;
pub mod update;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

/// Manage integration sinks
#[derive(Args, Debug)]
#[command(
    about = "Manage integration sinks",
    long_about = "Manage integration sinks: Apache Camel Kamelets (log, AWS S3, AWS SQS, AWS SNS) that receive events at an address",
    override_usage = "COMMAND"
)]
pub struct IntegrationSinkCommand {
    #[command(subcommand)]
    pub verb: Option<IntegrationSinkVerb>,
}

/// The verbs of `knit integrationsink`.
#[derive(Subcommand, Debug)]
pub enum IntegrationSinkVerb {
    Create(create::CreateArgs),
    Delete(delete::DeleteArgs),
    Describe(describe::DescribeArgs),
    Update(update::UpdateArgs),
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
}

pub async fn run(cmd: IntegrationSinkCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(crate::commands::no_subcommand(ctx, &["integrationsink"])),
        Some(IntegrationSinkVerb::Create(args)) => create::run(&args, ctx).await,
        Some(IntegrationSinkVerb::Delete(args)) => delete::run(&args, ctx).await,
        Some(IntegrationSinkVerb::Describe(args)) => describe::run(&args, ctx).await,
        Some(IntegrationSinkVerb::Update(args)) => update::run(&args, ctx).await,
        Some(IntegrationSinkVerb::List(args)) => list::run(&args, ctx).await,
    }
}
