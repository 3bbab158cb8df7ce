//! `knit service logs NAME`: the merged logs of every pod of a service, or of one revision
//! (`--revision`) or tag (`--tag`).

use clap::Args;

use crate::client::kinds::SERVICE;
use crate::commands::args::logs::LogFlags;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::logs::REVISION_LABEL;

const EXAMPLES: &str = "Examples:
  # Print the logs of every pod of service 'hello'
  knit service logs hello

  # Follow them, picking up pods as they start
  knit service logs hello -f

  # Only the revision behind tag 'candidate', with the queue-proxy's lines too
  knit service logs hello --tag candidate --all-containers

  # The last 20 lines of each pod from the last 5 minutes, as JSON lines
  knit service logs hello --since 5m --tail 20 -o json";

/// Print the logs of a service's pods
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "Print the logs of a service's pods",
    long_about = "Print the logs of a service's pods: the lines of every pod of the service (or of one revision or tag), merged by time and prefixed with their pod and container.\n\nIn the emulator the lines are emulated: they tell what happened to each container (started, ready, stopped).",
    after_help = EXAMPLES,
)]
pub struct LogsArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        long = "revision",
        value_name = "string",
        conflicts_with = "tag",
        help = "Only the pods of this revision of the service."
    )]
    pub revision: Option<String>,
    #[arg(
        long = "tag",
        value_name = "string",
        help = "Only the pods of the revision this traffic tag points to."
    )]
    pub tag: Option<String>,
    #[command(flatten)]
    pub flags: LogFlags,
}

pub async fn run(args: &LogsArgs, ctx: &Context) -> Result<()> {
    const COMMAND: &str = "service logs";
    let [name] = args.names.as_slice() else {
        return Err(Error::usage_in(
            COMMAND,
            "'service logs' requires the service name given as single argument",
        ));
    };
    let namespace = args.namespace.resolve(ctx)?;
    let style = args.flags.style(ctx);
    // The flags are checked before anything is asked of the cluster.
    let mut settings = args
        .flags
        .settings(COMMAND, namespace.clone(), String::new())?;
    let client = ctx.client().await?;
    settings.selector = match (&args.revision, &args.tag) {
        (Some(revision), _) => format!("{REVISION_LABEL}={revision}"),
        (None, Some(tag)) => {
            let service = client.get(&SERVICE, &namespace, name).await?;
            let revision = tagged_revision(&service, tag).ok_or_else(|| {
                Error::failed(format!("service '{name}' has no traffic tag '{tag}'"))
            })?;
            format!("{REVISION_LABEL}={revision}")
        }
        (None, None) => {
            // The service must exist: a typo is an error, not an empty log.
            client.get(&SERVICE, &namespace, name).await?;
            format!("serving.knative.dev/service={name}")
        }
    };
    crate::logs::print(client, &settings, style, ctx).await
}

/// The revision a traffic tag of the service routes to.
fn tagged_revision(service: &serde_json::Value, tag: &str) -> Option<String> {
    service
        .pointer("/status/traffic")?
        .as_array()?
        .iter()
        .find(|t| t.get("tag").and_then(|v| v.as_str()) == Some(tag))?
        .get("revisionName")?
        .as_str()
        .map(str::to_string)
}
