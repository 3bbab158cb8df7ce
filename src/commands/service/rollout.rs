//! `knit service rollout NAME`: progressive delivery in one command (beyond kn). Creates the new
//! revision with no traffic, waits until it is Ready, then moves traffic to it step by step,
//! rolling back on failure. The state rides in a Service annotation, so a killed run resumes.
//!
//! The new revision is named by the server (a BYO name would have to change with every later
//! template change, breaking plain `service update`s), so starting takes two writes: the update
//! that creates the revision (traffic pinned, state without a revision), then, once the Service
//! reports the revision it created for that generation, the write that tags it at 0%.

use std::cell::RefCell;
use std::time::Duration;

use clap::Args;
use jiff::Timestamp;
use serde_json::Value;
use tokio::time::Instant;

use super::{update, write_flow};
use crate::client::follow::{Collection, Follower, Observed};
use crate::client::kinds::{REVISION, SERVICE};
use crate::client::{Client, ListOptions, ResourceKind, WriteOptions};
use crate::commands::args::duration::parse_duration;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::podspec::ProcessStdin;
use crate::commands::args::service_edit::ServiceEditArgs;
use crate::commands::args::wait::WaitSettings;
use crate::context::Context;
use crate::edit::profile::Profiles;
use crate::edit::rollout::{self as plan, State, Steps};
use crate::edit::service::{Mode, ServiceEdit};
use crate::error::{Error, Result};
use crate::output::progress::Progress;
use crate::output::table::Table;
use crate::wait::Snapshot;

const DEFAULT_INTERVAL: &str = "1m";
const DEFAULT_TAG: &str = "candidate";

const EXAMPLES: &str = "Examples:

  # Roll out a new image: 10%, 25%, 50%, then all traffic, one minute apart
  knit service rollout svc --image ghcr.io/knative/helloworld-go:v2

  # Faster, in three steps; any 'service update' edit flag may be given
  knit service rollout svc --env TARGET=v2 --steps 20,50,100 --interval 30s

  # Resume a rollout after knit was interrupted
  knit service rollout svc

  # Finish the rollout in progress now, or stop it and restore the traffic
  knit service rollout svc --promote
  knit service rollout svc --abort";

/// `--interval`: a Go-style duration, kept as written for the stored state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    text: String,
    duration: Duration,
}

impl std::str::FromStr for Interval {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let duration = parse_duration(s)?;
        Ok(Interval {
            text: s.to_string(),
            duration,
        })
    }
}

/// `--tag`: a DNS label, as Knative requires of tags.
fn parse_tag(s: &str) -> std::result::Result<String, String> {
    let valid = !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(s.to_string())
    } else {
        Err("a tag is lower-case letters, digits and '-', starting with a letter".to_string())
    }
}

/// Roll out a new revision step by step
#[derive(Args, Debug)]
#[command(
    about = "Roll out a new revision step by step, rolling back on failure",
    long_about = "Roll out a new revision step by step, rolling back on failure.

Applies the edit flags (like 'service update') as a new revision that gets no traffic, waits until it is ready, then gives it the percentages of --steps one after the other, --interval apart. The other revisions keep the rest of the traffic in their previous proportions. The last step (100) promotes the new revision: all traffic goes to @latest, and tags of the previous split are kept at 0%.

