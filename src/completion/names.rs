//! Completion of resource names from the cluster (kn-reference §3: the first argument of
//! describe/update/delete and friends), with a short timeout so a slow or unreachable cluster
//! never hangs the shell: after `KNIT_COMPLETION_TIMEOUT` seconds (default 2) there are simply no
//! candidates.
//!
//! Completers are synchronous, so each builds a private current-thread runtime. The connection
//! flags of the line being completed (`--kubeconfig`, `--context`, `-n` …) are read from the words
//! the shell passed after `--` (see [`super::line`]).

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
        &[
            "describe", "update", "delete", "export", "wait", "rollout", "apply",
        ],
        kinds::SERVICE,
    ),
    (&["revision"], &["describe", "delete"], kinds::REVISION),
    (&["route"], &["describe", "list"], kinds::ROUTE),
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
        &["eventpolicy"],
        &["describe", "update", "delete"],
        kinds::EVENT_POLICY,
    ),
    (
        &["eventtransform"],
        &["describe", "update", "delete"],
        kinds::EVENT_TRANSFORM,
    ),
    (
        &["integrationsink"],
        &["describe", "update", "delete"],
        kinds::INTEGRATION_SINK,
    ),
    (
        &["source", "integration"],
        &["describe", "update", "delete"],
        kinds::INTEGRATION_SOURCE,
    ),
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
        let line = super::values::current_line();
        let connect = super::values::connect_options(line);
        let namespace = line.value("namespace").map(String::from);
        fetch_names(&self.kind, &connect, namespace, timeout())
            .into_iter()
            .filter(|n| n.starts_with(prefix.as_ref()))
            .map(CompletionCandidate::new)
            .collect()
    }
}

/// How long completion may wait for the cluster (`KNIT_COMPLETION_TIMEOUT`, default 2 s).
pub fn timeout() -> Duration {
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

/// Runs `work` with a client for `connect` and the namespace (explicit, else the context's) on a
/// private current-thread runtime; `None` on any error or when `limit` passes.
pub fn with_client<T, F, Fut>(
    connect: &ConnectOptions,
    namespace: Option<String>,
    limit: Duration,
    work: F,
) -> Option<T>
where
    F: FnOnce(Client, String) -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let job = async {
        let namespace = match namespace {
            Some(ns) => ns,
            None => {
                let kubeconfig = config::load_kubeconfig(connect).ok().flatten();
                config::context_namespace(connect, kubeconfig.as_ref())
            }
        };
        let client = Client::connect(connect).await.ok()?;
        work(client, namespace).await
    };
    let out = runtime.block_on(async { tokio::time::timeout(limit, job).await.ok().flatten() });
    // Do not wait for a hung connection to wind down.
    runtime.shutdown_background();
    out
}

/// Names of the objects of `kind` in the namespace (explicit, else the context's), sorted; empty on
/// any error or when `limit` passes.
pub fn fetch_names(
    kind: &ResourceKind,
    connect: &ConnectOptions,
    namespace: Option<String>,
    limit: Duration,
) -> Vec<String> {
    with_client(connect, namespace, limit, |client, namespace| async move {
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
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_after_the_separator() {
        let args = ["knit", "--", "knit", "service", "describe", ""].map(OsString::from);
        assert_eq!(completion_words(args), ["knit", "service", "describe", ""]);
    }
}
