//! `knit integrationsink update NAME`.

use clap::Args;

use crate::client::kinds::INTEGRATION_SINK;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::integration::SinkTypeArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::integration::SINK_TYPES;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Also log the body type, and stop showing headers
  knit integrationsink update logger --log showBodyType=true,showHeaders-";

/// Update an integration sink
#[derive(Args, Debug)]
#[command(
    about = "Update an integration sink",
    long_about = "Update an integration sink",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub types: SinkTypeArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "integrationsink update",
        "name of integration sink required",
    )?;
    let edit = args.types.edit(false)?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let edit = |sink: &mut serde_json::Value| -> Result<()> {
        edit.apply(crate::edit::eventing::spec(sink), SINK_TYPES);
        Ok(())
    };
    let message = messages::done_in_namespace("Integration sink", name, "updated", namespace);
    write.update(&INTEGRATION_SINK, name, edit, &message).await
}
