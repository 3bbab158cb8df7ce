//! `--traffic`, `--tag` and `--untag`: a Service's traffic block computed from its current
//! targets, with `@latest` and the automatic remainder resolved against the actual traffic.

use std::str::FromStr;

use serde_json::{Value, json};

use super::EditError;

/// The reference to the latest ready revision.
pub const LATEST: &str = "@latest";

/// kn splits `REF=VALUE` on every `=`; a bare `VALUE` means `@latest=VALUE`.
fn split_pair(s: &str) -> Result<(String, String), String> {
    let parts: Vec<&str> = s.split('=').collect();
    match parts.as_slice() {
        [value] if !value.is_empty() => Ok((LATEST.to_string(), value.to_string())),
        [reference, value] if !reference.is_empty() && !value.is_empty() => {
            Ok((reference.to_string(), value.to_string()))
        }
        _ => Err(format!(
            "expecting the value format in value1=value2, given {s}"
        )),
    }
}

/// One `--traffic REF=PERCENT` entry (REF is a revision, a tag or `@latest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrafficArg {
    pub reference: String,
    pub percent: i64,
}

impl FromStr for TrafficArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (reference, value) = split_pair(s)?;
        let number = value.strip_suffix('%').unwrap_or(&value);
        let percent: i64 = number.parse().map_err(|_| {
            format!("error converting given {number} to integer value for traffic distribution")
        })?;
        if !(0..=100).contains(&percent) {
            return Err(format!(
                "invalid value for traffic percent {percent}, expected 0 <= percent <= 100"
            ));
        }
        Ok(Self { reference, percent })
    }
}

/// One `--tag REVISION=TAG` entry (REVISION may be `@latest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagArg {
    pub revision: String,
    pub tag: String,
}

impl FromStr for TagArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (revision, tag) = split_pair(s)?;
        Ok(Self { revision, tag })
    }
}

/// The traffic flags of one command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrafficEdit {
    pub traffic: Vec<TrafficArg>,
    pub tags: Vec<TagArg>,
    pub untags: Vec<String>,
}

/// What the computation needs to know about the Service besides its `spec.traffic`.
#[derive(Debug, Clone, Copy)]
pub struct TrafficContext<'a> {
    pub service_name: &'a str,
    /// `status.traffic`: the targets that actually route now.
    pub status_traffic: &'a [Value],
    /// `status.latestReadyRevisionName`.
    pub latest_ready: Option<&'a str>,
    /// The same command changes the template, so `@latest` will be a new revision.
    pub new_revision: bool,
    /// `service create --tag`: all traffic goes to `@latest`.
    pub is_create: bool,
}

fn repetition(flag: &str, name: &str) -> EditError {
    let what = if name == LATEST {
        format!("identifier {LATEST}")
    } else {
        format!("revision reference {name}")
    };
    EditError::new(format!(
        "repetition of {what} is not allowed, use only once with {flag} flag"
    ))
}

impl TrafficEdit {
    pub fn is_empty(&self) -> bool {
        self.traffic.is_empty() && self.tags.is_empty() && self.untags.is_empty()
    }

    /// The checks that need nothing from the cluster.
    pub fn validate(&self) -> Result<(), EditError> {
        if self.tags.iter().filter(|t| t.revision == LATEST).count() > 1 {
            return Err(repetition("--tag", LATEST));
        }
        for (i, arg) in self.traffic.iter().enumerate() {
            if self.traffic[..i]
                .iter()
                .any(|a| a.reference == arg.reference)
            {
                return Err(repetition("--traffic", &arg.reference));
            }
        }
        let sum = self.sum();
        if sum > 100 {
            return Err(EditError::new(format!(
                "given traffic percents sum to {sum}, want <=100"
            )));
        }
        Ok(())
    }

    fn sum(&self) -> i64 {
        self.traffic.iter().map(|a| a.percent).sum()
    }
}

fn str_field<'a>(target: &'a Value, key: &str) -> Option<&'a str> {
    target
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn is_latest(target: &Value) -> bool {
    target.get("latestRevision").and_then(Value::as_bool) == Some(true)
}

fn percent_of(target: &Value) -> i64 {
    target.get("percent").and_then(Value::as_i64).unwrap_or(0)
}

fn has_tag(target: &Value, tag: &str) -> bool {
    str_field(target, "tag") == Some(tag)
}

fn set(target: &mut Value, key: &str, value: Value) {
    if let Some(map) = target.as_object_mut() {
        map.insert(key.to_string(), value);
    }
}

fn remainder_error(sum: i64, reason: &str) -> EditError {
    EditError::new(format!(
        "unable to allocate the remaining traffic: {}%. Reason: {reason}",
        100 - sum
    ))
}

