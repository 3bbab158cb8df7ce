//! Waiting for readiness or deletion.
//!
//! [`ReadyMachine`] is the pure decision logic (kn-reference §4.10): snapshots whose
//! `observedGeneration` lags `generation` are skipped; Ready=True ends the wait; Ready=False opens
//! the `--wait-window` after which the wait fails with the first False's `Reason: Message` unless Ready turns
//! Unknown/True; non-empty Ready messages are progress. The async drivers check the current state
//! first (one LIST), then watch from that resourceVersion and react to each event the instant it
//! arrives (through [`Follower`], which resumes dropped watches and lists again after 410 Gone);
//! `--wait-timeout` bounds everything.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::api::duck::{self, Condition};
use crate::client::follow::{Collection, Follower, Observed};
use crate::client::{Client, ListOptions, Propagation, ResourceKind};
use crate::error::{Error, Result, WaitEnd};
use crate::output::progress::Progress;

/// How long to wait, once waiting is decided (resolved from `--wait-timeout`/`--wait-window`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitSettings {
    /// Bound on the whole wait (`--wait-timeout`; zero for a negative value).
    pub timeout: Duration,
    /// `--wait-timeout` as given, for the timeout message (kn names a negative value as is).
    pub timeout_seconds: i64,
    /// Grace period after Ready=False before failing (`--wait-window`).
    pub window: Duration,
}

/// What readiness depends on in one object snapshot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub generation: i64,
    pub observed_generation: i64,
    pub ready: Option<Condition>,
    /// A Service's `ConfigurationsReady` when it failed to create a revision: the route's
    /// `RevisionMissing` on Ready does not say why, this does (e.g. a label Kubernetes refuses).
    pub revision_creation_failed: Option<Condition>,
}

impl Snapshot {
    /// Reads the snapshot of any Knative object (duck-typed status).
    pub fn of(object: &Value) -> Snapshot {
        let generation = object
            .pointer("/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let status: duck::Status = object
            .get("status")
            .and_then(|s| serde_json::from_value(s.clone()).ok())
            .unwrap_or_default();
        let revision_creation_failed = status
            .conditions
            .iter()
            .find(|c| {
                c.type_ == "ConfigurationsReady" && c.is_false() && c.reason == "RevisionFailed"
            })
            .cloned();
        Snapshot {
            generation,
            observed_generation: status.observed_generation,
            ready: duck::ready(&status.conditions).cloned(),
            revision_creation_failed,
        }
    }
}

/// The verdict after an observation or a deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ready,
    /// Failed with kn's `Reason: Message`.
    Failed(String),
    Pending,
}

/// The pure readiness state machine. Times are offsets from the start of the wait.
#[derive(Debug, Clone)]
pub struct ReadyMachine {
    window: Duration,
    /// Ready=False seen: fail at this offset with this message unless it recovers.
    failing: Option<(Duration, String)>,
}

impl ReadyMachine {
    pub fn new(window: Duration) -> Self {
        ReadyMachine {
            window,
            failing: None,
        }
    }

    /// Feeds one snapshot seen at offset `now`. Returns the verdict and the progress message to
    /// show, if any.
    pub fn observe(&mut self, now: Duration, snapshot: &Snapshot) -> (Verdict, Option<String>) {
        if snapshot.generation != snapshot.observed_generation {
            return (Verdict::Pending, None);
        }
        let Some(ready) = &snapshot.ready else {
            return (Verdict::Pending, None);
        };
        if ready.is_true() {
            self.failing = None;
            return (Verdict::Ready, None);
        }
        if ready.is_false() {
            // The window starts at the first False, and (as kn's error timer captures it then)
            // the error reports that first False: a failed image fetch ends with its
            // `RevisionFailed` reason, not with the `RevisionMissing` that follows it.
            if self.failing.is_none() {
                let mut message = format!("{}: {}", ready.reason, ready.message);
                // knit names the cause kn leaves out: the revision that could not be created.
                if let Some(cause) = &snapshot.revision_creation_failed
                    && ready.reason == "RevisionMissing"
                    && cause.message != ready.message
                {
                    message.push_str(&format!("\n{}: {}", cause.reason, cause.message));
                }
                self.failing = Some((now + self.window, message));
            }
        } else {
            self.failing = None;
        }
        let message = (!ready.message.is_empty()).then(|| ready.message.clone());
        (self.expire(now), message)
    }

    /// When the failure window closes, if one is open.
    pub fn deadline(&self) -> Option<Duration> {
        self.failing.as_ref().map(|(at, _)| *at)
    }

    /// The verdict at offset `now` with no new snapshot.
    pub fn expire(&mut self, now: Duration) -> Verdict {
        match &self.failing {
            Some((at, message)) if now >= *at => Verdict::Failed(message.clone()),
            _ => Verdict::Pending,
        }
    }
}

