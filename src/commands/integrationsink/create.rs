//! `knit integrationsink create NAME --log|--aws-… SETTINGS`.

use clap::Args;

use crate::client::kinds::INTEGRATION_SINK;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::integration::SinkTypeArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::integration::new_sink;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Log every event it receives, with its headers
  knit integrationsink create logger --log level=INFO,showHeaders=true

  # Publish the events to an SNS topic
  knit integrationsink create alerts --aws-sns arn=arn:aws:sns:eu-west-1:123:alerts,region=eu-west-1 --aws-secret aws-creds";

/// Create an integration sink
#[derive(Args, Debug)]
#[command(
    about = "Create an integration sink",
    long_about = "Create an integration sink",
    override_usage = "NAME --log|--aws-s3|--aws-sqs|--aws-sns SETTINGS",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub types: SinkTypeArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "integrationsink create",
        "requires the name of the integration sink to create as single argument",
    )?;
    let edit = args.types.edit(true)?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let message = messages::done_in_namespace("Integration sink", name, "created", namespace);
    write
        .create(
            &INTEGRATION_SINK,
            &new_sink(name, namespace, &edit),
            &message,
        )
        .await
}
