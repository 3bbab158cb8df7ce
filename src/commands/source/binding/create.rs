//! `knit source binding create NAME --subject SUBJECT --sink SINK`.

use clap::Args;

use super::BindingFlags;
use crate::client::kinds::SINK_BINDING;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{RequiredSinkArgs, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::binding::{BindingEdit, new_binding};
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Create a sink binding which connects a deployment 'myapp' with a Knative service 'mysvc'
  knit source binding create my-binding --subject Deployment:apps/v1:myapp --sink ksvc:mysvc";

/// Create a sink binding
#[derive(Args, Debug)]
#[command(
    about = "Create a sink binding",
    long_about = "Create a sink binding",
    override_usage = "NAME --subject SUBJECT --sink SINK",
    after_help = EXAMPLES,
    mut_arg("subject", |a| a.required(true))
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub flags: BindingFlags,
    #[command(flatten)]
    pub sink: RequiredSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "source binding create",
        "requires the name of the sink binding to create as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let sink = args.sink.resolve(ctx, write.client, namespace).await?;
    let edit = BindingEdit {
        subject: args.flags.subject.clone(),
        sink: Some(sink),
        ce_overrides: args.flags.ce.ce_overrides.clone(),
    };
    let message = messages::done_in_namespace("Sink binding", name, "created", namespace);
    write
        .create(
            &SINK_BINDING,
            &new_binding(name, namespace, &edit),
            &message,
        )
        .await
}
