//! Go's `encoding/json` errors ("invalid character 'n' looking for beginning of object key
//! string", "unexpected end of JSON input", "cannot unmarshal array into …"), so malformed request
//! bodies and JSON-valued fields (PingSource data, Trigger annotations) get the API server's and
//! the webhooks' words. One scanner that fails where Go's scanner fails.

/// The name `encoding/json` gives a JSON value's type in "cannot unmarshal X into …" errors.
pub fn go_type(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
        Value::Object(_) => "object",
    }
}

/// Go's `quoteChar`: a byte as a single-quoted Go character literal.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        b'\n' => "'\\n'".into(),
        b'\r' => "'\\r'".into(),
        b'\t' => "'\\t'".into(),
        0x07 => "'\\a'".into(),
        0x08 => "'\\b'".into(),
        0x0c => "'\\f'".into(),
        0x0b => "'\\v'".into(),
        b'\\' => "'\\\\'".into(),
        0x00..=0x1f | 0x7f => format!("'\\x{c:02x}'"),
        0x80..=0x9f | 0xad => format!("'\\u{:04x}'", u32::from(c)),
        _ => format!("'{}'", char::from(c)),
    }
}

struct Scanner<'a> {
    data: &'a [u8],
    pos: usize,
}

type Step = Result<(), String>;

