//! `knit service import FILE`: recreate a Service and its revisions from `service export`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::client::kinds::{CONFIGURATION, REVISION, SERVICE};
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::wait::{WaitArgs, WaitHelp as _};
use crate::context::Context;
use crate::edit::export;
use crate::error::{Error, Result};
use crate::ops::write::service as service_write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:

 # Import a service from YAML file (Beta)
 knit service import /path/to/file.yaml

 # Import a service from JSON file (Beta)
 knit service import /path/to/file.json";

/// Import a service and its revisions (experimental)
#[derive(Args, Debug)]
#[command(
    about = "Import a service and its revisions (experimental)",
    long_about = "Import a service and its revisions (experimental)",
    override_usage = "FILENAME",
    after_help = EXAMPLES,
    wait_help("service import"),
    wait_timing_help("service", "ready"),
)]
pub struct ImportArgs {
    #[arg(value_name = "FILENAME")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &ImportArgs, ctx: &Context) -> Result<()> {
    let [file] = args.files.as_slice() else {
        return Err(Error::usage(format!(
            "'{} service import' requires filename of import file as single argument",
            crate::bin_name()
        )));
    };
    let namespace = args.namespace.resolve(ctx)?;
    let wait = args.wait.resolve(true)?;
    let dry_run = args.dry_run.resolve()?;
    let document = service_write::read_document(file)?;
    let plan =
        export::import_plan(&document, &namespace).map_err(|e| Error::usage(e.to_string()))?;
    let name = plan
        .service
        .pointer("/metadata/name")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string();

    let client = ctx.client().await?;
    if client.get_opt(&SERVICE, &namespace, &name).await?.is_some() {
        return Err(Error::failed(messages::service_exists_import(
            &name, &namespace,
        )));
    }
    if let Some(dry_run) = dry_run {
        // Revisions are owned by the Configuration the Service creates: without that
        // Configuration they cannot be simulated.
        if !plan.revisions.is_empty() {
            ctx.eprint(&format!(
                "Note: only the Service is part of the dry run; the {} revision(s) in the file would be created after it.\n",
                plan.revisions.len()
            ))?;
        }
        return dry_run
            .create(ctx, client, &SERVICE, &namespace, &plan.service)
            .await;
    }
    client.create(&SERVICE, &namespace, &plan.service).await?;
    if !plan.revisions.is_empty() {
        // The revisions are owned by the Configuration the Service creates; wait for it.
        let mut delay = Duration::from_millis(10);
        let configuration = loop {
            match client.get_opt(&CONFIGURATION, &namespace, &name).await? {
                Some(configuration) => break configuration,
                None if delay < Duration::from_secs(5) => {
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
                None => {
                    return Err(Error::failed(format!(
                        "configurations.serving.knative.dev \"{name}\" not found"
                    )));
                }
            }
        };
        for mut revision in plan.revisions {
            export::set_owner(&mut revision, &configuration);
            client.create(&REVISION, &namespace, &revision).await?;
        }
    }
    service_write::wait_if_requested(
        ctx,
        client,
        &name,
        &namespace,
        wait,
        service_write::Report {
            heading: "Importing service",
            done: "imported",
            before: None,
        },
    )
    .await
}
