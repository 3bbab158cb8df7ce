//! Table columns of custom resources: the CRD's `additionalPrinterColumns` and the cells the API
//! server computes for them (apiextensions-apiserver `tableconvertor`).
//!
//! The column paths are kubectl-dialect JSONPath (client-go `util/jsonpath`): backslash-escaped
//! dots inside field names (`.metadata.annotations.eventing\.knative\.dev/broker\.class`) and
//! `['key']` members, which RFC 9535 crates such as jsonpath-rust do not read, so this module
//! evaluates the small subset the Knative CRDs use (fields, `['key']`, `[N]`, `[?(@.a=='b')]`).

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
    /// The parsed path; `None` when it is outside the supported subset (every cell is then null).
    path: Option<Vec<Step>>,
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
            path: parse(json_path),
        }
    }

    /// The `Name` column every custom-resource Table starts with.
    pub fn name() -> Self {
        Self::new(
            "Name",
            "string",
            "name",
            NAME_DESCRIPTION,
            0,
            ".metadata.name",
        )
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

    /// Whether the JSONPath is in the subset this module evaluates.
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

    /// The cell the API server puts in a Table row for `object`: null when the path finds
    /// nothing; for `string` columns the text of the first match (maps and lists as JSON);
    /// for `date` columns the RFC 3339 UTC timestamp (`<invalid>` when it does not parse).
    pub fn cell(&self, object: &Value) -> Value {
        let Some(path) = &self.path else {
            return Value::Null;
        };
        let Some(found) = evaluate(path, object) else {
            return Value::Null;
        };
        let Some(value) = found.first() else {
            return Value::Null;
        };
        match self.type_.as_str() {
            "string" => text(value).map_or(Value::Null, Value::String),
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
                Value::String(s) if s.is_empty() || s == "null" => Value::Null,
                Value::String(s) => match s.parse::<jiff::Timestamp>() {
                    Ok(ts) => Value::String(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
                    Err(_) => Value::String("<invalid>".to_string()),
                },
                _ => Value::Null,
            },
            _ => Value::Null,
        }
    }
}

impl From<manifest::Column> for PrinterColumn {
    fn from(c: manifest::Column) -> Self {
        PrinterColumn::new(
            &c.name,
            &c.type_,
            &c.format,
            &c.description,
            c.priority,
            &c.json_path,
        )
    }
}

/// How client-go's jsonpath prints one value: strings raw, maps and lists as JSON, numbers and
/// booleans as Go's `%v`; null has no text.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if !(n.is_i64() || n.is_u64()) => go_float(f),
            _ => n.to_string(),
        }),
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
    }
}

/// Go's `%v` for a float64 (`strconv` `'g'`, shortest): exponent form below 1e-4 and from 1e6 on.
fn go_float(f: f64) -> String {
    let sci = format!("{f:e}");
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return sci;
    };
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..6).contains(&exp) {
        format!("{f}")
    } else {
        format!(
            "{mantissa}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

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

/// Parses the kubectl-dialect subset; `None` for anything else.
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

/// All values the path reaches, in document order; `None` where client-go reports an error
/// (filtering a non-list, comparing values of different types), which leaves the cell empty.
fn evaluate<'a>(steps: &[Step], root: &'a Value) -> Option<Vec<&'a Value>> {
    let mut current = vec![root];
    for step in steps {
        let mut next = Vec::new();
        for value in current {
            match step {
                Step::Field(name) => {
                    if let Some(v) = value.as_object().and_then(|m| m.get(name)) {
                        next.push(v);
                    }
                }
                Step::Index(i) => {
                    if let Some(v) = value.as_array().and_then(|a| a.get(*i)) {
                        next.push(v);
                    }
                }
                Step::Filter {
                    path,
                    equal,
                    literal,
                } => {
                    let items = value.as_array()?;
                    for item in items {
                        let mut left = Some(item);
                        for f in path {
                            left = left.and_then(|v| v.as_object()).and_then(|m| m.get(f));
                        }
                        let Some(left) = left else { continue };
                        if compare(left, literal)? == *equal {
                            next.push(item);
                        }
                    }
                }
            }
        }
        current = next;
    }
    Some(current)
}

fn compare(left: &Value, right: &Value) -> Option<bool> {
    match (left, right) {
        (Value::String(a), Value::String(b)) => Some(a == b),
        (Value::Bool(a), Value::Bool(b)) => Some(a == b),
        (Value::Number(a), Value::Number(b)) => Some(a.as_f64() == b.as_f64()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn col(type_: &str, path: &str) -> PrinterColumn {
        PrinterColumn::new("C", type_, "", "", 0, path)
    }

    #[test]
    fn parses_the_kubectl_dialect() {
        assert_eq!(
            parse(r".metadata.annotations.eventing\.knative\.dev/broker\.class"),
            Some(vec![
                Step::Field("metadata".into()),
                Step::Field("annotations".into()),
                Step::Field("eventing.knative.dev/broker.class".into()),
            ])
        );
        assert_eq!(
            parse(r".metadata.labels['serving\.knative\.dev/configuration']"),
            Some(vec![
                Step::Field("metadata".into()),
                Step::Field("labels".into()),
                Step::Field("serving.knative.dev/configuration".into()),
            ])
        );
        assert_eq!(
            parse(r#".status.conditions[?(@.type=="Ready")].status"#),
            Some(vec![
                Step::Field("status".into()),
                Step::Field("conditions".into()),
                Step::Filter {
                    path: vec!["type".into()],
                    equal: true,
                    literal: json!("Ready")
                },
                Step::Field("status".into()),
            ])
        );
        assert_eq!(
            parse(".spec.items[2]"),
            Some(vec![
                Step::Field("spec".into()),
                Step::Field("items".into()),
                Step::Index(2)
            ])
        );
        assert_eq!(parse(".spec..x"), None);
        assert_eq!(parse(".a[?(@.b>1)]"), None);
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
        assert_eq!(
            col("date", ".metadata.creationTimestamp").cell(&obj),
            json!("2026-01-02T02:04:05Z")
        );
        assert_eq!(col("date", ".spec.bad").cell(&obj), json!("<invalid>"));
        assert_eq!(col("date", ".spec.empty").cell(&obj), Value::Null);
        // Filtering something that is not a list is an error in client-go: empty cell.
        assert_eq!(col("string", ".spec[?(@.a=='x')]").cell(&obj), Value::Null);
    }

    #[test]
    fn go_float_formatting() {
        assert_eq!(go_float(0.5), "0.5");
        assert_eq!(go_float(123456.5), "123456.5");
        assert_eq!(go_float(1234567.5), "1.2345675e+06");
        assert_eq!(go_float(0.00001), "1e-05");
        assert_eq!(go_float(1e22), "1e+22");
    }
}
