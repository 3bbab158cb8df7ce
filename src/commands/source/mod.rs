//! `knit source` (alias `sources`): event sources (kn-reference §5): `list`, `list-types` and the
//! four built-in kinds, and IntegrationSources.

pub mod apiserver;
pub mod binding;
pub mod container;
pub mod discovery;
pub mod integration;
pub mod list;
pub mod list_types;
pub mod ping;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

/// Manage event sources
#[derive(Args, Debug)]
#[command(
    about = "Manage event sources",
    long_about = "Manage event sources",
    override_usage = "SOURCE|COMMAND"
)]
pub struct SourceCommand {
    #[command(subcommand)]
    pub verb: Option<SourceVerb>,
}

/// The verbs and kinds of `knit source`.
#[derive(Subcommand, Debug)]
pub enum SourceVerb {
    ListTypes(list_types::ListTypesArgs),
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    Apiserver(apiserver::ApiServerCommand),
    Ping(ping::PingCommand),
    Binding(binding::BindingCommand),
    Container(Box<container::ContainerCommand>),
    Integration(integration::IntegrationCommand),
}

pub async fn run(cmd: SourceCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(ctx, &["source"])),
        Some(SourceVerb::ListTypes(args)) => list_types::run(&args, ctx).await,
        Some(SourceVerb::List(args)) => list::run(&args, ctx).await,
        Some(SourceVerb::Apiserver(cmd)) => apiserver::run(cmd, ctx).await,
        Some(SourceVerb::Ping(cmd)) => ping::run(cmd, ctx).await,
        Some(SourceVerb::Binding(cmd)) => binding::run(cmd, ctx).await,
        Some(SourceVerb::Container(cmd)) => container::run(*cmd, ctx).await,
        Some(SourceVerb::Integration(cmd)) => integration::run(cmd, ctx).await,
    }
}
