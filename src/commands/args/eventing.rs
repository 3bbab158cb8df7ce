//! Flag groups and small helpers shared by the Eventing nouns: `--sink` (required or optional),
//! `--ce-override`, the single-NAME arity check, configured sink and channel-type mappings, and
//! printing lists in `-o` formats.

use clap::Args;
use serde_json::{Value, json};

use crate::client::{Client, Gvr};
use crate::context::Context;
use crate::edit::eventing::channel::{ChannelKind, ChannelTypeMappings};
use crate::edit::kv::KeyValueArg;
use crate::error::{Error, Result};
use crate::ops::sink::{self, SinkArg, SinkMappings};
use crate::output::OutputFormat;
use crate::output::Printer;
use crate::output::structured::qualified_name;

/// `-s, --sink` where a command needs one.
#[derive(Args, Debug, Clone)]
pub struct RequiredSinkArgs {
    #[arg(short = 's', long = "sink", value_name = "string", required = true, help = crate::sink_usage!("--sink"))]
    pub sink: SinkArg,
}

impl RequiredSinkArgs {
    /// The `--sink` destination, with this run's sink mappings (the named object must exist).
    pub async fn resolve(&self, ctx: &Context, client: &Client, namespace: &str) -> Result<Value> {
        sink::resolve(client, &self.sink, "--sink", &sink_mappings(ctx), namespace).await
    }
}

/// `-s, --sink` where it may be left out (updates).
#[derive(Args, Debug, Clone, Default)]
pub struct OptionalSinkArgs {
    #[arg(short = 's', long = "sink", value_name = "string", help = crate::sink_usage!("--sink"))]
    pub sink: Option<SinkArg>,
}

impl OptionalSinkArgs {
    /// The `--sink` destination when given, with this run's sink mappings.
    pub async fn resolve(
        &self,
        ctx: &Context,
        client: &Client,
        namespace: &str,
    ) -> Result<Option<Value>> {
        resolve_opt(
            client,
            self.sink.as_ref(),
            "--sink",
            &sink_mappings(ctx),
            namespace,
        )
        .await
    }
}

/// `--ce-override key=value` (repeatable; `key-` removes the key).
#[derive(Args, Debug, Clone, Default)]
pub struct CeOverrideArgs {
    #[arg(
        long = "ce-override",
        value_name = "stringArray",
        help = "Cloud Event overrides to apply before sending event to sink. Example: '--ce-override key=value' You may be provide this flag multiple times. To unset, append \"-\" to the key (e.g. --ce-override key-)."
    )]
    pub ce_overrides: Vec<KeyValueArg>,
}

/// The one NAME a command takes, or kn's arity error for `command` (e.g. `broker create`).
pub fn single_name<'a>(names: &'a [String], command: &str, message: &str) -> Result<&'a str> {
    match names {
        [name] => Ok(name.as_str()),
        _ => Err(Error::usage_in(command, message)),
    }
}

/// The sink prefixes of this run: kn's built-ins overridden by the configuration's
/// `eventing.sink-mappings`.
pub fn sink_mappings(ctx: &Context) -> SinkMappings {
    ctx.config
        .sink_mappings
        .iter()
        .fold(SinkMappings::builtin(), |m, s| {
            m.with(&s.prefix, Gvr::new(&s.group, &s.version, &s.resource))
        })
}

/// The channel type aliases of this run: `imc` and the configuration's
/// `eventing.channel-type-mappings`.
pub fn channel_mappings(ctx: &Context) -> ChannelTypeMappings {
    ctx.config
        .channel_type_mappings
        .iter()
        .fold(ChannelTypeMappings::builtin(), |m, c| {
            m.with(&c.alias, ChannelKind::new(&c.group, &c.version, &c.kind))
        })
}

/// Resolves an optional sink-like flag.
pub async fn resolve_opt(
    client: &Client,
    arg: Option<&SinkArg>,
    flag: &str,
    mappings: &SinkMappings,
    namespace: &str,
) -> Result<Option<Value>> {
    match arg {
        Some(arg) => Ok(Some(
            sink::resolve(client, arg, flag, mappings, namespace).await?,
        )),
        None => Ok(None),
    }
}

/// Wraps a runtime error as `<prefix>: <error>` (kn's `cannot create X … because: …`); usage
/// errors keep their own message and exit code.
pub fn because(prefix: String) -> impl FnOnce(Error) -> Error {
    move |err| match err {
        Error::Usage { .. } | Error::Silent(_) => err,
        other => Error::failed(format!("{prefix}: {other}")),
    }
}

/// Prints a list object (`apiVersion`, `kind`, `items`) in a structured format; `-o name` prints
/// one `kind.group/name` line per item, as kubectl does.
pub fn print_items(
    ctx: &Context,
    printer: &Printer,
    api_version: &str,
    kind: &str,
    items: &[Value],
) -> Result<()> {
    if let OutputFormat::Name = printer.format {
        let text: String = items
            .iter()
            .map(|i| format!("{}\n", qualified_name(i)))
            .collect();
        return ctx.print(&text);
    }
    let list = json!({"apiVersion": api_version, "kind": kind, "items": items});
    ctx.print(&printer.print(&list)?)
}

/// Refuses to update an object that is being deleted (kn's message for sources).
pub fn check_not_deleting(object: &Value, message: impl FnOnce() -> String) -> Result<()> {
    match object.pointer("/metadata/deletionTimestamp") {
        Some(ts) if !ts.is_null() => Err(Error::failed(message())),
        _ => Ok(()),
    }
}
