//! EventPolicy edits: `--to`/`--to-selector` (the resources the policy guards), `--from` /
//! `--from-subject` (who may send) and `--cesql` (a filter on the events admitted). Every list
//! flag adds an entry, or removes matching ones when its value ends in `-` (removals first).

use serde_json::{Map, Value, json};

use super::super::EditError;
use crate::edit::json;

/// One add-or-remove of a list entry.
#[derive(Debug, Clone, PartialEq)]
pub enum ListOp<T> {
    Add(T),
    Remove(T),
}

/// Splits a trailing `-` (remove) off a flag value. Kubernetes names never end in `-`, so a
/// trailing dash is never part of a name.
pub fn split_removal(text: &str) -> (&str, bool) {
    match text.strip_suffix('-') {
        Some(rest) if !rest.is_empty() => (rest, true),
        _ => (text, false),
    }
}

/// Which objects a removal names: API group, lower-case plural, name and namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefPattern {
    pub group: String,
    pub resource: String,
    pub name: String,
    pub namespace: Option<String>,
}

impl RefPattern {
    fn matches(&self, reference: &Value) -> bool {
        let text = |k: &str| reference.get(k).and_then(Value::as_str).unwrap_or_default();
        let group = match text("apiVersion").rsplit_once('/') {
            Some((group, _)) => group,
            None => "",
        };
        group == self.group
            && plural_of(text("kind")) == self.resource
            && text("name") == self.name
            && self
                .namespace
                .as_deref()
                .is_none_or(|ns| text("namespace").is_empty() || text("namespace") == ns)
    }
}

/// apimachinery's `UnsafeGuessKindToResource` (as `output::views::sink::guess_resource`; edits
/// do not reach into output).
fn plural_of(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if lower.is_empty() || lower.ends_with('s') {
        return if lower.is_empty() {
            lower
        } else {
            format!("{lower}es")
        };
    }
    match lower.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{lower}s"),
    }
}

/// A `--to-selector` value: the kind it selects and its labels.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectorSpec {
    pub api_version: String,
    pub kind: String,
    pub labels: Vec<(String, String)>,
}

/// Parses `KEY=VALUE[,KEY=VALUE…]` (at least one pair, no empty key).
pub fn parse_labels(flag: &str, text: &str) -> Result<Vec<(String, String)>, EditError> {
    let mut labels = Vec::new();
    for pair in text.split(',') {
        match pair.split_once('=') {
            Some((key, value)) if !key.is_empty() => labels.push((key.into(), value.into())),
            _ => {
                return Err(EditError::new(format!(
                    "invalid value '{text}' for {flag}: '{pair}' is not KEY=VALUE; expected PREFIX:KEY=VALUE[,KEY=VALUE…]"
                )));
            }
        }
    }
    Ok(labels)
}

/// The EventPolicy flags of one command line. References arrive resolved (`{apiVersion, kind,
/// name, namespace}`); removals as patterns.
#[derive(Debug, Clone, Default)]
pub struct PolicyEdit {
    pub to: Vec<Value>,
    pub to_removals: Vec<RefPattern>,
    pub to_selector_removals: Vec<(String, String)>,
    pub to_selectors: Vec<SelectorSpec>,
    pub from: Vec<Value>,
    pub from_removals: Vec<RefPattern>,
    pub subjects: Vec<ListOp<String>>,
    /// `Some("")` removes the filters.
    pub cesql: Option<String>,
}

/// Removes the entries the patterns name, then appends the references not there yet.
fn apply_refs(list: &mut Vec<Value>, adds: &[Value], removals: &[RefPattern]) {
    for p in removals {
        list.retain(|e| !e.get("ref").is_some_and(|r| p.matches(r)));
    }
    for reference in adds {
        let entry = json!({ "ref": reference });
        if !list.contains(&entry) {
            list.push(entry);
        }
    }
}

