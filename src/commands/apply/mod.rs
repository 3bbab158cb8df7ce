//! `knit apply -f FILE`: server-side apply of Knative objects from files (YAML with several
//! documents, JSON, or a `List`), one kubectl-style line per object; and the apply flow shared
//! with `knit service apply` ([`server_side`]).
//!
//! Every document is read and checked (known kind, a name, the namespace) before the first
//! request, so a bad file applies nothing.

pub mod server_side;

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use crate::client::ResourceKind;
use crate::client::kinds;
use crate::commands::args::dry_run::DryRunArgs;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::wait::{WaitArgs, WaitHelp as _};
use crate::context::Context;
use crate::edit::apply::client_dry_run;
use crate::error::{Error, Result};
use crate::ops::write::dry_run::{DryRun, Mode};
use crate::output::progress::Progress;

/// The kinds `knit apply` accepts, at the version knit talks.
pub const KINDS: [ResourceKind; 14] = [
    kinds::SERVICE,
    kinds::CONFIGURATION,
    kinds::ROUTE,
    kinds::DOMAIN_MAPPING,
    kinds::BROKER,
    kinds::TRIGGER,
    kinds::EVENT_TYPE,
    kinds::CHANNEL,
    kinds::IN_MEMORY_CHANNEL,
    kinds::SUBSCRIPTION,
    kinds::PING_SOURCE,
    kinds::API_SERVER_SOURCE,
    kinds::CONTAINER_SOURCE,
    kinds::SINK_BINDING,
];

const EXAMPLES: &str = "Examples:

  # Apply the objects of a file (several YAML documents, JSON, or a List)
  knit apply -f app.yaml

  # Apply from stdin, into namespace 'staging'
  cat app.yaml | knit apply -f - -n staging

  # Take over fields that another field manager (kubectl, kn, a controller) owns
  knit apply -f app.yaml --force-conflicts";

/// Apply Knative objects from files (server-side apply)
#[derive(Args, Debug)]
#[command(
    about = "Apply Knative objects from files (server-side apply)",
    long_about = "Apply Knative objects from files with server-side apply, as field manager 'knit'. Each file may hold several YAML documents, JSON, or a List. Every object is checked before the first one is sent, and knit waits until the applied objects are ready.",
    override_usage = "-f FILE",
    after_help = EXAMPLES,
    wait_help("apply"),
)]
pub struct ApplyArgs {
    /// File with the objects to apply, '-' for stdin. Repeat the flag to apply several files.
    #[arg(
        verbatim_doc_comment,
        short = 'f',
        long = "filename",
        value_name = "string",
        required = true
    )]
    pub filenames: Vec<PathBuf>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    /// Take over fields that other field managers own instead of failing on the conflict.
    #[arg(verbatim_doc_comment, long = "force-conflicts")]
    pub force_conflicts: bool,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

/// One object of the input, checked and ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub kind: ResourceKind,
    pub namespace: String,
    pub name: String,
    pub object: Value,
}

impl Planned {
    /// `service.serving.knative.dev/hello`, as kubectl names objects.
    pub fn display(&self) -> String {
        format!("{}/{}", self.kind.name_prefix(), self.name)
    }
}

