//! Knative condition sets ("living" sets with a `Ready` happy condition and dependents): the
//! mark true/false/unknown rules, severities, sorting and lastTransitionTime handling of
//! knative.dev/pkg `apis/condition_set.go` (reference/knative-api.md §1.1).

use std::borrow::Cow;

use serde_json::{Map, Value, json};

/// Condition statuses.
pub const TRUE: &str = "True";
pub const FALSE: &str = "False";
pub const UNKNOWN: &str = "Unknown";

/// The `Ready` condition type.
pub const READY: &str = "Ready";

/// Reason written by the generated reconcilers when a new generation is observed.
pub const NEW_OBSERVED_GEN_FAILURE: &str = "NewObservedGenFailure";

/// A condition set: the happy condition and the conditions it depends on.
#[derive(Debug, Clone, Copy)]
pub struct ConditionSet {
    pub happy: &'static str,
    pub dependents: &'static [&'static str],
}

impl ConditionSet {
    /// A living set (`Ready` + dependents).
    pub const fn living(dependents: &'static [&'static str]) -> Self {
        ConditionSet {
            happy: READY,
            dependents,
        }
    }

    fn is_terminal(&self, t: &str) -> bool {
        t == self.happy || self.dependents.contains(&t)
    }

    fn severity(&self, t: &str) -> &'static str {
        if self.is_terminal(t) { "" } else { "Info" }
    }
}

/// One condition. A loaded condition borrows its text from the status it was read from:
/// every reconcile reads all its conditions and changes few.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition<'a> {
    pub type_: Cow<'a, str>,
    pub status: Cow<'a, str>,
    /// "" (error), "Warning" or "Info".
    pub severity: Cow<'a, str>,
    pub reason: Cow<'a, str>,
    pub message: Cow<'a, str>,
    pub last_transition_time: Cow<'a, str>,
    /// Unknown JSON fields of the stored condition, kept as they were.
    pub extra: Map<String, Value>,
    /// Ordering of transitions made in memory (0 for loaded conditions).
    seq: u64,
}

impl<'a> Condition<'a> {
    fn same_content(&self, other: &Condition) -> bool {
        self.type_ == other.type_
            && self.status == other.status
            && self.severity == other.severity
            && self.reason == other.reason
            && self.message == other.message
    }

    /// Whether the condition has this content (its type aside).
    fn has(&self, status: &str, severity: &str, reason: &str, message: &str) -> bool {
        self.status == status
            && self.severity == severity
            && self.reason == reason
            && self.message == message
    }

    pub fn is_true(&self) -> bool {
        self.status == TRUE
    }

    pub fn is_false(&self) -> bool {
        self.status == FALSE
    }

    fn from_json(v: &'a Value) -> Option<Condition<'a>> {
        let obj = v.as_object()?;
        let mut condition = Condition {
            type_: Cow::Borrowed(""),
            status: Cow::Borrowed(""),
            severity: Cow::Borrowed(""),
            reason: Cow::Borrowed(""),
            message: Cow::Borrowed(""),
            last_transition_time: Cow::Borrowed(""),
            extra: Map::new(),
            seq: 0,
        };
        // One pass over the fields: a lookup per known field compared keys along the map.
        for (key, value) in obj {
            let text = || Cow::Borrowed(value.as_str().unwrap_or(""));
            match key.as_str() {
                "type" => condition.type_ = text(),
                "status" => condition.status = text(),
                "severity" => condition.severity = text(),
                "reason" => condition.reason = text(),
                "message" => condition.message = text(),
                "lastTransitionTime" => condition.last_transition_time = text(),
                _ => {
                    condition.extra.insert(key.clone(), value.clone());
                }
            }
        }
        Some(condition)
    }

    /// The condition as JSON, with `last_transition_time` as its time.
    fn to_json(&self, last_transition_time: &str) -> Value {
        let mut obj = self.extra.clone();
        obj.insert("type".into(), json!(self.type_));
        obj.insert("status".into(), json!(self.status));
        if !self.severity.is_empty() {
            obj.insert("severity".into(), json!(self.severity));
        }
        if !last_transition_time.is_empty() {
            obj.insert("lastTransitionTime".into(), json!(last_transition_time));
        }
        if !self.reason.is_empty() {
            obj.insert("reason".into(), json!(self.reason));
        }
        if !self.message.is_empty() {
            obj.insert("message".into(), json!(self.message));
        }
        Value::Object(obj)
    }
}

/// The conditions of one status being reconciled, managed through a [`ConditionSet`].
#[derive(Debug, Clone)]
pub struct Conditions<'a> {
    set: ConditionSet,
    list: Vec<Condition<'a>>,
    /// The loaded conditions this reconcile replaced (the first replacement of each type);
    /// the others are still in `list` as loaded. All of them when a type repeats.
    original: Vec<Condition<'a>>,
    /// The time transitions are stamped with: read at the first transition, as most readers
    /// only look.
    now: Option<String>,
    clock: u64,
}

