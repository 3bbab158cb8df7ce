//! Knative duck types shared by every kind: conditions (with kn's derived cells) and addressables.

use jiff::Timestamp;
use serde::Deserialize;

use super::meta::{null_as_default, timestamp};

/// One `status.conditions` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Condition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    pub severity: String,
    pub reason: String,
    pub message: String,
    #[serde(deserialize_with = "timestamp")]
    pub last_transition_time: Option<Timestamp>,
}

impl Condition {
    pub fn is_true(&self) -> bool {
        self.status == "True"
    }
    pub fn is_false(&self) -> bool {
        self.status == "False"
    }
}

/// The status fields every Knative kind has.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Status {
    pub observed_generation: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
}

/// `status.address` of an addressable.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Addressable {
    pub url: String,
}

/// Finds a condition by type.
pub fn condition<'a>(conditions: &'a [Condition], type_: &str) -> Option<&'a Condition> {
    conditions.iter().find(|c| c.type_ == type_)
}

/// The `Ready` condition, the one that decides readiness for kn (Knative's "happy" condition).
pub fn ready(conditions: &[Condition]) -> Option<&Condition> {
    condition(conditions, "Ready")
}

/// `CONDITIONS` cell: `"<n> OK / <m>"`.
pub fn conditions_ok(conditions: &[Condition]) -> String {
    let ok = conditions.iter().filter(|c| c.is_true()).count();
    format!("{ok} OK / {}", conditions.len())
}

/// `READY` cell: the Ready status, or `<unknown>`.
pub fn ready_cell(conditions: &[Condition]) -> String {
    ready(conditions)
        .map(|c| c.status.clone())
        .unwrap_or_else(|| "<unknown>".to_string())
}

/// `REASON` cell: empty when ready, `Reason : Message` when there is a message, else `Reason`.
pub fn reason_cell(conditions: &[Condition]) -> String {
    match ready(conditions) {
        None => "<unknown>".to_string(),
        Some(c) if c.is_true() => String::new(),
        Some(c) if !c.message.is_empty() => format!("{} : {}", c.reason, c.message),
        Some(c) => c.reason.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(t: &str, s: &str, reason: &str, message: &str) -> Condition {
        Condition {
            type_: t.into(),
            status: s.into(),
            reason: reason.into(),
            message: message.into(),
            ..Default::default()
        }
    }

    #[test]
    fn derived_cells() {
        let ready_ok = vec![
            cond("Ready", "True", "", ""),
            cond("RoutesReady", "True", "", ""),
        ];
        assert_eq!(conditions_ok(&ready_ok), "2 OK / 2");
        assert_eq!(ready_cell(&ready_ok), "True");
        assert_eq!(reason_cell(&ready_ok), "");
        let failing = vec![
            cond("ConfigurationsReady", "False", "RevisionFailed", "boom"),
            cond(
                "Ready",
                "False",
                "RevisionMissing",
                "Configuration \"x\" does not have any ready Revision.",
            ),
        ];
        assert_eq!(conditions_ok(&failing), "0 OK / 2");
        assert_eq!(
            reason_cell(&failing),
            "RevisionMissing : Configuration \"x\" does not have any ready Revision."
        );
        assert_eq!(
            reason_cell(&[cond("Ready", "Unknown", "Deploying", "")]),
            "Deploying"
        );
        assert_eq!(ready_cell(&[]), "<unknown>");
        assert_eq!(reason_cell(&[]), "<unknown>");
    }
}
