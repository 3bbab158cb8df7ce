//! `knit domain` (alias `domains`): DomainMappings (serving.knative.dev/v1beta1).

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;
pub mod update;

use clap::Args;
use serde_json::{Value, json};

use crate::api::from_value;
use crate::api::meta::ObjectMeta;
use crate::client::Client;
use crate::client::kinds::{DOMAIN_MAPPING, ROUTE, ResourceKind, SERVICE};
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::write::Write;

/// Manage domain mappings
#[derive(Args, Debug)]
#[command(
    about = "Manage domain mappings",
    long_about = "Manage domain mappings",
    override_usage = "COMMAND"
)]
pub struct DomainCommand {
    #[command(subcommand)]
    pub verb: Option<DomainVerb>,
}

noun_verbs! {
    /// The verbs of `knit domain`.
    pub enum DomainVerb for DomainCommand at ["domain"] {
        Create(create::CreateArgs),
        Describe(describe::DescribeArgs),
        Update(update::UpdateArgs),
        Delete(delete::DeleteArgs),
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
    }
}

/// The arguments of `domain create` and `domain update`: both write a mapping's `--ref` and `--tls`.
#[derive(Args, Debug)]
pub struct MappingArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[arg(
        help = "Addressable target reference for Domain Mapping. You can specify a Knative service, a Knative route. Examples: '--ref' ksvc:hello' or simply '--ref hello' for a Knative service 'hello', '--ref' kroute:hello' for a Knative route 'hello'. '--ref ksvc:mysvc:mynamespace' for a Knative service 'mysvc' in another namespace 'mynamespace', If a prefix is not provided, it is considered as a Knative service in the current namespace. If referring to a Knative service in another namespace, 'ksvc:name:namespace' combination must be provided explicitly.",
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

/// A create or update checked and resolved: the target exists and `ref` points at it.
pub struct Mapping<'a> {
    pub name: &'a str,
    /// Where the write goes (namespace, client, `--dry-run`).
    pub write: Write<'a>,
    /// The `spec.ref` KReference.
    pub reference: Value,
}

impl MappingArgs {
    /// Checks the arguments of `domain VERB` in kn's order, then resolves `--ref`.
    pub async fn resolve<'a>(&'a self, verb: &str, ctx: &'a Context) -> Result<Mapping<'a>> {
        let bin = crate::bin_name();
        let command = format!("domain {verb}");
        let name = single_name(
            &self.names,
            &command,
            &format!("'{bin} {command}' requires the domain name given as single argument"),
        )?;
        if let Some(tls) = &self.tls {
            validate_secret_name(tls)?;
        }
        let write = Write::resolve(ctx, &self.namespace, &self.dry_run).await?;
        if verb == "update" {
            // kn reads the mapping before the reference: a missing mapping is what it reports.
            write
                .client
                .get(&DOMAIN_MAPPING, &write.namespace, name)
                .await?;
        }
        let reference = self
            .reference
            .resolve(write.client, &write.namespace)
            .await?;
        Ok(Mapping {
            name,
            write,
            reference,
        })
    }
}

/// A parsed `--ref`: `NAME`, `ksvc:NAME`, `kroute:NAME`, optionally `:NAMESPACE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefArg {
    pub kind: &'static ResourceKind,
    pub name: String,
    pub namespace: Option<String>,
}

impl std::str::FromStr for RefArg {
    type Err = String;

    fn from_str(value: &str) -> std::result::Result<Self, String> {
        let parts: Vec<&str> = value.split(':').collect();
        let (kind, rest): (&'static ResourceKind, &[&str]) = match parts.as_slice() {
            [name] => (&SERVICE, std::slice::from_ref(name)),
            [prefix, rest @ ..] => match *prefix {
                "ksvc" => (&SERVICE, rest),
                "kroute" => (&ROUTE, rest),
                other => return Err(format!("unsupported sink prefix: '{other}'")),
            },
            [] => return Err("a reference is required".to_string()),
        };
        match rest {
            [name] if !name.is_empty() => Ok(RefArg {
                kind,
                name: name.to_string(),
                namespace: None,
            }),
            [name, namespace] if !name.is_empty() && !namespace.is_empty() => Ok(RefArg {
                kind,
                name: name.to_string(),
                namespace: Some(namespace.to_string()),
            }),
            _ => Err("expected NAME, ksvc:NAME, kroute:NAME or ksvc:NAME:NAMESPACE".to_string()),
        }
    }
}

impl RefArg {
    /// Checks that the target exists and returns the `spec.ref` KReference for it.
    pub async fn resolve(&self, client: &Client, namespace: &str) -> Result<Value> {
        let ns = self.namespace.as_deref().unwrap_or(namespace);
        let target = client.get(self.kind, ns, &self.name).await?;
        let meta: ObjectMeta = from_value(&target["metadata"])?;
        Ok(json!({
            "apiVersion": self.kind.api_version(),
            "kind": self.kind.kind,
            "name": meta.name,
            "namespace": ns,
        }))
    }
}

/// Validates a TLS secret name as a DNS-1123 subdomain, with Kubernetes' message.
pub fn validate_secret_name(name: &str) -> Result<()> {
    const MESSAGE: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let reason = if name.len() > 253 {
        Some("must be no more than 253 characters".to_string())
    } else if !name.split('.').all(label_ok) {
        Some(MESSAGE.to_string())
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::usage(format!(
            "invalid secret name \"{name}\": {reason}"
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_parse_like_kn() {
        let r: RefArg = "hello".parse().unwrap();
        assert_eq!(
            (r.kind.kind, r.name.as_str(), r.namespace),
            ("Service", "hello", None)
        );
        let r: RefArg = "kroute:hello".parse().unwrap();
        assert_eq!(r.kind.kind, "Route");
        let r: RefArg = "ksvc:hello:other".parse().unwrap();
        assert_eq!(r.namespace.as_deref(), Some("other"));
        assert_eq!(
            "svc:hello".parse::<RefArg>().unwrap_err(),
            "unsupported sink prefix: 'svc'"
        );
        assert!("ksvc:".parse::<RefArg>().is_err());
    }

    #[test]
    fn secret_names_are_dns_subdomains() {
        assert!(validate_secret_name("my-tls.secret").is_ok());
        let err = validate_secret_name("Bad_Name").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string()
                .starts_with("invalid secret name \"Bad_Name\": a lowercase RFC 1123 subdomain")
        );
    }
}
