//! `knit explain RESOURCE[.FIELD...]`: the documentation of a kind or field from the schemas
//! the cluster serves, in `kubectl explain`'s layout; with no cluster, from the Knative CRDs
//! built into knit.

use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::explain::{Source, resolve};

const EXAMPLES: &str = "Examples:

  # The fields of a Knative Service
  knit explain ksvc

  # One field, with its type and description
  knit explain ksvc.spec.template.spec.containerConcurrency

  # Every field below a Trigger's spec, as a tree
  knit explain trigger.spec --recursive

  # A kind at another served version
  knit explain brokers --api-version eventing.knative.dev/v1";

/// Get documentation for a resource
#[derive(Args, Debug)]
#[command(
    about = "Get documentation for a resource",
    long_about = "Describe the fields of a resource kind and their types, from the OpenAPI schemas the cluster serves (as kubectl explain shows them). Fields are named with a dot path after the resource, e.g. ksvc.spec.template. Without a reachable cluster, knit explains the Knative kinds it is built with.",
    override_usage = "RESOURCE[.FIELD...] [--recursive] [--api-version GROUP/VERSION]",
    after_help = EXAMPLES
)]
pub struct ExplainArgs {
    /// The resource (name, short name or kind) and an optional field path, e.g. ksvc.spec.template
    #[arg(value_name = "RESOURCE")]
    pub resource: String,
    /// Print the names of all fields below, recursively, instead of their descriptions.
    #[arg(long)]
    pub recursive: bool,
    /// Use this group/version of the resource (e.g. serving.knative.dev/v1).
    #[arg(long = "api-version", value_name = "string")]
    pub api_version: Option<String>,
    /// Format in which to render the schema. One of: plaintext.
    #[arg(short, long, value_name = "string", default_value = "plaintext")]
    pub output: String,
}

pub async fn run(args: &ExplainArgs, ctx: &Context) -> Result<()> {
    if args.output != "plaintext" {
        return Err(Error::usage_in(
            "explain",
            format!(
                "invalid --output {:?}: the accepted format is plaintext",
                args.output
            ),
        ));
    }
    let api_version = args
        .api_version
        .as_deref()
        .map(parse_group_version)
        .transpose()?;
    let (source, candidates) = match ctx.client().await {
        Ok(client) => {
            let source = Source::Cluster(client);
            match source.candidates().await {
                Ok(candidates) => (source, candidates),
                Err(err) => fallback(ctx, err).await?,
            }
        }
        Err(err) => fallback(ctx, err).await?,
    };
    let (mut gvr, fields) = resolve(&args.resource, &candidates)?;
    if let Some((group, version)) = api_version {
        gvr.group = group;
        gvr.version = version;
    }
    let Some(document) = source.document(&gvr).await? else {
        return Err(Error::failed(format!(
            "couldn't find resource for \"{gvr}\""
        )));
    };
    let text = kubetext::explain::render(&document, &gvr, &fields, args.recursive)
        .map_err(|e| Error::failed(e.strip_prefix("error: ").unwrap_or(&e).to_string()))?;
    ctx.print(&text)
}

/// With no cluster to ask (no kubeconfig, or it cannot be reached) knit's own schemas answer,
/// and stderr says so; any other failure (a bad kubeconfig, a refusal) is the answer.
async fn fallback<'a>(
    ctx: &Context,
    err: Error,
) -> Result<(Source<'a>, Vec<crate::explain::Candidate>)> {
    if !matches!(err, Error::NoKubeconfig | Error::Connection(_)) {
        return Err(err);
    }
    ctx.eprint(&format!(
        "Warning: no cluster to ask ({err}); explaining the Knative kinds built into {} instead\n",
        crate::bin_name()
    ))?;
    let source = Source::Builtin(Box::default());
    let candidates = source.candidates().await?;
    Ok((source, candidates))
}

/// `GROUP/VERSION`, or `VERSION` for the core group, as Go's `schema.ParseGroupVersion` reads it.
fn parse_group_version(text: &str) -> Result<(String, String)> {
    let parts: Vec<&str> = text.split('/').collect();
    match parts.as_slice() {
        [version] if !version.is_empty() => Ok((String::new(), version.to_string())),
        [group, version] if !version.is_empty() => Ok((group.to_string(), version.to_string())),
        _ => Err(Error::usage_in(
            "explain",
            format!(
                "invalid --api-version {text:?}: expected GROUP/VERSION (e.g. serving.knative.dev/v1) or VERSION"
            ),
        )),
    }
}
