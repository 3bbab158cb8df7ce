//! `knit source integration`: IntegrationSources (sources.knative.dev/v1alpha1), Apache Camel
//! Kamelets (timer, AWS S3/SQS/DynamoDB Streams) that send events to a sink.

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod update;

use clap::Args;

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

noun_verbs! {
    /// The verbs of `knit source integration`.
    pub enum IntegrationVerb for IntegrationCommand at ["source", "integration"] {
        Create(create::CreateArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
        Update(update::UpdateArgs),
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
        Diagnose(diagnose::DiagnoseArgs),
        Events(events::EventsArgs),
    }
}
