//! `knit source integration update NAME`.

use clap::Args;

use crate::client::kinds::INTEGRATION_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{CeOverrideArgs, OptionalSinkArgs, single_name};
use crate::commands::args::integration::SourceTypeArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::integration::SOURCE_TYPES;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Fire every second and stop after ten events
  knit source integration update ticker --timer period=1000,repeatCount=10

  # Send to service 'other' instead
  knit source integration update ticker --sink ksvc:other";

/// Update an integration source
#[derive(Args, Debug)]
#[command(
    about = "Update an integration source",
    long_about = "Update an integration source",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub types: SourceTypeArgs,
    #[command(flatten)]
    pub sink: OptionalSinkArgs,
    #[command(flatten)]
    pub ce: CeOverrideArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "source integration update",
        "name of integration source required",
    )?;
    let mut edit = args.types.edit(false)?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    edit.sink = args.sink.resolve(ctx, write.client, namespace).await?;
    edit.ce_overrides = args.ce.ce_overrides.clone();
    let edit = |source: &mut serde_json::Value| -> Result<()> {
        edit.apply(crate::edit::eventing::spec(source), SOURCE_TYPES);
        Ok(())
    };
    let message = messages::done_in_namespace("Integration source", name, "updated", namespace);
    write
        .update(&INTEGRATION_SOURCE, name, edit, &message)
        .await
}
