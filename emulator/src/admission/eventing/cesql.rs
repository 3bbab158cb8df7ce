//! A syntax check of CloudEvents SQL expressions (Trigger `filters[].cesql`): eventing's
//! validator answers `invalid value: EXPR` when the CESQL parser rejects one. The grammar
//! follows the CESQL v1 specification: OR/XOR, AND, NOT, comparisons, LIKE, IN, EXISTS,
//! arithmetic, literals, attributes and function calls.

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Number,
    Text,
    Op(&'static str),
}

fn tokens(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Word(
                chars[start..i].iter().collect::<String>().to_uppercase(),
            ));
        } else if c.is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            out.push(Token::Number);
        } else if c == '\'' || c == '"' {
            i += 1;
            loop {
                match chars.get(i) {
                    None => return None,
                    Some('\\') => i += 2,
                    Some(q) if *q == c => {
                        // A doubled quote stands for itself.
                        if chars.get(i + 1) == Some(&c) {
                            i += 2;
                        } else {
                            i += 1;
                            break;
                        }
                    }
                    Some(_) => i += 1,
                }
            }
            out.push(Token::Text);
        } else {
            let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let op = ["!=", "<>", "<=", ">="]
                .into_iter()
                .find(|o| *o == two)
                .or_else(|| {
                    ["=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ","]
                        .into_iter()
                        .find(|o| o.starts_with(c))
                })?;
            i += op.chars().count();
            out.push(Token::Op(op));
        }
    }
    Some(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn word(&mut self, w: &str) -> bool {
        if self.peek() == Some(&Token::Word(w.to_string())) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn op(&mut self, ops: &[&str]) -> bool {
        if let Some(Token::Op(o)) = self.peek()
            && ops.contains(o)
        {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or_expr(&mut self) -> Option<()> {
        self.and_expr()?;
        while self.word("OR") || self.word("XOR") {
            self.and_expr()?;
        }
        Some(())
    }

    fn and_expr(&mut self) -> Option<()> {
        self.not_expr()?;
        while self.word("AND") {
            self.not_expr()?;
        }
        Some(())
    }

    fn not_expr(&mut self) -> Option<()> {
        if self.word("NOT") {
            return self.not_expr();
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Option<()> {
        self.sum()?;
        loop {
            if self.op(&["=", "!=", "<>", "<", "<=", ">", ">="]) {
                self.sum()?;
                continue;
            }
            let negated = self.word("NOT");
            if self.word("LIKE") {
                (self.peek() == Some(&Token::Text)).then_some(())?;
                self.at += 1;
            } else if self.word("IN") {
                self.op(&["("]).then_some(())?;
                self.or_expr()?;
                while self.op(&[","]) {
                    self.or_expr()?;
                }
                self.op(&[")"]).then_some(())?;
            } else if negated {
                return None;
            } else {
                return Some(());
            }
        }
    }

    fn sum(&mut self) -> Option<()> {
        self.product()?;
        while self.op(&["+", "-"]) {
            self.product()?;
        }
        Some(())
    }

    fn product(&mut self) -> Option<()> {
        self.unary()?;
        while self.op(&["*", "/", "%"]) {
            self.unary()?;
        }
        Some(())
    }

    fn unary(&mut self) -> Option<()> {
        if self.op(&["-"]) {
            return self.unary();
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<()> {
        match self.peek()?.clone() {
            Token::Number | Token::Text => {
                self.at += 1;
                Some(())
            }
            Token::Op("(") => {
                self.at += 1;
                self.or_expr()?;
                self.op(&[")"]).then_some(())
            }
            Token::Word(w) if w == "EXISTS" => {
                self.at += 1;
                matches!(self.peek(), Some(Token::Word(_))).then_some(())?;
                self.at += 1;
                Some(())
            }
            Token::Word(w) if ["AND", "OR", "XOR", "NOT", "LIKE", "IN"].contains(&w.as_str()) => {
                None
            }
            Token::Word(_) => {
                self.at += 1;
                if self.op(&["("]) {
                    if self.op(&[")"]) {
                        return Some(());
                    }
                    self.or_expr()?;
                    while self.op(&[","]) {
                        self.or_expr()?;
                    }
                    return self.op(&[")"]).then_some(());
                }
                Some(())
            }
            Token::Op(_) => None,
        }
    }
}

/// Whether the CESQL parser accepts `expression`.
pub fn parses(expression: &str) -> bool {
    let Some(tokens) = tokens(expression) else {
        return false;
    };
    let mut p = Parser { tokens, at: 0 };
    p.or_expr().is_some() && p.at == p.tokens.len()
}

#[cfg(test)]
mod tests {
    use super::parses;

    #[test]
    fn valid_and_invalid_expressions() {
        for ok in [
            "type = 'a'",
            "source LIKE 'http%' AND NOT EXISTS subject",
            "(a = 1 OR b <> \"x\") XOR c IN (1, 2, 'z')",
            "LOWER(type) = 'a' AND -x + 2 * 3 >= 4",
            "TRUE",
            "type NOT LIKE 'x%'",
        ] {
            assert!(parses(ok), "{ok}");
        }
        for bad in [
            "type = = 'a'",
            "",
            "type =",
            "(a = 1",
            "'open",
            "a # b",
            "a NOT b",
        ] {
            assert!(!parses(bad), "{bad}");
        }
    }
}
