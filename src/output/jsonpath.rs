//! kubectl's JSONPath template language (`-o jsonpath=…`): text mixed with `{…}` actions,
//! `{range …}{end}`, quoted literals, relative paths with `\.`-escaped keys. Each path is rewritten
//! to RFC 9535 and evaluated by `jsonpath-rust`; results print the way kubectl prints them.

use jsonpath_rust::JsonPath;
use serde_json::Value;

use crate::error::{Error, Result};

/// A parsed template.
#[derive(Debug, Clone)]
pub struct JsonPathTemplate {
    source: String,
    nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    /// A path and its source text.
    Path(Query, String),
    Range(Query, String, Vec<Node>),
}

/// A kubectl path as steps applied in turn to every current result; no steps is the current
/// object (`{@}`, `{$}`, `{.}`).
type Query = Vec<Step>;

#[derive(Debug, Clone)]
enum Step {
    /// An RFC 9535 path (`$…`), run against each current result.
    Rfc(String),
    /// kubectl's `[a,b]` union: every result of the first branch, then of the next, …
    Union(Vec<Query>),
}

/// Runs a query: each step maps the results so far to its own.
fn run_query<'a>(steps: &[Step], data: &'a Value) -> std::result::Result<Vec<&'a Value>, String> {
    let mut current = vec![data];
    for step in steps {
        let mut next = Vec::new();
        match step {
            Step::Rfc(path) => {
                for value in &current {
                    next.extend(value.query(path).map_err(|e| e.to_string())?);
                }
            }
            // kubectl evaluates each branch over all inputs before the next branch.
            Step::Union(branches) => {
                for branch in branches {
                    for value in &current {
                        next.extend(run_query(branch, value)?);
                    }
                }
            }
        }
        current = next;
    }
    Ok(current)
}

impl JsonPathTemplate {
    /// Parses and validates a template; errors name the template.
    pub fn parse(source: &str) -> Result<Self> {
        let actions = split_actions(source)
            .map_err(|e| Error::usage(format!("error parsing jsonpath {source}, {e}")))?;
        let mut stack: Vec<(Query, String, Vec<Node>)> = Vec::new();
        let mut nodes: Vec<Node> = Vec::new();
        for piece in actions {
            let node = match piece {
                Piece::Text(t) => Node::Text(t),
                Piece::Action(action) => {
                    let action = action.trim();
                    if action == "end" {
                        let (path, raw, children) = stack.pop().ok_or_else(|| {
                            Error::usage(format!(
                                "error parsing jsonpath {source}, not in range, nothing to end"
                            ))
                        })?;
                        let node = Node::Range(path, raw, children);
                        push(&mut stack, &mut nodes, node);
                        continue;
                    }
                    if let Some(rest) = action.strip_prefix("range ") {
                        let path = to_rfc(rest.trim()).map_err(|e| {
                            Error::usage(format!("error parsing jsonpath {source}, {e}"))
                        })?;
                        stack.push((path, rest.trim().to_string(), Vec::new()));
                        continue;
                    }
                    if let Some(literal) = string_literal(action) {
                        Node::Text(literal)
                    } else {
                        let path = to_rfc(action).map_err(|e| {
                            Error::usage(format!("error parsing jsonpath {source}, {e}"))
                        })?;
                        Node::Path(path, action.to_string())
                    }
                }
            };
            push(&mut stack, &mut nodes, node);
        }
        if !stack.is_empty() {
            return Err(Error::usage(format!(
                "error parsing jsonpath {source}, unclosed range"
            )));
        }
        Ok(JsonPathTemplate {
            source: source.to_string(),
            nodes,
        })
    }

    /// Renders the template against `data`. A path without results is an error unless
    /// `allow_missing` (kubectl's `--allow-missing-template-keys`, default true).
    pub fn render(&self, data: &Value, allow_missing: bool) -> Result<String> {
        let mut out = String::new();
        self.eval(&self.nodes, data, allow_missing, &mut out)?;
        Ok(out)
    }

    /// All results of all paths, as a JSON array (`-o jsonpath-as-json=…`).
    pub fn render_json(&self, data: &Value, allow_missing: bool) -> Result<String> {
        let mut results = Vec::new();
        self.collect(&self.nodes, data, allow_missing, &mut results)?;
        super::structured::to_go_json(&Value::Array(results))
    }

