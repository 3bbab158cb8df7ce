//! `knit revision describe NAME`.

use clap::Args;

use crate::api::from_value;
use crate::api::serving::{Revision, SERVICE_LABEL, Service};
use crate::client::kinds::{REVISION, SERVICE};
use crate::commands::args::output::DescribeFlags;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::DescribeTarget;
use crate::output::views::revision::view;

/// Show details of a revision
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "Show details of a revision",
    long_about = "Show details of a revision"
)]
pub struct DescribeArgs {
    #[command(flatten)]
    pub describe: DescribeFlags,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let DescribeTarget {
        name,
        printer,
        namespace,
    } = args.describe.resolve(
        ctx,
        "revision describe",
        &format!("'{bin} revision describe' requires name of the revision as single argument"),
        false,
    )?;
    let verbose = args.describe.verbose;
    let client = ctx.client().await?;
    let object = client.get(&REVISION, &namespace, name).await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print(&object)?);
    }
    let revision: Revision = from_value(&object)?;
    let service = match revision.metadata.labels.get(SERVICE_LABEL) {
        Some(service) if verbose => {
            let object = client.get_opt(&SERVICE, &namespace, service).await?;
            object.as_ref().map(from_value::<Service>).transpose()?
        }
        _ => None,
    };
    ctx.print(&view::describe(
        &revision,
        service.as_ref(),
        verbose,
        ctx.now,
    ))
}
