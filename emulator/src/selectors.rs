//! Label selectors (equality and set-based, apimachinery's grammar and messages) and field
//! selectors (`metadata.name`, `metadata.namespace` and a few per-type fields).

use serde_json::{Map, Value, json};

use crate::crd::gofmt::quote;
use crate::registry::validation::{label_value, qualified_name};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Exists,
    DoesNotExist,
    Equals,
    NotEquals,
    In,
    NotIn,
    Gt,
    Lt,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Requirement {
    key: String,
    op: Op,
    values: Vec<String>,
}

/// A parsed `labelSelector`; the empty selector matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    DoesNotExist,
    Equals,
    DoubleEquals,
    NotEquals,
    Gt,
    Lt,
    In,
    NotIn,
    Open,
    Close,
    Comma,
    End,
    Error(String),
}

impl Token {
    fn literal(&self) -> String {
        match self {
            Token::Ident(s) => s.clone(),
            Token::DoesNotExist => "!".into(),
            Token::Equals => "=".into(),
            Token::DoubleEquals => "==".into(),
            Token::NotEquals => "!=".into(),
            Token::Gt => ">".into(),
            Token::Lt => "<".into(),
            Token::In => "in".into(),
            Token::NotIn => "notin".into(),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
            Token::Comma => ",".into(),
            Token::End => String::new(),
            Token::Error(s) => s.clone(),
        }
    }

    /// In value position `in`/`notin` are plain identifiers.
    fn as_value(&self) -> Token {
        match self {
            Token::In => Token::Ident("in".into()),
            Token::NotIn => Token::Ident("notin".into()),
            other => other.clone(),
        }
    }
}