pub async fn run(args: &ApplyArgs, ctx: &Context) -> Result<()> {
    let wait = args.wait.resolve(true)?;
    let dry_run = args.dry_run.resolve()?;
    let explicit = args.namespace.namespace.as_deref();
    let namespace = args.namespace.resolve(ctx)?;
    let mut planned = Vec::new();
    let mut stdin_read = false;
    for path in &args.filenames {
        let (source, text) = if path == Path::new("-") {
            if stdin_read {
                return Err(Error::usage("'-' (stdin) can be given only once"));
            }
            stdin_read = true;
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Error::usage(format!("cannot read stdin: {e}")))?;
            ("stdin".to_string(), text)
        } else {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?;
            (path.display().to_string(), text)
        };
        planned.extend(plan(&source, &text, &namespace, explicit)?);
    }
    if planned.is_empty() {
        return Err(Error::usage("no objects passed to apply"));
    }

    let client = ctx.client().await?;
    if let Some(dry_run) = dry_run {
        return simulate(ctx, client, &dry_run, &planned, args.force_conflicts).await;
    }
    let mut errors = Vec::new();
    let mut applied = Vec::new();
    for item in &planned {
        match server_side::apply(
            client,
            &item.kind,
            &item.namespace,
            &item.name,
            &item.object,
            args.force_conflicts,
        )
        .await
        {
            Ok(result) => {
                let verb = if result.changed() {
                    "serverside-applied"
                } else {
                    "unchanged"
                };
                ctx.println(&format!("{} {verb}", item.display()))?;
                applied.push(item);
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(settings) = wait {
        for item in applied {
            let mut quiet = Progress::capture();
            if let Err(e) = crate::ops::wait::wait_for_ready(
                client,
                &item.kind,
                &item.namespace,
                &item.name,
                settings,
                &mut quiet,
            )
            .await
            {
                errors.push(Error::failed(format!("{}: {e}", item.display())));
            }
        }
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Multiple(errors)),
    }
}

/// `--dry-run`/`--diff` for every object: kubectl's line marked as a dry run, the object in the
/// `-o` format, or the diff from the live object (exit 1 when any differs). The client mode
/// shows the apply configuration itself (diffed against the part of the live object it declares),
/// the server mode what a `dryRun=All` apply returns.
async fn simulate(
    ctx: &Context,
    client: &crate::client::Client,
    dry_run: &DryRun,
    planned: &[Planned],
    force: bool,
) -> Result<()> {
    let mut errors = Vec::new();
    let mut differs = None;
    for item in planned {
        let outcome = match dry_run.mode {
            Mode::Client => client
                .get_opt(&item.kind, &item.namespace, &item.name)
                .await
                .map(|live| client_dry_run(live.as_ref(), &item.object)),
            Mode::Server => server_side::apply_with(
                client,
                &item.kind,
                &item.namespace,
                &item.name,
                &item.object,
                force,
                &dry_run.write_options(),
            )
            .await
            .map(|applied| (applied.before, applied.after)),
        };
        let shown = match outcome {
            Ok((before, after)) if dry_run.diff || dry_run.format.is_some() => {
                dry_run.show(ctx, before.as_ref(), &after)
            }
            Ok(_) => {
                let suffix = match dry_run.mode {
                    Mode::Client => "(dry run)",
                    Mode::Server => "(server dry run)",
                };
                ctx.println(&format!("{} serverside-applied {suffix}", item.display()))
            }
            Err(e) => Err(e),
        };
        match shown {
            Ok(()) => {}
            Err(silent @ Error::Silent(_)) => differs = Some(silent),
            Err(e) => errors.push(e),
        }
    }
    match (errors.len(), differs) {
        (0, None) => Ok(()),
        (0, Some(silent)) => Err(silent),
        (1, _) => Err(errors.remove(0)),
        _ => Err(Error::Multiple(errors)),
    }
}

/// The objects of one input text (`source` names it in errors), checked: known kind, a name,
/// and a namespace that agrees with an explicit `-n`.
pub fn plan(
    source: &str,
    text: &str,
    namespace: &str,
    explicit: Option<&str>,
) -> Result<Vec<Planned>> {
    let documents: Vec<Value> = serde_saphyr::from_multiple(text)
        .map_err(|e| Error::usage(format!("cannot parse {source}: {e}")))?;
    let mut objects = Vec::new();
    for (index, document) in documents.into_iter().enumerate() {
        let at = format!("{source}, document {}", index + 1);
        match document {
            Value::Null => {}
            Value::Object(_)
                if document
                    .get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.ends_with("List"))
                    && document.get("items").is_some_and(Value::is_array) =>
            {
                if let Some(Value::Array(items)) = document.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        objects.push((format!("{at}, item {}", i + 1), item.clone()));
                    }
                }
            }
            Value::Object(_) => objects.push((at, document)),
            _ => {
                return Err(Error::usage(format!("{at} is not a Kubernetes object")));
            }
        }
    }
    objects
        .into_iter()
        .map(|(at, object)| check(&at, object, namespace, explicit))
        .collect()
}

