//! `knit secret` (alias `secrets`): core v1 Secrets (kn-reference §7.1).

pub mod create;
pub mod delete;
pub mod list;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;

/// Manage secrets
#[derive(Args, Debug)]
#[command(
    about = "Manage secrets",
    long_about = "Manage secrets",
    override_usage = "COMMAND"
)]
pub struct SecretCommand {
    #[command(subcommand)]
    pub verb: Option<SecretVerb>,
}

/// The verbs of `knit secret`.
#[derive(Subcommand, Debug)]
pub enum SecretVerb {
    Create(create::CreateArgs),
    Delete(delete::DeleteArgs),
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
}

pub async fn run(cmd: SecretCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(ctx, &["secret"])),
        Some(SecretVerb::Create(args)) => create::run(&args, ctx).await,
        Some(SecretVerb::Delete(args)) => delete::run(&args, ctx).await,
        Some(SecretVerb::List(args)) => list::run(&args, ctx).await,
    }
}
