//! A list item re-indented from its bytes exactly as [`super::structured::to_go_json`] prints it
//! through a `serde_json::Value` (keys sorted, 4-space indent, Go's HTML escaping), without
//! building the Value: keys and scalars stay borrowed from the response and are copied as they
//! are unless their text would change (an escape to rewrite, a number to normalise).

use std::borrow::Cow;

use serde::Serializer as _;

use super::structured::GoFormatter;

mod direct;

/// What printing changes on the item's top level.
#[derive(Debug, Clone, Copy)]
pub struct ItemEdits<'a> {
    /// Drop `metadata.managedFields`.
    pub drop_managed_fields: bool,
    /// `apiVersion` and `kind` to add when the item lacks them.
    pub type_meta: (&'a str, &'a str),
}

/// Appends the object in `raw` at indent `level` (its first line is not indented). Fails on
/// anything that is not one valid JSON object.
pub fn write_item(
    out: &mut Vec<u8>,
    raw: &[u8],
    level: usize,
    edits: ItemEdits,
) -> Result<(), String> {
    let text = std::str::from_utf8(raw).map_err(|e| format!("invalid UTF-8 in the list: {e}"))?;
    if direct::write(out, text.as_bytes(), level, edits) {
        return Ok(());
    }
    write_tree(out, text, level, edits)
}

/// [`write_item`] through a tree of the item: sorts keys, drops repeats, re-encodes strings
/// and numbers that print differently, adds the type.
fn write_tree(out: &mut Vec<u8>, text: &str, level: usize, edits: ItemEdits) -> Result<(), String> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
    };
    let mut node = parser.value(0)?;
    parser.skip_space();
    if parser.at != parser.bytes.len() {
        return Err(parser.error("trailing characters"));
    }
    let Node::Object(entries) = &mut node else {
        return Err("a list item is not an object".to_string());
    };
    let (api_version, kind) = edits.type_meta;
    // Quoted forms of the type's strings, kept alive while the node borrows them.
    let api_version = quote(api_version);
    let kind = quote(kind);
    for (name, value) in [("apiVersion", &api_version), ("kind", &kind)] {
        if !entries.iter().any(|e| e.key == name) {
            entries.push(Entry {
                key: Cow::Borrowed(name),
                raw_key: name.as_bytes(),
                value: Node::Escaped(value),
            });
        }
    }
    if edits.drop_managed_fields {
        for entry in entries.iter_mut().filter(|e| e.key == "metadata") {
            if let Node::Object(meta) = &mut entry.value {
                meta.retain(|e| e.key != "managedFields");
            }
        }
    }
    sort(&mut node);
    let start = out.len();
    write(out, &node, level).inspect_err(|_| out.truncate(start))
}

/// A JSON string as serde_json writes it with Go's escaping.
fn quote(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, GoFormatter::at(0));
    // Writing into a Vec cannot fail.
    let _ = ser.serialize_str(text);
    out
}

enum Node<'a> {
    /// A string, number, `true`, `false` or `null` whose text prints unchanged.
    Verbatim(&'a [u8]),
    /// A string with an escape or a character Go escapes: decoded and written again.
    Str(&'a [u8]),
    /// A number that is not a plain integer: read and written again as serde_json does.
    Number(&'a [u8]),
    /// Text already encoded (including its quotes).
    Escaped(&'a [u8]),
    Array(Vec<Node<'a>>),
    Object(Vec<Entry<'a>>),
}

struct Entry<'a> {
    /// The decoded key, the order of keys in the output.
    key: Cow<'a, str>,
    /// The key's text between its quotes, as received.
    raw_key: &'a [u8],
    value: Node<'a>,
}

/// Bytes of a string that print as they are and need no second look: not a quote, backslash,
/// control character, `<`, `>`, `&` (Go escapes them) or 0xE2 (U+2028/U+2029 start with it).
static PLAIN: [bool; 256] = {
    let mut table = [true; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = false;
        b += 1;
    }
    table[b'"' as usize] = false;
    table[b'\\' as usize] = false;
    table[b'<' as usize] = false;
    table[b'>' as usize] = false;
    table[b'&' as usize] = false;
    table[0xE2] = false;
    table
};

/// serde_json's own limit, so a deep document fails here as it did through a Value.
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, what: &str) -> String {
        format!("{what} at byte {} of a list item", self.at)
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        self.skip_space();
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", byte as char)))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, String> {
        self.skip_space();
        match self.bytes.get(self.at) {
            Some(b'{') => {
                if depth >= MAX_DEPTH {
                    return Err(self.error("recursion limit exceeded"));
                }
                self.at += 1;
                let mut entries = Vec::new();
                self.skip_space();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    return Ok(Node::Object(entries));
                }
                loop {
                    self.skip_space();
                    let (raw_key, plain) = self.string()?;
                    let key = if plain {
                        // Valid UTF-8: the whole item was checked.
                        Cow::Borrowed(std::str::from_utf8(raw_key).unwrap_or_default())
                    } else {
                        Cow::Owned(self.decode(raw_key)?)
                    };
                    self.expect(b':')?;
                    let value = self.value(depth + 1)?;
                    entries.push(Entry {
                        key,
                        raw_key,
                        value,
                    });
                    self.skip_space();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(Node::Object(entries));
                        }
                        _ => return Err(self.error("expected `,` or `}`")),
                    }
                }
            }
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(self.error("recursion limit exceeded"));
                }
                self.at += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                    return Ok(Node::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip_space();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(Node::Array(items));
                        }
                        _ => return Err(self.error("expected `,` or `]`")),
                    }
                }
            }
            Some(b'"') => {
                let start = self.at;
                let (_, plain) = self.string()?;
                let quoted = &self.bytes[start..self.at];
                Ok(if plain {
                    Node::Verbatim(quoted)
                } else {
                    Node::Str(quoted)
                })
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error("expected a value")),
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<Node<'a>, String> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(Node::Verbatim(word))
        } else {
            Err(self.error("expected a value"))
        }
    }

    /// A number: plain integers that fit in 64 bits print as they are; anything else (a
    /// fraction, an exponent, a huge integer) goes through serde_json, which also rejects what
    /// is not JSON.
    fn number(&mut self) -> Result<Node<'a>, String> {
        let (text, plain) = number_at(self.bytes, &mut self.at);
        Ok(if plain {
            Node::Verbatim(text)
        } else {
            Node::Number(text)
        })
    }

    /// Moves past a string; returns its text between the quotes and whether it prints as it
    /// is (no escape, control character or character Go escapes).
    fn string(&mut self) -> Result<(&'a [u8], bool), String> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return Err(self.error("expected a string"));
        }
        self.at += 1;
        let start = self.at;
        let mut plain = true;
        loop {
            // Runs of text that print unchanged are most of every string: skip them at once.
            while self.bytes.get(self.at).is_some_and(|&b| PLAIN[b as usize]) {
                self.at += 1;
            }
            let Some(&b) = self.bytes.get(self.at) else {
                return Err(self.error("EOF while parsing a string"));
            };
            match b {
                b'"' => break,
                b'\\' => {
                    plain = false;
                    self.at += 1;
                }
                b'<' | b'>' | b'&' => plain = false,
                // U+2028 and U+2029 (E2 80 A8/A9).
                0xE2 if self.bytes[self.at..].starts_with(b"\xE2\x80\xA8")
                    || self.bytes[self.at..].starts_with(b"\xE2\x80\xA9") =>
                {
                    plain = false
                }
                0..=0x1F => plain = false,
                _ => {}
            }
            self.at += 1;
        }
        let text = &self.bytes[start..self.at];
        self.at += 1;
        Ok((text, plain))
    }

    /// The string between quotes, decoded by serde_json (which checks its escapes).
    fn decode(&self, inner: &[u8]) -> Result<String, String> {
        let mut quoted = Vec::with_capacity(inner.len() + 2);
        quoted.push(b'"');
        quoted.extend_from_slice(inner);
        quoted.push(b'"');
        serde_json::from_slice(&quoted).map_err(|e| e.to_string())
    }
}

