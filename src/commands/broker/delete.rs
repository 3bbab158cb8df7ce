//! `knit broker delete NAME`, optionally waiting until the broker is gone (`--wait`).

use std::time::Duration;

use clap::Args;

use crate::client::kinds::BROKER;
use crate::client::{Client, Propagation};
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{because, single_name};
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::wait::WaitArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Delete a broker 'mybroker' in the current namespace
  knit broker create mybroker

  # Delete a broker 'mybroker' in the 'myproject' namespace
  knit broker create mybroker --namespace myproject";

/// Delete a broker
#[derive(Args, Debug)]
#[command(
    about = "Delete a broker",
    long_about = "Delete a broker",
    override_usage = "NAME",
    after_help = EXAMPLES,
    mut_arg("wait", |a| a.help("Wait for 'broker delete' operation to be completed.")),
    mut_arg("no_wait", |a| a.help("Do not wait for 'broker delete' operation to be completed. (default true)")),
    mut_arg("wait_timeout", |a| a.help("Seconds to wait before giving up on waiting for broker to be deleted.")),
    mut_arg("wait_window", |a| a.help("Seconds to wait for broker to be deleted after a false ready condition is returned"))
)]
pub struct DeleteArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &DeleteArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "broker delete",
        "'broker delete' requires the broker name given as single argument",
    )?;
    let wait = args.wait.resolve(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let dry_run = args.dry_run.resolve()?;
    let client = ctx.client().await?;
    let wrap = || {
        because(format!(
            "cannot delete broker '{name}' in namespace '{namespace}' because"
        ))
    };
    if let Some(dry_run) = dry_run {
        let message = messages::broker_successfully(name, "deleted", &namespace);
        return dry_run
            .delete(ctx, client, &BROKER, &namespace, name, &message)
            .await
            .map_err(wrap());
    }
    match wait {
        None => client
            .delete(&BROKER, &namespace, name, Propagation::Background)
            .await
            .map_err(wrap())?,
        Some(settings) => {
            client
                .delete(&BROKER, &namespace, name, Propagation::Foreground)
                .await
                .map_err(wrap())?;
            wait_deleted(client, &namespace, name, settings.timeout)
                .await
                .map_err(wrap())?;
        }
    }
    ctx.println(&messages::broker_successfully(name, "deleted", &namespace))
}

/// Waits until the broker no longer exists, bounded by `timeout`.
async fn wait_deleted(
    client: &Client,
    namespace: &str,
    name: &str,
    timeout: Duration,
) -> Result<()> {
    let watch = crate::ops::wait::until_deleted(client, &BROKER, namespace, name, String::new());
    match tokio::time::timeout(timeout, watch).await {
        Ok(result) => result,
        Err(_) => Err(Error::failed(messages::eventing_timeout(
            "broker",
            name,
            timeout.as_secs(),
        ))),
    }
}
