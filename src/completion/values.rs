//! Completion of flag values: fixed sets (`-o` formats, `--pull-policy`, shell names …), names
//! from the kubeconfig (`--context`, `--cluster`) and from the cluster in the namespace of the
//! line (`-n`, `--broker`, `--sink ksvc:…`, revisions and tags for `--traffic`/`--tag`/`--untag`).
//! [`for_arg`] decides which completer a flag gets; completers never fail, they just offer nothing.

use std::ffi::OsStr;
use std::sync::OnceLock;

use clap::{Arg, ValueHint};
use clap_complete::engine::{CompletionCandidate, ValueCompleter};
use serde_json::Value;

use super::line::{self, Line};
use super::names::{self, completion_words};
use crate::client::kinds::{self, ResourceKind};
use crate::client::{ConnectOptions, ListOptions, config};
use crate::config::{Config, Locations};

const SERVICE_ACCOUNT: ResourceKind = ResourceKind {
    group: "",
    version: "v1",
    plural: "serviceaccounts",
    kind: "ServiceAccount",
    namespaced: true,
};

const CONFIG_MAP: ResourceKind = ResourceKind {
    group: "",
    version: "v1",
    plural: "configmaps",
    kind: "ConfigMap",
    namespaced: true,
};

/// Kubernetes' well-known Secret types (`secret create --type`).
const SECRET_TYPES: &[&str] = &[
    "Opaque",
    "bootstrap.kubernetes.io/token",
    "kubernetes.io/basic-auth",
    "kubernetes.io/dockercfg",
    "kubernetes.io/dockerconfigjson",
    "kubernetes.io/service-account-token",
    "kubernetes.io/ssh-auth",
    "kubernetes.io/tls",
];

/// What the value of one flag is completed from.
#[derive(Debug, Clone)]
pub enum Values {
    /// A fixed set, offered in this order.
    Fixed(Vec<String>),
    /// Namespaces of the cluster.
    Namespaces,
    /// Context names of the kubeconfig.
    Contexts,
    /// Cluster names of the kubeconfig.
    Clusters,
    /// Names of objects of one kind in the line's namespace.
    Names(ResourceKind),
    /// `PREFIX:NAME` with these prefixes (and the configuration's sink mappings when `sink`);
    /// a bare name is one of `bare` when given.
    Prefixed {
        prefixes: &'static [(&'static str, ResourceKind)],
        bare: Option<ResourceKind>,
        sink: bool,
    },
    /// `REF=` where REF is `@latest`, a revision of the line's service, or (with `tags`) one of
    /// its traffic tags.
    RevisionRefs { tags: bool },
    /// `@latest=` only (`service create --tag`: the service has no revisions yet).
    LatestRef,
    /// The traffic tags of the line's service.
    Tags,
    /// Profile names of the configuration (built-in and the file's).
    Profiles,
    /// Channel type aliases: `imc` and the configuration's channel-type-mappings.
    ChannelTypes,
}

/// A [`ValueCompleter`] for one flag.
#[derive(Debug, Clone)]
pub struct FlagCompleter(pub Values);

/// The sink prefixes knit resolves itself (see `ops::sink`).
const SINK_PREFIXES: &[(&str, ResourceKind)] = &[
    ("broker", kinds::BROKER),
    ("channel", kinds::CHANNEL),
    ("ksvc", kinds::SERVICE),
];

const DOMAIN_REF_PREFIXES: &[(&str, ResourceKind)] =
    &[("kroute", kinds::ROUTE), ("ksvc", kinds::SERVICE)];

const ENV_FROM_PREFIXES: &[(&str, ResourceKind)] =
    &[("config-map", CONFIG_MAP), ("secret", kinds::SECRET)];

const EVENTTYPE_REF_PREFIXES: &[(&str, ResourceKind)] =
    &[("broker", kinds::BROKER), ("channel", kinds::CHANNEL)];

fn fixed(values: &[&str]) -> Option<Values> {
    Some(Values::Fixed(
        values.iter().map(|s| s.to_string()).collect(),
    ))
}

