//! `knit revision diff A B`: a unified diff of two revisions' templates (spec, image and
//! autoscaling annotations), as YAML.

use clap::Args;

use crate::client::kinds::REVISION;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::rollback::template_of;
use crate::error::{Error, Result};
use crate::output::diff;

const EXAMPLES: &str = "Examples:

  # What changed from revision web-00001 to web-00003
  knit revision diff web-00001 web-00003";

/// Show the differences between two revisions
#[derive(Args, Debug)]
#[command(
    override_usage = "REVISION REVISION",
    about = "Show the differences between two revisions",
    long_about = "Show a unified diff of two revisions' templates: their spec and the image and autoscaling annotations their template set, as YAML. Prints nothing (and says so on stderr) when they are the same.",
    after_help = EXAMPLES
)]
pub struct DiffArgs {
    #[arg(value_name = "REVISION")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
}

pub async fn run(args: &DiffArgs, ctx: &Context) -> Result<()> {
    let [old, new] = args.names.as_slice() else {
        return Err(Error::usage_in(
            "revision diff",
            format!(
                "'revision diff' requires two revision names, not {}",
                args.names.len()
            ),
        ));
    };
    let namespace = args.namespace.resolve(ctx)?;
    let client = ctx.client().await?;
    let (a, b) = futures::join!(
        client.get(&REVISION, &namespace, old),
        client.get(&REVISION, &namespace, new)
    );
    let (a, b) = (a?, b?);
    let text = diff::unified_between(
        &template_of(&a),
        &template_of(&b),
        (&format!("revision/{old}"), &format!("revision/{new}")),
    )?;
    if text.is_empty() {
        return ctx.eprint(&format!(
            "Revisions '{old}' and '{new}' have the same template.\n"
        ));
    }
    ctx.print(&diff::colorize(&text))
}
