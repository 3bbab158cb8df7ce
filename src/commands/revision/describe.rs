//! `knit revision describe NAME`.

use clap::Args;

use crate::api::from_value;
use crate::api::serving::{Revision, SERVICE_LABEL, Service};
use crate::client::kinds::{REVISION, SERVICE};
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::views::revision::view;

const EXAMPLES: &str = "Examples:

  # Show details of a revision 'hello-00001' in human friendly format
  knit revision describe hello-00001

  # Show details of a revision in YAML format
  knit revision describe hello-00001 -o yaml";

/// Show details of a revision
#[derive(Args, Debug)]
#[command(about = "Show details of a revision", long_about = "Show details of a revision", after_help = EXAMPLES)]
pub struct DescribeArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[arg(help = "More output.", short = 'v', long = "verbose")]
    pub verbose: bool,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    if args.names.len() != 1 {
        return Err(Error::usage_in(
            "revision describe",
            format!("'{bin} revision describe' requires name of the revision as single argument"),
        ));
    }
    let name = &args.names[0];
    let printer = args.output.printer(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let client = ctx.client().await?;
    let object = client.get(&REVISION, &namespace, name).await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print(&object)?);
    }
    let revision: Revision = from_value(&object)?;
    let service = match revision.metadata.labels.get(SERVICE_LABEL) {
        Some(service) if args.verbose => {
            let object = client.get_opt(&SERVICE, &namespace, service).await?;
            object.as_ref().map(from_value::<Service>).transpose()?
        }
        _ => None,
    };
    ctx.print(&view::describe(
        &revision,
        service.as_ref(),
        args.verbose,
        ctx.now,
    ))
}
