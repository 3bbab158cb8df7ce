//! ApiServerSource edits: `--resource Kind:APIVersion[:k=v,…]` (append, or `…-` to remove),
//! `--mode`, `--service-account`, sink and CloudEvent overrides.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde_json::{Value, json};

use crate::edit::EditError;
use crate::edit::json;
use crate::edit::kv::KeyValueArg;

const EXPECTED: &str = "(expected: <kind:apiVersion[:label1=val1,label2=val2,..]>";

/// One watched resource: kind, API version and an optional label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSpec {
    pub kind: String,
    pub api_version: String,
    /// `matchLabels`; `None` without a selector.
    pub labels: Option<BTreeMap<String, String>>,
}

impl ResourceSpec {
    /// The `spec.resources[]` entry.
    pub fn to_json(&self) -> Value {
        let mut entry = json!({"kind": self.kind, "apiVersion": self.api_version});
        if let Some(labels) = &self.labels {
            json::set(&mut entry, "selector", json!({ "matchLabels": labels }));
        }
        entry
    }

    /// Whether a stored `spec.resources[]` entry is this resource (kn compares all of it).
    fn matches(&self, entry: &Value) -> bool {
        let field = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or_default();
        if field("kind") != self.kind || field("apiVersion") != self.api_version {
            return false;
        }
        let stored = entry.get("selector").filter(|s| !s.is_null());
        match (&self.labels, stored) {
            (None, None) => true,
            (Some(labels), Some(selector)) => {
                let expressions = selector
                    .get("matchExpressions")
                    .and_then(Value::as_array)
                    .is_some_and(|e| !e.is_empty());
                !expressions && selector.get("matchLabels") == Some(&json!(labels))
            }
            _ => false,
        }
    }
}

impl fmt::Display for ResourceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.api_version)?;
        if let Some(labels) = &self.labels {
            let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            write!(f, ":{}", pairs.join(","))?;
        }
        Ok(())
    }
}

impl FromStr for ResourceSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.splitn(3, ':').collect();
        if parts[0].is_empty() {
            return Err(format!(
                "cannot find 'kind' part in resource specification {s} {EXPECTED}"
            ));
        }
        if parts.len() < 2 || parts[1].is_empty() {
            return Err(format!(
                "cannot find 'APIVersion' part in resource specification {s} {EXPECTED}"
            ));
        }
        let labels = match parts.get(2).filter(|l| !l.is_empty()) {
            None => None,
            Some(selector) => {
                let mut labels = BTreeMap::new();
                for pair in selector.split(',') {
                    match pair.split_once('=') {
                        Some((k, v)) if !k.is_empty() => {
                            labels.insert(k.to_string(), v.to_string());
                        }
                        _ => {
                            return Err(format!(
                                "invalid label selector in resource specification {s} {EXPECTED}"
                            ));
                        }
                    }
                }
                Some(labels)
            }
        };
        Ok(ResourceSpec {
            kind: parts[0].to_string(),
            api_version: parts[1].to_string(),
            labels,
        })
    }
}

/// One `--resource` value: add a resource, or (`…-`) remove an equal one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceArg {
    Add(ResourceSpec),
    Remove(ResourceSpec),
}

impl FromStr for ResourceArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.strip_suffix('-') {
            Some(rest) => rest.parse().map(ResourceArg::Remove),
            None => s.parse().map(ResourceArg::Add),
        }
    }
}

/// `--mode`: `Reference` or `Resource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventMode {
    Reference,
    Resource,
}

impl EventMode {
    pub fn as_str(self) -> &'static str {
        match self {
            EventMode::Reference => "Reference",
            EventMode::Resource => "Resource",
        }
    }
}

impl FromStr for EventMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "Reference" => Ok(EventMode::Reference),
            "Resource" => Ok(EventMode::Resource),
            _ => Err("expected Reference or Resource".to_string()),
        }
    }
}

/// The ApiServerSource flags of one command line; `None`/empty = not given.
#[derive(Debug, Clone, Default)]
pub struct ApiServerEdit {
    pub resources: Vec<ResourceArg>,
    pub mode: Option<EventMode>,
    pub service_account: Option<String>,
    pub sink: Option<Value>,
    pub ce_overrides: Vec<KeyValueArg>,
}

impl ApiServerEdit {
    /// Applies the flags to `spec`: resources are appended, then removals must each find an
    /// equal resource (kn: `cannot find resources to remove: …`).
    pub fn apply(&self, spec: &mut Value) -> Result<(), EditError> {
        if !self.resources.is_empty() {
            let mut list: Vec<Value> = spec
                .get("resources")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for arg in &self.resources {
                if let ResourceArg::Add(r) = arg {
                    list.push(r.to_json());
                }
            }
            let mut missing = Vec::new();
            for arg in &self.resources {
                if let ResourceArg::Remove(r) = arg {
                    match list.iter().position(|entry| r.matches(entry)) {
                        Some(index) => {
                            list.remove(index);
                        }
                        None => missing.push(r.to_string()),
                    }
                }
            }
            if !missing.is_empty() {
                return Err(EditError::new(format!(
                    "cannot find resources to remove: {}",
                    missing.join(", ")
                )));
            }
            json::set(spec, "resources", Value::Array(list));
        }
        if let Some(mode) = self.mode {
            json::set(spec, "mode", json!(mode.as_str()));
        }
        match self.service_account.as_deref() {
            Some("") => {
                json::remove(spec, "serviceAccountName");
            }
            Some(sa) => json::set(spec, "serviceAccountName", json!(sa)),
            None => {}
        }
        if let Some(sink) = &self.sink {
            json::set(spec, "sink", sink.clone());
        }
        super::ce_override::apply(spec, &self.ce_overrides);
        Ok(())
    }
}