/// The values listed after "One of:" in a help text: `One of: (json, yaml, name).`,
/// `One of: json|yaml|url.`, `One of: text | base64`. The help is what users read, so the
/// completion offers exactly what it promises.
pub fn one_of(help: &str) -> Vec<String> {
    let Some((_, rest)) = help.split_once("One of:") else {
        return Vec::new();
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('(').unwrap_or(rest);
    let end = rest.find([')', '.']).unwrap_or(rest.len());
    rest[..end]
        .split(['|', ','])
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.contains(char::is_whitespace))
        .map(String::from)
        .collect()
}

/// The completer of the flag `arg` of the command at `path` (canonical names), if its values are
/// knowable.
pub fn for_arg(path: &[&str], arg: &Arg) -> Option<Values> {
    let long = arg.get_long()?;
    let verb = path.last().copied().unwrap_or_default();
    let noun = path.first().copied().unwrap_or_default();
    match long {
        "namespace" => Some(Values::Namespaces),
        "context" => Some(Values::Contexts),
        "cluster" => Some(Values::Clusters),
        "output" | "encoding" => {
            let values = one_of(&arg.get_help().map(|h| h.to_string()).unwrap_or_default());
            (!values.is_empty()).then_some(Values::Fixed(values))
        }
        "mode" if verb == "export" => fixed(&["export", "replay"]),
        "mode" => fixed(&["Reference", "Resource"]),
        "pull-policy" => fixed(&["Always", "IfNotPresent", "Never"]),
        "backoff-policy" => fixed(&["exponential", "linear"]),
        "scale-metric" => fixed(&["concurrency", "rps"]),
        "class" if noun == "broker" => fixed(&["MTChannelBasedBroker"]),
        "type" if noun == "secret" => fixed(SECRET_TYPES),
        "type" if noun == "channel" => Some(Values::ChannelTypes),
        "type" if noun == "source" && verb == "list" => Some(Values::Fixed(
            kinds::BUILT_IN_SOURCES
                .iter()
                .map(|k| k.kind.to_string())
                .collect(),
        )),
        "profile" => Some(Values::Profiles),
        "broker" => Some(Values::Names(kinds::BROKER)),
        "channel" => Some(Values::Names(kinds::CHANNEL)),
        "sink" | "dl-sink" | "sink-reply" | "sink-dead-letter" => Some(Values::Prefixed {
            prefixes: SINK_PREFIXES,
            bare: Some(kinds::SERVICE),
            sink: true,
        }),
        "ref" if noun == "domain" => Some(Values::Prefixed {
            prefixes: DOMAIN_REF_PREFIXES,
            bare: Some(kinds::SERVICE),
            sink: false,
        }),
        "reference" => Some(Values::Prefixed {
            prefixes: EVENTTYPE_REF_PREFIXES,
            bare: None,
            sink: false,
        }),
        "env-from" | "env-value-from" => Some(Values::Prefixed {
            prefixes: ENV_FROM_PREFIXES,
            bare: None,
            sink: false,
        }),
        "service" | "prune" => Some(Values::Names(kinds::SERVICE)),
        "service-account" => Some(Values::Names(SERVICE_ACCOUNT)),
        "pull-secret" | "tls" if noun != "emulator" => Some(Values::Names(kinds::SECRET)),
        "traffic" => Some(Values::RevisionRefs { tags: true }),
        "tag" if verb == "update" => Some(Values::RevisionRefs { tags: false }),
        "tag" if verb == "create" => Some(Values::LatestRef),
        "untag" => Some(Values::Tags),
        _ => None,
    }
}

/// Flags whose value is a local file or directory: the shell's own path completion.
pub fn path_hint(arg: &Arg) -> Option<ValueHint> {
    match arg.get_long()? {
        "kubeconfig" | "config" | "filename" | "env-file" | "state" | "write-kubeconfig"
        | "tls-cert" | "tls-key" | "plugins-dir" => Some(ValueHint::FilePath),
        "target" => Some(ValueHint::AnyPath),
        _ => None,
    }
}

/// The line being completed, read once per process.
pub fn current_line() -> &'static Line {
    static LINE: OnceLock<Line> = OnceLock::new();
    LINE.get_or_init(|| {
        let mut root = super::tree();
        root.build();
        line::parse(&root, &completion_words(std::env::args_os()))
    })
}

