//! `knit service describe NAME`.

use std::collections::{BTreeMap, HashSet};

use clap::Args;

use crate::api::from_value;
use crate::api::serving::{Revision, SERVICE_LABEL, Service};
use crate::client::ListOptions;
use crate::client::kinds::{REVISION, SERVICE};
use crate::commands::args::output::DescribeFlags;
use crate::commands::args::target::TargetArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::DescribeTarget;
use crate::output::views::service::{Known, RevisionDesc, describe, describe_tty};

const EXAMPLES: &str = "Examples:
  # Describe service 'svc' in human friendly format
  knit service describe svc

  # Describe service 'svc' in YAML format
  knit service describe svc -o yaml

  # Print only service URL
  knit service describe svc -o url

  # Describe the services in offline mode instead of kubernetes cluster (Beta)
  knit service describe test -n test-ns --target=/user/knfiles
  knit service describe test --target=/user/knfiles/test.yaml
  knit service describe test --target=/user/knfiles/test.json";

/// Show details of a service
#[derive(Args, Debug)]
#[command(
    override_usage = "NAME",
    about = "Show details of a service",
    long_about = "Show details of a service",
    after_help = EXAMPLES,
    mut_arg("output", |a| a.help("Output format. One of: json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|url."))
)]
pub struct DescribeArgs {
    #[command(flatten)]
    pub describe: DescribeFlags,
    #[command(flatten)]
    pub target: TargetArgs,
}

pub async fn run(args: &DescribeArgs, ctx: &Context) -> Result<()> {
    let DescribeTarget {
        name,
        printer,
        namespace,
    } = args.describe.resolve(
        ctx,
        "service describe",
        "'service describe' requires the service name given as single argument",
        true,
    )?;
    let verbose = args.describe.verbose;
    if let Some(store) = args.target.store() {
        // Offline there are no revisions: the template stands for the one it will become, and
        // the traffic names the others (kn shows none, and crashes on -v).
        let object = store.get_service(&namespace, name)?;
        if let Some(printer) = printer {
            return ctx.print(&printer.print(&object)?);
        }
        let service: Service = from_value(&object)?;
        let template = object
            .pointer("/spec/template")
            .cloned()
            .unwrap_or_default();
        let part = |key: &str| {
            template
                .get(key)
                .filter(|v| v.is_object())
                .cloned()
                .unwrap_or_else(|| serde_json::json!({}))
        };
        let template: Revision =
            from_value(&serde_json::json!({"metadata": part("metadata"), "spec": part("spec")}))?;
        let descs = RevisionDesc::offline(&service, template);
        return ctx.print(&view(ctx)(&service, &descs, verbose, ctx.now));
    }
    let client = ctx.client().await?;
    let object = client.get(&SERVICE, &namespace, name).await?;
    if let Some(printer) = printer {
        return ctx.print(&printer.print(&object)?);
    }
    let service: Service = from_value(&object)?;
    // One LIST of the service's revisions instead of kn's GET per revision.
    let revisions = client
        .list(
            &REVISION,
            Some(&namespace),
            &ListOptions::labelled(SERVICE_LABEL, name),
        )
        .await?
        .items
        .iter()
        .map(from_value::<Revision>)
        .collect::<Result<Vec<_>>>()?;
    let descs = revision_descs(&service, revisions, verbose);
    ctx.print(&view(ctx)(&service, &descs, verbose, ctx.now))
}

type View = fn(&Service, &[RevisionDesc], bool, jiff::Timestamp) -> String;

/// On a terminal the describe view adds traffic bars; into a pipe it is kn's, byte for byte.
fn view(ctx: &Context) -> View {
    if ctx.stdout_tty {
        describe_tty
    } else {
        describe
    }
}

/// Which revisions service describe lists, in kn's order: every traffic target, then the latest
/// created and ready revisions, then (verbose) all others; sorted by configuration generation,
/// newest first.
pub fn revision_descs(
    service: &Service,
    revisions: Vec<Revision>,
    verbose: bool,
) -> Vec<RevisionDesc> {
    let status = &service.status;
    let by_name: BTreeMap<String, Revision> = revisions
        .into_iter()
        .map(|r| (r.metadata.name.clone(), r))
        .collect();
    let make = |revision: &Revision, percent: i64, tag: &str, latest: Option<bool>| RevisionDesc {
        revision: revision.clone(),
        percent,
        tag: tag.to_string(),
        latest_traffic: latest,
        latest_created: status.latest_created_revision_name == revision.metadata.name,
        latest_ready: status.latest_ready_revision_name == revision.metadata.name,
        known: Known::Revision,
    };
    let mut seen = HashSet::new();
    let mut descs = Vec::new();
    for target in &status.traffic {
        let name = if !target.revision_name.is_empty() {
            target.revision_name.as_str()
        } else {
            status.latest_created_revision_name.as_str()
        };
        // A target whose revision is gone is skipped rather than failing the whole view.
        if let Some(revision) = by_name.get(name) {
            descs.push(make(
                revision,
                target.percent.unwrap_or(0),
                &target.tag,
                target.latest_revision,
            ));
            seen.insert(name.to_string());
        }
    }
    for name in [
        &status.latest_created_revision_name,
        &status.latest_ready_revision_name,
    ] {
        if let Some(revision) = by_name.get(name.as_str())
            && seen.insert(name.clone())
        {
            descs.push(make(revision, 0, "", None));
        }
    }
    if verbose {
        for (name, revision) in &by_name {
            if seen.insert(name.clone()) {
                descs.push(make(revision, 0, "", None));
            }
        }
    }
    descs.sort_by_key(|d| std::cmp::Reverse(d.revision.configuration_generation()));
    descs
}
