//! SinkBinding edits: `--subject Kind:apiVersion:name|k=v,…`, sink and CloudEvent overrides.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde_json::{Value, json};

use crate::edit::json;
use crate::edit::kv::KeyValueArg;

/// `--subject`: the bound workload, by name or by label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectArg {
    pub kind: String,
    pub api_version: String,
    pub target: SubjectTarget,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectTarget {
    Name(String),
    Selector(BTreeMap<String, String>),
}

/// Go's `schema.ParseGroupVersion` rules, as kn applies them to the subject's API version.
fn check_group_version(gv: &str) -> Result<(), String> {
    if gv.matches('/').count() > 1 || gv.starts_with('/') || gv.ends_with('/') && gv.len() > 1 {
        return Err(format!("unexpected GroupVersion string: {gv}"));
    }
    Ok(())
}

impl FromStr for SubjectArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.splitn(3, ':').collect();
        if parts.len() < 3 {
            return Err(format!(
                "invalid subject argument '{s}': not in format kind:api/version:nameOrSelector"
            ));
        }
        check_group_version(parts[1])?;
        let target = if !parts[2].contains('=') {
            SubjectTarget::Name(parts[2].to_string())
        } else {
            let mut selector = BTreeMap::new();
            for pair in parts[2].split(',') {
                match pair.split_once('=') {
                    Some((k, v)) => {
                        selector.insert(k.to_string(), v.to_string());
                    }
                    None => {
                        return Err(format!(
                            "invalid subject label selector '{}', expected format: key1=value,key2=value",
                            parts[2]
                        ));
                    }
                }
            }
            SubjectTarget::Selector(selector)
        };
        Ok(SubjectArg {
            kind: parts[0].to_string(),
            api_version: parts[1].to_string(),
            target,
        })
    }
}

impl SubjectArg {
    /// The `spec.subject` tracker reference, in `namespace`.
    pub fn to_json(&self, namespace: &str) -> Value {
        let mut subject = json!({
            "apiVersion": self.api_version,
            "kind": self.kind,
            "namespace": namespace,
        });
        match &self.target {
            SubjectTarget::Name(name) => json::set(&mut subject, "name", json!(name)),
            SubjectTarget::Selector(labels) => {
                json::set(&mut subject, "selector", json!({ "matchLabels": labels }))
            }
        }
        subject
    }
}

/// The SinkBinding flags of one command line; `None`/empty = not given.
#[derive(Debug, Clone, Default)]
pub struct BindingEdit {
    pub subject: Option<SubjectArg>,
    pub sink: Option<Value>,
    pub ce_overrides: Vec<KeyValueArg>,
}

impl BindingEdit {
    pub fn apply(&self, spec: &mut Value, namespace: &str) {
        if let Some(subject) = &self.subject {
            json::set(spec, "subject", subject.to_json(namespace));
        }
        if let Some(sink) = &self.sink {
            json::set(spec, "sink", sink.clone());
        }
        super::ce_override::apply(spec, &self.ce_overrides);
    }
}

/// A new SinkBinding.
pub fn new_binding(name: &str, namespace: &str, edit: &BindingEdit) -> Value {
    let mut binding = super::new_object("sources.knative.dev/v1", "SinkBinding", name, namespace);
    edit.apply(super::spec(&mut binding), namespace);
    binding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_by_name_and_selector() {
        let named: SubjectArg = "Deployment:apps/v1:myapp".parse().unwrap();
        assert_eq!(
            named.to_json("ns"),
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "ns", "name": "myapp"})
        );
        let selected: SubjectArg = "cronjob:batch/v1beta1:app=ping,tier=a".parse().unwrap();
        assert_eq!(
            selected.to_json("ns"),
            json!({"apiVersion": "batch/v1beta1", "kind": "cronjob", "namespace": "ns", "selector": {"matchLabels": {"app": "ping", "tier": "a"}}})
        );
        assert_eq!(
            "Deployment:apps/v1".parse::<SubjectArg>().unwrap_err(),
            "invalid subject argument 'Deployment:apps/v1': not in format kind:api/version:nameOrSelector"
        );
        assert_eq!(
            "Deployment:apps/v1:a=1,b"
                .parse::<SubjectArg>()
                .unwrap_err(),
            "invalid subject label selector 'a=1,b', expected format: key1=value,key2=value"
        );
        assert_eq!(
            "Deployment:a/b/c:x".parse::<SubjectArg>().unwrap_err(),
            "unexpected GroupVersion string: a/b/c"
        );
    }

    #[test]
    fn update_replaces_only_given_parts() {
        let mut spec = json!({"subject": {"kind": "Old"}, "sink": {"uri": "http://a"}, "x": 1});
        BindingEdit {
            sink: Some(json!({"uri": "http://b"})),
            ..Default::default()
        }
        .apply(&mut spec, "ns");
        assert_eq!(
            spec,
            json!({"subject": {"kind": "Old"}, "sink": {"uri": "http://b"}, "x": 1})
        );
        assert_eq!(
            new_binding(
                "b",
                "ns",
                &BindingEdit {
                    subject: Some("Job:batch/v1:j".parse().unwrap()),
                    ..Default::default()
                }
            )["spec"],
            json!({"subject": {"apiVersion": "batch/v1", "kind": "Job", "namespace": "ns", "name": "j"}})
        );
    }
}
