//! client-go's JSONPath template language (`k8s.io/client-go/util/jsonpath`), as kubectl's
//! `-o jsonpath=…`, `--sort-by` and the API server's CRD printer columns use it: the same parser
//! (with its quirks: `[a,b]` unions, `['k']` keys re-parsed as `.k`, `range`/`end` as identifiers,
//! quoted literals with Go escapes), the same evaluation (maps are read in sorted key order where
//! Go's order is random), the same printing and the same error messages.

use serde_json::Value;

use crate::gofmt;

#[cfg(test)]
mod tests;

/// A template that failed to parse; the text is client-go's (`unclosed action`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// A template that failed on some data; the text is client-go's (`x is not found`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecError(pub String);

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExecError {}

/// One `[start:end:step]` bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    List(Vec<Node>),
    Field(String),
    Identifier(String),
    Array([Param; 3]),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        op: String,
    },
    Int(i64),
    Float(f64),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Bool(bool),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    root: Vec<Node>,
    allow_missing_keys: bool,
}

/// One value in flight: a node of the data, or a value the template made (literals, the bytes
/// of a string walked by `*` or `..`), typed as Go types it.
#[derive(Debug, Clone)]
enum Item<'a> {
    Json(&'a Value),
    /// `reflect.ValueOf(nil)`: a range over nothing, or over a null element.
    Invalid,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Byte(u8),
}

/// A result: a node of the data or a value the template made.
#[derive(Debug, Clone, PartialEq)]
pub enum Output<'a> {
    Borrowed(&'a Value),
    Owned(Value),
    /// Go's invalid value (printed `<no value>`).
    Invalid,
}

impl Output<'_> {
    /// The value, `None` for Go's invalid value.
    pub fn value(&self) -> Option<&Value> {
        match self {
            Output::Borrowed(v) => Some(v),
            Output::Owned(v) => Some(v),
            Output::Invalid => None,
        }
    }
}

impl<'a> Item<'a> {
    fn into_output(self) -> Output<'a> {
        match self {
            Item::Json(v) => Output::Borrowed(v),
            Item::Invalid => Output::Invalid,
            Item::Str(s) => Output::Owned(Value::String(s)),
            Item::Int(i) => Output::Owned(Value::from(i)),
            Item::Float(f) => {
                Output::Owned(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number))
            }
            Item::Bool(b) => Output::Owned(Value::Bool(b)),
            Item::Byte(b) => Output::Owned(Value::from(b)),
        }
    }

    /// `template.Indirect`: a JSON null is a nil interface.
    fn is_nil(&self) -> bool {
        matches!(self, Item::Json(Value::Null))
    }

    /// Go's `value.Type()` after indirection, for messages.
    fn type_name(&self) -> &'static str {
        match self {
            Item::Json(Value::Null) => "interface {}",
            Item::Json(Value::Bool(_)) | Item::Bool(_) => "bool",
            Item::Json(Value::Number(n)) => match gofmt::GoNumber::of(n) {
                gofmt::GoNumber::Int(_) => "int64",
                gofmt::GoNumber::Float(_) => "float64",
            },
            Item::Json(Value::String(_)) | Item::Str(_) => "string",
            Item::Json(Value::Array(_)) => "[]interface {}",
            Item::Json(Value::Object(_)) => "map[string]interface {}",
            Item::Invalid => "<invalid reflect.Value>",
            Item::Int(_) => "int",
            Item::Float(_) => "float64",
            Item::Byte(_) => "uint8",
        }
    }

    /// Go's `%v` of the value.
    fn plain_v(&self) -> String {
        match self {
            Item::Json(v) => gofmt::plain_v(v),
            Item::Invalid => "<invalid reflect.Value>".to_string(),
            Item::Str(s) => s.clone(),
            Item::Int(i) => i.to_string(),
            Item::Float(f) => gofmt::float(*f),
            Item::Bool(b) => b.to_string(),
            Item::Byte(b) => b.to_string(),
        }
    }

    /// The children `*` and `..` walk: map values (sorted keys), list elements, string bytes.
    fn children(&self) -> Vec<Item<'a>> {
        match self {
            Item::Json(Value::Object(m)) => {
                let mut entries: Vec<_> = m.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                entries.into_iter().map(|(_, v)| Item::Json(v)).collect()
            }
            Item::Json(Value::Array(a)) => a.iter().map(Item::Json).collect(),
            Item::Json(Value::String(s)) => s.bytes().map(Item::Byte).collect(),
            Item::Str(s) => s.bytes().map(Item::Byte).collect(),
            _ => Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parser (client-go parser.go).

struct Parser<'s> {
    input: &'s str,
    pos: usize,
    start: usize,
    width: usize,
    root: Vec<Node>,
}