fn check(at: &str, mut object: Value, namespace: &str, explicit: Option<&str>) -> Result<Planned> {
    let field = |o: &Value, pointer: &str| {
        o.pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let api_version = field(&object, "/apiVersion");
    let kind_name = field(&object, "/kind");
    if api_version.is_empty() || kind_name.is_empty() {
        return Err(Error::usage(format!(
            "{at}: the object has no apiVersion or kind"
        )));
    }
    let Some(kind) = KINDS
        .iter()
        .find(|k| k.api_version() == api_version && k.kind == kind_name)
    else {
        let known: Vec<String> = KINDS
            .iter()
            .map(|k| format!("{} ({})", k.kind, k.api_version()))
            .collect();
        return Err(Error::usage(format!(
            "{at}: knit cannot apply kind {kind_name} of {api_version}; it applies {}",
            known.join(", ")
        )));
    };
    let name = field(&object, "/metadata/name");
    if name.is_empty() {
        return Err(Error::usage(format!(
            "{at}: the {kind_name} has no metadata.name (apply needs a name)"
        )));
    }
    let declared = field(&object, "/metadata/namespace");
    let namespace = match (declared.as_str(), explicit) {
        ("", _) => namespace.to_string(),
        (declared, Some(explicit)) if declared != explicit => {
            return Err(Error::usage(format!(
                "the namespace from the provided object \"{declared}\" does not match the namespace \"{explicit}\". You must pass '--namespace={declared}' to perform this operation."
            )));
        }
        (declared, _) => declared.to_string(),
    };
    crate::edit::json::set(
        crate::edit::json::object(&mut object, "metadata"),
        "namespace",
        Value::String(namespace.clone()),
    );
    Ok(Planned {
        kind: *kind,
        namespace,
        name,
        object,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TWO: &str = "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: a\n---\napiVersion: eventing.knative.dev/v1\nkind: Broker\nmetadata:\n  name: b\n  namespace: other\n---\n";

    #[test]
    fn documents_lists_and_json_become_checked_objects() {
        let planned = plan("f.yaml", TWO, "default", None).unwrap();
        let names: Vec<(String, String)> = planned
            .iter()
            .map(|p| (p.display(), p.namespace.clone()))
            .collect();
        assert_eq!(
            names,
            [
                ("service.serving.knative.dev/a".into(), "default".into()),
                ("broker.eventing.knative.dev/b".into(), "other".into())
            ]
        );
        assert_eq!(planned[0].object["metadata"]["namespace"], "default");
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "sources.knative.dev/v1", "kind": "PingSource", "metadata": {"name": "p"}}
        ]});
        let planned = plan("l.json", &list.to_string(), "ns", None).unwrap();
        assert_eq!(planned[0].display(), "pingsource.sources.knative.dev/p");
        assert_eq!(planned[0].namespace, "ns");
    }

    #[test]
    fn bad_documents_are_refused_before_anything_is_sent() {
        let err = plan(
            "f.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
            "default",
            None,
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with(
                "f.yaml, document 1: knit cannot apply kind ConfigMap of v1; it applies Service (serving.knative.dev/v1), "
            ),
            "{err}"
        );
        assert_eq!(err.exit_code(), 2);
        let err = plan("f.yaml", TWO, "default", Some("mine")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the namespace from the provided object \"other\" does not match the namespace \"mine\". You must pass '--namespace=other' to perform this operation."
        );
        let err = plan(
            "f.yaml",
            "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {}\n",
            "default",
            None,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.yaml, document 1: the Service has no metadata.name (apply needs a name)"
        );
        assert!(plan("f.yaml", "- a\n", "default", None).is_err());
    }
}
