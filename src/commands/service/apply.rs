//! `knit service apply NAME`: declarative create-or-update with kubectl's three-way JSON merge
//! patch against the `last-applied-configuration` annotation.

use std::path::PathBuf;

use clap::Args;
use serde_json::{Value, json};

use super::create::build_service;
use super::write_flow::{self, Latest};
use crate::client::PatchKind;
use crate::client::kinds::SERVICE;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::podspec::{
    ENV_FROM_HELP_CREATE, ENV_HELP_CREATE, ENV_VALUE_FROM_HELP_CREATE,
};
use crate::commands::args::service_edit::{
    ANNOTATION_HELP_CREATE, LABEL_HELP_CREATE, ServiceEditArgs,
};
use crate::commands::args::wait::WaitArgs;
use crate::context::Context;
use crate::edit::merge;
use crate::edit::service::Mode;
use crate::error::{Error, Result};
use crate::output::messages;

const EXAMPLES: &str = "Examples:

# Create an initial service with using 'knit service apply', if the service has not
# been already created
knit service apply s0 --image knativesamples/helloworld

# Apply the service again which is a no-operation if none of the options changed
knit service apply s0 --image knativesamples/helloworld

# Add an environment variable to your service. Note, that you have to always fully
# specify all parameters (in contrast to 'knit service update')
knit service apply s0 --image knativesamples/helloworld --env foo=bar

# Read the service declaration from a file
knit service apply s0 --filename my-svc.yml";

/// Apply a service declaration
#[derive(Args, Debug)]
#[command(
    about = "Apply a service declaration",
    long_about = "Apply a service declaration",
    override_usage = "NAME",
    after_help = EXAMPLES,
    args_override_self = true,
    mut_arg("env", |a| a.help(ENV_HELP_CREATE)),
    mut_arg("env-value-from", |a| a.help(ENV_VALUE_FROM_HELP_CREATE)),
    mut_arg("env_from", |a| a.help(ENV_FROM_HELP_CREATE)),
    mut_arg("annotation", |a| a.help(ANNOTATION_HELP_CREATE)),
    mut_arg("label", |a| a.help(LABEL_HELP_CREATE)),
    mut_arg("wait", |a| a.help("Wait for 'service apply' operation to be completed.")),
    mut_arg("no_wait", |a| a.help("Do not wait for 'service apply' operation to be completed.")),
    mut_arg("wait_timeout", |a| a.help("Seconds to wait before giving up on waiting for service to be ready.")),
    mut_arg("wait_window", |a| a.help("Seconds to wait for service to be ready after a false ready condition is returned")),
)]
pub struct ApplyArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub edit: ServiceEditArgs,
    /// Create service forcefully, replaces existing service if any.
    #[arg(verbatim_doc_comment, long = "force", hide = true)]
    pub force: bool,
    /// Create a service from file. The created service can be further modified by combining with other options. For example, -f /path/to/file --env NAME=value adds also an environment variable.
    #[arg(
        verbatim_doc_comment,
        short = 'f',
        long = "filename",
        value_name = "string"
    )]
    pub filename: Option<PathBuf>,
    #[command(flatten)]
    pub wait: WaitArgs,
}

pub async fn run(args: &ApplyArgs, ctx: &Context) -> Result<()> {
    let namespace = args.namespace.resolve(ctx)?;
    let wait = args.wait.resolve(true)?;
    // `--revision-name` has no meaning for a declaration (kn resets it too).
    let mut edit_args = args.edit.clone();
    edit_args.revision_name = None;
    let desired = build_service(
        ctx,
        &args.names,
        args.filename.as_ref(),
        &edit_args,
        &namespace,
        Mode::Apply,
        "apply",
    )?;
    let has_image = desired
        .pointer("/spec/template/spec/containers/0/image")
        .and_then(Value::as_str)
        .is_some_and(|image| !image.is_empty());
    if !has_image {
        return Err(Error::usage(
            "'service apply' requires the image name to run provided with the --image option",
        ));
    }
    let name = desired
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let declared = merge::declared_configuration(&desired);

    let client = ctx.client().await?;
    let Some(live) = client.get_opt(&SERVICE, &namespace, &name).await? else {
        client.create(&SERVICE, &namespace, &declared).await?;
        return write_flow::wait_if_requested(
            ctx,
            client,
            &name,
            &namespace,
            wait,
            write_flow::Report {
                heading: "Creating service",
                done: "created",
                before: None,
            },
        )
        .await;
    };
    let original = merge::last_applied(&live);
    if original.is_none() {
        ctx.eprint(&format!(
            "Warning: '{} service apply' should be used only for services created by '{} service apply'\n",
            crate::bin_name(),
            crate::bin_name()
        ))?;
    }
    let patch = merge::three_way_merge_patch(original.as_ref(), &declared, &live);
    if patch == json!({}) {
        ctx.println(&messages::no_changes_to_apply(&name))?;
        return write_flow::show_url(ctx, &live, Latest::Unchanged);
    }
    let after = client
        .patch(&SERVICE, &namespace, &name, &PatchKind::Merge(patch))
        .await?;
    let generation = |o: &Value| o.pointer("/metadata/generation").and_then(Value::as_i64);
    if generation(&live) == generation(&after) {
        ctx.println(&messages::no_changes_to_apply(&name))?;
        return write_flow::show_url(ctx, &after, Latest::Unchanged);
    }
    write_flow::wait_if_requested(
        ctx,
        client,
        &name,
        &namespace,
        wait,
        write_flow::Report {
            heading: "Applying service",
            done: "applied",
            before: None,
        },
    )
    .await
}