If the new revision fails (before or during the steps), the traffic split and the revision template are put back as they were before the rollout (the server makes a revision of the old template again) and the command exits 1. The progress is stored on the Service (annotation rollout.knit.dev/state), so running the command again resumes an interrupted rollout; --promote finishes it at once and --abort puts the traffic and the template back.",
    override_usage = "NAME",
    after_help = EXAMPLES,
    args_override_self = true,
)]
pub struct RolloutArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub edit: ServiceEditArgs,
    /// Traffic percentages of the new revision, one per step: increasing, from 1 to 100, the last being 100 (default 10,25,50,100)
    #[arg(long = "steps", value_name = "list")]
    pub steps: Option<Steps>,
    /// Time between two steps, e.g. 30s, 5m, 1m30s (default 1m)
    #[arg(long = "interval", value_name = "duration")]
    pub interval: Option<Interval>,
    /// Tag of the new revision while the rollout runs (default candidate)
    #[arg(long = "tag", value_name = "string", value_parser = parse_tag)]
    pub tag: Option<String>,
    /// Finish the rollout in progress now: all traffic to the new revision
    #[arg(long = "promote", conflicts_with_all = ["steps", "interval", "tag"])]
    pub promote: bool,
    /// Stop the rollout in progress: put the traffic and the revision template back as they were before it, removing the tag
    #[arg(long = "abort", conflicts_with_all = ["promote", "steps", "interval", "tag"])]
    pub abort: bool,
    /// Seconds to wait for the new revision, and for the service after each step, to become ready.
    #[arg(long = "wait-timeout", value_name = "int", default_value_t = 600)]
    pub wait_timeout: u64,
}

pub async fn run(args: &RolloutArgs, ctx: &Context) -> Result<()> {
    let [name] = args.names.as_slice() else {
        return Err(Error::usage(
            "'service rollout' requires the service name given as single argument",
        ));
    };
    let verb = match (args.abort, args.promote) {
        (true, _) => Some("--abort"),
        (_, true) => Some("--promote"),
        _ => None,
    };
    if let Some(flag) = verb
        && !args.edit.is_empty()
    {
        return Err(Error::usage(format!(
            "{flag} acts on the rollout in progress and takes no edit flag (such as --image)"
        )));
    }
    let namespace = args.namespace.resolve(ctx)?;
    let edit = args.edit.to_edit(&mut ProcessStdin, false)?;
    let profiles = write_flow::profiles(ctx);
    write_flow::check_profile(&edit, &profiles)?;

    let client = ctx.client().await?;
    let service = client.get(&SERVICE, &namespace, name).await?;
    let state = State::read(&service).map_err(|e| Error::failed(e.to_string()))?;
    let rollout = Rollout {
        ctx,
        client,
        name,
        namespace: &namespace,
        explicit_namespace: args.namespace.namespace.is_some(),
        timeout: Duration::from_secs(args.wait_timeout),
        start: Instant::now(),
        revision_rv: RefCell::default(),
    };
    match state {
        None if verb.is_some() => Err(Error::failed(format!(
            "no rollout is in progress on service '{name}' in namespace '{namespace}'"
        ))),
        None if edit.is_empty() => Err(Error::failed(format!(
            "no rollout is in progress on service '{name}' in namespace '{namespace}'; give the change to roll out, e.g. --image"
        ))),
        None => rollout.start(args, &edit, &profiles).await,
        Some(state) if args.abort => rollout.abort(&state).await,
        Some(state) => {
            if !args.promote && differs(ctx, args, &edit, &profiles, &service, &state)? {
                return Err(Error::failed(rollout.in_progress(&state)));
            }
            let interval = match &args.interval {
                Some(interval) => interval.duration,
                None => parse_duration(&state.interval).unwrap_or(Duration::from_secs(60)),
            };
            let heading = if args.promote {
                "Promoting"
            } else {
                "Resuming"
            };
            rollout.heading(&format!(
                "{heading} the rollout of service '{name}' in namespace '{namespace}' ({}):",
                position(&state)
            ))?;
            rollout.drive(state, interval, args.promote).await
        }
    }
}

/// True when this command line asks for something else than the rollout in progress.
fn differs(
    ctx: &Context,
    args: &RolloutArgs,
    edit: &ServiceEdit,
    profiles: &Profiles,
    service: &Value,
    state: &State,
) -> Result<bool> {
    if args.steps.as_ref().is_some_and(|s| s.0 != state.steps)
        || args.tag.as_ref().is_some_and(|t| *t != state.tag)
    {
        return Ok(true);
    }
    if edit.is_empty() {
        return Ok(false);
    }
    // The same edit flags leave the candidate's template as it is.
    let mut probe = service.clone();
    let outcome = write_flow::apply_edit(ctx, &mut probe, edit, Mode::Update, profiles, None)?;
    Ok(outcome.template_changed)
}

