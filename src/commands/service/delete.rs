//! `knit service delete NAME [NAME …] | --all`.

use clap::Args;

use crate::api::{from_value, meta::ObjectMeta};
use crate::client::{ListOptions, Propagation, kinds::SERVICE};
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::target::TargetArgs;
use crate::commands::args::wait::{WaitArgs, WaitHelp as _};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::offline::OfflineStore;
use crate::ops::wait::delete_and_wait;
use crate::ops::write::dry_run::delete_each;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Delete a service 'svc1' in default namespace
  knit service delete svc1

  # Delete a service 'svc2' in 'ns1' namespace
  knit service delete svc2 -n ns1

  # Delete all services in 'ns1' namespace
  knit service delete --all -n ns1

  # Delete the services in offline mode instead of kubernetes cluster (Beta)
  knit service delete test -n test-ns --target=/user/knfiles
  knit service delete test --target=/user/knfiles/test.yaml
  knit service delete test --target=/user/knfiles/test.json";

/// Delete services
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME [NAME ...]",
    about = "Delete services",
    long_about = "Delete services",
    after_help = EXAMPLES,
    wait_help("service delete"),
    wait_timing_help("service", "deleted"),
)]
pub struct DeleteArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[arg(help = "Delete all services in a namespace.", long = "all")]
    pub all: bool,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &DeleteArgs, ctx: &Context) -> Result<()> {
    if args.names.is_empty() && !args.all {
        return Err(Error::usage_in(
            "service delete",
            "'service delete' requires the service name(s)",
        ));
    }
    if !args.names.is_empty() && args.all {
        return Err(Error::usage_in(
            "service delete",
            "'service delete' with --all flag requires no arguments",
        ));
    }
    let wait = args.wait.resolve(false)?;
    let namespace = args.namespace.resolve(ctx)?;
    let dry_run = args
        .dry_run
        .resolve_with_target(args.target.target.is_some())?;
    if let Some(store) = args.target.store() {
        return delete_offline(args, ctx, &store, &namespace);
    }
    let client = ctx.client().await?;
    let names: Vec<String> = if args.all {
        let list = client
            .list(&SERVICE, Some(&namespace), &ListOptions::default())
            .await?;
        if list.items.is_empty() {
            return ctx.println(messages::NO_SERVICES);
        }
        list.items
            .iter()
            .map(|s| from_value::<ObjectMeta>(&s["metadata"]).map(|m| m.name))
            .collect::<Result<_>>()?
    } else {
        args.names.clone()
    };
    if let Some(dry_run) = dry_run {
        let message = |name: &str| messages::service_deleted(name, &namespace);
        return delete_each(&dry_run, ctx, client, &SERVICE, &namespace, &names, message).await;
    }
    // Deletions (and their waits) run concurrently; results are reported in argument order.
    let deletions = names.iter().map(|name| {
        let namespace = namespace.clone();
        async move {
            let current = client.get(&SERVICE, &namespace, name).await?;
            if current
                .pointer("/metadata/deletionTimestamp")
                .is_some_and(|t| !t.is_null())
            {
                return Err(Error::failed(messages::already_deleting("service", name)));
            }
            match wait {
                Some(settings) => {
                    delete_and_wait(client, &SERVICE, &namespace, name, settings.timeout_seconds)
                        .await
                }
                None => {
                    client
                        .delete(&SERVICE, &namespace, name, Propagation::Background)
                        .await
                }
            }
        }
    });
    let results = futures::future::join_all(deletions).await;
    let mut errors = Vec::new();
    for (name, result) in names.iter().zip(results) {
        match result {
            Ok(()) => ctx.println(&messages::service_deleted(name, &namespace))?,
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Multiple(errors)),
    }
}

/// `--target`: removes the files, no waiting.
fn delete_offline(
    args: &DeleteArgs,
    ctx: &Context,
    store: &OfflineStore,
    namespace: &str,
) -> Result<()> {
    let names: Vec<String> = if args.all {
        let services = store.list_services(Some(namespace))?;
        if services.is_empty() {
            return ctx.println(messages::NO_SERVICES);
        }
        services
            .iter()
            .map(|s| from_value::<ObjectMeta>(&s["metadata"]).map(|m| m.name))
            .collect::<Result<_>>()?
    } else {
        args.names.clone()
    };
    let mut errors = Vec::new();
    for name in &names {
        match store.delete_service(namespace, name) {
            Ok(()) => ctx.println(&messages::service_deleted(name, namespace))?,
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Multiple(errors)),
    }
}
