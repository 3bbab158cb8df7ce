//! The error texts of Go's `encoding/json` when unmarshalling into a `map[string]interface{}`
//! (PingSource `data` with `contentType: application/json`, Trigger dependency annotations):
//! a small scanner that fails where Go's scanner fails, with Go's messages.

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        0x20..=0x7e => format!("'{}'", c as char),
        b'\n' => "'\\n'".to_string(),
        b'\t' => "'\\t'".to_string(),
        b'\r' => "'\\r'".to_string(),
        c => format!("'\\x{c:02x}'"),
    }
}

const EOF: &str = "unexpected end of JSON input";

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\r' | b'\n') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Result<u8, String> {
        self.b.get(self.i).copied().ok_or_else(|| EOF.to_string())
    }

    fn bad(c: u8, context: &str) -> String {
        format!("invalid character {} {context}", quote_char(c))
    }

    fn value(&mut self) -> Result<&'static str, String> {
        self.ws();
        let c = self.peek()?;
        match c {
            b'{' => {
                self.i += 1;
                self.object()?;
                Ok("object")
            }
            b'[' => {
                self.i += 1;
                self.array()?;
                Ok("array")
            }
            b'"' => {
                self.i += 1;
                self.string()?;
                Ok("string")
            }
            b'-' | b'0'..=b'9' => {
                self.number()?;
                Ok("number")
            }
            b't' => self.literal("true").map(|_| "bool"),
            b'f' => self.literal("false").map(|_| "bool"),
            b'n' => self.literal("null").map(|_| "null"),
            c => Err(Self::bad(c, "looking for beginning of value")),
        }
    }

    fn object(&mut self) -> Result<(), String> {
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            let c = self.peek()?;
            if c != b'"' {
                return Err(Self::bad(c, "looking for beginning of object key string"));
            }
            self.i += 1;
            self.string()?;
            self.ws();
            let c = self.peek()?;
            if c != b':' {
                return Err(Self::bad(c, "after object key"));
            }
            self.i += 1;
            self.value()?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Ok(());
                }
                c => return Err(Self::bad(c, "after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Result<(), String> {
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.value()?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Ok(());
                }
                c => return Err(Self::bad(c, "after array element")),
            }
        }
    }

    fn string(&mut self) -> Result<(), String> {
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'"' => return Ok(()),
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            for _ in 0..4 {
                                let h = self.peek()?;
                                if !h.is_ascii_hexdigit() {
                                    return Err(Self::bad(
                                        h,
                                        "in \\u hexadecimal character escape",
                                    ));
                                }
                                self.i += 1;
                            }
                        }
                        e => return Err(Self::bad(e, "in string escape code")),
                    }
                }
                c if c < 0x20 => return Err(Self::bad(c, "in string literal")),
                _ => {}
            }
        }
    }

    fn digits(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
    }

    fn number(&mut self) -> Result<(), String> {
        if self.peek()? == b'-' {
            self.i += 1;
            let c = self.peek()?;
            if !c.is_ascii_digit() {
                return Err(Self::bad(c, "in numeric literal"));
            }
        }
        if self.peek()? == b'0' {
            self.i += 1;
        } else {
            self.digits();
        }
        if self.i < self.b.len() && self.b[self.i] == b'.' {
            self.i += 1;
            let c = self.peek()?;
            if !c.is_ascii_digit() {
                return Err(Self::bad(c, "after decimal point in numeric literal"));
            }
            self.digits();
        }
        if self.i < self.b.len() && matches!(self.b[self.i], b'e' | b'E') {
            self.i += 1;
            if matches!(self.peek()?, b'+' | b'-') {
                self.i += 1;
            }
            let c = self.peek()?;
            if !c.is_ascii_digit() {
                return Err(Self::bad(c, "in exponent of numeric literal"));
            }
            self.digits();
        }
        Ok(())
    }

    fn literal(&mut self, word: &str) -> Result<(), String> {
        for expected in word.bytes() {
            let c = self.peek()?;
            if c != expected {
                return Err(Self::bad(
                    c,
                    &format!("in literal {word} (expecting {})", quote_char(expected)),
                ));
            }
            self.i += 1;
        }
        Ok(())
    }
}

/// The error `json.Unmarshal(text, &map[string]interface{}{})` returns, if any.
pub fn unmarshal_object_error(text: &str) -> Option<String> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    let kind = match s.value() {
        Ok(k) => k,
        Err(e) => return Some(e),
    };
    s.ws();
    if let Some(&c) = s.b.get(s.i) {
        return Some(Scanner::bad(c, "after top-level value"));
    }
    match kind {
        "object" | "null" => None,
        other => Some(format!(
            "json: cannot unmarshal {other} into Go value of type map[string]interface {{}}"
        )),
    }
}

/// The error of unmarshalling into a struct (only syntax errors and non-objects matter).
pub fn unmarshal_struct_error(text: &str, go_type: &str) -> Option<String> {
    unmarshal_object_error(text).map(|e| e.replace("map[string]interface {}", go_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_messages() {
        assert_eq!(unmarshal_object_error("{\"a\": 1}"), None);
        assert_eq!(unmarshal_object_error("null"), None);
        assert_eq!(unmarshal_object_error("").as_deref(), Some(EOF));
        assert_eq!(unmarshal_object_error("{\"a\"").as_deref(), Some(EOF));
        assert_eq!(
            unmarshal_object_error("hello").as_deref(),
            Some("invalid character 'h' looking for beginning of value")
        );
        assert_eq!(
            unmarshal_object_error("{a: 1}").as_deref(),
            Some("invalid character 'a' looking for beginning of object key string")
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
            unmarshal_object_error("{} x").as_deref(),
            Some("invalid character 'x' after top-level value")
        );
        assert_eq!(
            unmarshal_object_error("[1]").as_deref(),
            Some("json: cannot unmarshal array into Go value of type map[string]interface {}")
        );
        assert_eq!(
            unmarshal_object_error("{\"a\": tru}").as_deref(),
            Some("invalid character '}' in literal true (expecting 'e')")
        );
    }
}
