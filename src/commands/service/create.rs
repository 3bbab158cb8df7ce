//! `knit service create NAME --image IMAGE` (also `-f FILE`, `--force`, `--tag`, `--target`).

use std::path::PathBuf;

use clap::Args;
use serde_json::Value;

use crate::client::kinds::SERVICE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::podspec::ProcessStdin;
use crate::commands::args::service_edit::DeclaringHelp as _;
use crate::commands::args::service_edit::ServiceEditArgs;
use crate::commands::args::traffic::TagArgs;
use crate::commands::args::wait::{WaitArgs, WaitHelp as _};
use crate::context::Context;
use crate::edit::service::{self as service_edit, Mode};
use crate::edit::traffic::{self, TrafficContext};
use crate::error::{Error, Result};
use crate::ops::offline::{self, OfflineStore};
use crate::ops::write::service as service_write;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Create a service 's0' using image knativesamples/helloworld
  knit service create s0 --image knativesamples/helloworld

  # Create a service with multiple environment variables
  knit service create s1 --env TARGET=v1 --env FROM=examples --image knativesamples/helloworld

  # Create or replace a service using --force flag
  # if service 's1' doesn't exist, it's a normal create operation
  knit service create --force s1 --image knativesamples/helloworld

  # Create or replace environment variables of service 's1' using --force flag
  knit service create --force s1 --env TARGET=force --env FROM=examples --image knativesamples/helloworld

  # Create a service with port 8080
  knit service create s2 --port 8080 --image knativesamples/helloworld

  # Create a service with port 8080 and port name h2c
  knit service create s2 --port h2c:8080 --image knativesamples/helloworld

  # Create or replace default resources of a service 's1' using --force flag
  # (earlier configured resource requests and limits will be replaced with default)
  # (earlier configured environment variables will be cleared too if any)
  knit service create --force s1 --image knativesamples/helloworld

  # Create a service with annotation
  knit service create s3 --image knativesamples/helloworld --annotation sidecar.istio.io/inject=false

  # Create a private service (that is a service with no external endpoint)
  knit service create s1 --image knativesamples/helloworld --cluster-local

  # Create a service with 250MB memory, 200m CPU requests and a GPU resource limit
  # [https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/]
  # [https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/]
  knit service create s4gpu --image knativesamples/hellocuda-go --request memory=250Mi,cpu=200m --limit nvidia.com/gpu=1

  # Create the service in offline mode instead of kubernetes cluster (Beta)
  knit service create gitopstest -n test-ns --image knativesamples/helloworld --target=/user/knfiles
  knit service create gitopstest --image knativesamples/helloworld --target=/user/knfiles/test.yaml
  knit service create gitopstest --image knativesamples/helloworld --target=/user/knfiles/test.json

  # Create a service with profile
  knit service create profiletest --image knativesamples/helloworld --profile istio

  # Create a service with node selector
  knit service create nodeselectortest --image knativesamples/helloworld --node-selector Disktype=\"ssd\"

  # Create a service with toleration
  knit service create tolerationtest --image knativesamples/helloworld --toleration Key=\"node-role.kubernetes.io/master\",Effect=\"NoSchedule\",Operator=\"Equal\",Value=\"\"

  # Create a service with node affinity
  knit service create nodeaffinitytest --image knativesamples/helloworld --node-affinity Type=\"Required\",Key=\"topology.kubernetes.io/zone\",Operator=\"In\",Values=\"antarctica-east1 antarctica-east2\"";

/// Create a service
#[derive(Args, Debug)]
#[command(
    about = "Create a service",
    long_about = "Create a service",
    override_usage = "NAME --image IMAGE",
    after_help = EXAMPLES,
    args_override_self = true,
    declaring_help(),
    wait_help("service create"),
    wait_timing_help("service", "ready"),
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub edit: ServiceEditArgs,
    /// Create service forcefully, replaces existing service if any.
    #[arg(verbatim_doc_comment, long = "force")]
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
    pub tags: TagArgs,
    /// Work on local directory instead of a remote cluster (experimental)
    #[arg(verbatim_doc_comment, long = "target", value_name = "string")]
    pub target: Option<PathBuf>,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

