//! `knit service update NAME`: edit flags and traffic, applied with optimistic concurrency.

use std::path::PathBuf;

use clap::Args;
use serde_json::Value;

use crate::client::kinds::{REVISION, SERVICE};
use crate::client::{Client, ListOptions, WriteOptions};
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::podspec::ProcessStdin;
use crate::commands::args::service_edit::ServiceEditArgs;
use crate::commands::args::traffic::TrafficArgs;
use crate::commands::args::wait::{WaitArgs, WaitHelp as _};
use crate::context::Context;
use crate::edit::json;
use crate::edit::profile::Profiles;
use crate::edit::service::{Mode, ServiceEdit};
use crate::edit::traffic::{self, TrafficContext, TrafficEdit};
use crate::error::{Error, Result};
use crate::ops::offline::{self, OfflineStore};
use crate::ops::write::service as service_write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:

  # Updates a service 'svc' with new environment variables
  knit service update svc --env KEY1=VALUE1 --env KEY2=VALUE2

  # Update a service 'svc' with new port
  knit service update svc --port 80

  # Updates a service 'svc' with new request and limit parameters
  knit service update svc --request cpu=500m --limit memory=1024Mi --limit cpu=1000m

  # Assign tag 'latest' and 'stable' to revisions 'echo-v2' and 'echo-v1' respectively
  knit service update svc --tag echo-v2=latest --tag echo-v1=stable
  OR
  knit service update svc --tag echo-v2=latest,echo-v1=stable

  # Update tag from 'testing' to 'staging' for latest ready revision of service
  knit service update svc --untag testing --tag @latest=staging

  # Add tag 'test' to echo-v3 revision with 10% traffic and rest to latest ready revision of service
  knit service update svc --tag echo-v3=test --traffic test=10,@latest=90

  # Split 50% traffic to stable, 40% traffic to staging and the
  # rest will automatically be directed to echo-v3 (the remaining revision)
  knit service update svc --traffic stable=50,staging=40

  # Update the service in offline mode instead of kubernetes cluster (Beta)
  knit service update gitopstest -n test-ns --env KEY1=VALUE1 --target=/user/knfiles
  knit service update gitopstest --env KEY1=VALUE1 --target=/user/knfiles/test.yaml
  knit service update gitopstest --env KEY1=VALUE1 --target=/user/knfiles/test.json";

/// Update a service
#[derive(Args, Debug)]
#[command(
    about = "Update a service",
    long_about = "Update a service",
    override_usage = "NAME",
    after_help = EXAMPLES,
    args_override_self = true,
    wait_help("service update"),
    wait_timing_help("service", "ready"),
)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub edit: ServiceEditArgs,
    #[command(flatten)]
    pub traffic: TrafficArgs,
    /// Work on local directory instead of a remote cluster (experimental)
    #[arg(verbatim_doc_comment, long = "target", value_name = "string")]
    pub target: Option<PathBuf>,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
    /// Create a new revision even if nothing else changes (e.g. to run a re-pushed image tag). With --lock-to-digest (the default) the image tag is resolved to its current digest again instead of reusing the pinned one.
    #[arg(verbatim_doc_comment, long = "redeploy")]
    pub redeploy: bool,
}

impl UpdateArgs {
    /// kn refuses an update without any flag at all.
    fn any_flag(&self) -> bool {
        !self.edit.is_empty()
            || self.redeploy
            || !self.traffic.traffic.is_empty()
            || !self.traffic.tag.is_empty()
            || !self.traffic.untag.is_empty()
            || self.namespace.namespace.is_some()
            || self.target.is_some()
            || self.wait.wait.is_some()
            || self.wait.no_wait.is_some()
            || self.wait.timing.wait_timeout != 600
            || self.wait.timing.wait_window != 2
    }
}

/// Everything one update applies to the live object.
struct Plan<'a> {
    ctx: &'a Context,
    name: &'a str,
    edit: &'a ServiceEdit,
    traffic: &'a TrafficEdit,
    profiles: &'a Profiles,
    base_revision: Option<&'a Value>,
    /// Names of the service's revisions, read when traffic flags are given; `None` offline,
    /// where there is nothing to check against.
    revisions: Option<&'a [String]>,
}

