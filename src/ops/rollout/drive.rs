//! Driving a stored rollout to its end: naming and waiting for the candidate, the gate before
//! each step, the steps, the pause point and the promotion.

use std::time::Duration;

use jiff::Timestamp;
use serde_json::Value;

use super::{Rollout, Stop, gate, remaining, traffic_table};
use crate::edit::rollout::{self as plan, State};
use crate::error::{Error, Result};

impl Rollout<'_> {
    /// Takes a stored rollout to its end (or its pause point); rolls back when it fails.
    pub(super) async fn drive(
        &self,
        state: State,
        interval: Duration,
        promote_now: bool,
    ) -> Result<()> {
        let mut state = state;
        let mut candidate = state.revision.clone();
        let outcome = self
            .steps(&mut state, &mut candidate, interval, promote_now)
            .await;
        let revision = candidate.as_deref().unwrap_or("(new revision)");
        match outcome {
            Ok(()) => Ok(()),
            Err(Stop::Error(e)) => Err(e),
            Err(Stop::Failed(reason)) => {
                let headline = format!("Revision '{revision}' failed: {reason}");
                self.rollback(&state, &headline, &reason).await
            }
            Err(Stop::Refused(what)) => {
                let headline = format!("Gate refused {what}.");
                self.rollback(&state, &headline, &format!("the gate refused {what}"))
                    .await
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
        loop {
            if !promote_now && state.at_pause() {
                return Ok(self.pause(state, &candidate).await?);
            }
            let Some(mut percent) = state.next_percent() else {
                return Ok(());
            };
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
                // An operator's --promote skips the gate; every planned step asks it.
                if let Some(gate) = &state.gate {
                    gate::ask(gate, self.name, self.namespace, state, &candidate)
                        .await
                        .map_err(Stop::Refused)?;
                    self.line(&format!(
                        "Gate approved step {}/{total} ({percent}%).",
                        next.step
                    ))?;
                }
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
    }

    /// Stops at the pause point: the state says paused, the command ends with success and says
    /// how to go on.
    async fn pause(&self, state: &mut State, candidate: &str) -> Result<()> {
        let mut next = state.clone();
        next.paused = true;
        next.pause_at = None;
        let service = self.write(state, &next, None).await?;
        *state = next;
        let total = state.steps.len();
        self.line(&format!(
            "Paused at step {}/{total}: {}% to revision '{candidate}'.",
            state.step,
            state.current_percent()
        ))?;
        let command = self.command();
        self.ctx.eprint(&format!(
            "\nRollout of service '{}' in namespace '{}' paused. Run \"{command} --resume\" to continue it, \"{command} --promote\" to finish it now or \"{command} --abort\" to restore the traffic from before it.\n",
            self.name, self.namespace
        ))?;
        self.ctx.print(&traffic_table(&service))
    }

    /// Before going on: clears the paused mark and stores a new pause point, in one write (none
    /// when nothing changes). `--promote` leaves the state as it is: promoting clears it.
    pub(super) async fn unpause(
        &self,
        state: State,
        pause_at: Option<u8>,
        promote: bool,
    ) -> Result<State> {
        let mut next = state.clone();
        next.paused = false;
        next.pause_at = pause_at.or(state.pause_at);
        if promote || next == state {
            return Ok(state);
        }
        self.write(&state, &next, None).await?;
        Ok(next)
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
            Err(Stop::Failed(reason) | Stop::Refused(reason)) => {
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
}
