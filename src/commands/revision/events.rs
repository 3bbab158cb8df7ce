//! `knit revision events NAME`: the events of a revision and of its deployment and pods.

use clap::Args;

use crate::client::kinds::REVISION;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::events::Scope;

const EXAMPLES: &str = "Examples:
  # The events of revision 'hello-00001' and its pods
  knit revision events hello-00001

  # Keep printing new ones
  knit revision events hello-00001 -w";

/// List the events of a revision and its pods
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "List the events of a revision and its pods",
    long_about = "List the events of a revision and of its deployment, replica sets and pods, oldest first, as 'kubectl events --for' lists one object's.",
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
            "revision events",
            "'revision events' requires the revision name given as single argument",
        ));
    };
    let namespace = args.namespace.resolve(ctx)?;
    let printer = args.output.printer(false)?;
    let client = ctx.client().await?;
    client.get(&REVISION, &namespace, name).await?;
    let scope = Scope::Revision(name.clone());
    crate::events::print(client, &namespace, scope, args.watch, printer.as_ref(), ctx).await
}