impl Plan<'_> {
    fn apply(&self, service: &mut Value) -> Result<()> {
        if service.pointer("/metadata/deletionTimestamp").is_some() {
            return Err(Error::failed(format!(
                "can't update service {} because it has been marked for deletion",
                self.name
            )));
        }
        let outcome = service_write::apply_edit(
            self.ctx,
            service,
            self.edit,
            Mode::Update,
            self.profiles,
            self.base_revision,
        )?;
        if self.traffic.is_empty() {
            return Ok(());
        }
        let array = |pointer: &str| -> Vec<Value> {
            service
                .pointer(pointer)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let (spec_traffic, status_traffic) = (array("/spec/traffic"), array("/status/traffic"));
        let latest_ready = service
            .pointer("/status/latestReadyRevisionName")
            .and_then(Value::as_str)
            .map(str::to_string);
        let computed = traffic::compute(
            &spec_traffic,
            self.traffic,
            &TrafficContext {
                service_name: self.name,
                status_traffic: &status_traffic,
                latest_ready: latest_ready.as_deref(),
                new_revision: outcome.template_changed,
                is_create: false,
            },
        )
        .map_err(|e| Error::failed(e.to_string()))?;
        let template_name = service
            .pointer("/spec/template/metadata/name")
            .and_then(Value::as_str);
        let missing = self.revisions.map_or_else(Vec::new, |revisions| {
            traffic::missing_revisions(&spec_traffic, &computed, revisions, template_name)
        });
        if !missing.is_empty() {
            return Err(Error::failed(format!(
                "revision(s) {} not present for service {}; --traffic and --tag take a revision of this service, one of its tags or @latest",
                missing.join(", "),
                self.name
            )));
        }
        json::set(
            json::object(service, "spec"),
            "traffic",
            Value::Array(computed),
        );
        Ok(())
    }
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    if !args.any_flag() {
        return Err(Error::usage("flag(s) not set\nUsage: update NAME"));
    }
    let [name] = args.names.as_slice() else {
        return Err(Error::usage(
            "'service update' requires the service name given as single argument",
        ));
    };
    let namespace = args.namespace.resolve(ctx)?;
    let wait = args.wait.resolve(true)?;
    let dry_run = args.dry_run.resolve_with_target(args.target.is_some())?;
    let edit = ServiceEdit {
        redeploy: args.redeploy,
        ..args.edit.to_edit(&mut ProcessStdin, false)?
    };
    let traffic = args.traffic.to_edit()?;
    let profiles = service_write::profiles(ctx);
    service_write::check_profile(&edit, &profiles)?;

    if let Some(path) = &args.target {
        return update_offline(
            ctx,
            &OfflineStore::new(path),
            name,
            &namespace,
            &edit,
            &traffic,
            &profiles,
        );
    }

    let client = ctx.client().await?;
    let base = service_write::base_revision(ctx, client, &namespace, name, &edit).await?;
    let revisions = if traffic.is_empty() {
        Vec::new()
    } else {
        revision_names(client, &namespace, name).await?
    };
    let plan = Plan {
        ctx,
        name,
        edit: &edit,
        traffic: &traffic,
        profiles: &profiles,
        base_revision: base.revision.as_ref(),
        revisions: Some(&revisions),
    };
    if let Some(dry_run) = dry_run {
        let apply = |service: &mut Value| plan.apply(service);
        return dry_run
            .update(ctx, client, &SERVICE, &namespace, name, apply)
            .await;
    }
    // The service base_revision read (if it did) is the first attempt's: one GET, not two.
    let updated = client
        .update_from(
            &SERVICE,
            &namespace,
            name,
            &WriteOptions::default(),
            base.service,
            |service| plan.apply(service),
        )
        .await?;
    let generation = |o: &Value| o.pointer("/metadata/generation").and_then(Value::as_i64);
    if generation(&updated.before) == generation(&updated.after) {
        return ctx.println(&format!(
            "{}\n{}",
            messages::service_done(name, "updated", &namespace),
            messages::NO_NEW_REVISION
        ));
    }
    let latest_before = updated
        .before
        .pointer("/status/latestReadyRevisionName")
        .and_then(Value::as_str);
    service_write::wait_if_requested(
        ctx,
        client,
        name,
        &namespace,
        wait,
        service_write::Report {
            heading: "Updating Service",
            done: "updated",
            before: latest_before,
        },
    )
    .await
}

/// Names of the revisions of service `name` (one LIST by the service label).
async fn revision_names(client: &Client, namespace: &str, name: &str) -> Result<Vec<String>> {
    let options = ListOptions {
        label_selector: Some(format!("serving.knative.dev/service={name}")),
        ..Default::default()
    };
    let list = client.list(&REVISION, Some(namespace), &options).await?;
    Ok(list
        .items
        .iter()
        .filter_map(|r| r.pointer("/metadata/name").and_then(Value::as_str))
        .map(str::to_string)
        .collect())
}

fn update_offline(
    ctx: &Context,
    target: &OfflineStore,
    name: &str,
    namespace: &str,
    edit: &ServiceEdit,
    traffic: &TrafficEdit,
    profiles: &Profiles,
) -> Result<()> {
    let mut service = target
        .read_service(namespace, name)?
        .ok_or_else(|| offline::not_found(name))?;
    let before = service.clone();
    // No cluster, so no revision to pin to: the image stays as written.
    let plan = Plan {
        ctx,
        name,
        edit,
        traffic,
        profiles,
        base_revision: None,
        revisions: None,
    };
    plan.apply(&mut service)?;
    if service == before {
        return ctx.println(&format!(
            "{}\n{}",
            messages::service_done(name, "updated", namespace),
            messages::NO_NEW_REVISION
        ));
    }
    target.write_service(namespace, &service)?;
    ctx.println(&messages::service_done(name, "updated", namespace))
}
