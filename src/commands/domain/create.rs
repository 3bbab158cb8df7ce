//! `knit domain create NAME --ref REF [--tls SECRET]`.

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

  # Create a domain mappings 'hello.example.com' for Knative service 'hello' with TLS secret set
  knit domain create hello.example.com --ref hello --tls my-cert-secret

  # Create a domain mappings 'hello.example.com' for Knative service 'hello'
  knit domain create hello.example.com --ref hello

  # Create a domain mappings 'hello.example.com' for Knative route 'hello'
  knit domain create hello.example.com --ref kroute:hello";

/// Create a domain mapping
#[derive(Args, Debug)]
#[command(about = "Create a domain mapping", long_about = "Create a domain mapping", after_help = EXAMPLES)]
pub struct CreateArgs {
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

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    if args.names.len() != 1 {
        return Err(Error::usage_in(
            "domain create",
            format!("'{bin} domain create' requires the domain name given as single argument"),
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
    let mut spec = json!({ "ref": reference });
    if let Some(tls) = &args.tls {
        spec["tls"] = json!({ "secretName": tls });
    }
    let object = json!({
        "apiVersion": DOMAIN_MAPPING.api_version(),
        "kind": DOMAIN_MAPPING.kind,
        "metadata": { "name": name, "namespace": namespace },
        "spec": spec,
    });
    if let Some(dry_run) = dry_run {
        return dry_run
            .create(ctx, client, &DOMAIN_MAPPING, &namespace, &object)
            .await;
    }
    client.create(&DOMAIN_MAPPING, &namespace, &object).await?;
    ctx.println(&messages::domain_mapping(name, "created", &namespace))
}
