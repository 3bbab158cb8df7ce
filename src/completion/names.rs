//! Completion of resource names from the cluster (kn-reference §3: the first argument of
//! describe/update/delete and friends), with a short timeout so a slow or unreachable cluster
//! never hangs the shell: after `KNIT_COMPLETION_TIMEOUT` seconds (default 2) there are simply no
//! candidates.
//!
//! Completers are synchronous, so each builds a private current-thread runtime. The connection
//! flags of the line being completed (`--kubeconfig`, `--context`, `-n` …) are read from the words
//! the shell passed after `--`.

use std::ffi::{OsStr, OsString};
use std::time::Duration;

use clap_complete::engine::{CompletionCandidate, ValueCompleter};

use crate::client::kinds::{self, ResourceKind};
use crate::client::{Client, ConnectOptions, ListOptions, config};

/// Environment variable with the completion timeout in seconds (fractions allowed).
pub const TIMEOUT_ENV: &str = "KNIT_COMPLETION_TIMEOUT";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// (command path of the group, verbs whose first argument is an existing object's name, kind).
pub const TARGETS: &[(&[&str], &[&str], ResourceKind)] = &[
    (
        &["service"],
        &["describe", "update", "delete", "export", "wait"],
        kinds::SERVICE,
    ),
    (&["revision"], &["describe", "delete"], kinds::REVISION),
    (&["route"], &["describe"], kinds::ROUTE),
    (
        &["domain"],
        &["describe", "update", "delete"],
        kinds::DOMAIN_MAPPING,
    ),
    (
        &["broker"],
        &["describe", "update", "delete"],
        kinds::BROKER,
    ),
    (
        &["trigger"],
        &["describe", "update", "delete"],
        kinds::TRIGGER,
    ),
    (&["channel"], &["describe", "delete"], kinds::CHANNEL),
    (
        &["subscription"],
        &["describe", "update", "delete"],
        kinds::SUBSCRIPTION,
    ),
    (&["eventtype"], &["describe", "delete"], kinds::EVENT_TYPE),
    (
        &["source", "apiserver"],
        &["describe", "update", "delete"],
        kinds::API_SERVER_SOURCE,
    ),
    (
        &["source", "binding"],
        &["describe", "update", "delete"],
        kinds::SINK_BINDING,
    ),
    (
        &["source", "ping"],
        &["describe", "update", "delete"],
        kinds::PING_SOURCE,
    ),
    (
        &["source", "container"],
        &["describe", "update", "delete"],
        kinds::CONTAINER_SOURCE,
    ),
    (&["secret"], &["delete"], kinds::SECRET),
];

/// Completes names of one kind of object in the namespace of the line being completed.
#[derive(Debug, Clone, Copy)]
pub struct NameCompleter {
    pub kind: ResourceKind,
}

impl ValueCompleter for NameCompleter {
    fn complete(&self, current: &OsStr) -> Vec<CompletionCandidate> {
        let prefix = current.to_string_lossy();
        let words = completion_words(std::env::args_os());
        let (connect, namespace) = connection_from_words(&words);
        fetch_names(&self.kind, &connect, namespace, timeout())
            .into_iter()
            .filter(|n| n.starts_with(prefix.as_ref()))
            .map(CompletionCandidate::new)
            .collect()
    }
}

fn timeout() -> Duration {
    std::env::var(TIMEOUT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(DEFAULT_TIMEOUT)
}

/// The words of the line being completed: everything after the first `--` of knit's own arguments.
pub fn completion_words(args: impl IntoIterator<Item = OsString>) -> Vec<String> {
    args.into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .skip_while(|a| a != "--")
        .skip(1)
        .collect()
}

/// The connection flags and `-n/--namespace` found among the words of a command line.
pub fn connection_from_words(words: &[String]) -> (ConnectOptions, Option<String>) {
    let mut connect = ConnectOptions::default();
    let mut namespace = None;
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        if word == "--" {
            break;
        }
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if word.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (word.clone(), None),
        };
        let short_ns = flag
            .strip_prefix("-n")
            .filter(|v| !v.is_empty() && !flag.starts_with("--"));
        let known = matches!(
            flag.as_str(),
            "--kubeconfig"
                | "--context"
                | "--cluster"
                | "--as"
                | "--as-group"
                | "--as-uid"
                | "-n"
                | "--namespace"
        );
        if !known && short_ns.is_none() {
            i += 1;
            continue;
        }
        let value = match (short_ns, inline) {
            (Some(v), _) => Some(v.trim_start_matches('=').to_string()),
            (None, Some(v)) => Some(v),
            (None, None) => {
                i += 1;
                words.get(i).cloned()
            }
        };
        if let Some(value) = value {
            match flag.as_str() {
                "--kubeconfig" => connect.kubeconfig = Some(value.into()),
                "--context" => connect.context = Some(value),
                "--cluster" => connect.cluster = Some(value),
                "--as" => connect.impersonate = Some(value),
                "--as-group" => connect.impersonate_groups.push(value),
                "--as-uid" => connect.impersonate_uid = Some(value),
                _ => namespace = Some(value),
            }
        }
        i += 1;
    }
    (connect, namespace)
}

/// Names of the objects of `kind` in the namespace (explicit, else the context's), sorted; empty on
/// any error or when `limit` passes.
pub fn fetch_names(
    kind: &ResourceKind,
    connect: &ConnectOptions,
    namespace: Option<String>,
    limit: Duration,
) -> Vec<String> {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    let work = async {
        let namespace = match namespace {
            Some(ns) => ns,
            None => {
                let kubeconfig = config::load_kubeconfig(connect).ok().flatten();
                config::context_namespace(connect, kubeconfig.as_ref())
            }
        };
        let client = Client::connect(connect).await.ok()?;
        let ns = kind.namespaced.then_some(namespace.as_str());
        let list = client.list(kind, ns, &ListOptions::default()).await.ok()?;
        let mut names: Vec<String> = list
            .items
            .iter()
            .filter_map(|o| {
                o.pointer("/metadata/name")
                    .and_then(|n| n.as_str())
                    .map(str::to_string)
            })
            .collect();
        names.sort();
        Some(names)
    };
    let names = runtime.block_on(async { tokio::time::timeout(limit, work).await.ok().flatten() });
    // Do not wait for a hung connection to wind down.
    runtime.shutdown_background();
    names.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn words_after_the_separator() {
        let args = ["knit", "--", "knit", "service", "describe", ""].map(OsString::from);
        assert_eq!(completion_words(args), ["knit", "service", "describe", ""]);
    }

    #[test]
    fn connection_flags_are_read_from_the_line() {
        let (c, ns) = connection_from_words(&words(
            "knit --kubeconfig /k --context=ctx service describe -n ns --as bob --as-group g1 --as-group=g2",
        ));
        assert_eq!(c.kubeconfig, Some("/k".into()));
        assert_eq!(c.context.as_deref(), Some("ctx"));
        assert_eq!(c.impersonate.as_deref(), Some("bob"));
        assert_eq!(c.impersonate_groups, ["g1", "g2"]);
        assert_eq!(ns.as_deref(), Some("ns"));
        assert_eq!(
            connection_from_words(&words("knit service list -nother"))
                .1
                .as_deref(),
            Some("other")
        );
        assert_eq!(
            connection_from_words(&words("knit service list --namespace=x"))
                .1
                .as_deref(),
            Some("x")
        );
        assert_eq!(
            connection_from_words(&words("knit service list --no-wait")).1,
            None
        );
    }
}
