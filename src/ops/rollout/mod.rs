//! `service rollout`'s engine: creates the new revision with no traffic, waits until it is Ready,
//! then moves traffic to it step by step (asking a gate webhook before each step, pausing where
//! asked), rolling back on failure. The state rides in a Service annotation, so a killed run
//! resumes.
//!
//! The new revision is named by the server (a BYO name would have to change with every later
//! template change, breaking plain `service update`s), so starting takes two writes: the update
//! that creates the revision (traffic pinned, state without a revision), then, once the Service
//! reports the revision it created for that generation, the write that tags it at 0%.
//!
//! Files: [`start`] (the first write), [`drive`] (the steps, pause, promotion), [`restore`]
//! (rollback, abort and the guarded writes), [`watch`] (waiting on the Service and the
//! revision), [`gate`] (the webhook).

mod drive;
pub mod gate;
mod restore;
mod start;
mod watch;

use std::cell::RefCell;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::Value;
use tokio::time::Instant;

use crate::client::Client;
use crate::client::kinds::SERVICE;
use crate::context::Context;
use crate::edit::profile::Profiles;
use crate::edit::rollout::{Gate, State, Steps, check_pause_at};
use crate::edit::service::{Mode, ServiceEdit};
use crate::error::{Error, Result};
use crate::ops::write::service as write_flow;
use crate::output::table::Table;

/// Steps and interval when none are given.
pub const DEFAULT_STEPS: [u8; 4] = [10, 25, 50, 100];
pub const DEFAULT_INTERVAL: &str = "1m";
pub const DEFAULT_TAG: &str = "candidate";
/// Flagger's default webhook timeout.
pub const DEFAULT_GATE_TIMEOUT: &str = "10s";

/// A Go-style duration kept as written, for the stored state (`--interval`, `--gate-timeout`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub text: String,
    pub duration: Duration,
}

impl std::str::FromStr for Interval {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let duration = kubetext::duration::parse_flag_duration(s)?;
        Ok(Interval {
            text: s.to_string(),
            duration,
        })
    }
}

/// What the command line asks of the rollout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Start one with the edit, or resume the one in progress.
    Run,
    /// Continue a paused (or interrupted) rollout.
    Resume,
    /// Finish it now.
    Promote,
    /// Put everything back as before it.
    Abort,
}

/// A rollout request, resolved from the flags.
pub struct Settings {
    pub name: String,
    pub namespace: String,
    pub explicit_namespace: bool,
    pub action: Action,
    pub edit: ServiceEdit,
    pub profiles: Profiles,
    pub steps: Option<Steps>,
    pub interval: Option<Interval>,
    pub tag: Option<String>,
    pub gate: Option<Gate>,
    pub pause_at: Option<u8>,
    /// How long the new revision, and the service after each step, may take to be ready.
    pub timeout: Duration,
}

pub async fn run(ctx: &Context, settings: &Settings) -> Result<()> {
    let (name, namespace) = (settings.name.as_str(), settings.namespace.as_str());
    let client = ctx.client().await?;
    let service = client.get(&SERVICE, namespace, name).await?;
    let state = State::read(&service).map_err(|e| Error::failed(e.to_string()))?;
    let rollout = Rollout {
        ctx,
        client,
        name,
        namespace,
        explicit_namespace: settings.explicit_namespace,
        timeout: settings.timeout,
        start: Instant::now(),
        revision_rv: RefCell::default(),
    };
    let none =
        || format!("no rollout is in progress on service '{name}' in namespace '{namespace}'");
    match (state, settings.action) {
        (None, Action::Run) if settings.edit.is_empty() => Err(Error::failed(format!(
            "{}; give the change to roll out, e.g. --image",
            none()
        ))),
        (None, Action::Run) => rollout.start(settings).await,
        (None, _) => Err(Error::failed(none())),
        (Some(state), Action::Abort) => rollout.abort(&state).await,
        (Some(state), action) => {
            if action == Action::Run {
                if differs(ctx, settings, &service, &state)? {
                    return Err(Error::failed(rollout.in_progress(&state)));
                }
                if state.paused {
                    return Err(Error::failed(rollout.paused_message(&state)));
                }
            }
            // A new pause point must lie ahead; the stored one is kept as it is.
            if let Some(percent) = settings.pause_at
                && Some(percent) != state.pause_at
            {
                check_pause_at(percent, &state.steps, state.step).map_err(Error::usage)?;
            }
            let interval = match &settings.interval {
                Some(interval) => interval.duration,
                None => kubetext::duration::parse_duration(&state.interval)
                    .unwrap_or(Duration::from_secs(60)),
            };
            let promote = action == Action::Promote;
            let heading = if promote { "Promoting" } else { "Resuming" };
            rollout.heading(&format!(
                "{heading} the rollout of service '{name}' in namespace '{namespace}' ({}):",
                position(&state)
            ))?;
            let state = rollout.unpause(state, settings.pause_at, promote).await?;
            rollout.drive(state, interval, promote).await
        }
    }
}

/// True when this command line asks for something else than the rollout in progress.
fn differs(ctx: &Context, settings: &Settings, service: &Value, state: &State) -> Result<bool> {
    if settings.steps.as_ref().is_some_and(|s| s.0 != state.steps)
        || settings.tag.as_ref().is_some_and(|t| *t != state.tag)
        || settings
            .gate
            .as_ref()
            .is_some_and(|g| Some(g) != state.gate.as_ref())
    {
        return Ok(true);
    }
    if settings.edit.is_empty() {
        return Ok(false);
    }
    // The same edit flags leave the candidate's template as it is.
    let mut probe = service.clone();
    let outcome = write_flow::apply_edit(
        ctx,
        &mut probe,
        &settings.edit,
        Mode::Update,
        &settings.profiles,
        None,
    )?;
    Ok(outcome.template_changed)
}

/// `step 2 of 3: 50%`.
fn position(state: &State) -> String {
    let total = state.steps.len();
    match state.step {
        0 => format!("no traffic yet, {total} steps to go"),
        n => format!("step {n} of {total}: {}%", state.current_percent()),
    }
}

fn latest_ready(service: &Value) -> Option<&str> {
    service
        .pointer("/status/latestReadyRevisionName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Why a rollout stops: rolled back (the revision failed, or the gate refused a step; with the
/// reason) or a hard error.
enum Stop {
    Failed(String),
    Refused(String),
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

    /// What to run next on a paused rollout.
    fn paused_message(&self, state: &State) -> String {
        let revision = state.revision.as_deref().unwrap_or("(new revision)");
        let command = self.command();
        format!(
            "the rollout of revision '{revision}' on service '{}' is paused ({}).\nRun \"{command} --resume\" to continue it, \"{command} --promote\" to finish it now or \"{command} --abort\" to restore the traffic from before it.",
            self.name,
            position(state)
        )
    }
}

/// What a rollback or abort puts back: states written before knit kept the template restore
/// the traffic only.
fn restored(state: &State) -> &'static str {
    if state.previous_template.is_object() {
        "traffic split and revision template restored to what they were before the rollout"
    } else {
        "traffic restored to the split before the rollout"
    }
}

/// What is left of the interval since the current step was applied (all of it when the
/// stored time cannot be read).
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
