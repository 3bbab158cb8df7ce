//! `knit source apiserver create NAME --resource RESOURCE --sink SINK`.

use clap::Args;

use super::ApiServerFlags;
use crate::client::kinds::API_SERVER_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{RequiredSinkArgs, because, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::apiserver::{ApiServerEdit, EventMode, new_apiserver};
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Create an ApiServerSource 'k8sevents' which consumes Kubernetes events and sends message to service 'mysvc' as a cloudevent
  knit source apiserver create k8sevents --resource Event:v1 --service-account myaccountname --sink ksvc:mysvc";

/// Create an api-server source
#[derive(Args, Debug)]
#[command(
    about = "Create an api-server source",
    long_about = "Create an api-server source",
    override_usage = "NAME --resource RESOURCE --sink SINK",
    after_help = EXAMPLES,
    mut_arg("resources", |a| a.required(true)),
    mut_arg("mode", |a| a.default_value("Reference"))
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub flags: ApiServerFlags,
    #[command(flatten)]
    pub sink: RequiredSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "source apiserver create",
        "requires the name of the source to create as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let sink = args
        .sink
        .resolve(ctx, write.client, namespace)
        .await
        .map_err(because(format!(
            "cannot create ApiServerSource '{name}' in namespace '{namespace}' because"
        )))?;
    let edit = ApiServerEdit {
        resources: args.flags.resources.clone(),
        mode: Some(args.flags.mode.unwrap_or(EventMode::Reference)),
        service_account: args.flags.service_account.clone().filter(|s| !s.is_empty()),
        sink: Some(sink),
        ce_overrides: args.flags.ce.ce_overrides.clone(),
    };
    let source = new_apiserver(name, namespace, &edit)
        .map_err(|e| Error::usage_in("source apiserver create", e.to_string()))?;
    let message = messages::done_in_namespace("ApiServer source", name, "created", namespace);
    write.create(&API_SERVER_SOURCE, &source, &message).await
}
