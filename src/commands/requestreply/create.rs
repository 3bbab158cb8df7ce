//! `knit requestreply create NAME --broker BROKER [--timeout PERIOD] [--correlation-attribute A]
//! [--reply-attribute A] [--dead-letter-sink SINK]`.

use clap::Args;

use super::RequestReplyArgs;
use crate::client::kinds::REQUEST_REPLY;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{because, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::requestreply::new_request_reply;
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Create a request-reply 'rr' in front of broker 'default', waiting up to 10 seconds for a reply
  knit requestreply create rr --broker default --timeout PT10S";

/// Create a request-reply
#[derive(Args, Debug)]
#[command(
    about = "Create a request-reply",
    long_about = "Create a request-reply",
    override_usage = "NAME --broker BROKER",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
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

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "requestreply create",
        &format!(
            "'{bin} requestreply create' requires the request-reply name given as single argument"
        ),
    )?;
    let Some(broker) = args.broker.as_deref() else {
        return Err(Error::usage_in(
            "requestreply create",
            format!("'{bin} requestreply create' requires the broker given with --broker"),
        ));
    };
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let edit = args.settings.edit(ctx, Some(broker), namespace).await?;
    let rr = new_request_reply(name, namespace, &edit);
    let wrap = because(format!(
        "cannot create request-reply '{name}' in namespace '{namespace}' because"
    ));
    let message = messages::done_in_namespace("RequestReply", name, "created", namespace);
    write.create_or(&REQUEST_REPLY, &rr, &message, wrap).await
}