/// The connection flags of the line.
pub fn connect_options(line: &Line) -> ConnectOptions {
    ConnectOptions {
        kubeconfig: line.value("kubeconfig").map(Into::into),
        context: line.value("context").map(String::from),
        cluster: line.value("cluster").map(String::from),
        impersonate: line.value("as_user").map(String::from),
        impersonate_groups: line.all("as_group"),
        impersonate_uid: line.value("as_uid").map(String::from),
        ..ConnectOptions::default()
    }
}

fn load_config(line: &Line) -> Option<Config> {
    Config::load(
        &Locations::from_env(),
        line.value("config").map(std::path::Path::new),
        None,
    )
    .ok()
}

fn candidates(values: Vec<String>, prefix: &str) -> Vec<CompletionCandidate> {
    values
        .into_iter()
        .filter(|v| v.starts_with(prefix))
        .map(CompletionCandidate::new)
        .collect()
}

impl ValueCompleter for FlagCompleter {
    fn complete(&self, current: &OsStr) -> Vec<CompletionCandidate> {
        let current = current.to_string_lossy();
        candidates(self.values(current_line(), &current), &current)
    }
}

impl FlagCompleter {
    /// Every value this completer offers for the line, before filtering by what is typed.
    pub fn values(&self, line: &Line, current: &str) -> Vec<String> {
        let namespace = line.value("namespace").map(String::from);
        let connect = connect_options(line);
        let names = |kind: &ResourceKind| {
            names::fetch_names(kind, &connect, namespace.clone(), names::timeout())
        };
        match &self.0 {
            Values::Fixed(values) => values.clone(),
            Values::Namespaces => {
                names::fetch_names(&kinds::NAMESPACE, &connect, None, names::timeout())
            }
            Values::Contexts | Values::Clusters => {
                let Ok(Some(kubeconfig)) = config::load_kubeconfig(&connect) else {
                    return Vec::new();
                };
                let mut out: Vec<String> = if matches!(self.0, Values::Contexts) {
                    kubeconfig.contexts.into_iter().map(|c| c.name).collect()
                } else {
                    kubeconfig.clusters.into_iter().map(|c| c.name).collect()
                };
                out.sort();
                out.dedup();
                out
            }
            Values::Names(kind) => names(kind),
            Values::Prefixed {
                prefixes,
                bare,
                sink,
            } => {
                let mut all: Vec<(String, Option<ResourceKind>)> = prefixes
                    .iter()
                    .map(|(p, k)| (p.to_string(), Some(*k)))
                    .collect();
                if *sink && let Some(config) = load_config(line) {
                    for m in config.sink_mappings {
                        // Their kind is only known by its resource: names are not listed.
                        if !all.iter().any(|(p, _)| *p == m.prefix) {
                            all.push((m.prefix, None));
                        }
                    }
                }
                match current.split_once(':') {
                    Some((prefix, _)) => match all.iter().find(|(p, _)| p == prefix) {
                        Some((p, Some(kind))) => names(kind)
                            .into_iter()
                            .map(|n| format!("{p}:{n}"))
                            .collect(),
                        _ => Vec::new(),
                    },
                    None => {
                        let mut out: Vec<String> =
                            all.into_iter().map(|(p, _)| format!("{p}:")).collect();
                        out.sort();
                        if let Some(kind) = bare {
                            out.extend(names(kind));
                        }
                        out
                    }
                }
            }
            Values::RevisionRefs { tags } => {
                let mut out = vec!["@latest=".to_string()];
                if let Some(service) = line.positionals.first() {
                    let (revisions, tag_names) =
                        fetch_revisions_and_tags(&connect, namespace, service);
                    out.extend(revisions.into_iter().map(|r| format!("{r}=")));
                    if *tags {
                        out.extend(tag_names.into_iter().map(|t| format!("{t}=")));
                    }
                }
                out
            }
            Values::LatestRef => vec!["@latest=".to_string()],
            Values::Tags => match line.positionals.first() {
                Some(service) => fetch_revisions_and_tags(&connect, namespace, service).1,
                None => Vec::new(),
            },
            Values::Profiles => load_config(line)
                .map(|c| c.profiles.into_keys().collect())
                .unwrap_or_default(),
            Values::ChannelTypes => {
                let mut out = vec!["imc".to_string()];
                if let Some(config) = load_config(line) {
                    out.extend(config.channel_type_mappings.into_iter().map(|m| m.alias));
                }
                out
            }
        }
    }
}

