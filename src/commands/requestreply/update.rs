//! `knit requestreply update NAME [--broker BROKER] [--timeout PERIOD] …`.

use clap::Args;

use super::RequestReplyArgs;
use crate::client::kinds::REQUEST_REPLY;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Wait up to a minute for replies
  knit requestreply update rr --timeout PT1M";

/// Update a request-reply
#[derive(Args, Debug)]
#[command(
    about = "Update a request-reply",
    long_about = "Update a request-reply",
    override_usage = "NAME",
    after_help = EXAMPLES
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        long = "broker",
        value_name = "string",
        help = "Name of the broker (in the same namespace) that requests are sent to."
    )]
    pub broker: Option<String>,
    #[command(flatten)]
    pub settings: RequestReplyArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "requestreply update",
        &format!(
            "'{bin} requestreply update' requires the request-reply name given as single argument"
        ),
    )?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let edit = args
        .settings
        .edit(ctx, args.broker.as_deref(), namespace)
        .await?;
    let edit = |rr: &mut serde_json::Value| -> Result<()> {
        edit.apply(crate::edit::eventing::spec(rr));
        Ok(())
    };
    let message = messages::done_in_namespace("RequestReply", name, "updated", namespace);
    write.update(&REQUEST_REPLY, name, edit, &message).await
}
