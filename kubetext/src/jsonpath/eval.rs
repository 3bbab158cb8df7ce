//! Evaluation (client-go `jsonpath.go`): walking the node tree over a JSON value, with
//! client-go's range bookkeeping, filters and comparison errors.

use super::*;

/// An evaluation error and the values client-go returns with it (which an existence filter
/// still counts).
pub(super) struct Fail<'a> {
    partial: Vec<Item<'a>>,
    error: ExecError,
}

pub(super) type Walk<'a> = Result<Vec<Item<'a>>, Fail<'a>>;

pub(super) fn fail<'a, T>(
    partial: Vec<Item<'a>>,
    message: impl Into<String>,
) -> Result<T, Fail<'a>> {
    Err(Fail {
        partial,
        error: ExecError(message.into()),
    })
}

pub(super) fn find_results<'a>(
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

pub(super) fn walk<'a>(state: &mut State, input: Vec<Item<'a>>, node: &Node) -> Walk<'a> {
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

pub(super) fn eval_list<'a>(state: &mut State, input: Vec<Item<'a>>, nodes: &[Node]) -> Walk<'a> {
    let mut cur = input;
    for node in nodes {
        cur = walk(state, cur, node)?;
    }
    Ok(cur)
}

pub(super) fn eval_field<'a>(state: &State, input: Vec<Item<'a>>, name: &str) -> Walk<'a> {
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

pub(super) fn eval_array<'a>(input: Vec<Item<'a>>, params: &[Param; 3]) -> Walk<'a> {
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

pub(super) fn eval_recursive(input: Vec<Item<'_>>) -> Vec<Item<'_>> {
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

pub(super) fn eval_filter<'a>(
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
pub(super) enum Basic<'v> {
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'v str),
}

pub(super) const BAD_TYPE: &str = "invalid type for comparison";
pub(super) const BAD_COMPARISON: &str = "incompatible types for comparison";

pub(super) fn basic<'v>(item: &'v Item<'_>) -> Result<Basic<'v>, &'static str> {
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

pub(super) fn equal(a: &Item<'_>, b: &Item<'_>) -> Result<bool, &'static str> {
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

pub(super) fn less(a: &Item<'_>, b: &Item<'_>) -> Result<bool, &'static str> {
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

pub(super) fn less_equal(a: &Item<'_>, b: &Item<'_>) -> Result<bool, &'static str> {
    if less(a, b)? {
        return Ok(true);
    }
    equal(a, b)
}