/// The number's text starting at `*at` (moved past it), and whether it is a plain integer that
/// fits in 64 bits and prints as it is.
fn number_at<'a>(bytes: &'a [u8], at: &mut usize) -> (&'a [u8], bool) {
    let start = *at;
    while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = bytes.get(*at) {
        *at += 1;
    }
    let text = &bytes[start..*at];
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    let plain = !digits.is_empty()
        && digits.iter().all(u8::is_ascii_digit)
        && (digits.len() == 1 || digits[0] != b'0')
        && text != b"-0"
        && digits.len() <= 18;
    (text, plain)
}

/// Keys in byte order, as in a `serde_json::Map`; of repeated keys the last one wins.
fn sort(node: &mut Node) {
    match node {
        Node::Object(entries) => {
            if !entries.is_sorted_by(|a, b| a.key < b.key) {
                entries.sort_by(|a, b| a.key.cmp(&b.key));
                // After a stable sort the last of equal keys is the last one received.
                let mut i = 0;
                while i + 1 < entries.len() {
                    if entries[i].key == entries[i + 1].key {
                        entries.remove(i);
                    } else {
                        i += 1;
                    }
                }
            }
            entries.iter_mut().for_each(|e| sort(&mut e.value));
        }
        Node::Array(items) => items.iter_mut().for_each(sort),
        _ => {}
    }
}

fn indent(out: &mut Vec<u8>, level: usize) {
    const SPACES: &[u8] = &[b' '; 4 * 32];
    let mut width = 4 * level;
    while width > 0 {
        let run = width.min(SPACES.len());
        out.extend_from_slice(&SPACES[..run]);
        width -= run;
    }
}

fn write(out: &mut Vec<u8>, node: &Node, level: usize) -> Result<(), String> {
    match node {
        Node::Verbatim(text) | Node::Escaped(text) => out.extend_from_slice(text),
        Node::Str(quoted) => {
            let text: String = serde_json::from_slice(quoted).map_err(|e| e.to_string())?;
            out.extend_from_slice(&quote(&text));
        }
        Node::Number(text) => {
            let number: serde_json::Number =
                serde_json::from_slice(text).map_err(|e| e.to_string())?;
            serde_json::to_writer(&mut *out, &number).map_err(|e| e.to_string())?;
        }
        Node::Array(items) if items.is_empty() => out.extend_from_slice(b"[]"),
        Node::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                indent(out, level + 1);
                write(out, item, level + 1)?;
            }
            out.push(b'\n');
            indent(out, level);
            out.push(b']');
        }
        Node::Object(entries) if entries.is_empty() => out.extend_from_slice(b"{}"),
        Node::Object(entries) => {
            out.push(b'{');
            for (i, entry) in entries.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                indent(out, level + 1);
                if matches!(entry.key, Cow::Borrowed(_)) {
                    out.push(b'"');
                    out.extend_from_slice(entry.raw_key);
                    out.push(b'"');
                } else {
                    out.extend_from_slice(&quote(&entry.key));
                }
                out.extend_from_slice(b": ");
                write(out, &entry.value, level + 1)?;
            }
            out.push(b'\n');
            indent(out, level);
            out.push(b'}');
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "rawjson_tests.rs"]
mod tests;
