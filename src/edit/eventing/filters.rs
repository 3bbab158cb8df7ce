//! `trigger create/update --filters`: Trigger `spec.filters` (the SubscriptionsAPI dialects) in a
//! terse syntax, parsed into the JSON Knative stores and printed back the same way
//! (`trigger list -o wide`). Only the syntax is checked here; attribute names, dialect counts
//! and CESQL are the server's to validate, so its messages reach the user as they are.
//!
//! One `--filters` value is one entry of `spec.filters` (an event must match every entry):
//!
//! ```text
//! filter := exact:ATTR=VALUE | prefix:ATTR=VALUE | suffix:ATTR=VALUE | cesql:EXPRESSION
//!         | all(filter, …) | any(filter, …) | not(filter) | {JSON of one filter}
//! VALUE  := text, or 'text' / "text" (a doubled quote inside is one quote)
//! ```
//!
//! At the top level a value or expression runs to the end of the flag value; inside
//! `all`/`any`/`not` it ends at the next `,` or `)` (of its level, for an expression), so a value
//! holding those is quoted there.

use std::str::FromStr;

use serde_json::{Map, Value, json};

use crate::edit::json;

/// One parsed `--filters` value: an entry of `spec.filters`.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterExpr(pub Value);

impl FromStr for FilterExpr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parser = Parser { src: s, pos: 0 };
        let filter = parser.filter(true)?;
        parser.skip_ws();
        if parser.pos < s.len() {
            return Err(parser.error("expected the end of the filter"));
        }
        Ok(FilterExpr(filter))
    }
}

/// Sets `spec.filters` to `filters`, or removes it (`None`).
pub fn set_filters(trigger: &mut Value, filters: Option<&[FilterExpr]>) {
    let spec = super::spec(trigger);
    match filters {
        Some(filters) => json::set(
            spec,
            "filters",
            Value::Array(filters.iter().map(|f| f.0.clone()).collect()),
        ),
        None => {
            json::remove(spec, "filters");
        }
    }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn error(&self, what: &str) -> String {
        match self.rest().chars().next() {
            Some(c) => format!("{what} at position {}, found '{c}'", self.pos + 1),
            None => format!("{what}, found the end of the value"),
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        self.skip_ws();
        if self.rest().starts_with(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected '{c}'")))
        }
    }

    fn filter(&mut self, top: bool) -> Result<Value, String> {
        self.skip_ws();
        if self.rest().starts_with('{') {
            return self.json();
        }
        let word: String = self
            .rest()
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        let at = self.pos;
        self.pos += word.len();
        match word.as_str() {
            "all" | "any" => {
                self.expect('(')?;
                let mut items = vec![self.filter(false)?];
                loop {
                    self.skip_ws();
                    match self.rest().chars().next() {
                        Some(',') => {
                            self.pos += 1;
                            items.push(self.filter(false)?);
                        }
                        Some(')') => {
                            self.pos += 1;
                            break;
                        }
                        _ => return Err(self.error(&format!("expected ',' or ')' in {word}(…)"))),
                    }
                }
                Ok(json!({ word: items }))
            }
            "not" => {
                self.expect('(')?;
                let inner = self.filter(false)?;
                self.expect(')')?;
                Ok(json!({"not": inner}))
            }
            "exact" | "prefix" | "suffix" => {
                self.expect(':')?;
                let Some(eq) = self.rest().find('=') else {
                    return Err(format!(
                        "{word}: needs ATTRIBUTE=VALUE, e.g. {word}:type=dev.knative.foo"
                    ));
                };
                let attribute = self.rest()[..eq].trim().to_string();
                if attribute.is_empty() || attribute.contains([',', '(', ')', ' ']) {
                    return Err(format!(
                        "{word}: needs ATTRIBUTE=VALUE, e.g. {word}:type=dev.knative.foo"
                    ));
                }
                self.pos += eq + 1;
                let value = self.value(top)?;
                Ok(json!({ word: { attribute: value } }))
            }
            "cesql" => {
                self.expect(':')?;
                let expression = self.expression(top)?;
                if expression.is_empty() {
                    return Err("cesql: needs an expression, e.g. cesql:type LIKE 'dev.%'".into());
                }
                Ok(json!({"cesql": expression}))
            }
            _ => {
                self.pos = at;
                Err(self.error(
                    "expected exact:, prefix:, suffix:, cesql:, all(, any(, not( or a JSON object",
                ))
            }
        }
    }

    /// One JSON object, ending wherever the object ends.
    fn json(&mut self) -> Result<Value, String> {
        let mut stream = serde_json::Deserializer::from_str(self.rest()).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value @ Value::Object(_))) => {
                self.pos += stream.byte_offset();
                Ok(value)
            }
            Some(Err(e)) => Err(format!("the JSON filter does not parse: {e}")),
            _ => Err("a JSON filter is one object, e.g. {\"exact\": {\"type\": \"x\"}}".into()),
        }
    }

    fn value(&mut self, top: bool) -> Result<String, String> {
        self.skip_ws();
        if let Some(quote) = self
            .rest()
            .chars()
            .next()
            .filter(|c| *c == '\'' || *c == '"')
        {
            return self.quoted(quote);
        }
        let rest = self.rest();
        let end = if top {
            rest.len()
        } else {
            rest.find([',', ')']).unwrap_or(rest.len())
        };
        let value = rest[..end].trim().to_string();
        self.pos += end;
        Ok(value)
    }

    fn quoted(&mut self, quote: char) -> Result<String, String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.rest().chars().next() else {
                self.pos = start;
                return Err(self.error(&format!("the quoted value has no closing {quote}")));
            };
            self.pos += c.len_utf8();
            if c == quote {
                if self.rest().starts_with(quote) {
                    out.push(quote);
                    self.pos += 1;
                } else {
                    return Ok(out);
                }
            } else {
                out.push(c);
            }
        }
    }

    /// A CESQL expression: to the end at the top level; nested, to the next `,` or `)` outside
    /// its own parentheses and string literals.
    fn expression(&mut self, top: bool) -> Result<String, String> {
        let rest = self.rest();
        let mut end = rest.len();
        if !top {
            let (mut depth, mut quote) = (0usize, None::<char>);
            for (i, c) in rest.char_indices() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '\'' | '"') => quote = Some(c),
                    (None, '(') => depth += 1,
                    (None, ')') if depth > 0 => depth -= 1,
                    (None, ',' | ')') if depth == 0 => {
                        end = i;
                        break;
                    }
                    _ => {}
                }
            }
        }
        let expression = rest[..end].trim().to_string();
        self.pos += end;
        Ok(expression)
    }
}

