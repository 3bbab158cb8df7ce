//! `knit source container create NAME --image IMAGE --sink SINK`.

use clap::Args;

use crate::client::kinds::CONTAINER_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{RequiredSinkArgs, because, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::podspec::{PodSpecArgs, ProcessStdin};
use crate::context::Context;
use crate::edit::eventing::container::new_container_source;
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Create a ContainerSource 'src' to start a container with image 'docker.io/sample/image' and send messages to service 'mysvc'
  knit source container create src --image docker.io/sample/image --sink ksvc:mysvc";

/// Create a container source
#[derive(Args, Debug)]
#[command(
    about = "Create a container source",
    long_about = "Create a container source",
    override_usage = "NAME --image IMAGE --sink SINK",
    after_help = EXAMPLES,
    mut_arg("image", |a| a.required(true))
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub pod_spec: PodSpecArgs,
    #[command(flatten)]
    pub sink: RequiredSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "source container create",
        "requires the name of the source to create as single argument",
    )?;
    let pod_spec = args.pod_spec.to_edit(&mut ProcessStdin, false)?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let wrap = || {
        because(format!(
            "cannot create ContainerSource '{name}' in namespace '{namespace}' because"
        ))
    };
    let sink = args
        .sink
        .resolve(ctx, write.client, namespace)
        .await
        .map_err(wrap())?;
    let source = new_container_source(name, namespace, &pod_spec, &sink)
        .map_err(|e| Error::failed(e.to_string()))
        .map_err(wrap())?;
    let message = messages::done_in_namespace("ContainerSource", name, "created", namespace);
    write.create(&CONTAINER_SOURCE, &source, &message).await
}
