//! `knit eventtype delete NAME`.

use clap::Args;

use crate::client::kinds::EVENT_TYPE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{because, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Delete eventtype 'myeventtype' in the current namespace
  knit eventtype delete myeventtype

  # Delete eventtype 'myeventtype' in the 'myproject' namespace
  knit eventtype delete myeventtype --namespace myproject";

/// Delete eventtype
#[derive(Args, Debug)]
#[command(
    about = "Delete eventtype",
    long_about = "Delete eventtype",
    override_usage = "",
    after_help = EXAMPLES
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
    let name = single_name(
        &args.names,
        "eventtype delete",
        "'eventtype delete' requires the eventtype name given as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let message = messages::eventtype_successfully(name, "deleted", &write.namespace);
    write
        .delete(&EVENT_TYPE, name, &message)
        .await
        .map_err(because(format!(
            "cannot delete eventtype '{name}' in namespace '{}' because",
            write.namespace
        )))
}