/// The Service object the flags describe, before it is sent anywhere.
pub(crate) fn build_service(
    ctx: &Context,
    names: &[String],
    filename: Option<&PathBuf>,
    edit_args: &ServiceEditArgs,
    namespace: &str,
    mode: Mode,
    verb: &str,
) -> Result<Value> {
    if names.len() > 1 || (names.is_empty() && filename.is_none()) {
        return Err(Error::usage(format!(
            "'service {verb}' requires the service name given as single argument"
        )));
    }
    let image = edit_args.pod_spec.image()?;
    if mode == Mode::Create && image.is_none() && filename.is_none() {
        return Err(Error::usage(
            "'service create' requires the image name to run provided with the --image option",
        ));
    }
    let edit = edit_args.to_edit(&mut ProcessStdin, filename.is_some())?;
    let profiles = service_write::profiles(ctx);
    service_write::check_profile(&edit, &profiles)?;
    let mut service = match filename {
        Some(path) => service_edit::from_file(
            service_write::read_document(path)?,
            names.first().map(String::as_str),
            namespace,
        )
        .map_err(|e| Error::usage(e.to_string()))?,
        None => service_edit::skeleton(&names[0], namespace),
    };
    service_write::apply_edit(ctx, &mut service, &edit, mode, &profiles, None)?;
    Ok(service)
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let namespace = args.namespace.resolve(ctx)?;
    let wait = args.wait.resolve(true)?;
    let dry_run = args.dry_run.resolve_with_target(args.target.is_some())?;
    let tags = args.tags.to_edit()?;
    let mut service = build_service(
        ctx,
        &args.names,
        args.filename.as_ref(),
        &args.edit,
        &namespace,
        Mode::Create,
        "create",
    )?;
    let name = service
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !tags.is_empty() {
        let current: Vec<Value> = service
            .pointer("/spec/traffic")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let computed = traffic::compute(
            &current,
            &tags,
            &TrafficContext {
                service_name: &name,
                status_traffic: &[],
                latest_ready: None,
                new_revision: true,
                is_create: true,
            },
        )
        .map_err(|e| Error::usage(e.to_string()))?;
        crate::edit::json::set(
            crate::edit::json::object(&mut service, "spec"),
            "traffic",
            Value::Array(computed),
        );
    }

    if let Some(path) = &args.target {
        let target = OfflineStore::new(path);
        offline::check_service_name(&name)?;
        if target.read_service(&namespace, &name)?.is_some() && !args.force {
            return Err(Error::failed(messages::service_exists_no_force(
                &name, &namespace,
            )));
        }
        target.write_service(&namespace, &service)?;
        let verb = if args.force { "replaced" } else { "created" };
        return ctx.println(&messages::service_done(&name, verb, &namespace));
    }

    let client = ctx.client().await?;
    if client.get_opt(&SERVICE, &namespace, &name).await?.is_some() {
        if !args.force {
            return Err(Error::failed(messages::service_exists_no_force(
                &name, &namespace,
            )));
        }
        if let Some(dry_run) = dry_run {
            let replace = |live: &mut Value| {
                *live = forced(live, &service);
                Ok(())
            };
            return dry_run
                .update(ctx, client, &SERVICE, &namespace, &name, replace)
                .await;
        }
        return replace(ctx, client, &service, &name, &namespace, wait).await;
    }
    if let Some(dry_run) = dry_run {
        return dry_run
            .create(ctx, client, &SERVICE, &namespace, &service)
            .await;
    }
    client.create(&SERVICE, &namespace, &service).await?;
    service_write::wait_if_requested(
        ctx,
        client,
        &name,
        &namespace,
        wait,
        service_write::Report {
            heading: "Creating service",
            done: "created",
            before: None,
        },
    )
    .await
}

/// What `--force` writes over the `live` Service: `service`, keeping only the live creator and
/// last modifier annotations (and the resourceVersion the write is conditional on).
fn forced(live: &Value, service: &Value) -> Value {
    const KEPT: [&str; 2] = [
        "serving.knative.dev/creator",
        "serving.knative.dev/lastModifier",
    ];
    let mut desired = service.clone();
    let live_meta = live.get("metadata").cloned().unwrap_or_default();
    let meta = crate::edit::json::object(&mut desired, "metadata");
    for key in KEPT {
        if let Some(value) = crate::edit::json::map_entry(&live_meta, "annotations", key) {
            crate::edit::json::set_map_entry(meta, "annotations", key, value);
        }
    }
    if let Some(version) = live_meta.get("resourceVersion") {
        crate::edit::json::set(meta, "resourceVersion", version.clone());
    }
    desired
}

/// `--force` on an existing Service: the whole object is replaced; only the creator and last
/// modifier annotations of the live object are kept.
async fn replace(
    ctx: &Context,
    client: &crate::client::Client,
    service: &Value,
    name: &str,
    namespace: &str,
    wait: Option<crate::ops::wait::WaitSettings>,
) -> Result<()> {
    let updated = client
        .update_with_retry(&SERVICE, namespace, name, |live| {
            *live = forced(live, service);
            Ok(())
        })
        .await?;
    let generation = |o: &Value| o.pointer("/metadata/generation").and_then(Value::as_i64);
    if generation(&updated.before) == generation(&updated.after) {
        return ctx.println(&messages::service_replaced_unchanged(name, namespace));
    }
    service_write::wait_if_requested(
        ctx,
        client,
        name,
        namespace,
        wait,
        service_write::Report {
            heading: "Replacing service",
            done: "replaced",
            before: None,
        },
    )
    .await
}