/// Computes the new `spec.traffic` from the current one. Unknown fields of targets are kept.
pub fn compute(
    spec_traffic: &[Value],
    edit: &TrafficEdit,
    ctx: &TrafficContext<'_>,
) -> Result<Vec<Value>, EditError> {
    edit.validate()?;
    check_remainder_count(edit, ctx)?;
    let mut traffic: Vec<Value> = spec_traffic.to_vec();

    // 1. Untag.
    let mut missing = Vec::new();
    for tag in &edit.untags {
        match traffic.iter_mut().find(|t| has_tag(t, tag)) {
            Some(target) => {
                if let Some(map) = target.as_object_mut() {
                    map.remove("tag");
                }
            }
            None => missing.push(tag.as_str()),
        }
    }
    if !missing.is_empty() {
        return Err(EditError::new(format!(
            "tag(s) {} not present for any revisions of service {}",
            missing.join(", "),
            ctx.service_name
        )));
    }

    // 2. and 3. Tags, @latest first in the order given.
    for arg in &edit.tags {
        if arg.revision == LATEST {
            let existing = traffic
                .iter()
                .find(|t| is_latest(t))
                .and_then(|t| str_field(t, "tag"))
                .map(str::to_string);
            if existing.as_deref() == Some(arg.tag.as_str()) {
                continue;
            }
            if traffic.iter().any(|t| has_tag(t, &arg.tag)) {
                return Err(overwrite_error(&arg.tag));
            }
            if let Some(existing) = existing {
                return Err(EditError::new(format!(
                    "tag '{existing}' exists on latest ready revision of service, refusing to overwrite existing tag with '{}', add flag '--untag {existing}' in command to untag it",
                    arg.tag
                )));
            }
            match traffic.iter_mut().find(|t| is_latest(t)) {
                Some(target) => set(target, "tag", json!(arg.tag)),
                None => traffic.push(json!({"tag": arg.tag, "latestRevision": true, "percent": 0})),
            }
            continue;
        }
        if traffic
            .iter()
            .any(|t| has_tag(t, &arg.tag) && str_field(t, "revisionName") == Some(&arg.revision))
        {
            continue;
        }
        if traffic.iter().any(|t| has_tag(t, &arg.tag)) {
            return Err(overwrite_error(&arg.tag));
        }
        match traffic
            .iter_mut()
            .find(|t| str_field(t, "revisionName") == Some(&arg.revision))
        {
            Some(target) if str_field(target, "tag").is_none() => {
                set(target, "tag", json!(arg.tag))
            }
            _ => traffic.push(json!({
                "tag": arg.tag,
                "revisionName": arg.revision,
                "latestRevision": false,
                "percent": 0
            })),
        }
    }

    // 4. Percentages: what the command line says is the whole split.
    let mut percentages: Vec<(String, i64)> = edit
        .traffic
        .iter()
        .map(|a| (a.reference.clone(), a.percent))
        .collect();
    if ctx.is_create && !edit.tags.is_empty() && percentages.is_empty() {
        percentages.push((LATEST.to_string(), 100));
    }
    let sum = edit.sum();
    if !edit.traffic.is_empty() && sum < 100 {
        let target = remainder_target(&traffic, &percentages, edit, ctx, sum)?;
        percentages.push((target, 100 - sum));
    }
    if !percentages.is_empty() {
        for target in traffic.iter_mut() {
            set(target, "percent", json!(0));
        }
        for (reference, percent) in &percentages {
            if reference == LATEST {
                match traffic.iter_mut().find(|t| is_latest(t)) {
                    Some(target) => set(target, "percent", json!(percent)),
                    None => traffic.push(json!({"latestRevision": true, "percent": percent})),
                }
                continue;
            }
            if let Some(target) = traffic.iter_mut().find(|t| has_tag(t, reference)) {
                set(target, "percent", json!(percent));
                continue;
            }
            if let Some(target) = traffic
                .iter_mut()
                .find(|t| str_field(t, "revisionName") == Some(reference))
            {
                set(target, "percent", json!(percent));
                continue;
            }
            traffic.push(
                json!({"revisionName": reference, "latestRevision": false, "percent": percent}),
            );
        }
    }

    // 5. Targets with neither a tag nor traffic go.
    traffic.retain(|t| str_field(t, "tag").is_some() || percent_of(t) != 0);
    Ok(traffic)
}

fn overwrite_error(tag: &str) -> EditError {
    EditError::new(format!(
        "refusing to overwrite existing tag in service, add flag '--untag {tag}' in command to untag it"
    ))
}

