//! `knit service history NAME`: the service's revisions, oldest first, with traffic, tags and
//! what each changed from the one before.

use clap::Args;

use crate::api::serving::SERVICE_LABEL;
use crate::client::ListOptions;
use crate::client::kinds::{REVISION, SERVICE};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::structured::{to_go_json, to_yaml};
use crate::output::views::history;

const EXAMPLES: &str = "Examples:

  # The revisions of service 'web', with what each one changed
  knit service history web

  # The same as JSON, for scripts
  knit service history web -o json";

/// Show the revision history of a service
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "Show the revision history of a service",
    long_about = "Show the revisions of a service, oldest first: their configuration generation, age, share of the traffic, tags, image, and what each changed from the revision before it (image, env, autoscaling, other spec fields).",
    after_help = EXAMPLES
)]
pub struct HistoryArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    /// Output format. One of: json|yaml.
    #[arg(short, long, value_name = "string")]
    pub output: Option<String>,
    /// When printing the table, don't print the header row.
    #[arg(long = "no-headers")]
    pub no_headers: bool,
}

pub async fn run(args: &HistoryArgs, ctx: &Context) -> Result<()> {
    let [name] = args.names.as_slice() else {
        return Err(Error::usage_in(
            "service history",
            "'service history' requires the service name given as single argument",
        ));
    };
    if let Some(format) = args
        .output
        .as_deref()
        .filter(|f| !["json", "yaml"].contains(f))
    {
        return Err(Error::usage_in(
            "service history",
            format!("invalid --output {format:?}: accepted formats are json and yaml"),
        ));
    }
    let namespace = args.namespace.resolve(ctx)?;
    let client = ctx.client().await?;
    let service = client.get(&SERVICE, &namespace, name).await?;
    let options = ListOptions::labelled(SERVICE_LABEL, name);
    let revisions = client.list(&REVISION, Some(&namespace), &options).await?;
    let entries = history::entries(&service, &revisions.items);
    let text = match args.output.as_deref() {
        Some("json") => to_go_json(&entries)?,
        Some(_) => to_yaml(&entries)?,
        None if entries.is_empty() => {
            return ctx.eprint(&format!("No revisions found for service '{name}'.\n"));
        }
        None => history::table(&entries, ctx.now).render(!args.no_headers),
    };
    ctx.print(&text)
}
