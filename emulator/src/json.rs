//! JSON Pointer lookups that allocate nothing: serde_json's `Value::pointer` builds two strings
//! per token, and the controllers and admission look up pointers on every write.

use serde_json::Value;

/// `Value::pointer` (RFC 6901), without its allocations for tokens that need no unescaping.
pub trait At {
    /// The value at `pointer`: the whole value for `""`, nothing for a pointer that does not
    /// start with `/` or names no value.
    fn at(&self, pointer: &str) -> Option<&Value>;
}

impl At for Value {
    fn at(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |target, token| {
            if token.contains('~') {
                step(target, &token.replace("~1", "/").replace("~0", "~"))
            } else {
                step(target, token)
            }
        })
    }
}

fn step<'a>(target: &'a Value, token: &str) -> Option<&'a Value> {
    match target {
        Value::Object(map) => map.get(token),
        Value::Array(list) => index(token).and_then(|i| list.get(i)),
        _ => None,
    }
}

/// An array index as RFC 6901 spells it: digits, no sign, no leading zero.
fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every lookup agrees with serde_json's own `pointer`.
    #[test]
    fn agrees_with_serde_json() {
        let doc = json!({
            "a": {"b": [10, {"c": "d"}], "": 1, "x/y": 2, "m~n": 3, "~1": 4},
            "0": "zero",
            "list": [[1, 2], [3]],
            "s": "text",
        });
        for p in [
            "",
            "/",
            "/a",
            "/a/b",
            "/a/b/0",
            "/a/b/1/c",
            "/a/b/2",
            "/a/b/01",
            "/a/b/+1",
            "/a/b/-1",
            "/a/b/-",
            "/a/",
            "/a/x~1y",
            "/a/m~0n",
            "/a/~01",
            "/a/~1",
            "/0",
            "/list/0/1",
            "/list/1/0",
            "/list/1/1",
            "/s/0",
            "/missing",
            "a",
            "#/a",
            "/a/b/1/c/d",
            "/a/b/18446744073709551616",
        ] {
            assert_eq!(doc.at(p), doc.pointer(p), "pointer {p:?}");
        }
    }
}