/// `spec.filters` in the flag syntax, entries separated by `; ` (empty without filters).
pub fn render_all(filters: Option<&Value>) -> String {
    filters
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(render)
        .collect::<Vec<_>>()
        .join("; ")
}

/// One filter in the flag syntax; what it cannot say (several dialects or attributes in one
/// entry, unknown fields) is printed as JSON, which the flag also takes.
pub fn render(filter: &Value) -> String {
    let compact = || filter.to_string();
    let Some(map) = filter.as_object() else {
        return compact();
    };
    let set: Vec<(&String, &Value)> = map
        .iter()
        .filter(|(_, v)| match v {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
            _ => true,
        })
        .collect();
    let [(key, value)] = set.as_slice() else {
        return compact();
    };
    match (key.as_str(), value) {
        ("all" | "any", Value::Array(items)) => {
            let inner: Vec<String> = items.iter().map(render).collect();
            format!("{key}({})", inner.join(", "))
        }
        ("not", inner @ Value::Object(_)) => format!("not({})", render(inner)),
        ("exact" | "prefix" | "suffix", Value::Object(attrs)) => match single(attrs) {
            Some((attribute, value)) => format!("{key}:{attribute}={}", quote_if_needed(value)),
            None => compact(),
        },
        ("cesql", Value::String(expression)) => format!("cesql:{expression}"),
        _ => compact(),
    }
}

fn single(attrs: &Map<String, Value>) -> Option<(&str, &str)> {
    match attrs.iter().collect::<Vec<_>>().as_slice() {
        [(k, Value::String(v))] => Some((k.as_str(), v.as_str())),
        _ => None,
    }
}

fn quote_if_needed(value: &str) -> String {
    let plain = !value.is_empty()
        && value.trim() == value
        && !value.contains([',', '(', ')', '\'', '"', ';']);
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

#[cfg(test)]
#[path = "filters_tests.rs"]
mod tests;
