//! Trigger edits: `trigger create` (broker, exact-attribute filters, subscriber) and
//! `trigger update` (filters merged with `KEY-` removal, subscriber).

use std::str::FromStr;

use serde_json::{Value, json};

use crate::edit::json;

/// CloudEvent attribute names as Knative accepts them in a filter (`^[a-z][a-z0-9]*$`).
fn check_attribute(key: &str) -> Result<(), String> {
    let mut chars = key.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid attribute name \"{key}\": it must start with a lower-case letter and contain only lower-case letters and digits"
        ))
    }
}

/// One `--filter KEY=VALUE` of `trigger create` (the `=` is required).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterArg {
    pub key: String,
    pub value: String,
}

impl FromStr for FilterArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some((key, value)) = s.split_once('=') else {
            return Err(format!(
                "Argument requires a value that contains the \"=\" character as delimiter; got \"{s}\""
            ));
        };
        check_attribute(key)?;
        Ok(FilterArg {
            key: key.to_string(),
            value: value.to_string(),
        })
    }
}

/// One `--filter` of `trigger update`: `KEY=VALUE`, `KEY` (empty value) or `KEY-` (remove).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterUpdateArg {
    Set(FilterArg),
    Remove(String),
}

impl FromStr for FilterUpdateArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.contains('=') {
            return s.parse().map(FilterUpdateArg::Set);
        }
        if let Some(key) = s.strip_suffix('-') {
            check_attribute(key)?;
            return Ok(FilterUpdateArg::Remove(key.to_string()));
        }
        check_attribute(s)?;
        Ok(FilterUpdateArg::Set(FilterArg {
            key: s.to_string(),
            value: String::new(),
        }))
    }
}

/// A new Trigger. `spec.filter` is only sent when filters are given (kn sends an empty one).
pub fn new_trigger(
    name: &str,
    namespace: &str,
    broker: &str,
    filters: &[FilterArg],
    subscriber: Value,
) -> Value {
    let mut trigger = super::new_object("eventing.knative.dev/v1", "Trigger", name, namespace);
    let spec = super::spec(&mut trigger);
    json::set(spec, "broker", json!(broker));
    if !filters.is_empty() {
        let attributes = json::object(json::object(spec, "filter"), "attributes");
        for f in filters {
            json::set(attributes, &f.key, json!(f.value));
        }
    }
    json::set(spec, "subscriber", subscriber);
    trigger
}

/// `trigger update`: filters (set, then remove, as kn merges them) and the subscriber.
pub fn update_trigger(trigger: &mut Value, filters: &[FilterUpdateArg], subscriber: Option<Value>) {
    let spec = super::spec(trigger);
    if !filters.is_empty() {
        let filter = json::object(spec, "filter");
        let attributes = json::object(filter, "attributes");
        for f in filters {
            if let FilterUpdateArg::Set(set) = f {
                json::set(attributes, &set.key, json!(set.value));
            }
        }
        for f in filters {
            if let FilterUpdateArg::Remove(key) = f {
                json::remove(attributes, key);
            }
        }
        json::prune_empty(filter, "attributes");
    }
    if let Some(subscriber) = subscriber {
        json::set(spec, "subscriber", subscriber);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values() {
        assert_eq!(
            "type=dev.knative.foo".parse::<FilterArg>().unwrap(),
            FilterArg {
                key: "type".into(),
                value: "dev.knative.foo".into()
            }
        );
        assert_eq!(
            "type".parse::<FilterArg>().unwrap_err(),
            "Argument requires a value that contains the \"=\" character as delimiter; got \"type\""
        );
        assert!(
            "Type=x"
                .parse::<FilterArg>()
                .unwrap_err()
                .starts_with("invalid attribute name \"Type\"")
        );
        assert_eq!(
            "type-".parse::<FilterUpdateArg>().unwrap(),
            FilterUpdateArg::Remove("type".into())
        );
        assert_eq!(
            "source".parse::<FilterUpdateArg>().unwrap(),
            FilterUpdateArg::Set(FilterArg {
                key: "source".into(),
                value: String::new()
            })
        );
        assert!("9x-".parse::<FilterUpdateArg>().is_err());
    }

    #[test]
    fn new_trigger_has_no_empty_filter() {
        let subscriber = json!({"uri": "http://x"});
        assert_eq!(
            new_trigger("t", "ns", "default", &[], subscriber.clone()),
            json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Trigger", "metadata": {"name": "t", "namespace": "ns"}, "spec": {"broker": "default", "subscriber": {"uri": "http://x"}}})
        );
        let filters = vec!["type=a".parse().unwrap(), "source=b".parse().unwrap()];
        assert_eq!(
            new_trigger("t", "ns", "b", &filters, subscriber)["spec"]["filter"],
            json!({"attributes": {"type": "a", "source": "b"}})
        );
    }

    #[test]
    fn update_merges_then_removes_and_keeps_the_rest() {
        let mut trigger = json!({"spec": {"broker": "b", "filter": {"attributes": {"type": "a", "source": "s"}, "x": 1}, "subscriber": {"uri": "http://old"}, "delivery": {"retry": 1}}});
        let filters: Vec<FilterUpdateArg> = ["type=z", "ext", "source-"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        update_trigger(&mut trigger, &filters, None);
        assert_eq!(
            trigger,
            json!({"spec": {"broker": "b", "filter": {"attributes": {"type": "z", "ext": ""}, "x": 1}, "subscriber": {"uri": "http://old"}, "delivery": {"retry": 1}}})
        );
        let removals: Vec<FilterUpdateArg> =
            vec!["type-".parse().unwrap(), "ext-".parse().unwrap()];
        update_trigger(&mut trigger, &removals, Some(json!({"uri": "http://new"})));
        assert_eq!(
            trigger,
            json!({"spec": {"broker": "b", "filter": {"x": 1}, "subscriber": {"uri": "http://new"}, "delivery": {"retry": 1}}})
        );
    }
}
