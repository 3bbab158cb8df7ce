//! Table columns of custom resources: the CRD's `additionalPrinterColumns` and the cells the API
//! server computes for them (apiextensions-apiserver `tableconvertor`).
//!
//! The column paths are client-go JSONPath, wrapped in `{…}` and evaluated by the `kubetext`
//! crate exactly as the API server does (missing keys allowed, the first result of the first piece).

use serde_json::Value;

use super::manifest;

use crate::json::At;

const NAME_DESCRIPTION: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const CREATION_TIMESTAMP_DESCRIPTION: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/// One column of a Table response.
#[derive(Debug, Clone, PartialEq)]
pub struct PrinterColumn {
    pub name: String,
    /// `string`, `integer`, `number`, `boolean` or `date`.
    pub type_: String,
    pub format: String,
    pub description: String,
    pub priority: i64,
    /// As the CRD declares it, e.g. `.status.conditions[?(@.type=='Ready')].status`.
    pub json_path: String,
    /// The parsed `{path}`; `None` when it does not parse (every cell is then null).
    path: Option<kubetext::jsonpath::JsonPath>,
    /// The implicit `Name` column, whose cell is the object's name even when it is empty.
    is_name: bool,
}

impl PrinterColumn {
    pub fn new(
        name: &str,
        type_: &str,
        format: &str,
        description: &str,
        priority: i64,
        json_path: &str,
    ) -> Self {
        PrinterColumn {
            name: name.to_string(),
            type_: type_.to_string(),
            format: format.to_string(),
            description: description.to_string(),
            priority,
            json_path: json_path.to_string(),
            path: kubetext::jsonpath::JsonPath::parse(&format!("{{{json_path}}}")).ok(),
            is_name: false,
        }
    }

    /// The `Name` column every custom-resource Table starts with.
    pub fn name() -> Self {
        let column = Self::new(
            "Name",
            "string",
            "name",
            NAME_DESCRIPTION,
            0,
            ".metadata.name",
        );
        PrinterColumn {
            is_name: true,
            ..column
        }
    }

    /// The column served for a CRD version that declares no printer columns.
    pub fn age() -> Self {
        Self::new(
            "Age",
            "date",
            "",
            CREATION_TIMESTAMP_DESCRIPTION,
            0,
            ".metadata.creationTimestamp",
        )
    }

    /// Whether the JSONPath parses (the API server rejects a CRD whose column path does not).
    pub fn is_supported(&self) -> bool {
        self.path.is_some()
    }

    /// The `columnDefinitions[]` entry of a Table.
    pub fn definition(&self) -> Value {
        serde_json::json!({
            "name": self.name,
            "type": self.type_,
            "format": self.format,
            "description": self.description,
            "priority": self.priority,
        })
    }

    /// The cell the API server puts in a Table row for `object`, computed now.
    pub fn cell(&self, object: &Value) -> Value {
        self.cell_at(object, jiff::Timestamp::now())
    }

    /// The cell for `object` as of `now`: null when the path finds nothing or fails; for `string`
    /// columns the first match as client-go prints it (maps and lists as JSON, a null as
    /// `<no value>`); `integer`, `number` and `boolean`
    /// columns keep the JSON value when it has that type; a `date` column shows the time elapsed
    /// since the timestamp as apimachinery's `HumanDuration` (`5m12s`), `<unknown>` for an empty
    /// one and `<invalid>` when it does not parse.
    pub fn cell_at(&self, object: &Value, now: jiff::Timestamp) -> Value {
        if self.is_name {
            let name = object
                .at("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            return Value::String(name.to_string());
        }
        let Some(path) = &self.path else {
            return Value::Null;
        };
        let Ok(results) = path.find_results(object) else {
            return Value::Null;
        };
        let Some(first) = results.first().and_then(|r| r.first()) else {
            return Value::Null;
        };
        let Some(value) = first.value().filter(|v| !v.is_null()) else {
            // `reflect.ValueOf(nil)`: client-go prints it as `<no value>`; other types are null.
            return if self.type_ == "string" {
                Value::String("<no value>".to_string())
            } else {
                Value::Null
            };
        };
        match self.type_.as_str() {
            "string" => Value::String(kubetext::jsonpath::text(first)),
            "integer" => match value {
                Value::Number(n) => n
                    .as_i64()
                    .or_else(|| n.as_f64().map(|f| f as i64))
                    .map_or(Value::Null, Value::from),
                _ => Value::Null,
            },
            "number" => match value {
                Value::Number(n) if n.is_i64() || n.is_u64() => Value::Number(n.clone()),
                // Go's encoding/json writes an integral float64 without a fraction.
                Value::Number(n) => n.as_f64().map_or(Value::Null, |f| {
                    if f.fract() == 0.0 && f.abs() < 1e15 {
                        Value::from(f as i64)
                    } else {
                        Value::from(f)
                    }
                }),
                _ => Value::Null,
            },
            "boolean" => match value {
                Value::Bool(b) => Value::Bool(*b),
                _ => Value::Null,
            },
            "date" => match value {
                Value::String(s) if s.is_empty() || s == "null" => {
                    Value::String("<unknown>".to_string())
                }
                Value::String(s) => match s.parse::<jiff::Timestamp>() {
                    Ok(ts) => Value::String(kubetext::age::human_duration(
                        now.duration_since(ts).as_secs(),
                    )),
                    Err(_) => Value::String("<invalid>".to_string()),
                },
                _ => Value::Null,
            },
            _ => Value::Null,
        }
    }
}

impl From<manifest::Column> for PrinterColumn {
    /// A CRD column; without a description the API server describes it by its path.
    fn from(c: manifest::Column) -> Self {
        let description = if c.description.is_empty() {
            format!(
                "Custom resource definition column (in JSONPath format): {}",
                c.json_path
            )
        } else {
            c.description
        };
        PrinterColumn::new(
            &c.name,
            &c.type_,
            &c.format,
            &description,
            c.priority,
            &c.json_path,
        )
    }
}

#[cfg(test)]
#[path = "columns_tests.rs"]
mod tests;
