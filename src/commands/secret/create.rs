//! `knit secret create NAME`: from literals, or a TLS pair stored under the standard keys
//! `tls.crt` and `tls.key` (kn wrote `tls.cert`).

use std::path::PathBuf;

use clap::Args;

use crate::client::kinds::SECRET;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::single_name;
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::secret::{SecretData, new_secret};
use crate::edit::kv::StrictKeyValue;
use crate::error::{Error, Result};
use crate::ops::write::Write;
use crate::output::messages;

/// Create secret
#[derive(Args, Debug)]
#[command(
    about = "Create secret",
    long_about = "Create secret",
    override_usage = "NAME"
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        short = 'l',
        long = "from-literal",
        value_name = "strings",
        value_delimiter = ',',
        help = "Specify comma separated list of key=value pairs."
    )]
    pub literals: Vec<StrictKeyValue>,
    #[arg(long = "type", value_name = "string", help = "Specify Secret type.")]
    pub type_: Option<String>,
    #[arg(
        long = "tls-cert",
        value_name = "string",
        help = "Path to TLS certificate file."
    )]
    pub tls_cert: Option<PathBuf>,
    #[arg(
        long = "tls-key",
        value_name = "string",
        help = "Path to TLS key file."
    )]
    pub tls_key: Option<PathBuf>,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

fn read(path: &PathBuf) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::usage_in(
            "secret create",
            format!("cannot read {}: {e}", path.display()),
        )
    })
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    let name = single_name(
        &args.names,
        "secret create",
        &format!("'{bin} secret create' requires the secret name given as single argument"),
    )?;
    let tls = args.tls_cert.is_some() || args.tls_key.is_some();
    if !args.literals.is_empty() && tls {
        return Err(Error::usage_in(
            "secret create",
            "TLS flags can't be combined with other options",
        ));
    }
    let data = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => SecretData::Tls {
            cert: read(cert)?,
            key: read(key)?,
        },
        (None, None) => SecretData::Literals(args.literals.clone()),
        _ => {
            return Err(Error::usage_in(
                "secret create",
                "both --tls-cert and --tls-key flags are required",
            ));
        }
    };
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let secret = new_secret(name, namespace, &data, args.type_.as_deref());
    let message = messages::done_in_namespace("Secret", name, "created", namespace);
    write.create(&SECRET, &secret, &message).await
}
