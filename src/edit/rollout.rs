//! `service rollout` arithmetic: the parsed `--steps`, the rollout state kept in a Service
//! annotation, and the traffic of each step, of the promotion and of a rollback. Pure: no I/O.
//!
//! The state lives in the annotation [`STATE_ANNOTATION`] and is written in the same update that
//! changes `spec.traffic`, so the stored Service alone says how far a rollout got; a killed knit
//! resumes from it.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::EditError;
use super::json as j;

/// The Service annotation holding a rollout in progress (JSON of [`State`]).
pub const STATE_ANNOTATION: &str = "rollout.knit.dev/state";

/// `--steps`: strictly increasing whole percentages in 1..=100, ending at 100.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Steps(pub Vec<u8>);

impl FromStr for Steps {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut steps: Vec<u8> = Vec::new();
        for part in s.split(',') {
            let part = part.trim();
            let percent = part
                .parse::<u8>()
                .ok()
                .filter(|p| (1..=100).contains(p))
                .ok_or_else(|| {
                    format!("each step must be a whole percentage from 1 to 100, got '{part}'")
                })?;
            if let Some(&last) = steps.last()
                && percent <= last
            {
                return Err(format!(
                    "steps must increase, but {percent} comes after {last}"
                ));
            }
            steps.push(percent);
        }
        match steps.last() {
            Some(100) => Ok(Steps(steps)),
            Some(last) => Err(format!(
                "the last step must be 100 (the promotion), got {last}"
            )),
            None => Err("no step given".to_string()),
        }
    }
}

impl std::fmt::Display for Steps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u8::to_string).collect();
        f.write_str(&parts.join(","))
    }
}

/// A rollout in progress, as stored in [`STATE_ANNOTATION`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// The candidate revision; `None` until the server has named it.
    pub revision: Option<String>,
    /// The Service generation written by the update that created the candidate: once the
    /// Service has observed it, its latest created revision is the candidate.
    pub generation: i64,
    /// The tag the candidate carries while the rollout runs.
    pub tag: String,
    /// The percentages of the steps, the last being 100.
    pub steps: Vec<u8>,
    /// How many steps have been applied (0: the candidate has no traffic yet).
    pub step: usize,
    /// The wait between steps, as given (`--interval`).
    pub interval: String,
    /// When the rollout started (RFC 3339).
    pub started: String,
    /// When the current step was applied (RFC 3339); resuming waits the rest of the interval.
    pub step_started: String,
    /// `spec.traffic` before the rollout, verbatim (`null` when the Service had none).
    pub previous: Value,
    /// What `@latest` meant before the rollout (the latest ready revision).
    pub previous_latest: String,
    /// `spec.template` before the rollout, verbatim, put back by a rollback or abort (`null` in
    /// states written before knit kept it: those restore the traffic only).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub previous_template: Value,
    /// The webhook asked before each step (`--gate-webhook`); stored so a resumed rollout asks
    /// it too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
    /// The percentage at which the rollout stops and waits for `--resume` (`--pause-at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_at: Option<u8>,
    /// The rollout stopped at `pause_at` and waits for `--resume`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paused: bool,
}

/// `--gate-webhook` and `--gate-timeout`, as stored in the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    pub url: String,
    /// A Go duration, as given.
    pub timeout: String,
}

impl State {
    /// The state stored on `service`, `None` without the annotation.
    pub fn read(service: &Value) -> Result<Option<State>, EditError> {
        let Some(text) = service
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(STATE_ANNOTATION))
            .and_then(Value::as_str)
        else {
            return Ok(None);
        };
        serde_json::from_str(text).map(Some).map_err(|e| {
            EditError::new(format!(
                "the annotation {STATE_ANNOTATION} does not hold a rollout state ({e}); remove it with --annotation-service {STATE_ANNOTATION}-"
            ))
        })
    }

    /// Writes this state into the annotation.
    pub fn store(&self, service: &mut Value) {
        let text = serde_json::to_string(self).unwrap_or_default();
        j::set_map_entry(
            j::object(service, "metadata"),
            "annotations",
            STATE_ANNOTATION,
            &text,
        );
    }

    /// Removes the annotation.
    pub fn clear(service: &mut Value) {
        j::remove_map_entry(
            j::object(service, "metadata"),
            "annotations",
            STATE_ANNOTATION,
        );
    }

    /// The previous traffic targets (the default `@latest` 100% when there were none).
    pub fn previous_targets(&self) -> Vec<Value> {
        match &self.previous {
            Value::Array(items) if !items.is_empty() => items.clone(),
            _ => vec![json!({"latestRevision": true, "percent": 100})],
        }
    }

    /// The percentage of the step about to be applied, if any is left.
    pub fn next_percent(&self) -> Option<u8> {
        self.steps.get(self.step).copied()
    }

    /// The candidate's percentage now (0 before the first step).
    pub fn current_percent(&self) -> u8 {
        match self.step {
            0 => 0,
            n => self.steps.get(n - 1).copied().unwrap_or(0),
        }
    }

    /// The rollout has reached its pause point and must stop there.
    pub fn at_pause(&self) -> bool {
        self.step > 0 && self.pause_at.is_some_and(|p| p == self.current_percent())
    }
}

