//! `knit domain update NAME --ref REF [--tls SECRET]`.
//!
//! Fixes kn's bugs (kn-reference §4.15): `--ref` is really required (kn crashes without it) and
//! the arity error names `domain update`. `--tls` is accepted here too, as on create.

use clap::Args;
use serde_json::json;

use super::{RefArg, validate_secret_name};
use crate::client::kinds::DOMAIN_MAPPING;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::messages;

const EXAMPLES: &str = "Examples:

  # Update a domain mappings 'hello.example.com' for Knative service 'hello'
  knit domain update hello.example.com --ref hello";

/// Update a domain mapping
#[derive(Args, Debug)]
#[command(about = "Update a domain mapping", long_about = "Update a domain mapping", after_help = EXAMPLES)]
pub struct UpdateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[arg(
        help = "Addressable target reference for Domain Mapping. You can specify a Knative service, a Knative route. Examples: '--ref' ksvc:hello or simply '--ref hello' for a Knative service 'hello', '--ref' kroute:hello for a Knative route 'hello'. '--ref ksvc:mysvc:mynamespace' for a Knative service 'mysvc' in another namespace 'mynamespace', If a prefix is not provided, it is considered as a Knative service in the current namespace. If referring to a Knative service in another namespace, 'ksvc:name:namespace' combination must be provided explicitly.",
        long = "ref",
        value_name = "string",
        required = true
    )]
    pub reference: RefArg,
    #[arg(
        help = "Enable TLS and point to the secret that holds the server certificate.",
        long = "tls",
        value_name = "string"
    )]
    pub tls: Option<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    if args.names.len() != 1 {
        return Err(Error::usage_in(
            "domain update",
            format!("'{bin} domain update' requires the domain name given as single argument"),
        ));
    }
    if let Some(tls) = &args.tls {
        validate_secret_name(tls)?;
    }
    let name = &args.names[0];
    let namespace = args.namespace.resolve(ctx)?;
    let dry_run = args.dry_run.resolve()?;
    let client = ctx.client().await?;
    let reference = args.reference.resolve(client, &namespace).await?;
    let edit = |object: &mut serde_json::Value| -> Result<()> {
        if object
            .pointer("/metadata/deletionTimestamp")
            .is_some_and(|t| !t.is_null())
        {
            return Err(Error::failed(format!(
                "can't update domain mapping '{name}' because it has been marked for deletion"
            )));
        }
        if !object.get("spec").is_some_and(|s| s.is_object()) {
            object["spec"] = json!({});
        }
        object["spec"]["ref"] = reference.clone();
        if let Some(tls) = &args.tls {
            if !object["spec"].get("tls").is_some_and(|t| t.is_object()) {
                object["spec"]["tls"] = json!({});
            }
            object["spec"]["tls"]["secretName"] = json!(tls);
        }
        Ok(())
    };
    if let Some(dry_run) = dry_run {
        return dry_run
            .update(ctx, client, &DOMAIN_MAPPING, &namespace, name, edit)
            .await;
    }
    client
        .update_with_retry(&DOMAIN_MAPPING, &namespace, name, edit)
        .await?;
    ctx.println(&messages::domain_mapping(name, "updated", &namespace))
}
