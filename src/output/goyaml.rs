//! YAML text exactly as kn and kubectl print it: a JSON value written the way sigs.k8s.io/yaml
//! (go-yaml v2's emitter) writes it — keys in go-yaml's natural order, plain scalars where they
//! read back as the same string, else single quotes, else double quotes, `|` blocks for
//! multi-line strings, and long lines broken at a space once they pass 80 columns.

mod resolve;

use std::cmp::Ordering;

use serde_json::Value;

use self::resolve::plain_reads_back;

/// go-yaml's `best_width`: a space past this column becomes a line break.
const WIDTH: usize = 80;

/// The YAML document of `value`, ending with a newline.
pub fn to_string(value: &Value) -> String {
    let mut w = Writer::default();
    w.node(value, 0);
    if w.column > 0 {
        w.out.push('\n');
    }
    w.out
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Characters written on the current line.
    column: usize,
}

impl Writer {
    fn put(&mut self, c: char) {
        self.out.push(c);
        if c == '\n' {
            self.column = 0;
        } else {
            self.column += 1;
        }
    }

    fn put_str(&mut self, s: &str) {
        s.chars().for_each(|c| self.put(c));
    }

    /// A line break (unless the line is still empty) and padding up to `indent`.
    fn indent(&mut self, indent: usize) {
        if self.column > 0 {
            self.put('\n');
        }
        while self.column < indent {
            self.put(' ');
        }
    }

