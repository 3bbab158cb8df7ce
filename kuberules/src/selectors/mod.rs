//! Label and field selectors: the grammar and messages of apimachinery's `labels.Parse`
//! ([`label`]) and `fields.ParseSelector` ([`field`]), and matching objects against both.

pub mod field;
pub mod label;

pub use field::FieldSelector;
pub use label::LabelSelector;

use serde_json::{Map, Value, json};

/// A label and a field selector together.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.fields.is_empty()
    }

    pub fn matches(&self, object: &Value) -> bool {
        self.labels.matches(
            object
                .pointer("/metadata/labels")
                .and_then(Value::as_object),
        ) && self.fields.matches(object)
    }

    /// Matches an object whose labels, name and namespace are already at hand (a store's index),
    /// reading `object` only for fields beyond name and namespace.
    pub fn matches_indexed(
        &self,
        labels: &Map<String, Value>,
        name: &str,
        namespace: &str,
        object: &Value,
    ) -> bool {
        if !self.labels.matches(Some(labels)) {
            return false;
        }
        if self.fields.is_empty() {
            return true;
        }
        if self.fields.only_metadata() {
            let meta = json!({"metadata": {"name": name, "namespace": namespace}});
            return self.fields.matches(&meta);
        }
        self.fields.matches(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexed_matching_agrees_with_matching_the_object() {
        let object = json!({
            "metadata": {"name": "a", "namespace": "ns", "labels": {"app": "web"}},
            "spec": {"x": "1"}
        });
        let labels = object["metadata"]["labels"].as_object().unwrap().clone();
        let supported = ["metadata.name", "metadata.namespace", "spec.x"];
        for (l, f, want) in [
            ("app=web", "metadata.name=a", true),
            ("app=web", "metadata.namespace!=ns", false),
            ("app=db", "", false),
            ("", "spec.x=1", true),
            ("", "spec.x=2", false),
        ] {
            let sel = Selection {
                labels: LabelSelector::parse(l).unwrap(),
                fields: FieldSelector::parse(f, &supported).unwrap(),
            };
            assert_eq!(sel.matches(&object), want, "{l} {f}");
            assert_eq!(
                sel.matches_indexed(&labels, "a", "ns", &object),
                want,
                "{l} {f}"
            );
        }
    }
}
