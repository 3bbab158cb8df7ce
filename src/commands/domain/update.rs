//! `knit domain update NAME --ref REF [--tls SECRET]`.
//!
//! Fixes kn's bugs (kn-reference §4.15): `--ref` is really required (kn crashes without it) and
//! the arity error names `domain update`. `--tls` is accepted here too, as on create.

use clap::Args;
use serde_json::json;

use super::{Mapping, MappingArgs};
use crate::client::kinds::DOMAIN_MAPPING;
use crate::commands::args::eventing::check_not_deleting;
use crate::context::Context;
use crate::error::Result;
use crate::output::messages;

const EXAMPLES: &str = "Examples:
  # Update a domain mappings 'hello.example.com' for Knative service 'hello'
  knit domain update hello.example.com --refFlags hello";

/// Update a domain mapping
#[derive(Args, Debug)]
#[command(override_usage = "NAME", about = "Update a domain mapping", long_about = "Update a domain mapping", after_help = EXAMPLES)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub mapping: MappingArgs,
}

pub async fn run(args: &UpdateArgs, ctx: &Context) -> Result<()> {
    let Mapping {
        name,
        write,
        reference,
    } = args.mapping.resolve("update", ctx).await?;
    let edit = |object: &mut serde_json::Value| -> Result<()> {
        check_not_deleting(object, || {
            format!("can't update domain mapping '{name}' because it has been marked for deletion")
        })?;
        if !object.get("spec").is_some_and(|s| s.is_object()) {
            object["spec"] = json!({});
        }
        object["spec"]["ref"] = reference.clone();
        if let Some(tls) = &args.mapping.tls {
            if !object["spec"].get("tls").is_some_and(|t| t.is_object()) {
                object["spec"]["tls"] = json!({});
            }
            object["spec"]["tls"]["secretName"] = json!(tls);
        }
        Ok(())
    };
    let message = messages::domain_mapping(name, "updated", &write.namespace);
    write.update(&DOMAIN_MAPPING, name, edit, &message).await
}