/// The revisions of `service` (by its label) and the tags of its traffic, each sorted.
fn fetch_revisions_and_tags(
    connect: &ConnectOptions,
    namespace: Option<String>,
    service: &str,
) -> (Vec<String>, Vec<String>) {
    let label = format!("serving.knative.dev/service={service}");
    names::with_client(
        connect,
        namespace,
        names::timeout(),
        |client, ns| async move {
            let options = ListOptions {
                label_selector: Some(label),
                ..ListOptions::default()
            };
            let revisions = client
                .list(&kinds::REVISION, Some(&ns), &options)
                .await
                .ok()?;
            let mut revisions: Vec<String> = revisions
                .items
                .iter()
                .filter_map(|o| o.pointer("/metadata/name")?.as_str().map(String::from))
                .collect();
            revisions.sort();
            let svc = client.get(&kinds::SERVICE, &ns, service).await.ok();
            let mut tags: Vec<String> = svc
                .iter()
                .flat_map(|s| {
                    ["/spec/traffic", "/status/traffic"]
                        .into_iter()
                        .filter_map(|p| s.pointer(p).and_then(Value::as_array))
                        .flatten()
                })
                .filter_map(|t| t.get("tag")?.as_str().map(String::from))
                .collect();
            tags.sort();
            tags.dedup();
            Some((revisions, tags))
        },
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_reads_each_help_style() {
        assert_eq!(
            one_of("Output format of --dry-run. One of: (yaml, json, name). Default: yaml"),
            ["yaml", "json", "name"]
        );
        assert_eq!(
            one_of("Output format. One of: json|yaml|url|name|jsonpath-file."),
            ["json", "yaml", "url", "name", "jsonpath-file"]
        );
        assert_eq!(
            one_of("Data encoding format. One of: text | base64"),
            ["text", "base64"]
        );
        assert!(one_of("Service name").is_empty());
    }

    /// Every `-o` and `--encoding` in the tree gets values: a help text rewritten so that its list
    /// can no longer be read fails here rather than losing its completion quietly.
    #[test]
    fn every_output_flag_has_values() {
        fn walk(cmd: &clap::Command, path: &mut Vec<String>, seen: &mut usize) {
            for arg in cmd.get_arguments() {
                if matches!(arg.get_long(), Some("output" | "encoding")) {
                    let p: Vec<&str> = path.iter().map(String::as_str).collect();
                    let Some(Values::Fixed(values)) = for_arg(&p, arg) else {
                        panic!("{path:?} {:?} has no values", arg.get_long());
                    };
                    assert!(
                        ["json", "text", "plaintext"]
                            .iter()
                            .any(|v| values.contains(&v.to_string())),
                        "{path:?} {values:?}"
                    );
                    *seen += 1;
                }
            }
            for sub in cmd.get_subcommands() {
                path.push(sub.get_name().to_string());
                walk(sub, path, seen);
                path.pop();
            }
        }
        let mut root = crate::cli::command();
        root.build();
        let mut seen = 0;
        walk(&root, &mut Vec::new(), &mut seen);
        assert!(seen > 60, "{seen}");
    }

    #[test]
    fn fixed_and_prefix_values_need_no_cluster() {
        let line = Line::default();
        let values = |v: Values| FlagCompleter(v).values(&line, "");
        assert_eq!(
            values(Values::Fixed(vec!["a".into(), "b".into()])),
            ["a", "b"]
        );
        assert_eq!(values(Values::LatestRef), ["@latest="]);
        // No service on the line: only `@latest`.
        assert_eq!(values(Values::RevisionRefs { tags: true }), ["@latest="]);
        assert!(values(Values::Tags).is_empty());
    }
}
