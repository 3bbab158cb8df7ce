//! `knit service events NAME`: the events of a service and of everything under it.

use clap::Args;

use crate::client::kinds::SERVICE;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of service 'hello', its revisions and their pods
  knit service events hello

  # Keep printing new ones
  knit service events hello -w

  # As a JSON EventList
  knit service events hello -o json";

/// List the events of a service and everything under it
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a service and everything under it",
    long_about = "List the events of a service and everything under it (its configuration and route, its revisions and their deployments, replica sets and pods), oldest first, as 'kubectl events --for' lists one object's.",
    after_help = EXAMPLES,
)]
pub struct EventsArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        short = 'w',
        long = "watch",
        help = "After listing the events, keep printing new ones until interrupted (Ctrl-C)."
    )]
    pub watch: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn run(args: &EventsArgs, ctx: &Context) -> Result<()> {
    let [name] = args.names.as_slice() else {
        return Err(Error::usage_in(
            "service events",
            "'service events' requires the service name given as single argument",
        ));
    };
    let namespace = args.namespace.resolve(ctx)?;
    let printer = args.output.printer(false)?;
    let client = ctx.client().await?;
    client.get(&SERVICE, &namespace, name).await?;
    let scope = Scope::Service(name.clone());
    crate::events::print(client, &namespace, scope, args.watch, printer.as_ref(), ctx).await
}
