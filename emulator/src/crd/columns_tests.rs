//! Unit tests of the printer columns: path parsing and cell values.

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