/// The result of a successful ready wait.
#[derive(Debug, Clone)]
pub struct WaitOutcome {
    /// The object as last seen (Ready).
    pub object: Value,
    /// Time from the start of the wait.
    pub elapsed: Duration,
}

/// kn's timeout message (`timeout: service 'x' not ready after 600 seconds`), also for deletes.
/// `seconds` is `--wait-timeout` as given, negative included.
pub fn timeout_message(kind: &ResourceKind, name: &str, seconds: i64) -> String {
    format!(
        "timeout: {} '{name}' not ready after {seconds} seconds",
        kind.kind.to_ascii_lowercase(),
    )
}

/// Waits until the named object is Ready, printing progress lines (and, on success,
/// `Ready to serve.`).
pub async fn wait_for_ready(
    client: &Client,
    kind: &ResourceKind,
    namespace: &str,
    name: &str,
    settings: WaitSettings,
    progress: &mut Progress,
) -> Result<WaitOutcome> {
    let start = Instant::now();
    let driven = drive_ready(
        client,
        kind,
        namespace,
        name,
        settings.window,
        start,
        progress,
    );
    let outcome = match tokio::time::timeout(settings.timeout, driven).await {
        Ok(result) => result,
        Err(_) => Err(Error::wait(
            WaitEnd::TimedOut,
            timeout_message(kind, name, settings.timeout_seconds),
        )),
    };
    if let Ok(done) = &outcome {
        progress.message(done.elapsed, "Ready to serve.");
    }
    progress.finish();
    outcome
}

async fn drive_ready(
    client: &Client,
    kind: &ResourceKind,
    namespace: &str,
    name: &str,
    window: Duration,
    start: Instant,
    progress: &mut Progress,
) -> Result<WaitOutcome> {
    let mut machine = ReadyMachine::new(window);
    // Current state first: an object that is already Ready returns without watching.
    let mut follower = Follower::new(
        client,
        Collection::Kind(kind),
        Some(namespace),
        ListOptions::named(name),
    )
    .patient();
    loop {
        let deadline = machine.deadline().map(|d| start + d);
        let observed = tokio::select! {
            observed = follower.next() => observed?,
            _ = sleep_until(deadline) => {
                if let Verdict::Failed(message) = machine.expire(start.elapsed()) {
                    return Err(Error::wait(WaitEnd::Failed, message));
                }
                continue;
            }
        };
        let object = match observed {
            Observed::Listed(items) => match items.into_iter().next() {
                Some(object) => object,
                None => continue,
            },
            Observed::Added(object) | Observed::Modified(object) => object,
            Observed::Deleted(_) => continue,
        };
        let elapsed = start.elapsed();
        let (verdict, message) = machine.observe(elapsed, &Snapshot::of(&object));
        if let Some(message) = message {
            progress.message(elapsed, &message);
        }
        match verdict {
            Verdict::Ready => return Ok(WaitOutcome { object, elapsed }),
            Verdict::Failed(message) => return Err(Error::wait(WaitEnd::Failed, message)),
            Verdict::Pending => {}
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Deletes the object (foreground propagation) and waits until it is gone. The follow starts from
/// the resourceVersion read before the DELETE, so the deletion event cannot be missed.
pub async fn delete_and_wait(
    client: &Client,
    kind: &ResourceKind,
    namespace: &str,
    name: &str,
    timeout_seconds: i64,
) -> Result<()> {
    let timeout = Duration::from_secs(timeout_seconds.max(0).unsigned_abs());
    let named = ListOptions::named(name);
    let before = client.list(kind, Some(namespace), &named).await?;
    client
        .delete(kind, namespace, name, Propagation::Foreground)
        .await?;
    let driven = until_deleted(client, kind, namespace, name, before.resource_version);
    match tokio::time::timeout(timeout, driven).await {
        Ok(result) => result,
        Err(_) => Err(Error::wait(
            WaitEnd::TimedOut,
            timeout_message(kind, name, timeout_seconds),
        )),
    }
}

/// Follows the named object until it is gone: a deletion event, or a list without it. An empty
/// `resource_version` looks at the current state first.
pub async fn until_deleted(
    client: &Client,
    kind: &ResourceKind,
    namespace: &str,
    name: &str,
    resource_version: String,
) -> Result<()> {
    let mut follower = Follower::new(
        client,
        Collection::Kind(kind),
        Some(namespace),
        ListOptions::named(name),
    )
    .resume(resource_version)
    .patient();
    loop {
        match follower.next().await? {
            Observed::Deleted(_) => return Ok(()),
            Observed::Listed(items) if items.is_empty() => return Ok(()),
            _ => {}
        }
    }
}

#[cfg(test)]
#[path = "wait_tests.rs"]
mod tests;