/// kn's count rule for a split under 100%: the `--traffic` values must name every target the
/// service routes to (`status.traffic`) but the one that gets the rest, or all of them when the
/// update makes a new revision (the rest then goes to `@latest`). Otherwise the rest would land
/// on a target the user never named.
fn check_remainder_count(edit: &TrafficEdit, ctx: &TrafficContext<'_>) -> Result<(), EditError> {
    let sum = edit.sum();
    let given = edit.traffic.len();
    if sum >= 100 || given == 0 {
        return Ok(());
    }
    let existing = ctx.status_traffic.len();
    let expected = if ctx.new_revision {
        Some(existing)
    } else {
        existing.checked_sub(1)
    };
    if expected != Some(given) {
        return Err(remainder_error(
            sum,
            "incorrect number of revisions specified. Only 1 revision should be missing",
        ));
    }
    Ok(())
}

/// One thing the remainder can go to, and the names that refer to it.
struct Slot {
    target: String,
    aliases: Vec<String>,
}

/// Finds the one routed revision (or the coming `@latest`) the command line leaves out.
fn remainder_target(
    traffic: &[Value],
    percentages: &[(String, i64)],
    edit: &TrafficEdit,
    ctx: &TrafficContext<'_>,
    sum: i64,
) -> Result<String, EditError> {
    let untagged = |tag: &str| edit.untags.iter().any(|u| u == tag);
    let mut slots: Vec<Slot> = Vec::new();
    for target in ctx.status_traffic {
        let Some(revision) = str_field(target, "revisionName") else {
            continue;
        };
        let index = match slots.iter().position(|s| s.target == revision) {
            Some(index) => index,
            None => {
                slots.push(Slot {
                    target: revision.to_string(),
                    aliases: vec![revision.to_string()],
                });
                slots.len() - 1
            }
        };
        let slot = &mut slots[index];
        if let Some(tag) = str_field(target, "tag").filter(|t| !untagged(t)) {
            slot.aliases.push(tag.to_string());
        }
        if !ctx.new_revision && ctx.latest_ready == Some(revision) {
            slot.aliases.push(LATEST.to_string());
        }
    }
    // Tags in the (already re-tagged) spec name their revision too.
    let mut latest_aliases = vec![LATEST.to_string()];
    for target in traffic {
        let Some(tag) = str_field(target, "tag") else {
            continue;
        };
        let revision = if is_latest(target) {
            if ctx.new_revision {
                latest_aliases.push(tag.to_string());
                continue;
            }
            ctx.latest_ready
        } else {
            str_field(target, "revisionName")
        };
        if let Some(slot) = revision.and_then(|r| slots.iter_mut().find(|s| s.target == r)) {
            slot.aliases.push(tag.to_string());
        }
    }
    if ctx.new_revision {
        slots.push(Slot {
            target: LATEST.to_string(),
            aliases: latest_aliases,
        });
    }
    let named = |slot: &Slot| {
        percentages
            .iter()
            .any(|(reference, _)| slot.aliases.iter().any(|a| a == reference))
    };
    let unnamed: Vec<&Slot> = slots.iter().filter(|s| !named(s)).collect();
    match unnamed.as_slice() {
        [only] => Ok(only.target.clone()),
        [] => Err(remainder_error(
            sum,
            "cannot determine the missing revision",
        )),
        _ => Err(remainder_error(
            sum,
            "incorrect number of revisions specified. Only 1 revision should be missing",
        )),
    }
}

#[cfg(test)]
#[path = "traffic_tests.rs"]
mod tests;

/// Revision names that `after` routes to but that neither `before` routed to, nor exist in
/// `existing`, nor are the revision this update creates (`new_revision`, a BYO template name).
/// Knative accepts such targets and then fails the Route, so knit refuses them up front.
pub fn missing_revisions(
    before: &[Value],
    after: &[Value],
    existing: &[String],
    new_revision: Option<&str>,
) -> Vec<String> {
    let name = |t: &Value| {
        t.get("revisionName")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let routed: Vec<String> = before.iter().filter_map(name).collect();
    let mut missing: Vec<String> = after
        .iter()
        .filter_map(name)
        .filter(|rev| {
            !routed.contains(rev) && !existing.contains(rev) && new_revision != Some(rev.as_str())
        })
        .collect();
    missing.dedup();
    missing
}

#[cfg(test)]
mod missing_revisions_tests {
    use super::missing_revisions;
    use serde_json::json;

    #[test]
    fn only_new_references_to_unknown_revisions_are_reported() {
        let before = [json!({"revisionName": "svc-00001", "percent": 100})];
        let after = [
            json!({"revisionName": "svc-00001", "percent": 40}),
            json!({"revisionName": "svc-00002", "percent": 30}),
            json!({"revisionName": "nope", "percent": 20}),
            json!({"revisionName": "svc-v3", "percent": 10}),
            json!({"latestRevision": true, "percent": 0}),
        ];
        let existing = ["svc-00002".to_string()];
        assert_eq!(
            missing_revisions(&before, &after, &existing, Some("svc-v3")),
            ["nope"]
        );
        // A target that was already routed is not re-checked (the user did not add it now).
        assert!(missing_revisions(&before, &before, &[], None).is_empty());
    }
}
