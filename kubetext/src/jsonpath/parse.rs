//! The template parser (client-go `parser.go`): text into the node tree.

use super::*;

pub(super) struct Parser<'s> {
    input: &'s str,
    pos: usize,
    start: usize,
    width: usize,
    root: Vec<Node>,
}

pub(super) const EOF: Option<char> = None;

pub(super) fn is_space(r: Option<char>) -> bool {
    matches!(r, Some(' ' | '\t'))
}

pub(super) fn is_end_of_line(r: Option<char>) -> bool {
    matches!(r, Some('\r' | '\n'))
}

pub(super) fn is_terminator(r: Option<char>) -> bool {
    if is_space(r) || is_end_of_line(r) {
        return true;
    }
    matches!(
        r,
        None | Some('.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
    )
}

pub(super) fn is_alphanumeric(r: Option<char>) -> bool {
    matches!(r, Some(c) if c == '_' || c.is_alphabetic() || c.is_numeric())
}

/// Go's `%#U`: `U+002C ','` (the character only when printable).
pub(super) fn sharp_u(c: char) -> String {
    if c.is_control() || (c.is_whitespace() && c != ' ') {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

impl<'s> Parser<'s> {
    pub(super) fn parse(text: &'s str) -> Result<Vec<Node>, ParseError> {
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