/// `step 2 of 3: 50%`.
fn position(state: &State) -> String {
    let total = state.steps.len();
    match state.step {
        0 => format!("no traffic yet, {total} steps to go"),
        n => format!(
            "step {n} of {total}: {}%",
            state.steps.get(n - 1).copied().unwrap_or(0)
        ),
    }
}

fn latest_ready(service: &Value) -> Option<&str> {
    service
        .pointer("/status/latestReadyRevisionName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Why a rollout stops: rolled back (with the reason) or a hard error.
enum Stop {
    Rollback(String),
    Error(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Error(e)
    }
}

struct Rollout<'a> {
    ctx: &'a Context,
    client: &'a Client,
    name: &'a str,
    namespace: &'a str,
    explicit_namespace: bool,
    timeout: Duration,
    start: Instant,
    /// The candidate's resourceVersion when it was last seen Ready.
    revision_rv: RefCell<String>,
}

impl Rollout<'_> {
    fn heading(&self, text: &str) -> Result<()> {
        self.ctx.eprint(&format!("{text}\n\n"))
    }

    /// One timed progress line on stderr (kn's `%7.3fs` format).
    fn line(&self, text: &str) -> Result<()> {
        self.ctx.eprint(&format!(
            "{:7.3}s {text}\n",
            self.start.elapsed().as_secs_f64()
        ))
    }

    fn command(&self) -> String {
        if self.explicit_namespace {
            format!("knit service rollout {} -n {}", self.name, self.namespace)
        } else {
            format!("knit service rollout {}", self.name)
        }
    }

    fn in_progress(&self, state: &State) -> String {
        let revision = state.revision.as_deref().unwrap_or("(being created)");
        let command = self.command();
        format!(
            "a rollout of revision '{revision}' is in progress on service '{}' ({}, started {}) and this command asks for another one.\nRun \"{command}\" to resume it, \"{command} --promote\" to finish it now or \"{command} --abort\" to restore the traffic from before it.",
            self.name,
            position(state),
            state.started
        )
    }

    /// Starts a rollout: one update applies the edit, pins the traffic and stores the state.
    async fn start(
        &self,
        args: &RolloutArgs,
        edit: &ServiceEdit,
        profiles: &Profiles,
    ) -> Result<()> {
        let steps = args
            .steps
            .clone()
            .unwrap_or_else(|| Steps(vec![10, 25, 50, 100]));
        let interval = args.interval.clone().map_or_else(
            || DEFAULT_INTERVAL.parse::<Interval>(),
            Ok::<Interval, String>,
        );
        let interval = interval.map_err(Error::failed)?;
        let tag = args.tag.clone().unwrap_or_else(|| DEFAULT_TAG.to_string());
        let base =
            update::base_revision(self.ctx, self.client, self.namespace, self.name, edit).await?;
        let now = Timestamp::now().to_string();
        let mut created: Option<State> = None;
        let name = self.name;
        self.client
            .update_from(
                &SERVICE,
                self.namespace,
                name,
                &WriteOptions::default(),
                base.service,
                |service| {
                if service.pointer("/metadata/deletionTimestamp").is_some() {
                    return Err(Error::failed(format!(
                        "can't roll out service {name} because it has been marked for deletion"
                    )));
                }
                if let Ok(Some(other)) = State::read(service) {
                    return Err(Error::failed(self.in_progress(&other)));
                }
                let previous = service.pointer("/spec/traffic").cloned().unwrap_or_default();
                let previous_template = service
                    .pointer("/spec/template")
                    .cloned()
                    .unwrap_or_default();
                let Some(latest) = latest_ready(service).map(str::to_string) else {
                    return Err(Error::failed(format!(
                        "service '{name}' has no ready revision to roll out from; use 'knit service update'"
                    )));
                };
                let taken = previous.as_array().into_iter().flatten().any(|t| {
                    t.get("tag").and_then(Value::as_str) == Some(tag.as_str())
                });
                if taken {
                    return Err(Error::failed(format!(
                        "the tag '{tag}' is already used by the traffic of service '{name}'; choose another with --tag"
                    )));
                }
                let outcome = write_flow::apply_edit(
                    self.ctx,
                    service,
                    edit,
                    Mode::Update,
                    profiles,
                    base.revision.as_ref(),
                )?;
                if !outcome.template_changed {
                    return Err(Error::failed(format!(
                        "the given flags leave the revision template of service '{name}' unchanged: there is no new revision to roll out"
                    )));
                }
                let generation = service
                    .pointer("/metadata/generation")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                let state = State {
                    revision: None,
                    generation: generation + 1,
                    tag: tag.clone(),
                    steps: steps.0.clone(),
                    step: 0,
                    interval: interval.text.clone(),
                    started: now.clone(),
                    step_started: now.clone(),
                    previous,
                    previous_latest: latest,
                    previous_template,
                };
                plan::set_traffic(
                    service,
                    Some(plan::pinned(&state.previous_targets(), &state.previous_latest)),
                );
                state.store(service);
                created = Some(state);
                Ok(())
            })
            .await?;
        let Some(state) = created else {
            return Err(Error::failed("the rollout state was not written"));
        };
        self.heading(&format!(
            "Rolling out service '{name}' in namespace '{}' (steps {steps}, every {}):",
            self.namespace, interval.text
        ))?;
        let pinned_latest = state
            .previous_targets()
            .iter()
            .any(|t| t.get("latestRevision").and_then(Value::as_bool) == Some(true));
        let note = if pinned_latest {
            format!(" (@latest pinned to '{}')", state.previous_latest)
        } else {
            String::new()
        };
        self.line(&format!(
            "Service updated; traffic stays on the current revisions{note}."
        ))?;
        self.drive(state, interval.duration, false).await
    }

    /// Takes a stored rollout to its end: names and waits for the candidate, then the steps.
    async fn drive(&self, state: State, interval: Duration, promote_now: bool) -> Result<()> {
        let mut state = state;
        let mut candidate = state.revision.clone();
        match self
            .steps(&mut state, &mut candidate, interval, promote_now)
            .await
        {
            Ok(()) => Ok(()),
            Err(Stop::Error(e)) => Err(e),
            Err(Stop::Rollback(reason)) => {
                let revision = candidate.as_deref().unwrap_or("(new revision)");
                self.rollback(&state, revision, &reason).await
            }
        }
    }

    async fn steps(
        &self,
        state: &mut State,
        found: &mut Option<String>,
        interval: Duration,
        promote_now: bool,
    ) -> std::result::Result<(), Stop> {
        let candidate = match state.revision.clone() {
            Some(candidate) => {
                self.wait_revision_ready(&candidate).await?;
                self.line(&format!("Revision '{candidate}' is ready."))?;
                candidate
            }
            None => {
                let candidate = self.discover(state.generation).await?;
                *found = Some(candidate.clone());
                self.wait_revision_ready(&candidate).await?;
                let pinned = plan::pinned(&state.previous_targets(), &state.previous_latest);
                let traffic = plan::step_traffic(&pinned, &candidate, &state.tag, 0);
                let mut next = state.clone();
                next.revision = Some(candidate.clone());
                next.step_started = Timestamp::now().to_string();
                self.write(state, &next, Some(traffic)).await?;
                *state = next;
                self.line(&format!(
                    "Revision '{candidate}' is ready; tagged '{}' with 0% traffic.",
                    state.tag
                ))?;
                candidate
            }
        };
        let total = state.steps.len();
        while let Some(mut percent) = state.next_percent() {
            let mut next = state.clone();
            if promote_now {
                percent = 100;
                next.step = total;
            } else {
                if state.step > 0 {
                    self.watch_interval(&candidate, remaining(state, interval))
                        .await?;
                }
                next.step += 1;
            }
            next.step_started = Timestamp::now().to_string();
            if percent == 100 {
                let label = if promote_now {
                    format!("Promoted: 100% to revision '{candidate}'.")
                } else {
                    format!("Step {total}/{total}: 100% to revision '{candidate}' (promoted).")
                };
                return self.promote(state, &candidate, &label).await;
            }
            let pinned = plan::pinned(&state.previous_targets(), &state.previous_latest);
            let traffic = plan::step_traffic(&pinned, &candidate, &state.tag, percent);
            self.write(state, &next, Some(traffic)).await?;
            *state = next;
            self.line(&format!(
                "Step {}/{total}: {percent}% to revision '{candidate}'.",
                state.step
            ))?;
            self.wait_service_ready().await?;
        }
        Ok(())
    }

    /// The final step: all traffic to the candidate, state cleared, in one update.
    async fn promote(
        &self,
        state: &State,
        candidate: &str,
        label: &str,
    ) -> std::result::Result<(), Stop> {
        let previous = state.previous_targets();
        self.update_checked(state, |service| {
            // `@latest` is the candidate only while the template still describes it.
            let follow = service
                .pointer("/status/latestCreatedRevisionName")
                .and_then(Value::as_str)
                == Some(candidate);
            plan::set_traffic(
                service,
                Some(plan::promoted_traffic(&previous, candidate, follow)),
            );
            State::clear(service);
        })
        .await?;
        self.line(label)?;
        let service = match self.wait_service_ready().await {
            Ok(service) => service,
            Err(Stop::Rollback(reason)) => {
                return Err(Stop::Error(Error::failed(format!(
                    "revision '{candidate}' was promoted but service '{}' is not ready: {reason}",
                    self.name
                ))));
            }
            Err(e) => return Err(e),
        };
        self.ctx.eprint(&format!(
            "\nService '{}' rolled out to revision '{candidate}' in namespace '{}'.\n",
            self.name, self.namespace
        ))?;
        self.ctx.print(&traffic_table(&service))?;
        Ok(())
    }

    /// Restores the previous traffic and template and clears the state; the command then fails
    /// with `reason`.
    async fn rollback(&self, state: &State, revision: &str, reason: &str) -> Result<()> {
        self.line(&format!("Revision '{revision}' failed: {reason}"))?;
        match self.restore(state).await {
            Ok(_) => {
                self.line(&format!("Rolled back: {}.", restored(state)))?;
                Err(Error::failed(format!(
                    "the rollout of service '{}' was rolled back: {reason}",
                    self.name
                )))
            }
            Err(e) => Err(Error::failed(format!(
                "the rollout of service '{}' failed ({reason}) and could not be rolled back: {e}",
                self.name
            ))),
        }
    }

    async fn abort(&self, state: &State) -> Result<()> {
        let service = self.restore(state).await?;
        let revision = state.revision.as_deref().unwrap_or("(new revision)");
        self.ctx.eprint(&format!(
            "Rollout of revision '{revision}' on service '{}' in namespace '{}' aborted; {}.\n",
            self.name,
            self.namespace,
            restored(state)
        ))?;
        self.ctx.print(&traffic_table(&service))
    }

    async fn restore(&self, state: &State) -> Result<Value> {
        self.update_checked(state, |service| {
            let traffic = plan::restored_traffic(state, latest_ready(service));
            plan::set_traffic(service, traffic);
            plan::restore_template(service, state);
            State::clear(service);
        })
        .await
    }

    /// Writes `next` with `traffic`, provided the stored state is still `expected`.
    async fn write(
        &self,
        expected: &State,
        next: &State,
        traffic: Option<Vec<Value>>,
    ) -> Result<Value> {
        self.update_checked(expected, |service| {
            if let Some(traffic) = &traffic {
                plan::set_traffic(service, Some(traffic.clone()));
            }
            next.store(service);
        })
        .await
    }

    /// An optimistic update that refuses to go on when another command changed the rollout.
    async fn update_checked(&self, expected: &State, change: impl Fn(&mut Value)) -> Result<Value> {
        let name = self.name;
        let updated = self
            .client
            .update_with_retry(&SERVICE, self.namespace, name, |service| {
                let stored = State::read(service).ok().flatten();
                if stored.as_ref() != Some(expected) {
                    return Err(Error::failed(format!(
                        "the rollout of service '{name}' was changed by another command (promoted, aborted or restarted); this one stops here"
                    )));
                }
                change(service);
                Ok(())
            })
            .await?;
        Ok(updated.after)
    }

    /// The revision the Service created for `generation`: its latest created revision once it
    /// has observed that generation and its Configuration has caught up.
    async fn discover(&self, generation: i64) -> std::result::Result<String, Stop> {
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
            Some(Err(reason)) => Err(Stop::Rollback(reason)),
            None => Err(Stop::Rollback(format!(
                "no new revision appeared within {} seconds",
                self.timeout.as_secs()
            ))),
        }
    }

    async fn wait_revision_ready(&self, revision: &str) -> std::result::Result<(), Stop> {
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
            Some(Err(reason)) => Err(Stop::Rollback(reason)),
            None => Err(Stop::Rollback(format!(
                "revision '{revision}' did not become ready within {} seconds",
                self.timeout.as_secs()
            ))),
        }
    }

    /// Waits `wait`, watching the candidate: it must stay Ready all along.
    async fn watch_interval(
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
            Some(reason) => Err(Stop::Rollback(reason)),
            None => Ok(()),
        }
    }

    /// Waits until the Service is Ready for its current generation (the step is served).
    async fn wait_service_ready(&self) -> std::result::Result<Value, Stop> {
        let settings = WaitSettings {
            timeout: self.timeout,
            timeout_seconds: i64::try_from(self.timeout.as_secs()).unwrap_or(i64::MAX),
            window: Duration::from_secs(2),
        };
        let mut quiet = Progress::capture();
        match crate::wait::wait_for_ready(
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
            Err(Error::Failed(reason)) => Err(Stop::Rollback(reason)),
            Err(e) => Err(Stop::Error(e)),
        }
    }
}