const EOF: Option<char> = None;

fn is_space(r: Option<char>) -> bool {
    matches!(r, Some(' ' | '\t'))
}

fn is_end_of_line(r: Option<char>) -> bool {
    matches!(r, Some('\r' | '\n'))
}

fn is_terminator(r: Option<char>) -> bool {
    if is_space(r) || is_end_of_line(r) {
        return true;
    }
    matches!(
        r,
        None | Some('.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
    )
}

fn is_alphanumeric(r: Option<char>) -> bool {
    matches!(r, Some(c) if c == '_' || c.is_alphabetic() || c.is_numeric())
}

/// Go's `%#U`: `U+002C ','` (the character only when printable).
fn sharp_u(c: char) -> String {
    if c.is_control() || (c.is_whitespace() && c != ' ') {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

impl<'s> Parser<'s> {
    fn parse(text: &'s str) -> Result<Vec<Node>, ParseError> {
        let mut p = Parser {
            input: text,
            pos: 0,
            start: 0,
            width: 0,
            root: Vec::new(),
        };
        p.parse_text()?;
        Ok(p.root)
    }

    /// Parses `{text}` and returns its one action's nodes (client-go `parseAction`).
    fn parse_action(text: &str) -> Result<Vec<Node>, ParseError> {
        let wrapped = format!("{{{text}}}");
        let root = Parser::parse(&wrapped)?;
        match root.into_iter().next() {
            Some(Node::List(nodes)) => Ok(nodes),
            _ => Ok(Vec::new()),
        }
    }

    fn rest(&self) -> &'s str {
        &self.input[self.pos..]
    }

    fn consume_text(&mut self) -> &'s str {
        let value = &self.input[self.start..self.pos];
        self.start = self.pos;
        value
    }

    fn next(&mut self) -> Option<char> {
        match self.rest().chars().next() {
            None => {
                self.width = 0;
                EOF
            }
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
        }
    }

    fn peek(&mut self) -> Option<char> {
        let r = self.next();
        self.backup();
        r
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    /// The byte two before the current position (client-go's escape check `input[pos-2]`).
    fn escaped(&self) -> bool {
        self.pos >= 2 && self.input.as_bytes()[self.pos - 2] == b'\\'
    }

    fn parse_text(&mut self) -> Result<(), ParseError> {
        loop {
            if self.rest().starts_with('{') {
                if self.pos > self.start {
                    let text = self.consume_text().to_string();
                    self.root.push(Node::Text(text));
                }
                // The left delimiter.
                self.pos += 1;
                self.consume_text();
                let mut cur = Vec::new();
                self.parse_inside_action(&mut cur)?;
                self.root.push(Node::List(cur));
                continue;
            }
            if self.next() == EOF {
                break;
            }
        }
        if self.pos > self.start {
            let text = self.consume_text().to_string();
            self.root.push(Node::Text(text));
        }
        Ok(())
    }

    fn parse_inside_action(&mut self, cur: &mut Vec<Node>) -> Result<(), ParseError> {
        loop {
            let rest = self.rest();
            if rest.starts_with('}') {
                // The right delimiter: the action is complete, the rest is text again.
                self.pos += 1;
                self.consume_text();
                return Ok(());
            }
            if rest.starts_with("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if rest.starts_with("..") {
                self.parse_recursive(cur)?;
                continue;
            }
            let r = self.next();
            match r {
                None | Some('\r' | '\n') => {
                    return Err(ParseError("unclosed action".to_string()));
                }
                Some(' ' | '@' | '$') => {
                    self.consume_text();
                }
                Some('[') => self.parse_array(cur)?,
                Some(q @ ('"' | '\'')) => self.parse_quote(cur, q)?,
                Some('.') => self.parse_field(cur),
                Some(c) if c == '+' || c == '-' || c.is_numeric() => {
                    self.backup();
                    self.parse_number(cur)?;
                }
                Some(_) if is_alphanumeric(r) => {
                    self.backup();
                    self.parse_identifier(cur);
                }
                Some(c) => {
                    return Err(ParseError(format!(
                        "unrecognized character in action: {}",
                        sharp_u(c)
                    )));
                }
            }
        }
    }

    fn parse_identifier(&mut self, cur: &mut Vec<Node>) {
        loop {
            let r = self.next();
            if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let value = self.consume_text();
        match value {
            "true" => cur.push(Node::Bool(true)),
            "false" => cur.push(Node::Bool(false)),
            _ => cur.push(Node::Identifier(value.to_string())),
        }
    }

    fn parse_recursive(&mut self, cur: &mut Vec<Node>) -> Result<(), ParseError> {
        if matches!(cur.last(), Some(Node::Recursive)) {
            return Err(ParseError("invalid multiple recursive descent".to_string()));
        }
        self.pos += 2;
        self.consume_text();
        cur.push(Node::Recursive);
        if is_alphanumeric(self.peek()) {
            self.parse_field(cur);
        }
        Ok(())
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), ParseError> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            let r = self.next();
            if !matches!(r, Some(c) if c == '.' || c.is_numeric()) {
                self.backup();
                break;
            }
        }
        let value = self.consume_text();
        if let Some(i) = go_atoi(value) {
            cur.push(Node::Int(i));
            return Ok(());
        }
        if let Some(f) = go_parse_float(value) {
            cur.push(Node::Float(f));
            return Ok(());
        }
        Err(ParseError(format!("cannot parse number {value}")))
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), ParseError> {
        loop {
            match self.next() {
                None | Some('\n') => return Err(ParseError("unterminated array".to_string())),
                Some(']') => break,
                _ => {}
            }
        }
        let text = self.consume_text();
        let mut text = &text[1..text.len() - 1];
        if text == "*" {
            text = ":";
        }
        // A union: every member parsed as its own `[member]`.
        let members: Vec<&str> = text.split(',').collect();
        if members.len() > 1 {
            let mut union = Vec::new();
            for member in members {
                union.push(Parser::parse_action(&format!(
                    "[{}]",
                    member.trim_matches(' ')
                ))?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        // `['key']`: parsed again as `.key`.
        if text.len() >= 2
            && text.starts_with('\'')
            && text.ends_with('\'')
            && !text[1..text.len() - 1].contains('\'')
        {
            let nodes = Parser::parse_action(&format!(".{}", &text[1..text.len() - 1]))?;
            cur.extend(nodes);
            return Ok(());
        }
        let Some(groups) = slice_groups(text) else {
            return Err(ParseError(format!("invalid array index {text}")));
        };
        let mut params = [Param::default(); 3];
        for i in 0..3 {
            let mut value = groups[i];
            if !value.is_empty() {
                if i > 0 {
                    value = &value[1..];
                }
                if i > 0 && value.is_empty() {
                    params[i].known = false;
                } else {
                    params[i].known = true;
                    params[i].value = go_atoi(value).ok_or_else(|| {
                        ParseError(format!("array index {value} is not a number"))
                    })?;
                }
            } else if i == 1 {
                params[i].known = true;
                params[i].value = params[0].value + 1;
                params[i].derived = true;
            } else {
                params[i].known = false;
                params[i].value = 0;
            }
        }
        cur.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), ParseError> {
        self.pos += 3;
        self.consume_text();
        let mut begin = false;
        let mut end = false;
        let mut pair = '\0';
        loop {
            let r = self.next();
            match r {
                None | Some('\n') => {
                    return Err(ParseError("unterminated filter".to_string()));
                }
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                        continue;
                    }
                    if !self.escaped() && q == pair {
                        end = true;
                    }
                }
                // A `)` ends the filter unless inside an open quote.
                Some(')') if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err(ParseError("unclosed array expect ]".to_string()));
        }
        let text = self.consume_text();
        let text = &text[..text.len() - 2];
        match filter_groups(text) {
            None => {
                let left = Parser::parse_action(text)?;
                cur.push(Node::Filter {
                    left,
                    right: Vec::new(),
                    op: "exists".to_string(),
                });
            }
            Some((l, op, r)) => {
                let left = Parser::parse_action(l)?;
                let right = Parser::parse_action(r)?;
                cur.push(Node::Filter {
                    left,
                    right,
                    op: op.to_string(),
                });
            }
        }
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), ParseError> {
        loop {
            match self.next() {
                None | Some('\n') => {
                    return Err(ParseError("unterminated quoted string".to_string()));
                }
                Some(c) if c == end && !self.escaped() => break,
                _ => {}
            }
        }
        let value = self.consume_text();
        let s = unquote_extend(value)
            .ok_or_else(|| ParseError(format!("unquote string {value} error invalid syntax")))?;
        cur.push(Node::Text(s));
        Ok(())
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume_text();
        while self.advance() {}
        let value = self.consume_text();
        if value == "*" {
            cur.push(Node::Wildcard);
        } else {
            cur.push(Node::Field(value.replace('\\', "")));
        }
    }

    fn advance(&mut self) -> bool {
        let r = self.next();
        if r == Some('\\') {
            self.next();
        } else if is_terminator(r) {
            self.backup();
            return false;
        }
        true
    }
}

/// Go's `strconv.Atoi` (64-bit `int`): optional sign, decimal digits, no overflow.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go's `strconv.ParseFloat` for the characters a number token can hold (sign, digits, dots);
/// out-of-range values are errors in Go.
fn go_parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || body == "." || body.matches('.').count() > 1 {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` (ASCII digits), as three groups ("" when absent).
fn slice_groups(text: &str) -> Option<[&str; 3]> {
    let bytes = text.as_bytes();
    let mut groups = [""; 3];
    let mut at = 0;
    for (g, group) in groups.iter_mut().enumerate() {
        let begin = at;
        if g > 0 {
            if bytes.get(at) != Some(&b':') {
                continue;
            }
            at += 1;
        }
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        *group = &text[begin..at];
    }
    (at == bytes.len()).then_some(groups)
}

/// `^([^!<>=]+)([!<>=]+)(.+?)$`: the left side, operator and right side of a comparison.
fn filter_groups(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let op_start = text.find(is_op)?;
    if op_start == 0 {
        return None;
    }
    let after = &text[op_start..];
    let op_len = after.find(|c: char| !is_op(c)).unwrap_or(after.len());
    let (mut op, mut right) = after.split_at(op_len);
    if right.is_empty() {
        // The right side needs one character: take it back from the operator.
        if op.len() < 2 {
            return None;
        }
        (op, right) = after.split_at(op_len - 1);
    }
    Some((&text[..op_start], op, right))
}

/// client-go's `UnquoteExtend`: `strconv.Unquote` that also takes single quotes.
fn unquote_extend(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let n = bytes.len();
    if n < 2 {
        return None;
    }
    let quote = bytes[0];
    if quote != bytes[n - 1] || (quote != b'"' && quote != b'\'') {
        return None;
    }
    let inner = &s[1..n - 1];
    if !inner.contains('\\') && !inner.as_bytes().contains(&quote) {
        return Some(inner.to_string());
    }
    let mut out: Vec<u8> = Vec::with_capacity(inner.len());
    let mut rest = inner;
    while !rest.is_empty() {
        let (bytes, tail) = unquote_char(rest, quote as char)?;
        out.extend_from_slice(&bytes);
        rest = tail;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Go's `strconv.UnquoteChar`, returning the bytes it appends.
fn unquote_char(s: &str, quote: char) -> Option<(Vec<u8>, &str)> {
    let mut chars = s.chars();
    let c = chars.next()?;
    if c == quote {
        return None;
    }
    if c != '\\' {
        let mut buf = [0u8; 4];
        return Some((c.encode_utf8(&mut buf).as_bytes().to_vec(), chars.as_str()));
    }
    let rest = chars.as_str();
    let e = rest.chars().next()?;
    let after = &rest[e.len_utf8()..];
    let simple = |b: u8| Some((vec![b], after));
    match e {
        'a' => simple(0x07),
        'b' => simple(0x08),
        'f' => simple(0x0c),
        'n' => simple(b'\n'),
        'r' => simple(b'\r'),
        't' => simple(b'\t'),
        'v' => simple(0x0b),
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex = after.get(..n)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let v = u32::from_str_radix(hex, 16).ok()?;
            let tail = &after[n..];
            if e == 'x' {
                return Some((vec![v as u8], tail));
            }
            let c = char::from_u32(v)?;
            let mut buf = [0u8; 4];
            Some((c.encode_utf8(&mut buf).as_bytes().to_vec(), tail))
        }
        '0'..='7' => {
            let oct = rest.get(..3)?;
            if !oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return None;
            }
            let v = u32::from_str_radix(oct, 8).ok()?;
            if v > 255 {
                return None;
            }
            Some((vec![v as u8], &rest[3..]))
        }
        '\\' => simple(b'\\'),
        '\'' | '"' => {
            if e != quote {
                return None;
            }
            simple(e as u8)
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation (client-go jsonpath.go).

/// The range bookkeeping of one execution.
#[derive(Default)]
struct State {
    begin_range: usize,
    in_range: usize,
    end_range: usize,
    last_end: Option<usize>,
    allow_missing_keys: bool,
}

impl JsonPath {
    /// Parses a template (`{.items[*].metadata.name}`, text and actions mixed). Missing keys are
    /// allowed, as in kubectl's default.
    pub fn parse(text: &str) -> Result<JsonPath, ParseError> {
        Ok(JsonPath {
            root: Parser::parse(text)?,
            allow_missing_keys: true,
        })
    }

    /// Whether a field that is not found is an error (`false`) or no result (`true`).
    pub fn allow_missing_keys(mut self, allow: bool) -> JsonPath {
        self.allow_missing_keys = allow;
        self
    }

    /// The results of each top-level piece of the template (text and actions; the body of a
    /// `range` once per element), as client-go's `FindResults`.
    pub fn find_results<'a>(&self, data: &'a Value) -> Result<Vec<Vec<Output<'a>>>, ExecError> {
        let mut state = State {
            allow_missing_keys: self.allow_missing_keys,
            ..State::default()
        };
        let groups = find_results(&self.root, &mut state, 0, Item::Json(data))?;
        Ok(groups
            .into_iter()
            .map(|g| g.into_iter().map(Item::into_output).collect())
            .collect())
    }

    /// The text kubectl prints for `-o jsonpath=…`.
    pub fn execute(&self, data: &Value) -> Result<String, ExecError> {
        let mut out = String::new();
        for group in self.find_results(data)? {
            print_results(&mut out, &group);
        }
        Ok(out)
    }

    /// The text kubectl prints for `-o jsonpath-as-json=…`: each piece's results as an indented
    /// JSON array.
    pub fn execute_json(&self, data: &Value) -> Result<String, ExecError> {
        let mut out = String::new();
        for group in self.find_results(data)? {
            let array = Value::Array(
                group
                    .iter()
                    .map(|o| o.value().cloned().unwrap_or(Value::Null))
                    .collect(),
            );
            out.push_str(&gofmt::json_indent(&array, "    "));
            out.push('\n');
        }
        Ok(out)
    }
}

/// Prints one piece's results as `PrintResults` does: space-separated, strings raw, maps and
/// lists as compact JSON, other values as Go's `fmt` prints them.
pub fn print_results(out: &mut String, results: &[Output<'_>]) {
    for (i, r) in results.iter().enumerate() {
        out.push_str(&text(r));
        if i + 1 != results.len() {
            out.push(' ');
        }
    }
}

/// One result as `PrintResults` prints it.
pub fn text(result: &Output<'_>) -> String {
    match result.value() {
        None => "<no value>".to_string(),
        Some(v @ (Value::Object(_) | Value::Array(_))) => gofmt::json(v),
        Some(Value::Null) => "null".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => gofmt::number(n),
    }
}

/// An evaluation error and the values client-go returns with it (which an existence filter
/// still counts).
struct Fail<'a> {
    partial: Vec<Item<'a>>,
    error: ExecError,
}

type Walk<'a> = Result<Vec<Item<'a>>, Fail<'a>>;

fn fail<'a, T>(partial: Vec<Item<'a>>, message: impl Into<String>) -> Result<T, Fail<'a>> {
    Err(Fail {
        partial,
        error: ExecError(message.into()),
    })
}

fn find_results<'a>(
    nodes: &[Node],
    state: &mut State,
    start: usize,
    data: Item<'a>,
) -> Result<Vec<Vec<Item<'a>>>, ExecError> {
    let cur = vec![data];
    let mut full = Vec::new();
    let mut i = start;
    while i < nodes.len() {
        let results = walk(state, cur.clone(), &nodes[i]).map_err(|f| f.error)?;
        // An `end`: this range body is done.
        if state.end_range > 0 && state.end_range <= state.in_range {
            state.end_range -= 1;
            state.last_end = Some(i);
            break;
        }
        // A `range`: the following nodes once per result.
        if state.begin_range > 0 {
            state.begin_range -= 1;
            state.in_range += 1;
            if results.is_empty() {
                // Still walked, so that the matching `end` is found.
                find_results(nodes, state, i + 1, Item::Invalid)?;
            } else {
                for value in results {
                    // `FindResults(value.Interface())`: a null element becomes Go's nil.
                    let value = if value.is_nil() { Item::Invalid } else { value };
                    full.extend(find_results(nodes, state, i + 1, value)?);
                }
            }
            state.in_range -= 1;
            if let Some(end) = state.last_end.filter(|&e| e > i) {
                i = end;
            }
            i += 1;
            continue;
        }
        full.push(results);
        i += 1;
    }
    Ok(full)
}

fn walk<'a>(state: &mut State, input: Vec<Item<'a>>, node: &Node) -> Walk<'a> {
    match node {
        Node::List(nodes) => eval_list(state, input, nodes),
        Node::Text(t) => Ok(vec![Item::Str(t.clone())]),
        Node::Field(name) => eval_field(state, input, name),
        Node::Array(params) => eval_array(input, params),
        Node::Filter { left, right, op } => eval_filter(state, input, left, right, op),
        Node::Int(i) => Ok(input.iter().map(|_| Item::Int(*i)).collect()),
        Node::Float(f) => Ok(input.iter().map(|_| Item::Float(*f)).collect()),
        Node::Bool(b) => Ok(input.iter().map(|_| Item::Bool(*b)).collect()),
        Node::Wildcard => Ok(input
            .iter()
            .filter(|v| !v.is_nil())
            .flat_map(Item::children)
            .collect()),
        Node::Recursive => Ok(eval_recursive(input)),
        Node::Union(lists) => {
            let mut result = Vec::new();
            for list in lists {
                match eval_list(state, input.clone(), list) {
                    Ok(values) => result.extend(values),
                    Err(f) => return fail(input, f.error.0),
                }
            }
            Ok(result)
        }
        Node::Identifier(name) => match name.as_str() {
            "range" => {
                state.begin_range += 1;
                Ok(input)
            }
            "end" => {
                if state.in_range > 0 {
                    state.end_range += 1;
                    Ok(Vec::new())
                } else {
                    fail(Vec::new(), "not in range, nothing to end")
                }
            }
            other => fail(input, format!("unrecognized identifier {other}")),
        },
    }
}

fn eval_list<'a>(state: &mut State, input: Vec<Item<'a>>, nodes: &[Node]) -> Walk<'a> {
    let mut cur = input;
    for node in nodes {
        cur = walk(state, cur, node)?;
    }
    Ok(cur)
}

fn eval_field<'a>(state: &State, input: Vec<Item<'a>>, name: &str) -> Walk<'a> {
    if input.is_empty() {
        return Ok(Vec::new());
    }
    let results: Vec<Item<'a>> = input
        .iter()
        .filter_map(|v| match v {
            Item::Json(Value::Object(m)) => m.get(name).map(Item::Json),
            _ => None,
        })
        .collect();
    if results.is_empty() && !state.allow_missing_keys {
        return fail(results, format!("{name} is not found"));
    }
    Ok(results)
}

fn eval_array<'a>(input: Vec<Item<'a>>, params: &[Param; 3]) -> Walk<'a> {
    let mut result = Vec::new();
    for value in &input {
        if value.is_nil() {
            continue;
        }
        let Item::Json(Value::Array(items)) = value else {
            let message = if matches!(value, Item::Invalid) {
                "reflect: call of reflect.Value.Type on zero Value".to_string()
            } else {
                format!("{} is not array or slice", value.type_name())
            };
            return fail(input.clone(), message);
        };
        let len = items.len() as i64;
        let mut p = *params;
        if !p[0].known {
            p[0].value = 0;
        }
        if p[0].value < 0 {
            p[0].value += len;
        }
        if !p[1].known {
            p[1].value = len;
        }
        if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
            p[1].value += len;
        }
        if p[1].value == p[0].value {
            // Zero elements requested: allowed, and nothing more is looked at.
            return Ok(result);
        }
        if p[0].value >= len || p[0].value < 0 {
            let message = format!(
                "array index out of bounds: index {}, length {len}",
                p[0].value
            );
            return fail(input.clone(), message);
        }
        if p[1].value > len || p[1].value < 0 {
            let message = format!(
                "array index out of bounds: index {}, length {len}",
                p[1].value - 1
            );
            return fail(input.clone(), message);
        }
        if p[0].value > p[1].value {
            let message = format!(
                "starting index {} is greater than ending index {}",
                p[0].value, p[1].value
            );
            return fail(input.clone(), message);
        }
        let slice = &items[p[0].value as usize..p[1].value as usize];
        let step = if p[2].known {
            if p[2].value <= 0 {
                return fail(input.clone(), "step must be > 0");
            }
            p[2].value as usize
        } else {
            1
        };
        result.extend(slice.iter().step_by(step).map(Item::Json));
    }
    Ok(result)
}

fn eval_recursive(input: Vec<Item<'_>>) -> Vec<Item<'_>> {
    let mut result = Vec::new();
    for value in input {
        if value.is_nil() {
            continue;
        }
        let children = value.children();
        if !children.is_empty() {
            result.push(value);
            result.extend(eval_recursive(children));
        }
    }
    result
}

fn eval_filter<'a>(
    state: &mut State,
    input: Vec<Item<'a>>,
    left: &[Node],
    right: &[Node],
    op: &str,
) -> Walk<'a> {
    let mut results = Vec::new();
    for value in &input {
        let items = match value {
            Item::Json(Value::Array(items)) => items,
            Item::Json(Value::Null) => {
                return fail(
                    input.clone(),
                    "<nil> is not array or slice and cannot be filtered",
                );
            }
            other => {
                let message = format!(
                    "{} is not array or slice and cannot be filtered",
                    other.plain_v()
                );
                return fail(input.clone(), message);
            }
        };
        for element in items {
            let temp = vec![Item::Json(element)];
            let lefts = eval_list(state, temp.clone(), left);
            if op == "exists" {
                // client-go counts what the path returned even when it failed.
                let found = match &lefts {
                    Ok(values) => !values.is_empty(),
                    Err(f) => !f.partial.is_empty(),
                };
                if found {
                    results.push(Item::Json(element));
                }
                continue;
            }
            let lefts = match lefts {
                Ok(values) => values,
                Err(f) => return fail(input.clone(), f.error.0),
            };
            match lefts.len() {
                0 => continue,
                1 => {}
                _ => return fail(input.clone(), "can only compare one element at a time"),
            }
            let rights = match eval_list(state, temp, right) {
                Ok(values) => values,
                Err(f) => return fail(input.clone(), f.error.0),
            };
            match rights.len() {
                0 => continue,
                1 => {}
                _ => return fail(input.clone(), "can only compare one element at a time"),
            }
            let (l, r) = (&lefts[0], &rights[0]);
            let pass = match op {
                "<" => less(l, r),
                ">" => less_equal(l, r).map(|b| !b),
                "==" => equal(l, r),
                "!=" => equal(l, r).map(|b| !b),
                "<=" => less_equal(l, r),
                ">=" => less(l, r).map(|b| !b),
                other => return fail(results, format!("unrecognized filter operator {other}")),
            };
            match pass {
                Ok(true) => results.push(Item::Json(element)),
                Ok(false) => {}
                Err(e) => return fail(results, e),
            }
        }
    }
    Ok(results)
}
/// A comparable Go value (text/template's `basicKind`).
enum Basic<'v> {
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'v str),
}

const BAD_TYPE: &str = "invalid type for comparison";
const BAD_COMPARISON: &str = "incompatible types for comparison";

fn basic<'v>(item: &'v Item<'_>) -> Result<Basic<'v>, &'static str> {
    Ok(match item {
        Item::Json(Value::Bool(b)) | Item::Bool(b) => Basic::Bool(*b),
        Item::Json(Value::Number(n)) => match gofmt::GoNumber::of(n) {
            gofmt::GoNumber::Int(i) => Basic::Int(i),
            gofmt::GoNumber::Float(f) => Basic::Float(f),
        },
        Item::Json(Value::String(s)) => Basic::Str(s),
        Item::Str(s) => Basic::Str(s),
        Item::Int(i) => Basic::Int(*i),
        Item::Float(f) => Basic::Float(*f),
        Item::Byte(b) => Basic::Uint(u64::from(*b)),
        _ => return Err(BAD_TYPE),
    })
}

fn equal(a: &Item<'_>, b: &Item<'_>) -> Result<bool, &'static str> {
    Ok(match (basic(a)?, basic(b)?) {
        (Basic::Bool(x), Basic::Bool(y)) => x == y,
        (Basic::Int(x), Basic::Int(y)) => x == y,
        (Basic::Uint(x), Basic::Uint(y)) => x == y,
        (Basic::Float(x), Basic::Float(y)) => x == y,
        (Basic::Str(x), Basic::Str(y)) => x == y,
        (Basic::Int(x), Basic::Uint(y)) | (Basic::Uint(y), Basic::Int(x)) => {
            x >= 0 && x as u64 == y
        }
        _ => return Err(BAD_COMPARISON),
    })
}

fn less(a: &Item<'_>, b: &Item<'_>) -> Result<bool, &'static str> {
    Ok(match (basic(a)?, basic(b)?) {
        (Basic::Bool(_), Basic::Bool(_)) => return Err(BAD_TYPE),
        (Basic::Int(x), Basic::Int(y)) => x < y,
        (Basic::Uint(x), Basic::Uint(y)) => x < y,
        (Basic::Float(x), Basic::Float(y)) => x < y,
        (Basic::Str(x), Basic::Str(y)) => x < y,
        (Basic::Int(x), Basic::Uint(y)) => x < 0 || (x as u64) < y,
        (Basic::Uint(x), Basic::Int(y)) => y >= 0 && x < y as u64,
        _ => return Err(BAD_COMPARISON),
    })
}

fn less_equal(a: &Item<'_>, b: &Item<'_>) -> Result<bool, &'static str> {
    if less(a, b)? {
        return Ok(true);
    }
    equal(a, b)
}
