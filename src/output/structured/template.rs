//! `-o go-template=…`: Go's text/template over one object, with kubectl's `base64decode`.

use serde_json::Value;

use crate::error::{Error, Result};

pub(super) fn go_template(text: &str, object: &Value, allow_missing: bool) -> Result<String> {
    let missing = if allow_missing {
        gotmpl::MissingKey::Invalid
    } else {
        gotmpl::MissingKey::Error
    };
    let data = gotmpl::to_value(object).map_err(|e| Error::failed(e.to_string()))?;
    gotmpl::Template::new("output")
        .missing_key(missing)
        .func("printf", crate::output::gotemplate::printf)
        .func("exists", |args| {
            // kubectl's `exists`: does the path of keys/indices exist in the first argument?
            let mut current = args.first().cloned().unwrap_or(gotmpl::Value::Nil);
            for key in args.iter().skip(1) {
                let next = match (&current, key) {
                    (gotmpl::Value::Map(m), gotmpl::Value::String(k)) => m.get(k.as_ref()).cloned(),
                    (gotmpl::Value::List(l), k) => {
                        k.as_int().and_then(|i| l.get(i as usize).cloned())
                    }
                    _ => None,
                };
                match next {
                    Some(v) => current = v,
                    None => return Ok(gotmpl::Value::Bool(false)),
                }
            }
            Ok(gotmpl::Value::Bool(true))
        })
        .func("base64decode", |args| {
            let text = args.first().map(|v| v.to_string()).unwrap_or_default();
            decode_base64(&text)
                .map(|s| gotmpl::Value::String(s.into()))
                .ok_or_else(|| {
                    gotmpl::TemplateError::Exec(format!("base64decode: invalid input {text:?}"))
                })
        })
        .parse(text)
        .and_then(|t| t.execute_to_string(&data))
        .map_err(|e| Error::failed(format!("error executing template {text:?}: {e}")))
}

pub(super) fn decode_base64(text: &str) -> Option<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Go's text/template names a parse error's line only (`template: output:1: unclosed action`);
/// gotmpl adds the column (`output:1:17:`), which is dropped.
pub(super) fn go_parse_error(message: &str) -> String {
    const NAME: &str = "template: output:";
    let Some(rest) = message.strip_prefix(NAME) else {
        return message.to_string();
    };
    let line_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (line, after) = rest.split_at(line_end);
    if let Some(col) = after.strip_prefix(':') {
        let col_end = col.find(|c: char| !c.is_ascii_digit()).unwrap_or(col.len());
        if col_end > 0 && col[col_end..].starts_with(':') {
            return format!("{NAME}{line}{}", &col[col_end..]);
        }
    }
    message.to_string()
}
