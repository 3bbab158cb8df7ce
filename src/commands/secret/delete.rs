//! `knit secret delete NAME` (it says what it did; kn printed nothing).

use clap::Args;

use crate::client::kinds::SECRET;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

/// Delete secret
#[derive(Args, Debug)]
#[command(
    about = "Delete secret",
    long_about = "Delete secret",
    override_usage = "NAME"
)]
pub struct DeleteArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &DeleteArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "secret delete",
        &format!("'{bin} secret delete' requires the Secret name given as single argument"),
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::done_in_namespace("Secret", name, "deleted", &write.namespace);
    write.delete(&SECRET, name, &message).await
}
