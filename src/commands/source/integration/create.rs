//! `knit source integration create NAME --timer|--aws-… SETTINGS --sink SINK`.

use clap::Args;

use crate::client::kinds::INTEGRATION_SOURCE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{CeOverrideArgs, RequiredSinkArgs, single_name};
use crate::commands::args::integration::SourceTypeArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::integration::new_source;
use crate::error::Result;
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Send a 'hello' event every two seconds to broker 'default'
  knit source integration create ticker --timer period=2000,message=hello --sink broker:default

  # Send the messages of an SQS queue to service 'mysvc'
  knit source integration create orders --aws-sqs arn=arn:aws:sqs:eu-west-1:123:orders,region=eu-west-1 --aws-secret aws-creds --sink ksvc:mysvc";

/// Create an integration source
#[derive(Args, Debug)]
#[command(
    about = "Create an integration source",
    long_about = "Create an integration source",
    override_usage = "NAME --timer|--aws-s3|--aws-sqs|--aws-ddb-streams SETTINGS --sink SINK",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub types: SourceTypeArgs,
    #[command(flatten)]
    pub sink: RequiredSinkArgs,
    #[command(flatten)]
    pub ce: CeOverrideArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "source integration create",
        "requires the name of the integration source to create as single argument",
    )?;
    let mut edit = args.types.edit(true)?;
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    edit.sink = Some(args.sink.resolve(ctx, write.client, namespace).await?);
    edit.ce_overrides = args.ce.ce_overrides.clone();
    let message = messages::done_in_namespace("Integration source", name, "created", namespace);
    write
        .create(
            &INTEGRATION_SOURCE,
            &new_source(name, namespace, &edit),
            &message,
        )
        .await
}
