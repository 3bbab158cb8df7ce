//! `knit source ping`: PingSources (kn-reference §5.6).

pub mod create;
pub mod delete;
pub mod describe;
pub mod diagnose;
pub mod events;
pub mod list;
pub mod update;

use clap::Args;

use crate::error::Result;

/// Manage ping sources
#[derive(Args, Debug)]
#[command(
    about = "Manage ping sources",
    long_about = "Manage ping sources",
    override_usage = "COMMAND"
)]
pub struct PingCommand {
    #[command(subcommand)]
    pub verb: Option<PingVerb>,
}

noun_verbs! {
    /// The verbs of `knit source ping`.
    pub enum PingVerb for PingCommand at ["source", "ping"] {
        Create(create::CreateArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
        Update(update::UpdateArgs),
        #[command(alias = "ls")]
        List(list::ListArgs),
        Diagnose(diagnose::DiagnoseArgs),
        Events(events::EventsArgs),
    }
}

use crate::edit::eventing::ping::PingEncoding;

/// The flags `create` and `update` share.
#[derive(Args, Debug, Clone, Default)]
pub struct PingFlags {
    #[arg(
        long = "schedule",
        value_name = "string",
        help = "Optional schedule specification in crontab format (e.g. '*/2 * * * *' for every two minutes. By default fire every minute."
    )]
    pub schedule: Option<String>,
    #[arg(
        short = 'd',
        long = "data",
        value_name = "string",
        help = "Data to send in JSON format. This flag can implicitly determine the encoding of the supplied data (text | base64)."
    )]
    pub data: Option<String>,
    #[arg(
        short = 'e',
        long = "encoding",
        value_name = "string",
        help = "Data encoding format. One of: text | base64"
    )]
    pub encoding: Option<String>,
    #[command(flatten)]
    pub ce: crate::commands::args::eventing::CeOverrideArgs,
}

impl PingFlags {
    /// `--data` stored as kn stores it (`--encoding`, or sniffed), if given. kn checks
    /// `--encoding` (given or not with `--data`) after it knows the namespace and words the
    /// error as the failed `verb` ("create", "update") of `name`.
    pub fn data(
        &self,
        verb: &str,
        name: &str,
        namespace: &str,
    ) -> Result<Option<crate::edit::eventing::ping::PingData>> {
        let encoding = match self.encoding.as_deref().filter(|e| !e.is_empty()) {
            None => None,
            Some(text) => Some(text.parse::<PingEncoding>().map_err(|accepted| {
                crate::error::Error::usage(format!(
                    "cannot {verb} PingSource \"{name}\" in namespace \"{namespace}\" because: invalid value: {text}. {accepted}"
                ))
            })?),
        };
        Ok(self
            .data
            .as_ref()
            .map(|data| crate::edit::eventing::ping::PingData::new(data, encoding)))
    }
}
