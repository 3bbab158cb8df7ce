//! client-go's JSONPath template language (`k8s.io/client-go/util/jsonpath`), as kubectl's
//! `-o jsonpath=…`, `--sort-by` and the API server's CRD printer columns use it: the same parser
//! (with its quirks: `[a,b]` unions, `['k']` keys re-parsed as `.k`, `range`/`end` as identifiers,
//! quoted literals with Go escapes), the same evaluation (maps are read in sorted key order where
//! Go's order is random), the same printing and the same error messages.

use serde_json::Value;

use crate::gofmt;

mod eval;
mod gostr;
mod parse;
#[cfg(test)]
mod tests;

use self::eval::*;
use self::gostr::*;
use self::parse::*;

/// A template that failed to parse; the text is client-go's (`unclosed action`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// A template that failed on some data; the text is client-go's (`x is not found`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecError(pub String);

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExecError {}

/// One `[start:end:step]` bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    List(Vec<Node>),
    Field(String),
    Identifier(String),
    Array([Param; 3]),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        op: String,
    },
    Int(i64),
    Float(f64),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Bool(bool),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    root: Vec<Node>,
    allow_missing_keys: bool,
}

/// One value in flight: a node of the data, or a value the template made (literals, the bytes
/// of a string walked by `*` or `..`), typed as Go types it.
#[derive(Debug, Clone)]
enum Item<'a> {
    Json(&'a Value),
    /// `reflect.ValueOf(nil)`: a range over nothing, or over a null element.
    Invalid,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Byte(u8),
}

/// A result: a node of the data or a value the template made.
#[derive(Debug, Clone, PartialEq)]
pub enum Output<'a> {
    Borrowed(&'a Value),
    Owned(Value),
    /// Go's invalid value (printed `<no value>`).
    Invalid,
}

impl Output<'_> {
    /// The value, `None` for Go's invalid value.
    pub fn value(&self) -> Option<&Value> {
        match self {
            Output::Borrowed(v) => Some(v),
            Output::Owned(v) => Some(v),
            Output::Invalid => None,
        }
    }
}

impl<'a> Item<'a> {
    fn into_output(self) -> Output<'a> {
        match self {
            Item::Json(v) => Output::Borrowed(v),
            Item::Invalid => Output::Invalid,
            Item::Str(s) => Output::Owned(Value::String(s)),
            Item::Int(i) => Output::Owned(Value::from(i)),
            Item::Float(f) => {
                Output::Owned(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number))
            }
            Item::Bool(b) => Output::Owned(Value::Bool(b)),
            Item::Byte(b) => Output::Owned(Value::from(b)),
        }
    }

    /// `template.Indirect`: a JSON null is a nil interface.
    fn is_nil(&self) -> bool {
        matches!(self, Item::Json(Value::Null))
    }

    /// Go's `value.Type()` after indirection, for messages.
    fn type_name(&self) -> &'static str {
        match self {
            Item::Json(Value::Null) => "interface {}",
            Item::Json(Value::Bool(_)) | Item::Bool(_) => "bool",
            Item::Json(Value::Number(n)) => match gofmt::GoNumber::of(n) {
                gofmt::GoNumber::Int(_) => "int64",
                gofmt::GoNumber::Float(_) => "float64",
            },
            Item::Json(Value::String(_)) | Item::Str(_) => "string",
            Item::Json(Value::Array(_)) => "[]interface {}",
            Item::Json(Value::Object(_)) => "map[string]interface {}",
            Item::Invalid => "<invalid reflect.Value>",
            Item::Int(_) => "int",
            Item::Float(_) => "float64",
            Item::Byte(_) => "uint8",
        }
    }

    /// Go's `%v` of the value.
    fn plain_v(&self) -> String {
        match self {
            Item::Json(v) => gofmt::plain_v(v),
            Item::Invalid => "<invalid reflect.Value>".to_string(),
            Item::Str(s) => s.clone(),
            Item::Int(i) => i.to_string(),
            Item::Float(f) => gofmt::float(*f),
            Item::Bool(b) => b.to_string(),
            Item::Byte(b) => b.to_string(),
        }
    }

    /// The children `*` and `..` walk: map values (sorted keys), list elements, string bytes.
    fn children(&self) -> Vec<Item<'a>> {
        match self {
            Item::Json(Value::Object(m)) => {
                let mut entries: Vec<_> = m.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                entries.into_iter().map(|(_, v)| Item::Json(v)).collect()
            }
            Item::Json(Value::Array(a)) => a.iter().map(Item::Json).collect(),
            Item::Json(Value::String(s)) => s.bytes().map(Item::Byte).collect(),
            Item::Str(s) => s.bytes().map(Item::Byte).collect(),
            _ => Vec::new(),
        }
    }
}

/// The range bookkeeping of one execution.
#[derive(Default)]
struct State {
    begin_range: usize,
    in_range: usize,
    end_range: usize,
    last_end: Option<usize>,
    allow_missing_keys: bool,
}

impl JsonPath {
    /// Parses a template (`{.items[*].metadata.name}`, text and actions mixed). Missing keys are
    /// allowed, as in kubectl's default.
    pub fn parse(text: &str) -> Result<JsonPath, ParseError> {
        Ok(JsonPath {
            root: Parser::parse(text)?,
            allow_missing_keys: true,
        })
    }

    /// Whether a field that is not found is an error (`false`) or no result (`true`).
    pub fn allow_missing_keys(mut self, allow: bool) -> JsonPath {
        self.allow_missing_keys = allow;
        self
    }

    /// The results of each top-level piece of the template (text and actions; the body of a
    /// `range` once per element), as client-go's `FindResults`.
    pub fn find_results<'a>(&self, data: &'a Value) -> Result<Vec<Vec<Output<'a>>>, ExecError> {
        let mut state = State {
            allow_missing_keys: self.allow_missing_keys,
            ..State::default()
        };
        let groups = find_results(&self.root, &mut state, 0, Item::Json(data))?;
        Ok(groups
            .into_iter()
            .map(|g| g.into_iter().map(Item::into_output).collect())
            .collect())
    }

    /// The text kubectl prints for `-o jsonpath=…`.
    pub fn execute(&self, data: &Value) -> Result<String, ExecError> {
        let mut out = String::new();
        for group in self.find_results(data)? {
            print_results(&mut out, &group);
        }
        Ok(out)
    }

    /// The text kubectl prints for `-o jsonpath-as-json=…`: each piece's results as an indented
    /// JSON array.
    pub fn execute_json(&self, data: &Value) -> Result<String, ExecError> {
        let mut out = String::new();
        for group in self.find_results(data)? {
            let array = Value::Array(
                group
                    .iter()
                    .map(|o| o.value().cloned().unwrap_or(Value::Null))
                    .collect(),
            );
            out.push_str(&gofmt::json_indent(&array, "    "));
            out.push('\n');
        }
        Ok(out)
    }
}

/// Prints one piece's results as `PrintResults` does: space-separated, strings raw, maps and
/// lists as compact JSON, other values as Go's `fmt` prints them.
pub fn print_results(out: &mut String, results: &[Output<'_>]) {
    for (i, r) in results.iter().enumerate() {
        out.push_str(&text(r));
        if i + 1 != results.len() {
            out.push(' ');
        }
    }
}

/// One result as `PrintResults` prints it.
pub fn text(result: &Output<'_>) -> String {
    match result.value() {
        None => "<no value>".to_string(),
        Some(v @ (Value::Object(_) | Value::Array(_))) => gofmt::json(v),
        Some(Value::Null) => "null".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => gofmt::number(n),
    }
}
