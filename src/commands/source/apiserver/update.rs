//! `knit source apiserver update NAME`: `--resource X` appends, `--resource X-` removes.

use clap::Args;

use super::ApiServerFlags;
use crate::client::kinds::API_SERVER_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{OptionalSinkArgs, check_not_deleting, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::apiserver::ApiServerEdit;
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Update an ApiServerSource 'k8sevents' with different service account and sink service
  knit source apiserver update k8sevents --service-account newsa --sink ksvc:newsvc";

/// Update an api-server source
#[derive(Args, Debug)]
#[command(
    about = "Update an api-server source",
    long_about = "Update an api-server source",
    override_usage = "NAME",
    after_help = EXAMPLES,
    mut_arg("mode", |a| a.help(format!("{} (default \"Reference\")", super::MODE_HELP)))
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub flags: ApiServerFlags,
    #[command(flatten)]
    pub sink: OptionalSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "source apiserver update",
        "requires the name of the source as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let sink = args.sink.resolve(ctx, write.client, namespace).await?;
    let edit = ApiServerEdit {
        resources: args.flags.resources.clone(),
        mode: args.flags.mode,
        service_account: args.flags.service_account.clone(),
        sink,
        ce_overrides: args.flags.ce.ce_overrides.clone(),
    };
    let edit = |source: &mut serde_json::Value| -> Result<()> {
        check_not_deleting(source, || {
            format!("can't update apiserver source {name} because it has been marked for deletion")
        })?;
        edit.apply(crate::edit::eventing::spec(source))
            .map_err(|e| Error::failed(e.to_string()))
    };
    let message = messages::done_in_namespace("ApiServer source", name, "updated", namespace);
    write.update(&API_SERVER_SOURCE, name, edit, &message).await
}
