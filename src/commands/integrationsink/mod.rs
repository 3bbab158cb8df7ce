//! `knit integrationsink` (alias `integrationsinks`): IntegrationSinks (sinks.knative.dev/v1alpha1),
//! Apache Camel Kamelets (log, AWS S3/SQS/SNS) that receive events at an address.

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;
pub mod update;

use clap::Args;

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

noun_verbs! {
    /// The verbs of `knit integrationsink`.
    pub enum IntegrationSinkVerb for IntegrationSinkCommand at ["integrationsink"] {
        Create(create::CreateArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
        Update(update::UpdateArgs),
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
    }
}
