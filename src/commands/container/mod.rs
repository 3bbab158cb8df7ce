//! `knit container` (alias `containers`): build multi-container pod specs (experimental).

pub mod add;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

/// Manage service's containers (experimental)
#[derive(Args, Debug)]
#[command(
    about = "Manage service's containers (experimental)",
    long_about = "Manage service's containers (experimental)",
    override_usage = "COMMAND"
)]
pub struct ContainerCommand {
    #[command(subcommand)]
    pub verb: Option<ContainerVerb>,
}

/// The verbs of `knit container`.
#[derive(Subcommand, Debug)]
pub enum ContainerVerb {
    Add(Box<add::AddArgs>),
}

pub async fn run(cmd: ContainerCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(ctx, &["container"])),
        Some(ContainerVerb::Add(args)) => add::run(&args, ctx),
    }
}
