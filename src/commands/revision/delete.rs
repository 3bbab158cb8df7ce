//! `knit revision delete NAME [NAME …] | --prune SERVICE | --prune-all`.

use std::collections::HashSet;

use clap::Args;

use crate::api::from_value;
use crate::api::serving::{ROUTING_STATE_LABEL, Revision, SERVICE_LABEL, Service};
use crate::client::kinds::{REVISION, SERVICE};
use crate::client::{Client, ListOptions, Propagation};
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::wait::{WaitArgs, WaitHelp as _};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::wait::delete_and_wait;
use crate::ops::write::dry_run::delete_each;
use crate::output::messages;

const EXAMPLES: &str = "Examples:

  # Delete a revision 'svc1-abcde' in default namespace
  knit revision delete svc1-abcde

  # Delete all unreferenced revisions
  knit revision delete --prune-all

  # Delete all unreferenced revisions for a given service 'mysvc'
  knit revision delete --prune mysvc";

/// Delete revisions
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME [NAME ...]",
    about = "Delete revisions",
    long_about = "Delete revisions",
    after_help = EXAMPLES,
    wait_help("revision delete"),
    wait_timing_help("revision", "deleted"),
)]
pub struct DeleteArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[arg(
        help = "Remove unreferenced revisions for a given service in a namespace.",
        long = "prune",
        value_name = "string"
    )]
    pub prune: Option<String>,
    #[arg(
        help = "Remove all unreferenced revisions in a namespace.",
        long = "prune-all"
    )]
    pub prune_all: bool,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &DeleteArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    if args.names.is_empty() && args.prune.is_none() && !args.prune_all {
        return Err(Error::usage_in(
            "revision delete",
            format!("'{bin} revision delete' requires one or more revision name"),
        ));
    }
    if !args.names.is_empty() && args.prune_all {
        return Err(Error::usage_in(
            "revision delete",
            format!("'{bin} revision delete' with --prune-all flag requires no arguments"),
        ));
    }
    let wait = args.wait.resolve(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let dry_run = args.dry_run.resolve()?;
    let client = ctx.client().await?;
    let names = if args.prune.is_some() || args.prune_all {
        // As in kn, --prune replaces any names given.
        let names = unreferenced(client, &namespace, args.prune.as_deref()).await?;
        if names.is_empty() {
            return ctx.println(messages::NO_UNREFERENCED_REVISIONS);
        }
        names
    } else {
        args.names.clone()
    };
    if let Some(dry_run) = dry_run {
        let message = |name: &str| messages::revision_deleted(name, &namespace);
        return delete_each(
            &dry_run, ctx, client, &REVISION, &namespace, &names, message,
        )
        .await;
    }
    let deletions = names.iter().map(|name| {
        let namespace = namespace.clone();
        async move {
            let current = client.get(&REVISION, &namespace, name).await?;
            if current
                .pointer("/metadata/deletionTimestamp")
                .is_some_and(|t| !t.is_null())
            {
                return Err(Error::failed(messages::already_deleting("revision", name)));
            }
            match wait {
                Some(settings) => {
                    delete_and_wait(
                        client,
                        &REVISION,
                        &namespace,
                        name,
                        settings.timeout_seconds,
                    )
                    .await
                }
                None => {
                    client
                        .delete(&REVISION, &namespace, name, Propagation::Background)
                        .await
                }
            }
        }
    });
    let results = futures::future::join_all(deletions).await;
    let mut errors = Vec::new();
    for (name, result) in names.iter().zip(results) {
        match result {
            Ok(()) => ctx.println(&messages::revision_deleted(name, &namespace))?,
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Multiple(errors)),
    }
}

/// Revisions nothing routes to: routing state not `active` (kn's rule) and, as a safety net,
/// not named by their service's traffic nor its latest created/ready revision.
async fn unreferenced(
    client: &Client,
    namespace: &str,
    service: Option<&str>,
) -> Result<Vec<String>> {
    let options = match service {
        Some(service) => ListOptions::labelled(SERVICE_LABEL, service),
        None => ListOptions::default(),
    };
    let revisions = client
        .list(&REVISION, Some(namespace), &options)
        .await?
        .items
        .iter()
        .map(from_value::<Revision>)
        .collect::<Result<Vec<_>>>()?;
    let mut referenced = HashSet::new();
    for object in client
        .list(&SERVICE, Some(namespace), &ListOptions::default())
        .await?
        .items
    {
        let service: Service = from_value(&object)?;
        let status = service.status;
        referenced.extend(status.traffic.into_iter().map(|t| t.revision_name));
        referenced.insert(status.latest_created_revision_name);
        referenced.insert(status.latest_ready_revision_name);
    }
    let mut names: Vec<String> = revisions
        .into_iter()
        .filter(|r| r.metadata.label(ROUTING_STATE_LABEL) != "active")
        .filter(|r| !referenced.contains(&r.metadata.name))
        .map(|r| r.metadata.name)
        .collect();
    names.sort();
    Ok(names)
}
