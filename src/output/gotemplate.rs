//! Where the gotmpl crate is more lenient than Go's `text/template`, which kubectl uses: a stray
//! `{{end}}` or an unclosed `{{if}}`/`{{range}}` must not parse, and `printf` knows `%T`.

use gotmpl::Value;

/// Go's parse errors for unbalanced blocks: `unexpected {{end}}` and `unexpected EOF`.
pub fn check_blocks(text: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let mut action = &rest[start + 2..];
        // Go's trim marker is a dash and white space; `{{-3}}` is a number.
        if let Some(trimmed) = action.strip_prefix('-')
            && trimmed.starts_with(char::is_whitespace)
        {
            action = trimmed;
        }
        let action = action.trim_start();
        if let Some(comment) = action.strip_prefix("/*") {
            let Some(end) = comment.find("*/") else {
                return Err("unclosed comment".into());
            };
            rest = &comment[end + 2..];
            continue;
        }
        let Some(len) = action_len(action) else {
            return Err("unclosed action".into());
        };
        let word: String = action[..len]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        match word.as_str() {
            "if" | "range" | "with" | "define" | "block" => depth += 1,
            "end" if depth == 0 => return Err("unexpected {{end}}".into()),
            "end" => depth -= 1,
            _ => {}
        }
        rest = &action[len..];
    }
    if depth > 0 {
        return Err("unexpected EOF".into());
    }
    Ok(())
}

/// The length of an action's text up to its closing `}}`, skipping quoted strings.
fn action_len(action: &str) -> Option<usize> {
    let bytes = action.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    i += 1;
                }
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Go's `%T` name of a value decoded from JSON as kubectl decodes it.
fn go_type(value: &Value) -> &'static str {
    match value {
        Value::Nil => "<nil>",
        Value::Bool(_) => "bool",
        // kubectl's unstructured decoding makes every JSON integer that fits an int64 (serde
        // hands gotmpl the positive ones as unsigned).
        Value::Int(_) => "int64",
        Value::Uint(u) if *u <= i64::MAX as u64 => "int64",
        Value::Uint(_) => "float64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        _ => "func",
    }
}

/// `printf` with `%T`: each `%T` verb becomes `%s` of its argument's Go type name, then gotmpl's
/// own `printf` (in a template of its own) formats the rest.
pub fn printf(args: &[Value]) -> gotmpl::Result<Value> {
    let mut args = args.to_vec();
    if let Some(Value::String(format)) = args.first().cloned()
        && format.contains("%T")
        && !format.contains('[')
        && !format.contains('*')
    {
        let mut out = String::with_capacity(format.len());
        let mut chars = format.chars().peekable();
        let mut arg = 1;
        while let Some(c) = chars.next() {
            out.push(c);
            if c != '%' {
                continue;
            }
            if chars.peek() == Some(&'%') {
                out.push(chars.next().unwrap_or('%'));
                continue;
            }
            while let Some(&next) = chars.peek() {
                chars.next();
                if next.is_ascii_alphabetic() {
                    if next == 'T' {
                        out.push('s');
                        if let Some(value) = args.get(arg) {
                            args[arg] = Value::String(go_type(value).into());
                        }
                    } else {
                        out.push(next);
                    }
                    arg += 1;
                    break;
                }
                out.push(next);
            }
        }
        args[0] = Value::String(out.into());
    }
    let call: String = (0..args.len().saturating_sub(1))
        .map(|i| format!(" (index .a {i})"))
        .collect();
    let template = gotmpl::Template::new("printf").parse(&format!("{{{{printf .f{call}}}}}"))?;
    let mut data = std::collections::BTreeMap::new();
    data.insert(
        std::sync::Arc::<str>::from("f"),
        args.first().cloned().unwrap_or(Value::Nil),
    );
    data.insert(
        std::sync::Arc::<str>::from("a"),
        Value::List(args.iter().skip(1).cloned().collect()),
    );
    let text = template.execute_to_string(&Value::Map(std::sync::Arc::new(data)))?;
    Ok(Value::String(text.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unbalanced_blocks_do_not_parse() {
        assert_eq!(check_blocks("{{end}}"), Err("unexpected {{end}}".into()));
        assert_eq!(check_blocks("x{{end}}y"), Err("unexpected {{end}}".into()));
        assert_eq!(check_blocks("{{range .x}}"), Err("unexpected EOF".into()));
        assert_eq!(
            check_blocks("{{if .kind}}yes"),
            Err("unexpected EOF".into())
        );
        assert_eq!(
            check_blocks("{{if .a}}{{else if .b}}{{end}}{{\"}}{{end}}\"}}"),
            Ok(())
        );
        assert_eq!(
            check_blocks("{{/* {{end}} */}}{{- range .x -}}{{.}}{{- end -}}"),
            Ok(())
        );
        assert_eq!(check_blocks("{{-\tif .a}}{{-\nend}}{{-3}}"), Ok(()));
    }

    #[test]
    fn printf_names_go_types() {
        let out = printf(&[
            Value::String("%T %T %5.1f %% %T %s".into()),
            Value::Int(3),
            Value::Bool(true),
            Value::Float(2.5),
            Value::Nil,
            Value::String("x".into()),
        ])
        .unwrap();
        assert_eq!(out, Value::String("int64 bool   2.5 % <nil> x".into()));
        let plain = printf(&[
            Value::String("%d-%s".into()),
            Value::Int(1),
            Value::String("a".into()),
        ]);
        assert_eq!(plain.unwrap(), Value::String("1-a".into()));
    }
}
