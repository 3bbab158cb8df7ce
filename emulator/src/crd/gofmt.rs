//! How Go's `fmt` prints JSON values, for messages that must match the API server byte for byte
//! (`%q` strings, `%v` numbers, `%#v` maps and slices of unstructured objects).

use serde_json::Value;

/// Go's `strconv.Quote`.
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
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() || (c.is_whitespace() && c != ' ') => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%v` for a float64 (`strconv` `'g'`, shortest digits): exponent form below 1e-4 and
/// from 1e6 on (`1e+06`).
pub fn float(f: f64) -> String {
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

/// A JSON number as Go prints the `int64` or `float64` it decodes to.
pub fn number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        n.to_string()
    } else {
        n.as_f64().map_or_else(|| n.to_string(), float)
    }
}

/// A bad value as `field.Error.ErrorBody` prints it: `null` and strings quoted, numbers and
/// booleans plain, maps and lists with `%#v`.
pub fn bad_value(v: &Value) -> String {
    match v {
        Value::Null => quote("null"),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => quote(s),
        Value::Array(_) | Value::Object(_) => sharp_v(v),
    }
}

/// Go's `%#v` of an unstructured value (`map[string]interface {}`, `[]interface {}`), map keys sorted.
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
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> = entries
                .iter()
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
    fn quotes_like_strconv() {
        assert_eq!(quote("a\"b\\c\n\u{1}é"), r#""a\"b\\c\n\x01é""#);
    }

    #[test]
    fn floats_like_fmt_v() {
        assert_eq!(float(0.5), "0.5");
        assert_eq!(float(2.0), "2");
        assert_eq!(float(123456.5), "123456.5");
        assert_eq!(float(1234567.5), "1.2345675e+06");
        assert_eq!(float(0.00001), "1e-05");
        assert_eq!(float(1e22), "1e+22");
    }

    #[test]
    fn values_like_error_body() {
        assert_eq!(bad_value(&json!(null)), r#""null""#);
        assert_eq!(bad_value(&json!(5)), "5");
        assert_eq!(bad_value(&json!("x")), r#""x""#);
        assert_eq!(
            bad_value(&json!({"name": "A", "value": 1, "l": [true, null], "m": {}})),
            r#"map[string]interface {}{"l":[]interface {}{true, interface {}(nil)}, "m":map[string]interface {}{}, "name":"A", "value":1}"#
        );
    }
}
