//! How Go's `fmt` prints JSON values, for messages that must match the API server byte for byte
//! (`%q` strings, `%v` numbers, `%#v` maps and slices of unstructured objects); the verbs
//! themselves are `kubetext`'s, shared with the CLI.

use serde_json::Value;

pub use kubetext::gofmt::{float, number, quote, sharp_v};

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