/// What is left of the interval since the current step was applied (all of it when the
/// stored time cannot be read).
/// What a rollback or abort puts back: states written before knit kept the template restore
/// the traffic only.
fn restored(state: &State) -> &'static str {
    if state.previous_template.is_object() {
        "traffic split and revision template restored to what they were before the rollout"
    } else {
        "traffic restored to the split before the rollout"
    }
}

fn remaining(state: &State, interval: Duration) -> Duration {
    let elapsed = state
        .step_started
        .parse::<Timestamp>()
        .ok()
        .and_then(|at| Duration::try_from(Timestamp::now().duration_since(at)).ok())
        .unwrap_or_default();
    interval.saturating_sub(elapsed)
}

/// The Service's traffic as a table: `@latest` resolved, percentages and tags.
fn traffic_table(service: &Value) -> String {
    let latest = latest_ready(service).unwrap_or_default();
    let mut table = Table::new(&["Revision", "Traffic", "Tag"]);
    let targets = service
        .pointer("/spec/traffic")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for target in targets {
        let revision = if target.get("latestRevision").and_then(Value::as_bool) == Some(true) {
            format!("@latest ({latest})")
        } else {
            target
                .get("revisionName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let percent = target.get("percent").and_then(Value::as_u64).unwrap_or(0);
        let tag = target
            .get("tag")
            .and_then(Value::as_str)
            .unwrap_or_default();
        table.push(vec![revision, format!("{percent}%"), tag.to_string()]);
    }
    table.render(true)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_dns_labels() {
        assert_eq!(parse_tag("canary-2"), Ok("canary-2".to_string()));
        for bad in ["", "Canary", "2nd", "a_b", "end-"] {
            assert!(parse_tag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_interval_parses() {
        assert_eq!(
            DEFAULT_INTERVAL.parse::<Interval>().map(|i| i.duration),
            Ok(Duration::from_secs(60))
        );
    }
}
