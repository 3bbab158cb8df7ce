//! `knit domain delete NAME`.

use clap::Args;

use crate::client::kinds::DOMAIN_MAPPING;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::write::dry_run;
use crate::output::messages;

const EXAMPLES: &str = "Examples:

  # Delete domain mappings 'hello.example.com'
  knit domain delete hello.example.com";

/// Delete a domain mapping
#[derive(Args, Debug)]
#[command(override_usage = "NAME", about = "Delete a domain mapping", long_about = "Delete a domain mapping", after_help = EXAMPLES)]
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
    if args.names.len() != 1 {
        return Err(Error::usage_in(
            "domain delete",
            format!("'{bin} domain delete' requires the domain name given as single argument"),
        ));
    }
    let name = &args.names[0];
    let namespace = args.namespace.resolve(ctx)?;
    let dry_run = args.dry_run.resolve()?;
    let client = ctx.client().await?;
    let message = messages::domain_mapping(name, "deleted", &namespace);
    dry_run::delete_one(
        ctx,
        client,
        dry_run.as_ref(),
        &DOMAIN_MAPPING,
        &namespace,
        name,
        &message,
    )
    .await
}
