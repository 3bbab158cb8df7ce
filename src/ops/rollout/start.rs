//! Starting a rollout: one update applies the edit, pins the traffic and stores the state.

use jiff::Timestamp;
use serde_json::Value;

use super::{
    DEFAULT_INTERVAL, DEFAULT_STEPS, DEFAULT_TAG, Interval, Rollout, Settings, latest_ready,
};
use crate::client::WriteOptions;
use crate::client::kinds::SERVICE;
use crate::edit::rollout::{self as plan, State, Steps};
use crate::edit::service::Mode;
use crate::error::{Error, Result};
use crate::ops::write::service as write_flow;

impl Rollout<'_> {
    pub(super) async fn start(&self, settings: &Settings) -> Result<()> {
        let steps = settings
            .steps
            .clone()
            .unwrap_or_else(|| Steps(DEFAULT_STEPS.to_vec()));
        let interval = match &settings.interval {
            Some(interval) => interval.clone(),
            None => DEFAULT_INTERVAL
                .parse::<Interval>()
                .map_err(Error::failed)?,
        };
        let tag = settings
            .tag
            .clone()
            .unwrap_or_else(|| DEFAULT_TAG.to_string());
        let edit = &settings.edit;
        let base =
            write_flow::base_revision(self.ctx, self.client, self.namespace, self.name, edit)
                .await?;
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
                    &settings.profiles,
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
                    gate: settings.gate.clone(),
                    pause_at: settings.pause_at,
                    paused: false,
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
        let gated = match &state.gate {
            Some(gate) => format!(", gate {}", gate.url),
            None => String::new(),
        };
        let paused = match state.pause_at {
            Some(percent) => format!(", pausing at {percent}%"),
            None => String::new(),
        };
        self.heading(&format!(
            "Rolling out service '{name}' in namespace '{}' (steps {steps}, every {}{gated}{paused}):",
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
}
