//! Go's number parsing and string unquoting (`strconv`), and the regular expressions client-go
//! splits slices and filters with, as the parser needs them.

/// Go's `strconv.Atoi` (64-bit `int`): optional sign, decimal digits, no overflow.
pub(super) fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go's `strconv.ParseFloat` for the characters a number token can hold (sign, digits, dots);
/// out-of-range values are errors in Go.
pub(super) fn go_parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || body == "." || body.matches('.').count() > 1 {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` (ASCII digits), as three groups ("" when absent).
pub(super) fn slice_groups(text: &str) -> Option<[&str; 3]> {
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
pub(super) fn filter_groups(text: &str) -> Option<(&str, &str, &str)> {
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
pub(super) fn unquote_extend(s: &str) -> Option<String> {
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
pub(super) fn unquote_char(s: &str, quote: char) -> Option<(Vec<u8>, &str)> {
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