/// The current time as Knative writes it (RFC 3339, UTC, seconds).
pub fn now_rfc3339() -> String {
    let now = jiff::Timestamp::now();
    jiff::Timestamp::from_second(now.as_second())
        .map(|t| t.to_string())
        .unwrap_or_else(|_| now.to_string())
}

impl<'a> Conditions<'a> {
    /// Reads `status.conditions` (missing or malformed entries are ignored).
    pub fn from_status(set: ConditionSet, status: Option<&'a Value>) -> Self {
        let list: Vec<Condition> = status
            .and_then(|s| s.get("conditions"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Condition::from_json).collect())
            .unwrap_or_default();
        // A stored list that repeats a type keeps every loaded condition aside, as the first
        // of a type is what a later one is compared with.
        let repeats = list
            .iter()
            .enumerate()
            .any(|(i, c)| list[..i].iter().any(|o| o.type_ == c.type_));
        Conditions {
            set,
            original: if repeats { list.clone() } else { Vec::new() },
            list,
            now: None,
            clock: 0,
        }
    }

    pub fn get(&self, t: &str) -> Option<&Condition<'a>> {
        self.list.iter().find(|c| c.type_ == t)
    }

    /// Whether the happy condition is True.
    pub fn is_happy(&self) -> bool {
        self.get(self.set.happy).is_some_and(Condition::is_true)
    }

    /// `SetCondition`: replaces the condition of that type; only a content change moves
    /// lastTransitionTime. Keeps the list sorted by type.
    pub fn set(&mut self, t: &str, status: &str, reason: &str, message: &str) {
        let severity = self.set.severity(t);
        let pos = self.list.iter().position(|c| c.type_ == t);
        if pos.is_some_and(|pos| self.list[pos].has(status, severity, reason, message)) {
            return;
        }
        let mut cond = Condition {
            type_: Cow::Owned(t.to_string()),
            status: Cow::Owned(status.to_string()),
            severity: Cow::Borrowed(severity),
            reason: Cow::Owned(reason.to_string()),
            message: Cow::Owned(message.to_string()),
            last_transition_time: Cow::Borrowed(""),
            extra: Map::new(),
            seq: 0,
        };
        if let Some(pos) = pos {
            let replaced = self.list.remove(pos);
            cond.extra = replaced.extra.clone();
            if replaced.seq == 0 && !self.original.iter().any(|o| o.type_ == t) {
                self.original.push(replaced);
            }
        }
        self.clock += 1;
        cond.seq = self.clock;
        cond.last_transition_time = Cow::Owned(self.now.get_or_insert_with(now_rfc3339).clone());
        self.list.push(cond);
        self.list.sort_by(|a, b| a.type_.cmp(&b.type_));
    }

    /// `InitializeConditions`: the happy condition and every dependent become Unknown if absent
    /// (True if the happy condition already is True).
    pub fn initialize(&mut self) {
        if self.get(self.set.happy).is_none() {
            self.set(self.set.happy, UNKNOWN, "", "");
        }
        let status = if self.is_happy() { TRUE } else { UNKNOWN };
        for dep in self.set.dependents {
            if self.get(dep).is_none() {
                self.set(dep, status, "", "");
            }
        }
    }

    pub fn mark_true(&mut self, t: &str) {
        self.set(t, TRUE, "", "");
        self.recompute_happiness(t);
    }

    pub fn mark_true_with_reason(&mut self, t: &str, reason: &str, message: &str) {
        self.set(t, TRUE, reason, message);
        self.recompute_happiness(t);
    }

    pub fn mark_unknown(&mut self, t: &str, reason: &str, message: &str) {
        self.set(t, UNKNOWN, reason, message);
        let mut is_dependent = false;
        for dep in self.set.dependents {
            if self.get(dep).is_some_and(Condition::is_false) {
                let happy_false = self.get(self.set.happy).is_some_and(Condition::is_false);
                if !happy_false {
                    self.mark_false(self.set.happy, reason, message);
                }
                return;
            }
            if *dep == t {
                is_dependent = true;
            }
        }
        if is_dependent {
            self.set(self.set.happy, UNKNOWN, reason, message);
        }
    }

    pub fn mark_false(&mut self, t: &str, reason: &str, message: &str) {
        self.set(t, FALSE, reason, message);
        if self.set.dependents.contains(&t) {
            self.set(self.set.happy, FALSE, reason, message);
        }
    }

    fn recompute_happiness(&mut self, t: &str) {
        if let Some((status, reason, message)) = self.find_unhappy_dependent() {
            let severity = self.set.severity(self.set.happy);
            let same = (self.get(self.set.happy))
                .is_some_and(|c| c.has(status, severity, reason, message));
            if !same {
                let (status, reason, message) =
                    (status.to_string(), reason.to_string(), message.to_string());
                self.set(self.set.happy, &status, &reason, &message);
            }
        } else if t != self.set.happy {
            self.set(self.set.happy, TRUE, "", "");
        }
    }

    /// The most recently transitioned False dependent, else Unknown one; Unknown without a
    /// reason when some dependent is missing.
    fn find_unhappy_dependent(&self) -> Option<(&str, &str, &str)> {
        if self.set.dependents.is_empty() {
            return None;
        }
        let mut deps: Vec<&Condition> = self
            .list
            .iter()
            .filter(|c| c.severity.is_empty() && c.type_ != self.set.happy)
            .collect();
        // Newest first; conditions changed in this reconcile are newer than loaded ones.
        deps.sort_by(|a, b| {
            (&*b.last_transition_time, b.seq).cmp(&(&*a.last_transition_time, a.seq))
        });
        fn pick<'c>(c: &'c Condition<'_>) -> (&'c str, &'c str, &'c str) {
            (&c.status, &c.reason, &c.message)
        }
        if let Some(c) = deps.iter().find(|c| c.is_false()) {
            return Some(pick(c));
        }
        if let Some(c) = deps.iter().find(|c| c.status == UNKNOWN) {
            return Some(pick(c));
        }
        if self.set.dependents.len() > deps.len() {
            return Some((UNKNOWN, "", ""));
        }
        None
    }

    /// The generated reconcilers' pre-processing: initialise, and flag a new generation.
    pub fn pre_process(&mut self, generation: i64, observed_generation: i64) {
        self.initialize();
        if generation != observed_generation {
            self.set(
                self.set.happy,
                UNKNOWN,
                NEW_OBSERVED_GEN_FAILURE,
                "unsuccessfully observed a new generation",
            );
        }
    }

    /// The conditions as JSON, sorted by type. A condition whose content ends up equal to the
    /// one read keeps its lastTransitionTime.
    pub fn to_json(&self) -> Value {
        let out: Vec<Value> = self
            .list
            .iter()
            .map(|c| {
                // A condition set back to what was loaded keeps its time.
                let time = match self.original.iter().find(|o| o.type_ == c.type_) {
                    Some(orig) if orig.same_content(c) => &orig.last_transition_time,
                    _ => &c.last_transition_time,
                };
                c.to_json(time)
            })
            .collect();
        Value::Array(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: ConditionSet = ConditionSet::living(&["A", "B"]);

    fn types_and_status(c: &Conditions) -> Vec<(String, String, String)> {
        c.list
            .iter()
            .map(|c| {
                (
                    c.type_.to_string(),
                    c.status.to_string(),
                    c.reason.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn initialize_creates_unknown_conditions_sorted() {
        let mut c = Conditions::from_status(SET, None);
        c.initialize();
        assert_eq!(
            types_and_status(&c),
            vec![
                ("A".into(), UNKNOWN.into(), "".into()),
                ("B".into(), UNKNOWN.into(), "".into()),
                ("Ready".into(), UNKNOWN.into(), "".into())
            ]
        );
    }

    #[test]
    fn false_dependent_wins_over_later_unknown() {
        let mut c = Conditions::from_status(SET, None);
        c.initialize();
        c.mark_false("A", "Bad", "a is bad");
        c.mark_unknown("B", "Wait", "b waits");
        assert_eq!(
            c.get("Ready").map(|r| (&*r.status, &*r.reason)),
            Some((FALSE, "Bad"))
        );
    }

    #[test]
    fn marking_true_copies_most_recent_unhappy_dependent() {
        let mut c = Conditions::from_status(SET, None);
        c.initialize();
        c.mark_unknown("A", "First", "");
        c.mark_unknown("B", "Second", "");
        c.mark_true("A");
        assert_eq!(c.get("Ready").map(|r| &*r.reason), Some("Second"));
        c.mark_true("B");
        assert!(c.is_happy());
        assert_eq!(c.get("Ready").map(|r| &*r.reason), Some(""));
    }

    #[test]
    fn non_dependent_conditions_get_info_severity() {
        let mut c = Conditions::from_status(SET, None);
        c.mark_true("Active");
        let j = c.to_json();
        assert_eq!(j[0]["severity"], "Info");
        assert_eq!(j[0]["type"], "Active");
    }

    #[test]
    fn unchanged_conditions_keep_their_transition_time() {
        let status = json!({"conditions": [
            {"type": "A", "status": "True", "lastTransitionTime": "2020-01-01T00:00:00Z"},
            {"type": "B", "status": "True", "lastTransitionTime": "2020-01-01T00:00:00Z"},
            {"type": "Ready", "status": "True", "lastTransitionTime": "2020-01-01T00:00:00Z"}]});
        let mut c = Conditions::from_status(SET, Some(&status));
        c.pre_process(2, 1);
        c.mark_true("A");
        let j = c.to_json();
        assert_eq!(j, status["conditions"]);
    }

    #[test]
    fn a_condition_set_back_keeps_its_time_and_unknown_fields() {
        let status = json!({"conditions": [
            {"type": "A", "status": "True", "lastTransitionTime": "2020-01-01T00:00:00Z", "x": 1},
            {"type": "B", "status": "True", "lastTransitionTime": "2020-01-02T00:00:00Z"},
            {"type": "Ready", "status": "True", "lastTransitionTime": "2020-01-03T00:00:00Z"}]});
        let mut c = Conditions::from_status(SET, Some(&status));
        c.mark_false("A", "Broken", "m");
        c.mark_false("A", "Broken", "again");
        assert_eq!(c.to_json()[0]["x"], 1);
        assert_ne!(c.to_json()[0]["lastTransitionTime"], "2020-01-01T00:00:00Z");
        c.mark_true("A");
        assert_eq!(c.to_json(), status["conditions"]);
    }

    #[test]
    fn a_repeated_type_is_compared_with_its_first_loaded_condition() {
        let status = json!({"conditions": [
            {"type": "A", "status": "True", "lastTransitionTime": "2020-01-01T00:00:00Z"},
            {"type": "A", "status": "True", "lastTransitionTime": "2020-01-02T00:00:00Z"},
            {"type": "B", "status": "True", "lastTransitionTime": "2020-01-03T00:00:00Z"}]});
        let c = Conditions::from_status(SET, Some(&status));
        let times: Vec<Value> = (c.to_json().as_array().unwrap().iter())
            .map(|c| c["lastTransitionTime"].clone())
            .collect();
        assert_eq!(
            times,
            [
                json!("2020-01-01T00:00:00Z"),
                json!("2020-01-01T00:00:00Z"),
                json!("2020-01-03T00:00:00Z")
            ]
        );
    }
}