fn is_special(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

fn symbol(s: &str) -> Option<Token> {
    Some(match s {
        "!" => Token::DoesNotExist,
        "!=" => Token::NotEquals,
        "=" => Token::Equals,
        "==" => Token::DoubleEquals,
        ">" => Token::Gt,
        "<" => Token::Lt,
        "(" => Token::Open,
        ")" => Token::Close,
        "," => Token::Comma,
        _ => return None,
    })
}

fn lex(input: &str) -> Vec<Token> {
    let bytes = input.as_bytes();
    let mut pos = 0;
    let mut tokens = Vec::new();
    loop {
        while pos < bytes.len() && matches!(bytes[pos], b' ' | b'\t' | b'\r' | b'\n') {
            pos += 1;
        }
        if pos >= bytes.len() {
            tokens.push(Token::End);
            return tokens;
        }
        if is_special(bytes[pos]) {
            // Longest run of special characters that still forms a known symbol.
            let mut end = pos;
            let mut last: Option<(Token, usize)> = None;
            while end < bytes.len() && is_special(bytes[end]) {
                end += 1;
                match symbol(&input[pos..end]) {
                    Some(tok) => last = Some((tok, end)),
                    None if last.is_some() => break,
                    None => {}
                }
            }
            match last {
                Some((tok, stop)) => {
                    tokens.push(tok);
                    pos = stop;
                }
                None => {
                    tokens.push(Token::Error(format!(
                        "error expected: keyword found '{}'",
                        &input[pos..end]
                    )));
                    tokens.push(Token::End);
                    return tokens;
                }
            }
        } else {
            let start = pos;
            while pos < bytes.len()
                && !is_special(bytes[pos])
                && !matches!(bytes[pos], b' ' | b'\t' | b'\r' | b'\n')
            {
                pos += 1;
            }
            let word = &input[start..pos];
            tokens.push(match word {
                "in" => Token::In,
                "notin" => Token::NotIn,
                _ => Token::Ident(word.to_string()),
            });
        }
    }
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self, values: bool) -> Token {
        let tok = self.tokens.get(self.pos).cloned().unwrap_or(Token::End);
        if values { tok.as_value() } else { tok }
    }

    fn next(&mut self, values: bool) -> Token {
        let tok = self.peek(values);
        self.pos += 1;
        tok
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            match self.peek(true) {
                Token::Ident(_) | Token::DoesNotExist => {
                    let req = self
                        .requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(req);
                    match self.next(true) {
                        Token::End => return Ok(reqs),
                        Token::Comma => {
                            let after = self.peek(true);
                            if !matches!(after, Token::Ident(_) | Token::DoesNotExist) {
                                return Err(format!(
                                    "found '{}', expected: identifier after ','",
                                    after.literal()
                                ));
                            }
                        }
                        other => {
                            return Err(format!(
                                "found '{}', expected: ',' or 'end of string'",
                                other.literal()
                            ));
                        }
                    }
                }
                Token::End => return Ok(reqs),
                other => {
                    return Err(format!(
                        "found '{}', expected: !, identifier, or 'end of string'",
                        other.literal()
                    ));
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let mut tok = self.next(true);
        let mut negated = false;
        if tok == Token::DoesNotExist {
            negated = true;
            tok = self.next(true);
        }
        let Token::Ident(key) = tok else {
            return Err(format!("found '{}', expected: identifier", tok.literal()));
        };
        let errs = qualified_name(&key);
        if !errs.is_empty() {
            // apimachinery parses without a field path, which prints as `<nil>`.
            return Err(format!(
                "<nil>: Invalid value: {}: {}",
                quote(&key),
                errs.join("; ")
            ));
        }
        let after = self.peek(true);
        if negated || matches!(after, Token::End | Token::Comma) {
            let op = if negated {
                Op::DoesNotExist
            } else {
                Op::Exists
            };
            return Ok(Requirement {
                key,
                op,
                values: Vec::new(),
            });
        }
        let op = match self.next(false) {
            Token::In => Op::In,
            Token::NotIn => Op::NotIn,
            Token::Equals | Token::DoubleEquals => Op::Equals,
            Token::NotEquals => Op::NotEquals,
            Token::Gt => Op::Gt,
            Token::Lt => Op::Lt,
            other => {
                return Err(format!(
                    "found '{}', expected: in, notin, =, ==, !=, gt, lt",
                    other.literal()
                ));
            }
        };
        let values = match op {
            Op::In | Op::NotIn => self.set_values()?,
            _ => self.exact_value()?,
        };
        for v in &values {
            let errs = label_value(v);
            if !errs.is_empty() {
                return Err(format!(
                    "[{key}]: Invalid value: {}: {}",
                    quote(v),
                    errs.join("; ")
                ));
            }
        }
        if matches!(op, Op::Gt | Op::Lt) && values.first().is_none_or(|v| v.parse::<i64>().is_err())
        {
            return Err(format!(
                "values[0]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
                quote(values.first().map(String::as_str).unwrap_or(""))
            ));
        }
        Ok(Requirement { key, op, values })
    }

    fn set_values(&mut self) -> Result<Vec<String>, String> {
        let tok = self.next(true);
        if tok != Token::Open {
            return Err(format!("found '{}' expected: '('", tok.literal()));
        }
        let mut values: Vec<String> = Vec::new();
        match self.peek(true) {
            Token::Close => {
                self.next(true);
                return Ok(vec![String::new()]);
            }
            Token::Ident(_) | Token::Comma => {}
            other => {
                return Err(format!(
                    "found '{}', expected: ',', ')' or identifier",
                    other.literal()
                ));
            }
        }
        loop {
            match self.next(true) {
                Token::Ident(v) => {
                    values.push(v);
                    match self.peek(true) {
                        Token::Comma => {
                            self.next(true);
                            if self.peek(true) == Token::Close {
                                values.push(String::new());
                            }
                        }
                        Token::Close => {
                            self.next(true);
                            break;
                        }
                        other => {
                            return Err(format!(
                                "found '{}', expected: ',' or ')'",
                                other.literal()
                            ));
                        }
                    }
                }
                Token::Comma => values.push(String::new()),
                Token::Close => {
                    values.push(String::new());
                    break;
                }
                other => {
                    return Err(format!(
                        "found '{}', expected: ',', or identifier",
                        other.literal()
                    ));
                }
            }
        }
        values.sort();
        values.dedup();
        Ok(values)
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        match self.peek(true) {
            Token::End | Token::Comma => Ok(vec![String::new()]),
            _ => match self.next(true) {
                Token::Ident(v) => Ok(vec![v]),
                other => Err(format!("found '{}', expected: identifier", other.literal())),
            },
        }
    }
}

impl LabelSelector {
    /// Parses a `labelSelector` query value; the error text is the API server's 400 message.
    pub fn parse(input: &str) -> Result<LabelSelector, String> {
        let tokens = lex(input);
        if let Some(Token::Error(msg)) = tokens.iter().find(|t| matches!(t, Token::Error(_))) {
            // The lexer error surfaces where the parser meets it.
            let mut parser = Parser {
                tokens: tokens.clone(),
                pos: 0,
            };
            return match parser.parse() {
                Err(e) => Err(e),
                Ok(_) => Err(msg.clone()),
            };
        }
        let mut parser = Parser { tokens, pos: 0 };
        let mut requirements = parser.parse()?;
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector { requirements })
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: Option<&Map<String, Value>>) -> bool {
        self.requirements.iter().all(|r| {
            let value = labels.and_then(|l| l.get(&r.key)).and_then(Value::as_str);
            match r.op {
                Op::Exists => value.is_some(),
                Op::DoesNotExist => value.is_none(),
                Op::Equals | Op::In => value.is_some_and(|v| r.values.iter().any(|w| w == v)),
                Op::NotEquals | Op::NotIn => value.is_none_or(|v| !r.values.iter().any(|w| w == v)),
                Op::Gt | Op::Lt => {
                    let (Some(have), Some(want)) = (
                        value.and_then(|v| v.parse::<i64>().ok()),
                        r.values.first().and_then(|v| v.parse::<i64>().ok()),
                    ) else {
                        return false;
                    };
                    if r.op == Op::Gt {
                        have > want
                    } else {
                        have < want
                    }
                }
            }
        })
    }
}

/// One `field=value` / `field!=value` term of a field selector.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldTerm {
    field: String,
    value: String,
    negated: bool,
}