/// Checks a `--pause-at` percentage against `steps`, where `done` steps are already applied: it
/// must be a later step than the current one, and not the last (that step promotes).
pub fn check_pause_at(pause_at: u8, steps: &[u8], done: usize) -> Result<(), String> {
    let choices: Vec<String> = steps
        .iter()
        .enumerate()
        .filter(|(i, _)| *i >= done && *i + 1 < steps.len())
        .map(|(_, p)| p.to_string())
        .collect();
    let hint = if choices.is_empty() {
        "no step is left to pause at".to_string()
    } else {
        format!("pause at one of {}", choices.join(", "))
    };
    let list = steps
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",");
    match steps.iter().position(|p| *p == pause_at) {
        None => Err(format!(
            "--pause-at {pause_at} is not one of the steps ({list}); {hint}"
        )),
        Some(i) if i + 1 == steps.len() => Err(format!(
            "--pause-at {pause_at} is the last step, which promotes the revision; {hint}"
        )),
        Some(i) if i < done => Err(format!(
            "--pause-at {pause_at}: the rollout is already at or past that step; {hint}"
        )),
        Some(_) => Ok(()),
    }
}

fn is_latest(target: &Value) -> bool {
    target.get("latestRevision").and_then(Value::as_bool) == Some(true)
}

fn percent(target: &Value) -> u64 {
    target.get("percent").and_then(Value::as_u64).unwrap_or(0)
}

/// The previous targets with every `@latest` pinned to the revision it meant, so that the
/// candidate becoming the latest ready revision moves no traffic. Other fields (tags, unknown
/// fields) are kept.
pub fn pinned(previous: &[Value], latest: &str) -> Vec<Value> {
    previous
        .iter()
        .map(|target| {
            let mut target = target.clone();
            if is_latest(&target)
                && let Value::Object(map) = &mut target
            {
                map.insert("revisionName".into(), json!(latest));
                map.insert("latestRevision".into(), json!(false));
            }
            target
        })
        .collect()
}

/// Splits `total` over `weights` in proportion (largest remainder; ties go to the earlier
/// weight). The result always sums to `total` when any weight is positive.
pub fn apportion(weights: &[u64], total: u64) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<u64> = weights.iter().map(|w| w * total / sum).collect();
    let mut left = total - shares.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable sort: equal remainders keep their order.
    order.sort_by_key(|&i| std::cmp::Reverse(weights[i] * total % sum));
    for i in order {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

/// The traffic of one step: `candidate` gets `percent` under `tag`; the rest is split over the
/// pinned previous targets in proportion to their previous percentages.
pub fn step_traffic(pinned: &[Value], candidate: &str, tag: &str, percent: u8) -> Vec<Value> {
    let weights: Vec<u64> = pinned.iter().map(self::percent).collect();
    let shares = apportion(&weights, 100 - u64::from(percent.min(100)));
    let mut out: Vec<Value> = pinned
        .iter()
        .zip(shares)
        .map(|(target, share)| {
            let mut target = target.clone();
            if let Value::Object(map) = &mut target {
                map.insert("percent".into(), json!(share));
            }
            target
        })
        .collect();
    out.push(json!({
        "tag": tag,
        "revisionName": candidate,
        "latestRevision": false,
        "percent": percent,
    }));
    out
}

/// The traffic after promotion. With `follow_latest` (the template still describes the
/// candidate, so `@latest` is the candidate) all traffic goes to `@latest`: the first previous
/// `@latest` target takes 100% with its tag, or a new `@latest` target is put first. Without it,
/// the candidate is named. Tagged previous targets stay at 0% so their tag URLs keep working;
/// untagged ones are dropped.
pub fn promoted_traffic(previous: &[Value], candidate: &str, follow_latest: bool) -> Vec<Value> {
    let tagged = |t: &Value| {
        t.get("tag")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    let mut out = Vec::new();
    let mut placed = false;
    for target in previous {
        let mut target = target.clone();
        let takes_all = follow_latest && !placed && is_latest(&target);
        if !takes_all && !tagged(&target) {
            continue;
        }
        if let Value::Object(map) = &mut target {
            map.insert("percent".into(), json!(if takes_all { 100 } else { 0 }));
        }
        placed |= takes_all;
        out.push(target);
    }
    if !placed {
        let head = if follow_latest {
            json!({"latestRevision": true, "percent": 100})
        } else {
            json!({"revisionName": candidate, "latestRevision": false, "percent": 100})
        };
        out.insert(0, head);
    }
    out
}

/// The traffic a rollback or abort restores: the previous `spec.traffic` verbatim, unless it
/// used `@latest` and the latest ready revision is no longer the one `@latest` meant before
/// (the candidate became ready): then those targets are pinned to that revision, or `@latest`
/// would send the traffic to the candidate. `None` means the Service had no `spec.traffic`.
pub fn restored_traffic(state: &State, latest_ready_now: Option<&str>) -> Option<Vec<Value>> {
    let previous = match &state.previous {
        Value::Array(items) => items.clone(),
        _ => return None,
    };
    let moved = latest_ready_now.is_some_and(|now| now != state.previous_latest);
    if moved && previous.iter().any(is_latest) {
        Some(pinned(&previous, &state.previous_latest))
    } else {
        Some(previous)
    }
}

/// Puts back the revision template from before the rollout, so that the Service's latest
/// revision is again one that works, and a later plain update does not carry the rolled-back
/// edit into a new revision. The server makes a new revision of it (or reuses the old one when
/// the template names it).
pub fn restore_template(service: &mut Value, state: &State) {
    if state.previous_template.is_object() {
        j::set(
            j::object(service, "spec"),
            "template",
            state.previous_template.clone(),
        );
    }
}

/// Sets or removes `spec.traffic`.
pub fn set_traffic(service: &mut Value, traffic: Option<Vec<Value>>) {
    let spec = j::object(service, "spec");
    match traffic {
        Some(traffic) => j::set(spec, "traffic", Value::Array(traffic)),
        None => {
            j::remove(spec, "traffic");
        }
    }
}

#[cfg(test)]
#[path = "rollout_tests.rs"]
mod tests;