    /// All results of all paths against `data` (missing paths give none), for `--sort-by`.
    pub fn values(&self, data: &Value) -> Result<Vec<Value>> {
        let mut results = Vec::new();
        self.collect(&self.nodes, data, true, &mut results)?;
        Ok(results)
    }

    fn query<'a>(
        &self,
        path: &Query,
        raw: &str,
        data: &'a Value,
        allow_missing: bool,
    ) -> Result<Vec<&'a Value>> {
        let results = run_query(path, data).map_err(|e| {
            Error::failed(format!("error executing jsonpath {:?}: {e}", self.source))
        })?;
        if results.is_empty() && !allow_missing {
            let field = raw.trim_start_matches(['$', '@', '.']);
            return Err(Error::failed(format!(
                "error executing jsonpath {:?}: Error executing template: {field} is not found",
                self.source
            )));
        }
        Ok(results)
    }

    fn eval(
        &self,
        nodes: &[Node],
        data: &Value,
        allow_missing: bool,
        out: &mut String,
    ) -> Result<()> {
        for node in nodes {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Path(path, raw) => {
                    let results = self.query(path, raw, data, allow_missing)?;
                    let texts: Vec<String> = results.into_iter().map(display).collect();
                    out.push_str(&texts.join(" "));
                }
                Node::Range(path, raw, children) => {
                    // Like kubectl, the body runs once per result of the range path.
                    for item in self.query(path, raw, data, allow_missing)? {
                        self.eval(children, item, allow_missing, out)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn collect(
        &self,
        nodes: &[Node],
        data: &Value,
        allow_missing: bool,
        out: &mut Vec<Value>,
    ) -> Result<()> {
        for node in nodes {
            match node {
                Node::Text(_) => {}
                Node::Path(path, raw) => {
                    out.extend(
                        self.query(path, raw, data, allow_missing)?
                            .into_iter()
                            .cloned(),
                    );
                }
                Node::Range(path, raw, children) => {
                    for item in self.query(path, raw, data, allow_missing)? {
                        self.collect(children, item, allow_missing, out)?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn push(stack: &mut [(Query, String, Vec<Node>)], nodes: &mut Vec<Node>, node: Node) {
    match stack.last_mut() {
        Some((_, _, children)) => children.push(node),
        None => nodes.push(node),
    }
}

/// Strings print raw; everything else as compact JSON (sorted keys), like kubectl.
fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

enum Piece {
    Text(String),
    Action(String),
}

/// Splits template text into literal text and `{…}` actions (quotes inside actions may hold braces).
fn split_actions(source: &str) -> std::result::Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '{' {
            text.push(c);
            continue;
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        let mut action = String::new();
        let mut quote: Option<char> = None;
        let mut depth = 0usize;
        let mut closed = false;
        while let Some(c) = chars.next() {
            match quote {
                Some(q) => {
                    action.push(c);
                    if c == '\\' {
                        if let Some(next) = chars.next() {
                            action.push(next);
                        }
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '"' | '\'' => {
                        quote = Some(c);
                        action.push(c);
                    }
                    '{' => {
                        depth += 1;
                        action.push(c);
                    }
                    '}' if depth == 0 => {
                        closed = true;
                        break;
                    }
                    '}' => {
                        depth -= 1;
                        action.push(c);
                    }
                    _ => action.push(c),
                },
            }
        }
        if !closed {
            return Err("unclosed action".to_string());
        }
        pieces.push(Piece::Action(action));
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// `"…"` literal actions (`{"\n"}`) with Go escapes.
fn string_literal(action: &str) -> Option<String> {
    let inner = action.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Some(out)
}

/// Rewrites a kubectl path (`.items[*].metadata.labels.app\.kubernetes\.io/name`) as RFC 9535
/// steps (`$['items'][*]['metadata']['labels']['app.kubernetes.io/name']`); a `[a,b]` union
/// becomes its own step. No steps = the current object. Every step is validated.
fn to_rfc(expr: &str) -> std::result::Result<Query, String> {
    let expr = expr.trim();
    let body = expr
        .strip_prefix('$')
        .or_else(|| expr.strip_prefix('@'))
        .unwrap_or(expr);
    let mut steps = Vec::new();
    if body.is_empty() || body == "." {
        return Ok(steps);
    }
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::from("$");
    let mut i = 0;
    // A field name runs to the next `.` or `[`; a `,` outside brackets is not kubectl syntax.
    let name_at = |i: &mut usize| -> std::result::Result<String, String> {
        let mut name = String::new();
        while *i < chars.len() && chars[*i] != '.' && chars[*i] != '[' {
            if chars[*i] == ',' {
                return Err("unrecognized character in action: U+002C ','".to_string());
            }
            if chars[*i] == '\\' && *i + 1 < chars.len() {
                *i += 1;
            }
            name.push(chars[*i]);
            *i += 1;
        }
        Ok(name)
    };
    while i < chars.len() {
        match chars[i] {
            '.' => {
                let recursive = chars.get(i + 1) == Some(&'.');
                i += if recursive { 2 } else { 1 };
                if recursive {
                    out.push_str("..");
                }
                match chars.get(i) {
                    Some('*') => {
                        out.push_str("[*]");
                        i += 1;
                    }
                    Some('[') => {}
                    Some(_) => {
                        let name = name_at(&mut i)?;
                        out.push_str(&format!(
                            "['{}']",
                            name.replace('\\', "\\\\").replace('\'', "\\'")
                        ));
                    }
                    None if recursive => return Err(format!("unexpected end of path {expr:?}")),
                    None => {}
                }
            }
            '[' => {
                let start = i;
                let mut quote: Option<char> = None;
                let mut depth = 0usize;
                let mut commas = Vec::new();
                while i < chars.len() {
                    let c = chars[i];
                    match quote {
                        Some(q) if c == q => quote = None,
                        Some(_) => {}
                        None => match c {
                            '\'' | '"' => quote = Some(c),
                            '[' => depth += 1,
                            ',' if depth == 1 => commas.push(i),
                            ']' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        },
                    }
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(format!("unterminated [ in {expr:?}"));
                }
                let filter = chars.get(start + 1) == Some(&'?');
                if commas.is_empty() || filter {
                    out.extend(&chars[start..=i]);
                } else {
                    let mut bounds = vec![start];
                    bounds.extend(&commas);
                    bounds.push(i);
                    let branches = bounds
                        .windows(2)
                        .map(|w| union_branch(&chars[w[0] + 1..w[1]].iter().collect::<String>()))
                        .collect::<std::result::Result<Vec<_>, _>>()?;
                    flush_rfc(&mut steps, &mut out)?;
                    steps.push(Step::Union(branches));
                }
                i += 1;
            }
            _ => {
                // A leading bare name (`{items[0]}`) is relative to the root too.
                let name = name_at(&mut i)?;
                out.push_str(&format!("['{}']", name.replace('\'', "\\'")));
            }
        }
    }
    flush_rfc(&mut steps, &mut out)?;
    Ok(steps)
}

/// Ends the RFC path built so far as a step (validated), ready for the next.
fn flush_rfc(steps: &mut Query, out: &mut String) -> std::result::Result<(), String> {
    if out != "$" {
        jsonpath_rust::parser::parse_json_path(out).map_err(|e| format!("{e}"))?;
        steps.push(Step::Rfc(std::mem::replace(out, String::from("$"))));
    }
    Ok(())
}

/// One member of a `[a,b]` union. Like kubectl, `'metadata.name'` is a path relative to the
/// current result, anything else (an index, a slice, `*`) a bracket selector.
fn union_branch(member: &str) -> std::result::Result<Query, String> {
    let member = member.trim();
    if let Some(path) = member
        .strip_prefix('\'')
        .and_then(|m| m.strip_suffix('\''))
        .filter(|p| !p.contains('\''))
    {
        return to_rfc(&format!(".{path}"));
    }
    to_rfc(&format!("[{member}]"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(template: &str, data: &Value) -> String {
        JsonPathTemplate::parse(template)
            .unwrap()
            .render(data, true)
            .unwrap()
    }

    #[test]
    fn kubectl_paths_and_ranges() {
        let list = json!({
            "kind": "ServiceList",
            "items": [
                {"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "x"}},
                 "status": {"url": "http://a", "conditions": [{"type": "Ready", "status": "True"}]}},
                {"metadata": {"name": "b", "labels": {}},
                 "status": {"url": "http://b", "conditions": [{"type": "Ready", "status": "False"}]}}
            ]
        });
        assert_eq!(render("{.items[*].metadata.name}", &list), "a b");
        assert_eq!(render("{.kind}", &list), "ServiceList");
        assert_eq!(
            render(
                "{range .items[*]}{.metadata.name}{\"\\t\"}{.status.url}{\"\\n\"}{end}",
                &list
            ),
            "a\thttp://a\nb\thttp://b\n"
        );
        assert_eq!(
            render(
                r"{.items[0].metadata.labels.app\.kubernetes\.io/name}",
                &list
            ),
            "x"
        );
        assert_eq!(
            render(
                r#"{.items[1].status.conditions[?(@.type=="Ready")].status}"#,
                &list
            ),
            "False"
        );
        assert_eq!(
            render("{.items[0].metadata.labels}", &list),
            r#"{"app.kubernetes.io/name":"x"}"#
        );
        assert_eq!(
            render("name: {.items[-1:].metadata.name}!", &list),
            "name: b!"
        );
        assert_eq!(render("{..url}", &list), "http://a http://b");
    }

    #[test]
    fn unions_follow_kubectl() {
        let nodes = json!({"items": [
            {"metadata": {"name": "n1"}, "status": {"capacity": {"cpu": "4"}}},
            {"metadata": {"name": "n2"}, "status": {"capacity": {"cpu": "8"}}},
            {"metadata": {"name": "n3"}, "status": {"capacity": {"cpu": "2"}}}
        ]});
        // kubectl's documented example: each branch over all items, branch after branch.
        assert_eq!(
            render("{.items[*]['metadata.name', 'status.capacity']}", &nodes),
            r#"n1 n2 n3 {"cpu":"4"} {"cpu":"8"} {"cpu":"2"}"#
        );
        assert_eq!(render("{.items[0,2].metadata.name}", &nodes), "n1 n3");
        assert_eq!(render("{.items[2,0:2].metadata.name}", &nodes), "n3 n1 n2");
        assert_eq!(
            render(
                "{range .items[*]}{['metadata.name','status.capacity.cpu']}{\"\\n\"}{end}",
                &nodes
            ),
            "n1 4\nn2 8\nn3 2\n"
        );
        // A comma inside a filter is part of the filter, not a union.
        assert_eq!(
            render(
                r#"{.items[?(@.metadata.name=="n1,n2")].metadata.name}"#,
                &nodes
            ),
            ""
        );
        // Tab-separated columns are literals between actions.
        assert_eq!(
            render(
                "{.items[0].metadata.name}{\"\\t\"}{.items[0].status.capacity.cpu}",
                &nodes
            ),
            "n1\t4"
        );
        let err = JsonPathTemplate::parse("{.items,.kind}").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            "error parsing jsonpath {.items,.kind}, unrecognized character in action: U+002C ','"
        );
    }

    #[test]
    fn missing_keys_fail_only_when_asked() {
        let obj = json!({"metadata": {"name": "a"}});
        let template = JsonPathTemplate::parse("{.status.url}").unwrap();
        assert_eq!(template.render(&obj, true).unwrap(), "");
        let err = template.render(&obj, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "error executing jsonpath \"{.status.url}\": Error executing template: status.url is not found"
        );
    }

    #[test]
    fn bad_templates_are_usage_errors() {
        assert_eq!(
            JsonPathTemplate::parse("{.items[0}")
                .unwrap_err()
                .exit_code(),
            2
        );
        assert_eq!(
            JsonPathTemplate::parse("{range .items[*]}")
                .unwrap_err()
                .exit_code(),
            2
        );
        assert_eq!(JsonPathTemplate::parse("{.a").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn as_json_collects_results() {
        let obj = json!({"items": [{"n": 1}, {"n": 2}]});
        let template = JsonPathTemplate::parse("{.items[*].n}").unwrap();
        assert_eq!(
            template.render_json(&obj, true).unwrap(),
            "[\n    1,\n    2\n]\n"
        );
    }
}
