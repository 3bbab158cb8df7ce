//! `knit secret` (alias `secrets`): core v1 Secrets (kn-reference §7.1).

pub mod create;
pub mod delete;
pub mod list;

use clap::Args;

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

noun_verbs! {
    /// The verbs of `knit secret`.
    pub enum SecretVerb for SecretCommand at ["secret"] {
        Create(create::CreateArgs),
        Delete(delete::DeleteArgs),
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
    }
}