impl PolicyEdit {
    /// Applies the flags to `spec`; lists left empty are dropped.
    pub fn apply(&self, spec: &mut Value) {
        {
            let to = json::array(spec, "to");
            apply_refs(to, &self.to, &self.to_removals);
            for (api_version, kind) in &self.to_selector_removals {
                to.retain(|e| {
                    !e.get("selector").is_some_and(|s| {
                        s.get("kind").and_then(Value::as_str) == Some(kind)
                            && s.get("apiVersion").and_then(Value::as_str) == Some(api_version)
                    })
                });
            }
            for s in &self.to_selectors {
                let labels: Map<String, Value> = s
                    .labels
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect();
                let entry = json!({"selector": {
                    "apiVersion": s.api_version, "kind": s.kind, "matchLabels": labels
                }});
                if !to.contains(&entry) {
                    to.push(entry);
                }
            }
        }
        {
            let from = json::array(spec, "from");
            apply_refs(from, &self.from, &self.from_removals);
            for op in &self.subjects {
                match op {
                    ListOp::Add(sub) => {
                        let entry = json!({ "sub": sub });
                        if !from.contains(&entry) {
                            from.push(entry);
                        }
                    }
                    ListOp::Remove(sub) => {
                        from.retain(|e| e.get("sub").and_then(Value::as_str) != Some(sub))
                    }
                }
            }
        }
        match self.cesql.as_deref() {
            Some("") => {
                json::remove(spec, "filters");
            }
            Some(expression) => json::set(spec, "filters", json!([{ "cesql": expression }])),
            None => {}
        }
        for key in ["to", "from"] {
            if spec
                .get(key)
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty)
            {
                json::remove(spec, key);
            }
        }
    }
}

/// A new EventPolicy.
pub fn new_policy(name: &str, namespace: &str, edit: &PolicyEdit) -> Value {
    let mut policy = super::new_object(
        "eventing.knative.dev/v1alpha1",
        "EventPolicy",
        name,
        namespace,
    );
    edit.apply(super::spec(&mut policy));
    policy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broker(name: &str) -> Value {
        json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": name, "namespace": "ns"})
    }

    fn remove(group: &str, resource: &str, name: &str) -> RefPattern {
        RefPattern {
            group: group.into(),
            resource: resource.into(),
            name: name.into(),
            namespace: None,
        }
    }

    #[test]
    fn create_with_every_flag() {
        let edit = PolicyEdit {
            to: vec![broker("default")],
            to_selectors: vec![SelectorSpec {
                api_version: "eventing.knative.dev/v1".into(),
                kind: "Broker".into(),
                labels: parse_labels("--to-selector", "app=a,tier=b").unwrap(),
            }],
            from: vec![broker("other")],
            subjects: vec![ListOp::Add("system:serviceaccount:ns:*".into())],
            cesql: Some("type = 'x'".into()),
            ..Default::default()
        };
        assert_eq!(
            new_policy("p", "ns", &edit)["spec"],
            json!({
                "to": [{"ref": broker("default")},
                       {"selector": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "matchLabels": {"app": "a", "tier": "b"}}}],
                "from": [{"ref": broker("other")}, {"sub": "system:serviceaccount:ns:*"}],
                "filters": [{"cesql": "type = 'x'"}]
            })
        );
    }

    #[test]
    fn removals_match_by_group_resource_and_name_and_keep_the_rest() {
        let mut spec = json!({
            "to": [{"ref": broker("a")}, {"ref": broker("b")},
                   {"selector": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "matchLabels": {"x": "y"}}}],
            "from": [{"ref": broker("a")}, {"sub": "s1"}, {"sub": "s2"}],
            "filters": [{"cesql": "true"}],
            "other": 1
        });
        PolicyEdit {
            to_removals: vec![
                remove("eventing.knative.dev", "brokers", "a"),
                remove("messaging.knative.dev", "channels", "b"),
            ],
            to_selector_removals: vec![("eventing.knative.dev/v1".into(), "Broker".into())],
            from_removals: vec![remove("eventing.knative.dev", "brokers", "a")],
            subjects: vec![ListOp::Remove("s1".into()), ListOp::Add("s2".into())],
            cesql: Some(String::new()),
            ..Default::default()
        }
        .apply(&mut spec);
        assert_eq!(
            spec,
            json!({"to": [{"ref": broker("b")}], "from": [{"sub": "s2"}], "other": 1})
        );
    }

    #[test]
    fn emptied_lists_are_dropped_and_bad_labels_refused() {
        let mut spec = json!({"from": [{"sub": "s"}]});
        PolicyEdit {
            subjects: vec![ListOp::Remove("s".into())],
            ..Default::default()
        }
        .apply(&mut spec);
        assert_eq!(spec, json!({}));
        assert_eq!(split_removal("broker:b-"), ("broker:b", true));
        assert_eq!(split_removal("-"), ("-", false));
        assert_eq!(
            parse_labels("--to-selector", "app").unwrap_err().message(),
            "invalid value 'app' for --to-selector: 'app' is not KEY=VALUE; expected PREFIX:KEY=VALUE[,KEY=VALUE…]"
        );
    }
}
