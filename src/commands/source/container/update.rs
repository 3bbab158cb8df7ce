//! `knit source container update NAME`: pod-spec flags and `--sink`.

use clap::Args;

use crate::client::kinds::CONTAINER_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{OptionalSinkArgs, because, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::podspec::{PodSpecArgs, ProcessStdin};
use crate::context::Context;
use crate::edit::eventing::container;
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Update a ContainerSource 'src' with a different image uri 'docker.io/sample/newimage'
  knit source container update src --image docker.io/sample/newimage";

/// Update a container source
#[derive(Args, Debug)]
#[command(
    about = "Update a container source",
    long_about = "Update a container source",
    override_usage = "NAME --image IMAGE",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub pod_spec: PodSpecArgs,
    #[command(flatten)]
    pub sink: OptionalSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "source container update",
        "requires the name of the source as single argument",
    )?;
    let pod_spec = args.pod_spec.to_edit(&mut ProcessStdin, false)?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let wrap = || {
        because(format!(
            "cannot update ContainerSource '{name}' in namespace '{namespace}' because"
        ))
    };
    let sink = args
        .sink
        .resolve(ctx, write.client, namespace)
        .await
        .map_err(wrap())?;
    let edit = |source: &mut serde_json::Value| -> Result<()> {
        container::apply(
            crate::edit::eventing::spec(source),
            &pod_spec,
            sink.as_ref(),
        )
        .map_err(|e| Error::failed(e.to_string()))
        .map_err(wrap())
    };
    let message = messages::done_in_namespace("Container source", name, "updated", namespace);
    write.update(&CONTAINER_SOURCE, name, edit, &message).await
}