const EOF: &str = "unexpected end of JSON input";

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn bad(c: u8, context: &str) -> String {
        format!("invalid character {} {context}", quote_char(c))
    }

    fn next_or_eof(&mut self) -> Result<u8, String> {
        let c = self.peek().ok_or_else(|| EOF.to_string())?;
        self.pos += 1;
        Ok(c)
    }

    fn value(&mut self) -> Step {
        self.skip_ws();
        let c = self.next_or_eof()?;
        match c {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(c),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            _ => Err(Self::bad(c, "looking for beginning of value")),
        }
    }

    fn literal(&mut self, word: &str) -> Step {
        for expected in word.bytes().skip(1) {
            let c = self.next_or_eof()?;
            if c != expected {
                return Err(Self::bad(
                    c,
                    &format!("in literal {word} (expecting {})", quote_char(expected)),
                ));
            }
        }
        Ok(())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn number(&mut self, first: u8) -> Step {
        let first = if first == b'-' {
            let c = self.next_or_eof()?;
            if !c.is_ascii_digit() {
                return Err(Self::bad(c, "in numeric literal"));
            }
            c
        } else {
            first
        };
        if first != b'0' {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let c = self.next_or_eof()?;
            if !c.is_ascii_digit() {
                return Err(Self::bad(c, "after decimal point in numeric literal"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            let mut c = self.next_or_eof()?;
            if c == b'+' || c == b'-' {
                c = self.next_or_eof()?;
            }
            if !c.is_ascii_digit() {
                return Err(Self::bad(c, "in exponent of numeric literal"));
            }
            self.digits();
        }
        Ok(())
    }

    fn string(&mut self) -> Step {
        loop {
            let c = self.next_or_eof()?;
            match c {
                b'"' => return Ok(()),
                b'\\' => {
                    let e = self.next_or_eof()?;
                    match e {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            for _ in 0..4 {
                                let h = self.next_or_eof()?;
                                if !h.is_ascii_hexdigit() {
                                    return Err(Self::bad(
                                        h,
                                        "in \\u hexadecimal character escape",
                                    ));
                                }
                            }
                        }
                        _ => return Err(Self::bad(e, "in string escape code")),
                    }
                }
                0x00..=0x1f => return Err(Self::bad(c, "in string literal")),
                _ => {}
            }
        }
    }

    fn object(&mut self) -> Step {
        self.skip_ws();
        let c = self.next_or_eof()?;
        if c == b'}' {
            return Ok(());
        }
        let mut c = c;
        loop {
            if c != b'"' {
                return Err(Self::bad(c, "looking for beginning of object key string"));
            }
            self.string()?;
            self.skip_ws();
            let colon = self.next_or_eof()?;
            if colon != b':' {
                return Err(Self::bad(colon, "after object key"));
            }
            self.value()?;
            self.skip_ws();
            match self.next_or_eof()? {
                b'}' => return Ok(()),
                b',' => {
                    self.skip_ws();
                    c = self.next_or_eof()?;
                }
                other => return Err(Self::bad(other, "after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Step {
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.value()?;
            self.skip_ws();
            match self.next_or_eof()? {
                b']' => return Ok(()),
                b',' => {}
                other => return Err(Self::bad(other, "after array element")),
            }
        }
    }
}

/// The error Go's `json.Unmarshal` reports for the syntax of `data`, if it is not valid JSON.
pub fn syntax_error(data: &[u8]) -> Option<String> {
    let mut s = Scanner { data, pos: 0 };
    if let Err(e) = s.value() {
        return Some(e);
    }
    s.skip_ws();
    s.peek().map(|c| Scanner::bad(c, "after top-level value"))
}

/// The error `json.Unmarshal(text, &map[string]interface{}{})` returns, if any: a syntax error,
/// or a valid value that is neither an object nor `null`.
pub fn unmarshal_object_error(text: &str) -> Option<String> {
    if let Some(why) = syntax_error(text.as_bytes()) {
        return Some(why);
    }
    // Valid JSON: its first byte says what type it is.
    let kind = match text
        .trim_start_matches([' ', '\t', '\r', '\n'])
        .as_bytes()
        .first()
    {
        Some(b'{') | Some(b'n') => return None,
        Some(b'[') => "array",
        Some(b'"') => "string",
        Some(b't' | b'f') => "bool",
        _ => "number",
    };
    Some(format!(
        "json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    ))
}

/// The error of unmarshalling into a struct of Go type `go_type` (only syntax errors and values
/// that are not objects matter).
pub fn unmarshal_struct_error(text: &str, go_type: &str) -> Option<String> {
    unmarshal_object_error(text).map(|e| e.replace("map[string]interface {}", go_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_go_s() {
        assert_eq!(
            syntax_error(b"{not json").as_deref(),
            Some("invalid character 'n' looking for beginning of object key string")
        );
        assert_eq!(
            syntax_error(b"{\"apiVersion\":").as_deref(),
            Some("unexpected end of JSON input")
        );
        assert_eq!(
            syntax_error(b"not json").as_deref(),
            Some("invalid character 'o' in literal null (expecting 'u')")
        );
        assert_eq!(
            syntax_error(&[0x81]).as_deref(),
            Some("invalid character '\\u0081' looking for beginning of value")
        );
        assert_eq!(
            syntax_error(b"{} x").as_deref(),
            Some("invalid character 'x' after top-level value")
        );
        assert_eq!(
            syntax_error(b" [1, 2.5e-3, \"a\\u00e9\", true, null, {}] "),
            None
        );
    }

    #[test]
    fn unmarshalling_into_a_map() {
        assert_eq!(unmarshal_object_error("{\"a\": 1}"), None);
        assert_eq!(unmarshal_object_error(" null "), None);
        assert_eq!(unmarshal_object_error("").as_deref(), Some(EOF));
        assert_eq!(unmarshal_object_error("{\"a\"").as_deref(), Some(EOF));
        assert_eq!(
            unmarshal_object_error("hello").as_deref(),
            Some("invalid character 'h' looking for beginning of value")
        );
        assert_eq!(
            unmarshal_object_error("{\"a\" 1}").as_deref(),
            Some("invalid character '1' after object key")
        );
        assert_eq!(
            unmarshal_object_error("{\"a\": 1 \"b\"}").as_deref(),
            Some("invalid character '\"' after object key:value pair")
        );
        assert_eq!(
            unmarshal_object_error("{\"a\": tru}").as_deref(),
            Some("invalid character '}' in literal true (expecting 'e')")
        );
        for (text, kind) in [
            ("[1]", "array"),
            (" \"s\"", "string"),
            ("true", "bool"),
            ("-1.5", "number"),
        ] {
            assert_eq!(
                unmarshal_object_error(text),
                Some(format!(
                    "json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
                )),
                "{text}"
            );
        }
        assert_eq!(
            unmarshal_struct_error("[1]", "v1.ObjectReference").as_deref(),
            Some("json: cannot unmarshal array into Go value of type v1.ObjectReference")
        );
    }
}
