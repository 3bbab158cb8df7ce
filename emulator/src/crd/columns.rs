//! Table columns of custom resources: the CRD's `additionalPrinterColumns` and the cells the API
//! server computes for them (apiextensions-apiserver `tableconvertor`).
//!
//! The column paths are client-go JSONPath, wrapped in `{…}` and evaluated by the `kubetext`
//! crate exactly as the API server does (missing keys allowed, the first result of the first piece).

use serde_json::Value;

use super::manifest;

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
                .pointer("/metadata/name")
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
mod tests {
    use super::*;
    use serde_json::json;

    /// One step of a parsed path.
    #[derive(Debug, Clone, PartialEq)]
    enum Step {
        Field(String),
        Index(usize),
        /// `[?(@.PATH OP LITERAL)]`: keeps the list elements for which the comparison holds.
        Filter {
            path: Vec<String>,
            equal: bool,
            literal: Value,
        },
    }

    /// Reads the subset of paths the Knative CRDs use (fields, `['key']`, `[N]`, `[?(@.a=='b')]`),
    /// to build objects in which a column finds a value; `None` for anything else.
    fn parse(path: &str) -> Option<Vec<Step>> {
        let path = path.trim();
        let path = path
            .strip_prefix('{')
            .and_then(|p| p.strip_suffix('}'))
            .unwrap_or(path);
        let path = path.strip_prefix('$').unwrap_or(path);
        let chars: Vec<char> = path.chars().collect();
        let mut steps = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '.' => {
                    let (name, next) = field_name(&chars, i + 1);
                    if name.is_empty() {
                        return None;
                    }
                    steps.push(Step::Field(name));
                    i = next;
                }
                '[' => {
                    let close = bracket_end(&chars, i)?;
                    let inner: String = chars[i + 1..close].iter().collect();
                    steps.push(bracket(inner.trim())?);
                    i = close + 1;
                }
                _ => return None,
            }
        }
        Some(steps)
    }

    /// A field name up to the next unescaped `.` or `[`; client-go drops the backslashes.
    fn field_name(chars: &[char], mut i: usize) -> (String, usize) {
        let mut name = String::new();
        while i < chars.len() {
            match chars[i] {
                '\\' if i + 1 < chars.len() => {
                    name.push(chars[i + 1]);
                    i += 2;
                }
                '.' | '[' => break,
                c => {
                    name.push(c);
                    i += 1;
                }
            }
        }
        (name, i)
    }

    /// The index of the `]` closing the bracket at `open`, skipping quoted text.
    fn bracket_end(chars: &[char], open: usize) -> Option<usize> {
        let mut quote = None;
        for (i, &c) in chars.iter().enumerate().skip(open + 1) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, ']') => return Some(i),
                (None, _) => {}
            }
        }
        None
    }

    fn bracket(inner: &str) -> Option<Step> {
        if let Some(filter) = inner.strip_prefix("?(").and_then(|f| f.strip_suffix(')')) {
            return parse_filter(filter.trim());
        }
        if let Some(key) = inner.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')) {
            // client-go re-parses `['KEY']` as `.KEY`: escapes are dropped, but a plain dot splits.
            let fields = parse(&format!(".{key}"))?;
            return match fields.as_slice() {
                [Step::Field(_)] => fields.into_iter().next(),
                _ => None,
            };
        }
        inner.parse::<usize>().ok().map(Step::Index)
    }

    fn parse_filter(filter: &str) -> Option<Step> {
        let (left, right, equal) = if let Some((l, r)) = filter.split_once("==") {
            (l, r, true)
        } else {
            let (l, r) = filter.split_once("!=")?;
            (l, r, false)
        };
        let left = left.trim().strip_prefix('@')?;
        let path = parse(left)?
            .into_iter()
            .map(|s| match s {
                Step::Field(f) => Some(f),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        let right = right.trim();
        let literal = if let Some(s) = right
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .or_else(|| right.strip_prefix('"').and_then(|r| r.strip_suffix('"')))
        {
            Value::String(s.to_string())
        } else {
            serde_json::from_str::<Value>(right)
                .ok()
                .filter(|v| v.is_number() || v.is_boolean())?
        };
        Some(Step::Filter {
            path,
            equal,
            literal,
        })
    }

    fn col(type_: &str, path: &str) -> PrinterColumn {
        PrinterColumn::new("C", type_, "", "", 0, path)
    }

    #[test]
    fn cells_by_type() {
        let obj = json!({
            "metadata": {"name": "x", "creationTimestamp": "2026-01-02T03:04:05+01:00"},
            "spec": {"n": 3, "f": 2.0, "g": 0.5, "b": true, "m": {"b": 1, "a": "x"}, "l": [1, "a"], "bad": "yesterday", "empty": ""},
        });
        assert_eq!(col("string", ".metadata.name").cell(&obj), json!("x"));
        assert_eq!(col("string", ".spec.n").cell(&obj), json!("3"));
        assert_eq!(col("string", ".spec.g").cell(&obj), json!("0.5"));
        assert_eq!(col("string", ".spec.b").cell(&obj), json!("true"));
        assert_eq!(
            col("string", ".spec.m").cell(&obj),
            json!(r#"{"a":"x","b":1}"#)
        );
        assert_eq!(col("string", ".spec.l").cell(&obj), json!(r#"[1,"a"]"#));
        assert_eq!(col("string", ".spec.missing").cell(&obj), Value::Null);
        assert_eq!(col("integer", ".spec.n").cell(&obj), json!(3));
        assert_eq!(col("integer", ".spec.g").cell(&obj), json!(0));
        assert_eq!(col("integer", ".spec.b").cell(&obj), Value::Null);
        assert_eq!(col("number", ".spec.f").cell(&obj), json!(2));
        assert_eq!(col("number", ".spec.g").cell(&obj), json!(0.5));
        assert_eq!(col("boolean", ".spec.b").cell(&obj), json!(true));
        let now: jiff::Timestamp = "2026-01-02T02:09:17Z".parse().expect("now");
        assert_eq!(
            col("date", ".metadata.creationTimestamp").cell_at(&obj, now),
            json!("5m12s")
        );
        assert_eq!(
            col("date", ".spec.bad").cell_at(&obj, now),
            json!("<invalid>")
        );
        assert_eq!(
            col("date", ".spec.empty").cell_at(&obj, now),
            json!("<unknown>")
        );
        assert_eq!(col("date", ".spec.n").cell_at(&obj, now), Value::Null);
        assert_eq!(PrinterColumn::name().cell(&obj), json!("x"));
        assert_eq!(
            PrinterColumn::name().cell(&json!({"metadata": {}})),
            json!("")
        );
        // Filtering something that is not a list is an error in client-go: empty cell.
        assert_eq!(col("string", ".spec[?(@.a=='x')]").cell(&obj), Value::Null);
    }

    /// Builds an object in which `steps` reach `leaf`, with a decoy element before every
    /// filter match so that filters must really select.
    fn object_reaching(steps: &[Step], leaf: Value) -> Value {
        match steps.split_first() {
            None => leaf,
            Some((Step::Field(name), rest)) => {
                json!({ name.as_str(): object_reaching(rest, leaf) })
            }
            Some((Step::Index(i), rest)) => {
                let mut items = vec![json!("decoy"); *i];
                items.push(object_reaching(rest, leaf));
                Value::Array(items)
            }
            Some((
                Step::Filter {
                    path,
                    literal,
                    equal: true,
                },
                rest,
            )) => {
                let mut matching = object_reaching(rest, leaf);
                let mut decoy = json!({});
                for (target, value) in [
                    (&mut matching, literal.clone()),
                    (&mut decoy, json!("Other")),
                ] {
                    let mut at = target;
                    for (i, f) in path.iter().enumerate() {
                        let last = i + 1 == path.len();
                        at = at
                            .as_object_mut()
                            .expect("object")
                            .entry(f.clone())
                            .or_insert(if last { value.clone() } else { json!({}) });
                    }
                }
                json!([decoy, matching])
            }
            Some((Step::Filter { .. }, _)) => panic!("no CRD column uses !="),
        }
    }

    #[test]
    fn every_knative_column_finds_its_value() {
        let now: jiff::Timestamp = "2026-01-02T03:04:05Z".parse().expect("now");
        let mut checked = 0;
        for rt in crate::crd::CrdSet::knative().resource_types() {
            let v = crate::crd::CrdSet::knative()
                .version(&rt.group, &rt.version, &rt.plural)
                .expect("version");
            for c in &v.printer_columns {
                let steps = parse(&c.json_path).expect("a path of the Knative subset");
                let (leaf, expected) = match c.type_.as_str() {
                    "string" => (
                        json!(format!("value of {}", c.name)),
                        json!(format!("value of {}", c.name)),
                    ),
                    "integer" => (json!(7), json!(7)),
                    "date" => (json!("2026-01-02T02:59:05Z"), json!("5m")),
                    other => panic!("column type {other}"),
                };
                let object = object_reaching(&steps, leaf);
                assert_eq!(
                    c.cell_at(&object, now),
                    expected,
                    "{} {} {}",
                    rt.plural,
                    rt.version,
                    c.json_path
                );
                assert_eq!(
                    c.cell_at(&json!({}), now),
                    Value::Null,
                    "{} {}",
                    rt.plural,
                    c.json_path
                );
                checked += 1;
            }
        }
        // 132 declared columns plus the default Age column of ClusterDomainClaim.
        assert_eq!(checked, 133);
    }

    #[test]
    fn ksvc_columns_on_a_reconciled_service() {
        let v = crate::crd::CrdSet::knative()
            .version("serving.knative.dev", "v1", "services")
            .expect("ksvc");
        let svc = json!({
            "apiVersion": "serving.knative.dev/v1",
            "kind": "Service",
            "metadata": {"name": "hello", "namespace": "default", "creationTimestamp": "2026-01-02T03:04:05Z"},
            "status": {
                "url": "http://hello.default.svc.cluster.local",
                "latestCreatedRevisionName": "hello-00002",
                "latestReadyRevisionName": "hello-00001",
                "conditions": [
                    {"type": "ConfigurationsReady", "status": "False", "reason": "RevisionFailed"},
                    {"type": "Ready", "status": "False", "reason": "RevisionMissing", "message": "x"},
                    {"type": "RoutesReady", "status": "True"},
                ],
            },
        });
        let cells: Vec<Value> = v.table_columns().iter().map(|c| c.cell(&svc)).collect();
        assert_eq!(
            cells,
            [
                json!("hello"),
                json!("http://hello.default.svc.cluster.local"),
                json!("hello-00002"),
                json!("hello-00001"),
                json!("False"),
                json!("RevisionMissing"),
            ]
        );
        // Before the controller reports anything, only the name is known.
        let fresh = json!({"metadata": {"name": "hello"}, "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}});
        let cells: Vec<Value> = v.table_columns().iter().map(|c| c.cell(&fresh)).collect();
        assert_eq!(
            cells,
            [
                json!("hello"),
                Value::Null,
                Value::Null,
                Value::Null,
                json!("Unknown"),
                Value::Null
            ]
        );
    }
}
