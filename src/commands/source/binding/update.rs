//! `knit source binding update NAME`.

use clap::Args;

use super::BindingFlags;
use crate::client::kinds::SINK_BINDING;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{OptionalSinkArgs, check_not_deleting, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::binding::BindingEdit;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Update the subject of a sink binding 'my-binding' to a new cronjob with label selector 'app=ping'  
  knit source binding update my-binding --subject cronjob:batch/v1beta1:app=ping\"";

/// Update a sink binding
#[derive(Args, Debug)]
#[command(
    about = "Update a sink binding",
    long_about = "Update a sink binding",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub flags: BindingFlags,
    #[command(flatten)]
    pub sink: OptionalSinkArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "source binding update",
        "requires the name of the sink binding to update as single argument",
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let sink = args.sink.resolve(ctx, write.client, namespace).await?;
    let edit = BindingEdit {
        subject: args.flags.subject.clone(),
        sink,
        ce_overrides: args.flags.ce.ce_overrides.clone(),
    };
    let edit = |binding: &mut serde_json::Value| -> Result<()> {
        check_not_deleting(binding, || {
            format!("can't update binding {name} because it has been marked for deletion")
        })?;
        edit.apply(crate::edit::eventing::spec(binding), namespace);
        Ok(())
    };
    let message = messages::done_in_namespace("Sink binding", name, "updated", namespace);
    write.update(&SINK_BINDING, name, edit, &message).await
}
