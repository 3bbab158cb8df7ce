//! How Go prints decoded JSON values (`map[string]interface{}`, `[]interface{}`, `string`,
//! `int64`, `float64`, `bool`, `nil`): `fmt`'s `%v`, `%#v` and `%q`, and `encoding/json`'s
//! `Marshal` / `MarshalIndent`. kubectl and the API server decode JSON numbers to `int64` when the
//! number is integral and fits, to `float64` otherwise; the functions here print them the same way.

use std::fmt::Write as _;

use serde_json::{Number, Value};

/// A JSON number as kubectl holds it: `int64` when it fits, else `float64`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GoNumber {
    Int(i64),
    Float(f64),
}

impl GoNumber {
    pub fn of(n: &Number) -> GoNumber {
        match n.as_i64() {
            Some(i) => GoNumber::Int(i),
            None => GoNumber::Float(n.as_f64().unwrap_or(f64::NAN)),
        }
    }
}

/// Go's `strconv.Quote` (and so `%q`).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() || (c.is_whitespace() && c != ' ') => {
                if (c as u32) < 0x10000 {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                } else {
                    let _ = write!(out, "\\U{:08x}", c as u32);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Splits Rust's shortest `{:e}` form into mantissa and decimal exponent.
fn sci(f: f64) -> (String, i32) {
    let s = format!("{f:e}");
    match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse().unwrap_or(0)),
        None => (s, 0),
    }
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): shortest digits, exponent
/// form below 1e-4 and from 1e+06 on (`1e+06`, `1e-05`).
pub fn float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let (mantissa, exp) = sci(f);
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

/// `%v` of a JSON number as kubectl decodes it.
pub fn number(n: &Number) -> String {
    match GoNumber::of(n) {
        GoNumber::Int(i) => i.to_string(),
        GoNumber::Float(f) => float(f),
    }
}

/// `encoding/json`'s float64: plain decimal, exponent form below 1e-6 and from 1e21 on.
pub fn json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let (mantissa, exp) = sci(f);
        if exp < 0 {
            format!("{mantissa}e-{}", exp.abs())
        } else {
            format!("{mantissa}e+{exp:02}")
        }
    } else {
        format!("{f}")
    }
}

/// `encoding/json`'s number.
pub fn json_number(n: &Number) -> String {
    match GoNumber::of(n) {
        GoNumber::Int(i) => i.to_string(),
        GoNumber::Float(f) => json_float(f),
    }
}

/// `encoding/json`'s string, HTML-safe as `Marshal` writes it (`<`, `>`, `&`, U+2028, U+2029
/// escaped).
pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Map entries in Go's order (sorted keys).
fn sorted(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// `json.Marshal(v)`: compact.
pub fn json(v: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, v, None, 0);
    out
}

/// `json.MarshalIndent(v, "", indent)`.
pub fn json_indent(v: &Value, indent: &str) -> String {
    let mut out = String::new();
    write_json(&mut out, v, Some(indent), 0);
    out
}

fn newline(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(indent) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(indent);
        }
    }
}

fn write_json(out: &mut String, v: &Value, indent: Option<&str>, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&json_number(n)),
        Value::String(s) => json_string(out, s),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_json(out, item, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, item)) in sorted(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                json_string(out, k);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_json(out, item, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push('}');
        }
    }
}

/// `fmt`'s `%v`: `map[a:1 b:[x y]]`, `<nil>`, strings raw.
pub fn plain_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(plain_v).collect();
            format!("[{}]", inner.join(" "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = sorted(map)
                .into_iter()
                .map(|(k, v)| format!("{k}:{}", plain_v(v)))
                .collect();
            format!("map[{}]", inner.join(" "))
        }
    }
}

/// `fmt`'s `%#v` of an unstructured value (`map[string]interface {}{"a":1}`), keys sorted.
pub fn sharp_v(v: &Value) -> String {
    match v {
        Value::Null => "interface {}(nil)".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => quote(s),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(sharp_v).collect();
            format!("[]interface {{}}{{{}}}", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = sorted(map)
                .into_iter()
                .map(|(k, v)| format!("{}:{}", quote(k), sharp_v(v)))
                .collect();
            format!("map[string]interface {{}}{{{}}}", inner.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_like_fmt_v() {
        assert_eq!(float(0.5), "0.5");
        assert_eq!(float(2.0), "2");
        assert_eq!(float(123456.5), "123456.5");
        assert_eq!(float(1234567.5), "1.2345675e+06");
        assert_eq!(float(0.00001), "1e-05");
        assert_eq!(float(0.0001), "0.0001");
        assert_eq!(float(1e22), "1e+22");
    }

    #[test]
    fn json_like_encoding_json() {
        assert_eq!(json_float(1.0), "1");
        assert_eq!(json_float(1e21), "1e+21");
        assert_eq!(json_float(1.5e-7), "1.5e-7");
        assert_eq!(json_float(0.000001), "0.000001");
        assert_eq!(json_float(1e20), "100000000000000000000");
        assert_eq!(
            json(&json!({"b": [1, 2.5, null, true], "a": "<&>\u{1}\n"})),
            r#"{"a":"\u003c\u0026\u003e\u0001\n","b":[1,2.5,null,true]}"#
        );
        assert_eq!(
            json_indent(&json!({"a": [1, {}], "b": []}), "    "),
            "{\n    \"a\": [\n        1,\n        {}\n    ],\n    \"b\": []\n}"
        );
    }

    #[test]
    fn fmt_verbs() {
        let v = json!({"name": "A", "value": 1, "l": [true, null], "m": {}});
        assert_eq!(plain_v(&v), "map[l:[true <nil>] m:map[] name:A value:1]");
        assert_eq!(
            sharp_v(&v),
            r#"map[string]interface {}{"l":[]interface {}{true, interface {}(nil)}, "m":map[string]interface {}{}, "name":"A", "value":1}"#
        );
        assert_eq!(quote("a\"b\\c\n\u{1}é"), r#""a\"b\\c\n\x01é""#);
    }
}
