//! Waiting during a rollout: for the Service to name the new revision, for the revision to be
//! Ready and stay Ready through an interval, and for the Service to serve a step.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::{Rollout, Stop};
use crate::client::follow::{Collection, Follower, Observed};
use crate::client::kinds::{REVISION, SERVICE};
use crate::client::{Client, ListOptions, ResourceKind};
use crate::error::{Error, Result};
use crate::ops::wait::Snapshot;
use crate::ops::wait::WaitSettings;
use crate::output::progress::Progress;

impl Rollout<'_> {
    /// The revision the Service created for `generation`: its latest created revision once it
    /// has observed that generation and its Configuration has caught up.
    pub(super) async fn discover(&self, generation: i64) -> std::result::Result<String, Stop> {
        let found = watch_until(
            self.client,
            &SERVICE,
            self.namespace,
            self.name,
            Instant::now() + self.timeout,
            None,
            |service| {
                let Some(service) = service else {
                    return Some(Err(format!("service '{}' was deleted", self.name)));
                };
                let observed = service
                    .pointer("/status/observedGeneration")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                let outdated = service
                    .pointer("/status/conditions")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .any(|c| c["type"] == "ConfigurationsReady" && c["reason"] == "OutOfDate");
                let created = service
                    .pointer("/status/latestCreatedRevisionName")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty());
                match created {
                    Some(created) if observed >= generation && !outdated => {
                        Some(Ok(created.to_string()))
                    }
                    _ => None,
                }
            },
        )
        .await?
        .verdict;
        match found {
            Some(Ok(name)) => Ok(name),
            Some(Err(reason)) => Err(Stop::Failed(reason)),
            None => Err(Stop::Failed(format!(
                "no new revision appeared within {} seconds",
                self.timeout.as_secs()
            ))),
        }
    }

    pub(super) async fn wait_revision_ready(
        &self,
        revision: &str,
    ) -> std::result::Result<(), Stop> {
        let watched = watch_until(
            self.client,
            &REVISION,
            self.namespace,
            revision,
            Instant::now() + self.timeout,
            None,
            |object| {
                let ready = Snapshot::of(object?).ready?;
                if ready.is_true() {
                    Some(Ok(()))
                } else if ready.is_false() {
                    Some(Err(format!("{}: {}", ready.reason, ready.message)))
                } else {
                    None
                }
            },
        )
        .await?;
        self.revision_rv.replace(watched.resource_version);
        match watched.verdict {
            Some(Ok(())) => Ok(()),
            Some(Err(reason)) => Err(Stop::Failed(reason)),
            None => Err(Stop::Failed(format!(
                "revision '{revision}' did not become ready within {} seconds",
                self.timeout.as_secs()
            ))),
        }
    }

    /// Waits `wait`, watching the candidate: it must stay Ready all along.
    pub(super) async fn watch_interval(
        &self,
        revision: &str,
        wait: Duration,
    ) -> std::result::Result<(), Stop> {
        let watched = watch_until(
            self.client,
            &REVISION,
            self.namespace,
            revision,
            Instant::now() + wait,
            // From where the revision was last seen Ready: no change in between is missed.
            Some(self.revision_rv.take()),
            |object| {
                let Some(object) = object else {
                    return Some(format!("revision '{revision}' was deleted"));
                };
                match Snapshot::of(object).ready {
                    Some(ready) if ready.is_true() => None,
                    Some(ready) => Some(format!("{}: {}", ready.reason, ready.message)),
                    None => Some(format!("revision '{revision}' is no longer ready")),
                }
            },
        )
        .await?;
        self.revision_rv.replace(watched.resource_version);
        match watched.verdict {
            Some(reason) => Err(Stop::Failed(reason)),
            None => Ok(()),
        }
    }

    /// Waits until the Service is Ready for its current generation (the step is served).
    pub(super) async fn wait_service_ready(&self) -> std::result::Result<Value, Stop> {
        let settings = WaitSettings {
            timeout: self.timeout,
            timeout_seconds: i64::try_from(self.timeout.as_secs()).unwrap_or(i64::MAX),
            window: Duration::from_secs(2),
        };
        let mut quiet = Progress::capture();
        match crate::ops::wait::wait_for_ready(
            self.client,
            &SERVICE,
            self.namespace,
            self.name,
            settings,
            &mut quiet,
        )
        .await
        {
            Ok(outcome) => Ok(outcome.object),
            // The service failing or timing out fails the step (and rolls back); a request that
            // failed stops the rollout as it is.
            Err(Error::Wait { message, .. }) => Err(Stop::Failed(message)),
            Err(e) => Err(Stop::Error(e)),
        }
    }
}

/// What [`watch_until`] saw: the verdict (`None` when the deadline passed first) and the last
/// resourceVersion it read, to resume from without a gap.
struct Watched<T> {
    verdict: Option<T>,
    resource_version: String,
}

/// Watches the named object until `check` returns a verdict (`None` tells it the object is
/// absent or was deleted), or `deadline` passes. Without `from` the current state is listed
/// first; with it, every change after that resourceVersion is checked.
async fn watch_until<T>(
    client: &Client,
    kind: &ResourceKind,
    namespace: &str,
    name: &str,
    deadline: Instant,
    from: Option<String>,
    mut check: impl FnMut(Option<&Value>) -> Option<T>,
) -> Result<Watched<T>> {
    let mut follower = Follower::new(
        client,
        Collection::Kind(kind),
        Some(namespace),
        ListOptions::named(name),
    )
    .resume(from.unwrap_or_default())
    .patient();
    loop {
        let observed = tokio::select! {
            observed = follower.next() => observed?,
            _ = tokio::time::sleep_until(deadline) => {
                return Ok(Watched {
                    verdict: None,
                    resource_version: follower.resource_version().to_string(),
                });
            }
        };
        let verdict = match &observed {
            Observed::Listed(items) => check(items.first()),
            Observed::Added(object) | Observed::Modified(object) => check(Some(object)),
            Observed::Deleted(_) => check(None),
        };
        if verdict.is_some() {
            return Ok(Watched {
                verdict,
                resource_version: follower.resource_version().to_string(),
            });
        }
    }
}
