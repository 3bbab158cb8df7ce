//! `knit revision logs NAME`: the merged logs of every pod of one revision.

use clap::Args;

use crate::client::kinds::REVISION;
use crate::commands::args::logs::LogFlags;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::logs::REVISION_LABEL;

const EXAMPLES: &str = "Examples:
  # Print the logs of every pod of revision 'hello-00001'
  knit revision logs hello-00001

  # Follow them with their timestamps
  knit revision logs hello-00001 -f --timestamps";

/// Print the logs of a revision's pods
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "Print the logs of a revision's pods",
    long_about = "Print the logs of a revision's pods, merged by time and prefixed with their pod and container.\n\nIn the emulator the lines are emulated: they tell what happened to each container (started, ready, stopped).",
    after_help = EXAMPLES,
)]
pub struct LogsArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub flags: LogFlags,
}

pub async fn run(args: &LogsArgs, ctx: &Context) -> Result<()> {
    const COMMAND: &str = "revision logs";
    let [name] = args.names.as_slice() else {
        return Err(Error::usage_in(
            COMMAND,
            "'revision logs' requires the revision name given as single argument",
        ));
    };
    let namespace = args.namespace.resolve(ctx)?;
    let style = args.flags.style(ctx);
    // The flags are checked before anything is asked of the cluster.
    let mut settings = args
        .flags
        .settings(COMMAND, namespace.clone(), String::new())?;
    let client = ctx.client().await?;
    client.get(&REVISION, &namespace, name).await?;
    settings.selector = format!("{REVISION_LABEL}={name}");
    crate::logs::print(client, &settings, style, ctx).await
}