    /// Writes `value` where the cursor is. `indent` is the column of a mapping's keys or a
    /// sequence's dashes; a scalar's continuation lines go two columns further in.
    fn node(&mut self, value: &Value, indent: usize) {
        match value {
            Value::Object(map) if !map.is_empty() => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by(|a, b| natural(a, b));
                for (i, key) in keys.into_iter().enumerate() {
                    if i > 0 {
                        self.indent(indent);
                    }
                    self.scalar(key, indent + 2, true);
                    self.put(':');
                    let child = &map[key];
                    match child {
                        Value::Object(m) if !m.is_empty() => {
                            self.indent(indent + 2);
                            self.node(child, indent + 2);
                        }
                        Value::Array(a) if !a.is_empty() => {
                            self.indent(indent);
                            self.node(child, indent);
                        }
                        _ => {
                            self.put(' ');
                            self.leaf(child, indent + 2);
                        }
                    }
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.indent(indent);
                    }
                    self.put_str("- ");
                    match item {
                        Value::Object(m) if !m.is_empty() => self.node(item, indent + 2),
                        Value::Array(a) if !a.is_empty() => self.node(item, indent + 2),
                        _ => self.leaf(item, indent + 2),
                    }
                }
            }
            _ => self.leaf(value, 2),
        }
    }

    /// A scalar or an empty collection; `indent` is where continuation lines start.
    fn leaf(&mut self, value: &Value, indent: usize) {
        match value {
            Value::Null => self.put_str("null"),
            Value::Bool(b) => self.put_str(if *b { "true" } else { "false" }),
            Value::Number(n) => self.put_str(&number(n)),
            Value::String(s) => self.scalar(s, indent, false),
            Value::Object(_) => self.put_str("{}"),
            Value::Array(_) => self.put_str("[]"),
        }
    }

    /// A string in the style go-yaml picks for it. `key`: a mapping key, which never breaks.
    fn scalar(&mut self, s: &str, indent: usize, key: bool) {
        let a = Analysis::of(s);
        let wants_literal = s.contains('\n');
        let style = if wants_literal {
            if a.block_allowed && !key {
                Style::Literal
            } else {
                Style::Double
            }
        } else if !plain_reads_back(s) {
            Style::Double
        } else if a.block_plain_allowed && !(s.is_empty() && key) {
            Style::Plain
        } else if a.single_quoted_allowed {
            Style::Single
        } else {
            Style::Double
        };
        let breaks = !key;
        match style {
            Style::Plain => self.plain(s, indent, breaks),
            Style::Single => self.single(s, indent, breaks),
            Style::Double => self.double(s, indent, breaks),
            Style::Literal => self.literal(s, indent),
        }
    }

    fn plain(&mut self, s: &str, indent: usize, breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if breaks && !spaces && self.column > WIDTH && chars.get(i + 1) != Some(&' ') {
                    self.indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
    }

    fn single(&mut self, s: &str, indent: usize, breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        self.put('\'');
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if breaks
                    && !spaces
                    && self.column > WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                spaces = false;
            }
        }
        self.put('\'');
    }

    fn double(&mut self, s: &str, indent: usize, breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        self.put('"');
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let code = c as u32;
                match c {
                    '\0' => self.put('0'),
                    '\u{07}' => self.put('a'),
                    '\u{08}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{0B}' => self.put('v'),
                    '\u{0C}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1B}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{A0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ if code <= 0xFF => self.put_str(&format!("x{code:02X}")),
                    _ if code <= 0xFFFF => self.put_str(&format!("u{code:04X}")),
                    _ => self.put_str(&format!("U{code:08X}")),
                }
                spaces = false;
            } else if c == ' ' {
                if breaks && !spaces && self.column > WIDTH && i != 0 && i + 1 != chars.len() {
                    self.indent(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.put('"');
    }

    fn literal(&mut self, s: &str, indent: usize) {
        self.put('|');
        let first = s.chars().next();
        if first.is_some_and(|c| c == ' ' || is_break(c)) {
            self.put('2');
        }
        let chars: Vec<char> = s.chars().collect();
        match chars.as_slice() {
            [] => self.put('-'),
            [.., last] if !is_break(*last) => self.put('-'),
            [_] => self.put('+'),
            [.., before, _] if is_break(*before) => self.put('+'),
            _ => {}
        }
        self.put('\n');
        let mut line_start = true;
        for c in chars {
            if is_break(c) {
                self.put('\n');
                line_start = true;
            } else {
                if line_start {
                    while self.column < indent {
                        self.put(' ');
                    }
                }
                self.put(c);
                line_start = false;
            }
        }
    }
}

enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// go-yaml's `yaml_emitter_analyze_scalar`, for block context.
struct Analysis {
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

impl Analysis {
    fn of(s: &str) -> Analysis {
        if s.is_empty() {
            return Analysis {
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: false,
            };
        }
        let chars: Vec<char> = s.chars().collect();
        let mut block_indicators = s.starts_with("---") || s.starts_with("...");
        let (mut leading_space, mut leading_break) = (false, false);
        let (mut trailing_space, mut trailing_break) = (false, false);
        let (mut break_space, mut space_break) = (false, false);
        let (mut previous_space, mut previous_break) = (false, false);
        let (mut line_breaks, mut special) = (false, false);
        let mut preceded_by_whitespace = true;
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied();
            let followed_by_whitespace = next.is_none_or(|n| n == ' ' || n == '\t');
            if i == 0 {
                match c {
                    '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\''
                    | '"' | '%' | '@' | '`' => block_indicators = true,
                    '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                    _ => {}
                }
            } else {
                match c {
                    ':' if followed_by_whitespace => block_indicators = true,
                    '#' if preceded_by_whitespace => block_indicators = true,
                    _ => {}
                }
            }
            if !printable(c) {
                special = true;
            }
            let last = i + 1 == chars.len();
            if c == ' ' {
                leading_space |= i == 0;
                trailing_space |= last;
                break_space |= previous_break;
                previous_space = true;
                previous_break = false;
            } else if is_break(c) {
                line_breaks = true;
                leading_break |= i == 0;
                trailing_break |= last;
                space_break |= previous_space;
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = c == ' ' || c == '\t' || is_break(c);
        }
        let mut a = Analysis {
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: true,
        };
        if leading_space || leading_break || trailing_space || trailing_break {
            a.block_plain_allowed = false;
        }
        if trailing_space {
            a.block_allowed = false;
        }
        if break_space {
            a.block_plain_allowed = false;
            a.single_quoted_allowed = false;
        }
        if space_break || special {
            a.block_plain_allowed = false;
            a.single_quoted_allowed = false;
            a.block_allowed = false;
        }
        if line_breaks || block_indicators {
            a.block_plain_allowed = false;
        }
        a
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// go-yaml's `is_printable`.
fn printable(c: char) -> bool {
    match c {
        '\n' | '\u{85}' => true,
        ' '..='~' => true,
        '\u{A0}'..='\u{D7FF}' => true,
        '\u{E000}'..='\u{FFFD}' => c != '\u{FEFF}',
        '\u{10000}'..='\u{10FFFF}' => true,
        _ => false,
    }
}

/// go-yaml's `keyList.Less`: letters compare as runes, any non-letter sorts before a letter, and
/// runs of digits compare as numbers.
fn natural(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

/// An integer as `%d`; a float as Go's `strconv.FormatFloat(f, 'g', -1, 64)`.
fn number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or_default();
    if f == 0.0 {
        return "0".to_string();
    }
    // Shortest round-trip digits and the decimal exponent, from Rust's `{:e}`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let (head, tail) = digits.split_at(1);
        let tail = if tail.is_empty() {
            String::new()
        } else {
            format!(".{tail}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{head}{tail}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1;
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    };
    format!("{sign}{text}")
}

#[cfg(test)]
#[path = "goyaml_tests.rs"]
mod tests;