/// A parsed `fieldSelector`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector {
    terms: Vec<FieldTerm>,
}

/// Splits on `sep` where not escaped with a backslash.
fn split_unescaped(input: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in input.chars() {
        if escaped {
            current.push('\\');
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    if escaped {
        current.push('\\');
    }
    parts.push(current);
    parts
}

fn unescape(value: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(e @ ('\\' | ',' | '=')) => out.push(e),
                Some(other) => return Err(format!("invalid escape sequence: \\{other}")),
                None => return Err("unterminated escape sequence".to_string()),
            }
        } else if c == ',' || c == '=' {
            return Err(format!("invalid field selector value: unescaped '{c}'"));
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

impl FieldSelector {
    /// Parses a `fieldSelector`, accepting only `supported` field names (an unsupported one is
    /// the API server's 400 `field label not supported: FIELD`).
    pub fn parse(input: &str, supported: &[&str]) -> Result<FieldSelector, String> {
        let mut terms = Vec::new();
        if input.is_empty() {
            return Ok(FieldSelector { terms });
        }
        for part in split_unescaped(input, ',') {
            let (field, value, negated) = if let Some(i) = part.find("!=") {
                (&part[..i], &part[i + 2..], true)
            } else if let Some(i) = part.find("==") {
                (&part[..i], &part[i + 2..], false)
            } else if let Some(i) = part.find('=') {
                (&part[..i], &part[i + 1..], false)
            } else {
                return Err(format!(
                    "invalid selector: '{input}'; can't understand '{part}'"
                ));
            };
            let value = unescape(value)?;
            if !supported.contains(&field) {
                return Err(format!("field label not supported: {field}"));
            }
            terms.push(FieldTerm {
                field: field.to_string(),
                value,
                negated,
            });
        }
        Ok(FieldSelector { terms })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The same selector over other field names (a served version's names mapped to the
    /// stored object's).
    pub fn rename(mut self, to: impl Fn(&str) -> String) -> FieldSelector {
        for term in &mut self.terms {
            term.field = to(&term.field);
        }
        self
    }

    fn only_metadata(&self) -> bool {
        self.terms
            .iter()
            .all(|t| t.field == "metadata.name" || t.field == "metadata.namespace")
    }

    /// The name a `metadata.name=NAME` term pins the selection to.
    pub fn name(&self) -> Option<&str> {
        self.terms
            .iter()
            .find(|t| t.field == "metadata.name" && !t.negated)
            .map(|t| t.value.as_str())
    }

    pub fn matches(&self, object: &Value) -> bool {
        self.terms.iter().all(|t| {
            let pointer = format!("/{}", t.field.replace('.', "/"));
            let have = match object.pointer(&pointer) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            (have == t.value) != t.negated
        })
    }
}

/// A label and a field selector together.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.fields.is_empty()
    }

    pub fn matches(&self, object: &Value) -> bool {
        self.labels.matches(
            object
                .pointer("/metadata/labels")
                .and_then(Value::as_object),
        ) && self.fields.matches(object)
    }

    /// Matches a stored object, reading the object only for fields beyond name and namespace.
    pub fn matches_stored(&self, object: &crate::store::Stored) -> bool {
        if !self.labels.matches(Some(&object.meta.labels)) {
            return false;
        }
        if self.fields.is_empty() {
            return true;
        }
        if self.fields.only_metadata() {
            let meta =
                json!({"metadata": {"name": object.meta.name, "namespace": object.meta.namespace}});
            return self.fields.matches(&meta);
        }
        self.fields.matches(object.object())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn equality_and_set_based() {
        let l = labels(json!({"app": "web", "tier": "front", "n": "5"}));
        let yes = [
            "app=web",
            "app==web",
            "app!=db",
            "app in (web,db)",
            "tier notin (back)",
            "app",
            "!missing",
            "app=web,tier",
            "n>3",
            "n<7",
            " app = web ",
        ];
        for sel in yes {
            assert!(
                LabelSelector::parse(sel).unwrap().matches(Some(&l)),
                "{sel}"
            );
        }
        let no = [
            "app=db",
            "app!=web",
            "app in (db)",
            "tier notin (front)",
            "missing",
            "!app",
            "app=web,missing",
            "n>5",
            "n<5",
        ];
        for sel in no {
            assert!(
                !LabelSelector::parse(sel).unwrap().matches(Some(&l)),
                "{sel}"
            );
        }
        assert!(LabelSelector::parse("").unwrap().matches(None));
        assert!(LabelSelector::parse("x notin (a)").unwrap().matches(None));
    }

    #[test]
    fn parse_errors_have_apimachinery_messages() {
        assert_eq!(
            LabelSelector::parse("a=b,").unwrap_err(),
            "found '', expected: identifier after ','"
        );
        assert_eq!(
            LabelSelector::parse("a in b").unwrap_err(),
            "unable to parse requirement: found 'b' expected: '('"
        );
        assert_eq!(
            LabelSelector::parse("a b").unwrap_err(),
            "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"
        );
        assert_eq!(
            LabelSelector::parse("a=b c").unwrap_err(),
            "found 'c', expected: ',' or 'end of string'"
        );
        assert!(LabelSelector::parse("-bad=x").unwrap_err().starts_with(
            "unable to parse requirement: <nil>: Invalid value: \"-bad\": name part must consist of"
        ));
    }

    #[test]
    fn field_selectors() {
        let supported = ["metadata.name", "metadata.namespace"];
        let obj = json!({"metadata": {"name": "a", "namespace": "ns"}});
        assert!(
            FieldSelector::parse("metadata.name=a", &supported)
                .unwrap()
                .matches(&obj)
        );
        assert!(
            FieldSelector::parse("metadata.name==a,metadata.namespace!=x", &supported)
                .unwrap()
                .matches(&obj)
        );
        assert!(
            !FieldSelector::parse("metadata.name!=a", &supported)
                .unwrap()
                .matches(&obj)
        );
        assert_eq!(
            FieldSelector::parse("spec.x=1", &supported).unwrap_err(),
            "field label not supported: spec.x"
        );
        assert_eq!(
            FieldSelector::parse("bogus", &supported).unwrap_err(),
            "invalid selector: 'bogus'; can't understand 'bogus'"
        );
        assert_eq!(
            FieldSelector::parse("metadata.name=a", &supported)
                .unwrap()
                .name(),
            Some("a")
        );
    }
}
