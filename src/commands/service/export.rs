//! `knit service export NAME -o yaml|json`: a Service (and its routed revisions) as a file that
//! `service import` or `kubectl apply` recreates.

use clap::Args;

use crate::client::ListOptions;
use crate::client::kinds::{REVISION, SERVICE};
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::context::Context;
use crate::edit::export::{self, ExportMode};
use crate::error::{Error, Result};

const EXAMPLES: &str = "Examples:

  # Export a service in YAML format (Beta)
  knit service export foo -n bar -o yaml

  # Export a service in JSON format (Beta)
  knit service export foo -n bar -o json

  # Export a service with revisions (Beta)
  knit service export foo --with-revisions --mode=export -n bar -o json

  # Export services in kubectl friendly format, as a list kind, one service item for each revision (Beta)
  knit service export foo --with-revisions --mode=replay -n bar -o json";

/// Export a service and its revisions
#[derive(Args, Debug)]
#[command(
    about = "Export a service and its revisions",
    long_about = "Export a service and its revisions",
    override_usage = "NAME",
    after_help = EXAMPLES,
)]
pub struct ExportArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    /// Export all routed revisions (Beta)
    #[arg(verbatim_doc_comment, long = "with-revisions")]
    pub with_revisions: bool,
    /// Format for exporting all routed revisions. One of replay|export (Beta)
    #[arg(verbatim_doc_comment, long = "mode", value_name = "string")]
    pub mode: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn run(args: &ExportArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let [name] = args.names.as_slice() else {
        return Err(Error::usage(format!(
            "'{bin} service export' requires name of the service as single argument"
        )));
    };
    let mode = match args.mode.as_deref() {
        None | Some("" | "export") => ExportMode::Export,
        Some("replay") => ExportMode::Replay,
        Some(other) => {
            return Err(Error::usage(format!(
                "invalid argument \"{other}\" for \"--mode\" flag: accepted values: replay, export"
            )));
        }
    };
    let Some(printer) = args.output.printer(false)? else {
        return Err(Error::usage(format!(
            "'{bin} service export' requires output format"
        )));
    };
    let namespace = args.namespace.resolve(ctx)?;
    let client = ctx.client().await?;
    let service = client.get(&SERVICE, &namespace, name).await?;
    let revisions = if args.with_revisions {
        client
            .list(
                &REVISION,
                Some(&namespace),
                &ListOptions::labelled("serving.knative.dev/service", name),
            )
            .await?
            .items
    } else {
        Vec::new()
    };
    let exported = export::export(&service, &revisions, args.with_revisions, mode)
        .map_err(|e| Error::failed(e.to_string()))?;
    ctx.print(&printer.print(&exported)?)
}
