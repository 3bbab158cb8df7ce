//! `--sort-by JSONPATH`: kubectl's ordering of list items by one field (numbers numerically,
//! strings lexically, timestamps as the strings they are; items without the field first).

use std::cmp::Ordering;

use serde_json::Value;

use super::jsonpath::JsonPathTemplate;
use crate::error::{Error, Result};

/// A parsed `--sort-by` expression.
#[derive(Debug, Clone)]
pub struct SortBy {
    template: JsonPathTemplate,
}

impl SortBy {
    /// Parses `{.metadata.name}` or the relaxed `.metadata.name` / `metadata.name` (kubectl's
    /// `RelaxedJSONPathExpression`); a bad expression is a usage error naming the flag.
    pub fn parse(expression: &str) -> Result<SortBy> {
        let invalid = |why: &str| {
            Error::usage(format!(
                "invalid argument {expression:?} for \"--sort-by\" flag: {why}"
            ))
        };
        let trimmed = expression.trim();
        if trimmed.is_empty() {
            return Err(invalid("empty JSONPath expression"));
        }
        let inner = match trimmed.strip_prefix('{') {
            Some(rest) => rest
                .strip_suffix('}')
                .ok_or_else(|| invalid("unclosed action"))?,
            None => trimmed,
        };
        let inner = inner.trim();
        if inner.is_empty() || inner.contains(['{', '}']) || inner.starts_with("range ") {
            return Err(invalid(
                "a single field path like '{.metadata.name}' is expected",
            ));
        }
        let path = if inner.starts_with(['.', '$', '@', '[']) {
            inner.to_string()
        } else {
            format!(".{inner}")
        };
        let template = JsonPathTemplate::parse(&format!("{{{path}}}")).map_err(|e| {
            invalid(
                e.to_string()
                    .rsplit_once(", ")
                    .map_or("invalid JSONPath", |(_, why)| why),
            )
        })?;
        Ok(SortBy { template })
    }

    /// The sort key of one item: the first value the path finds, if any.
    fn key(&self, item: &Value) -> Option<Value> {
        self.template.first_value(item).filter(|v| !v.is_null())
    }

    /// Sorts `items` in place (stable: equal keys keep the server's order).
    pub fn sort(&self, items: &mut Vec<Value>) {
        let mut keyed: Vec<(Option<Value>, Value)> = items
            .drain(..)
            .map(|item| (self.key(&item), item))
            .collect();
        keyed.sort_by(|(a, _), (b, _)| compare(a.as_ref(), b.as_ref()));
        items.extend(keyed.into_iter().map(|(_, item)| item));
    }
}

/// Missing < booleans < numbers < strings < anything else (compared as JSON text).
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(v: Option<&Value>) -> u8 {
        match v {
            None => 0,
            Some(Value::Bool(_)) => 1,
            Some(Value::Number(_)) => 2,
            Some(Value::String(_)) => 3,
            Some(_) => 4,
        }
    }
    match (a, b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.total_cmp(&y)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        (Some(x), Some(y)) if rank(a) == 4 && rank(b) == 4 => x.to_string().cmp(&y.to_string()),
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(items: &[Value]) -> Vec<&str> {
        items
            .iter()
            .map(|i| i["metadata"]["name"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn numbers_sort_numerically_and_missing_fields_first() {
        let mut items = vec![
            json!({"metadata": {"name": "ten", "generation": 10}}),
            json!({"metadata": {"name": "none"}}),
            json!({"metadata": {"name": "nine", "generation": 9}}),
        ];
        SortBy::parse("{.metadata.generation}")
            .unwrap()
            .sort(&mut items);
        assert_eq!(names(&items), ["none", "nine", "ten"]);
        SortBy::parse("metadata.name").unwrap().sort(&mut items);
        assert_eq!(names(&items), ["nine", "none", "ten"]);
    }

    #[test]
    fn bad_expressions_name_the_flag() {
        for bad in ["{.metadata.name", "", "{range .items}{end}"] {
            let err = SortBy::parse(bad).unwrap_err().to_string();
            assert!(err.contains("for \"--sort-by\" flag"), "{err}");
        }
        assert!(SortBy::parse(".metadata.labels.app\\.kubernetes\\.io/name").is_ok());
        assert!(SortBy::parse(".spec.containers[0].image").is_ok());
    }
}
