//! `knit eventtype create NAME --type TYPE`.

use clap::Args;

use crate::client::kinds::EVENT_TYPE;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::eventing::{because, single_name, sink_mappings};
use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::edit::eventing::eventtype::{broker_reference, new_eventtype};
use crate::error::{Error, Result};
use crate::ops::sink::{self, SinkArg};
use crate::ops::write::Write;
use crate::output::messages;

const EXAMPLES: &str = "
  # Create eventtype 'myeventtype' of type example.type in the current namespace
  knit eventtype create myeventtype --type example.type

  # Create eventtype 'myeventtype' of type example.type in the 'myproject' namespace
  knit eventtype create myeventtype --namespace myproject -t example.type";

/// Create eventtype
#[derive(Args, Debug)]
#[command(
    about = "Create eventtype",
    long_about = "Create eventtype",
    override_usage = "",
    after_help = EXAMPLES
)]
pub struct CreateArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        short = 't',
        long = "type",
        value_name = "string",
        required = true,
        help = "Cloud Event type"
    )]
    pub type_: String,
    #[arg(long = "source", value_name = "string", help = "Cloud Event source")]
    pub source: Option<String>,
    #[arg(
        short = 'b',
        long = "broker",
        value_name = "string",
        help = "Cloud Event Broker"
    )]
    pub broker: Option<String>,
    #[arg(
        short = 'r',
        long = "reference",
        value_name = "string",
        help = "Addressable Reference producing events. You can specify a broker, channel, or fully qualified GroupVersionResource (GVR). Examples: '--reference broker:nest' for a broker 'nest', '--reference channel:pipe' for a channel 'pipe', '--reference special.eventing.dev/v1alpha1/channels:pipe' for GroupVersionResource of v1alpha1 'pipe'."
    )]
    pub reference: Option<SinkArg>,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(args: &CreateArgs, ctx: &Context) -> Result<()> {
    let name = single_name(
        &args.names,
        "eventtype create",
        "'eventtype create' requires the eventtype name given as single argument",
    )?;
    if args.broker.is_some() && args.reference.is_some() {
        return Err(Error::usage_in(
            "eventtype create",
            "use only one of '--broker' or '--reference' flags",
        ));
    }
    if let Some(SinkArg::Uri(uri)) = &args.reference {
        return Err(Error::usage_in(
            "eventtype create",
            format!(
                "invalid argument \"{uri}\" for \"--reference\" flag: a reference names an object, not a URL"
            ),
        ));
    }
    let write = Write::resolve(ctx, &args.namespace, &args.dry_run).await?;
    let namespace = &write.namespace;
    let wrap = || {
        because(format!(
            "cannot create eventtype '{name}' in namespace '{namespace}' because"
        ))
    };
    // kn parses the source with Go's `url.Parse` before it sends anything.
    if let Some(error) = args
        .source
        .as_deref()
        .and_then(kuberules::gourl::parse_error)
    {
        return Err(Error::usage_in(
            "eventtype create",
            format!("cannot create eventtype '{name}' in namespace '{namespace}' because: {error}"),
        ));
    }
    let reference = match (&args.broker, &args.reference) {
        (Some(broker), _) => Some(broker_reference(broker)),
        (None, Some(reference)) => {
            let dest = sink::resolve(
                write.client,
                reference,
                "--reference",
                &sink_mappings(ctx),
                namespace,
            )
            .await
            .map_err(wrap())?;
            dest.get("ref").cloned()
        }
        (None, None) => None,
    };
    let et = new_eventtype(
        name,
        namespace,
        &args.type_,
        args.source.as_deref(),
        reference,
    );
    let message = messages::eventtype_successfully(name, "created", namespace);
    write.create_or(&EVENT_TYPE, &et, &message, wrap()).await
}
