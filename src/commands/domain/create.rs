//! `knit domain create NAME --ref REF [--tls SECRET]`.

use clap::Args;
use serde_json::json;

use super::{Mapping, MappingArgs};
use crate::client::kinds::DOMAIN_MAPPING;
use crate::context::Context;
use crate::error::Result;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Create a domain mappings 'hello.example.com' for Knative service 'hello' with TLS secret set
  knit domain create hello.example.com --ref hello --tls my-cert-secret";

/// Create a domain mapping
#[derive(Args, Debug)]
#[command(override_usage = "NAME", about = "Create a domain mapping", long_about = "Create a domain mapping", after_help = EXAMPLES)]
pub struct CreateArgs {
    #[command(flatten)]
    pub mapping: MappingArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let Mapping {
        name,
        write,
        reference,
    } = args.mapping.resolve("create", ctx).await?;
    let mut spec = json!({ "ref": reference });
    if let Some(tls) = &args.mapping.tls {
        spec["tls"] = json!({ "secretName": tls });
    }
    let namespace = &write.namespace;
    let object = json!({
        "apiVersion": DOMAIN_MAPPING.api_version(),
        "kind": DOMAIN_MAPPING.kind,
        "metadata": { "name": name, "namespace": namespace },
        "spec": spec,
    });
    let message = messages::domain_mapping(name, "created", namespace);
    write.create(&DOMAIN_MAPPING, &object, &message).await
}