/// A new ApiServerSource (removals make no sense here and are refused).
pub fn new_apiserver(
    name: &str,
    namespace: &str,
    edit: &ApiServerEdit,
) -> Result<Value, EditError> {
    if let Some(ResourceArg::Remove(r)) = edit
        .resources
        .iter()
        .find(|a| matches!(a, ResourceArg::Remove(_)))
    {
        return Err(EditError::new(format!(
            "cannot find resources to remove: {r}"
        )));
    }
    let mut source =
        super::new_object("sources.knative.dev/v1", "ApiServerSource", name, namespace);
    edit.apply(super::spec(&mut source))?;
    Ok(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(s: &str) -> ResourceArg {
        s.parse().unwrap()
    }

    #[test]
    fn resource_specs_parse_with_kn_messages() {
        assert_eq!(
            "Event:v1".parse::<ResourceSpec>().unwrap().to_json(),
            json!({"kind": "Event", "apiVersion": "v1"})
        );
        assert_eq!(
            "Deployment:apps/v1:app=web,tier=x"
                .parse::<ResourceSpec>()
                .unwrap()
                .to_json(),
            json!({"kind": "Deployment", "apiVersion": "apps/v1", "selector": {"matchLabels": {"app": "web", "tier": "x"}}})
        );
        assert_eq!(
            ":v1".parse::<ResourceSpec>().unwrap_err(),
            "cannot find 'kind' part in resource specification :v1 (expected: <kind:apiVersion[:label1=val1,label2=val2,..]>"
        );
        assert_eq!(
            "Event".parse::<ResourceSpec>().unwrap_err(),
            "cannot find 'APIVersion' part in resource specification Event (expected: <kind:apiVersion[:label1=val1,label2=val2,..]>"
        );
        assert_eq!(
            "Event:v1:app".parse::<ResourceSpec>().unwrap_err(),
            "invalid label selector in resource specification Event:v1:app (expected: <kind:apiVersion[:label1=val1,label2=val2,..]>"
        );
        assert_eq!(
            res("Event:v1-"),
            ResourceArg::Remove("Event:v1".parse().unwrap())
        );
        assert_eq!(
            "Pod:v1:b=2,a=1"
                .parse::<ResourceSpec>()
                .unwrap()
                .to_string(),
            "Pod:v1:a=1,b=2"
        );
        assert_eq!("Resource".parse(), Ok(EventMode::Resource));
        assert!("resource".parse::<EventMode>().is_err());
    }

    #[test]
    fn create_sets_everything_given() {
        let edit = ApiServerEdit {
            resources: vec![res("Event:v1")],
            mode: Some(EventMode::Reference),
            service_account: Some("sa".into()),
            sink: Some(json!({"uri": "http://x"})),
            ce_overrides: vec![],
        };
        assert_eq!(
            new_apiserver("a", "ns", &edit).unwrap()["spec"],
            json!({"resources": [{"kind": "Event", "apiVersion": "v1"}], "mode": "Reference", "serviceAccountName": "sa", "sink": {"uri": "http://x"}})
        );
        let removal = ApiServerEdit {
            resources: vec![res("Event:v1-")],
            ..Default::default()
        };
        assert_eq!(
            new_apiserver("a", "ns", &removal).unwrap_err().to_string(),
            "cannot find resources to remove: Event:v1"
        );
    }

    #[test]
    fn update_appends_removes_exact_matches_and_reports_missing() {
        let mut spec = json!({"resources": [
            {"kind": "Event", "apiVersion": "v1", "x": 1},
            {"kind": "Pod", "apiVersion": "v1", "selector": {"matchLabels": {"a": "1"}}}
        ], "owner": {"kind": "X"}});
        ApiServerEdit {
            resources: vec![res("Deployment:apps/v1"), res("Pod:v1:a=1-")],
            ..Default::default()
        }
        .apply(&mut spec)
        .unwrap();
        assert_eq!(
            spec,
            json!({"resources": [
                {"kind": "Event", "apiVersion": "v1", "x": 1},
                {"kind": "Deployment", "apiVersion": "apps/v1"}
            ], "owner": {"kind": "X"}})
        );
        let err = ApiServerEdit {
            resources: vec![res("Pod:v1-"), res("Event:v2-")],
            ..Default::default()
        }
        .apply(&mut spec)
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot find resources to remove: Pod:v1, Event:v2"
        );
    }
}
