//! `knit service wait NAME`.

use clap::Args;

use crate::client::kinds::SERVICE;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::wait::{WaitHelp as _, WaitTimingArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::wait::wait_for_ready;
use crate::output::messages;
use crate::output::progress::Progress;

const EXAMPLES: &str = "Examples:
  # Waits on a service 'svc'
  knit service wait svc

  # Waits on a service 'svc' with a timeout
  knit service wait svc --wait-timeout 10

  # Waits on a service 'svc' with a timeout and wait window
  knit service wait svc --wait-timeout 10 --wait-window 1";

/// Wait for a service to be ready
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "Wait for a service to be ready",
    long_about = "Wait for a service to be ready",
    after_help = EXAMPLES,
    wait_timing_help("service", "ready"),
)]
pub struct WaitArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub timing: WaitTimingArgs,
}

pub async fn run(args: &WaitArgs, ctx: &Context) -> Result<()> {
    if args.names.len() != 1 {
        return Err(Error::usage_in(
            "service wait",
            "'service wait' requires the service name given as single argument",
        ));
    }
    let name = &args.names[0];
    let namespace = args.namespace.resolve(ctx)?;
    let client = ctx.client().await?;
    ctx.print(&format!(
        "{}\n\n",
        messages::waiting_for_service(name, &namespace)
    ))?;
    let mut progress = Progress::stdout(ctx.stdout_tty);
    wait_for_ready(
        client,
        &SERVICE,
        &namespace,
        name,
        args.timing.settings(),
        &mut progress,
    )
    .await?;
    ctx.print(&format!(
        "\n{}\n",
        messages::service_ready(name, &namespace)
    ))
}
