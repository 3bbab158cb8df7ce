//! `knit revision list [NAME] [-s SERVICE]`.

use std::collections::BTreeMap;

use clap::Args;
use serde_json::Value;

use crate::api::from_value;
use crate::api::serving::{Revision, SERVICE_LABEL, Service};
use crate::client::ListOptions;
use crate::client::kinds::{REVISION, SERVICE};
use crate::commands::args::list::ListQueryArgs;
use crate::commands::args::namespace::ListNamespaceArgs;
use crate::commands::args::output::ListOutputArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::list::{ListMode, decode};
use crate::output::messages;
use crate::output::views::revision::view;

const EXAMPLES: &str = "Examples:

  # List all revisions
  knit revision list

  # List revisions for a service 'svc1' in namespace 'myapp'
  knit revision list -s svc1 -n myapp

  # List all revisions in JSON output format
  knit revision list -o json

  # List revision 'web'
  knit revision list web";

/// List revisions
#[derive(Args, Debug)]
#[command(override_usage = "", about = "List revisions", long_about = "List revisions for a given service.", after_help = EXAMPLES, mut_arg("output", crate::commands::args::list::wide_help))]
pub struct ListArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[arg(
        help = "Service name",
        short = 's',
        long = "service",
        value_name = "string"
    )]
    pub service: Option<String>,
    #[command(flatten)]
    pub namespace: ListNamespaceArgs,
    #[command(flatten)]
    pub output: ListOutputArgs,
    #[command(flatten)]
    pub query: ListQueryArgs,
}

pub async fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    if args.names.len() > 1 {
        return Err(Error::usage_in(
            "revision list",
            format!(
                "'{bin} revision list' accepts maximum 1 argument, not {} arguments as given",
                args.names.len()
            ),
        ));
    }
    let run = args.query.resolve(ctx, &args.namespace, &args.output)?;
    let namespace = run.namespace.clone();
    let client = ctx.client().await?;
    let mut base = ListOptions::default();
    // Like kn, `-s` names a service that must exist (checked in the namespace, not with -A).
    let mut owner: Option<Service> = None;
    if let Some(service) = &args.service {
        if let Some(ns) = &namespace {
            owner = Some(from_value(&client.get(&SERVICE, ns, service).await?)?);
        }
        base.label_selector = Some(format!("{SERVICE_LABEL}={service}"));
    }
    if let Some(name) = args.names.first() {
        base.field_selector = Some(format!("metadata.name={name}"));
    }
    let options = run.options(base);
    let mut list = run.fetch(client, &REVISION, &options).await?;
    if run.sort.is_none() {
        view::sort_objects(&mut list.items);
    }
    let needs_services =
        matches!(run.mode, ListMode::Table { .. }) && (!list.items.is_empty() || run.watching());
    // One LIST of services for the TRAFFIC/TAGS columns, keyed by namespace and name.
    let services: BTreeMap<(String, String), Service> = match owner {
        Some(service) => [(
            (
                service.metadata.namespace.clone(),
                service.metadata.name.clone(),
            ),
            service,
        )]
        .into(),
        None if needs_services => client
            .list(&SERVICE, namespace.as_deref(), &ListOptions::default())
            .await?
            .items
            .iter()
            .map(|o| {
                from_value::<Service>(o)
                    .map(|s| ((s.metadata.namespace.clone(), s.metadata.name.clone()), s))
            })
            .collect::<Result<_>>()?,
        None => BTreeMap::new(),
    };
    let all = args.namespace.all_namespaces;
    let table = |items: &[Value]| {
        Ok(view::list_table(
            &decode::<Revision>(items)?,
            &services,
            all,
            ctx.now,
        ))
    };
    run.show(
        ctx,
        &REVISION,
        &options,
        list,
        messages::NO_REVISIONS,
        &table,
    )
    .await
}
