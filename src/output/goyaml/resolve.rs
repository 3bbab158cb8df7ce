//! go-yaml's `resolve`: whether a plain scalar reads back as the string it was (not a bool,
//! null, number, base-60 float or timestamp), which decides whether the writer quotes it.

/// Whether the string, written plain, reads back as the same string (go-yaml's `resolve`
/// gives `!!str`, and it is no base-60 float); otherwise go-yaml double-quotes it.
pub(super) fn plain_reads_back(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", "",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    if SPECIAL.contains(&s) {
        return false;
    }
    let Some(first) = s.chars().next() else {
        return false;
    };
    match first {
        '.' => s.parse::<f64>().is_err() || s.contains(['i', 'I', 'n', 'N']),
        '+' | '-' | '0'..='9' => {
            !(timestamp(s) || number_like(&s.replace('_', "")) || base60_float(s))
        }
        _ => true,
    }
}

/// go's `strconv.ParseInt/ParseUint(s, 0, 64)` or go-yaml's float pattern, or a `0b` integer.
fn number_like(s: &str) -> bool {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let integer = if let Some(hex) = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
    {
        !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
    } else if let Some(bin) = unsigned
        .strip_prefix("0b")
        .or_else(|| unsigned.strip_prefix("0B"))
    {
        !bin.is_empty() && bin.chars().all(|c| c == '0' || c == '1')
    } else if let Some(oct) = unsigned
        .strip_prefix("0o")
        .or_else(|| unsigned.strip_prefix("0O"))
    {
        !oct.is_empty() && oct.chars().all(|c| ('0'..='7').contains(&c))
    } else if unsigned.len() > 1 && unsigned.starts_with('0') {
        unsigned.chars().all(|c| ('0'..='7').contains(&c))
    } else {
        !unsigned.is_empty() && unsigned.chars().all(|c| c.is_ascii_digit())
    };
    integer || float_pattern(s)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn float_pattern(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let digits = |b: &[u8], i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = 0;
    if b.first() == Some(&b'.') {
        let n = digits(b, 1);
        if n == 0 {
            return false;
        }
        i = 1 + n;
    } else {
        let n = digits(b, 0);
        if n == 0 {
            return false;
        }
        i += n;
        if b.get(i) == Some(&b'.') {
            i += 1 + digits(b, i + 1);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(b, i);
        if n == 0 {
            return false;
        }
        i += n;
    }
    i == b.len()
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn base60_float(s: &str) -> bool {
    let rest = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (body, fraction) = match rest.split_once('.') {
        Some((b, f)) => (b, Some(f)),
        None => (rest, None),
    };
    if fraction.is_some_and(|f| !f.chars().all(|c| c.is_ascii_digit() || c == '_')) {
        return false;
    }
    let mut parts = body.split(':');
    let head = parts.next().unwrap_or("");
    if !head.starts_with(|c: char| c.is_ascii_digit())
        || !head.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return false;
    }
    let mut sexagesimal = 0;
    for p in parts {
        let ok = match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
        sexagesimal += 1;
    }
    sexagesimal > 0
}

/// go-yaml's `parseTimestamp`: `2006-1-2`, optionally followed by `T`, `t` or a space and a
/// time — what Go's time.Parse accepts for those layouts, told apart by shape.
fn timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i != 4 {
        return false;
    }
    let number = |i: &mut usize, max: usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        *i > start
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !number(&mut i, 2) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !number(&mut i, 2) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    if !matches!(b[i], b'T' | b't' | b' ') {
        return false;
    }
    i += 1;
    for sep in [b':', b':'] {
        if !number(&mut i, 2) || b.get(i) != Some(&sep) {
            return false;
        }
        i += 1;
    }
    if !number(&mut i, 2) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !number(&mut i, 9) {
            return false;
        }
    }
    let zone = &s[i..];
    zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && zone.starts_with(['+', '-'])
            && zone.as_bytes()[3] == b':'
            && zone[1..3]
                .chars()
                .chain(zone[4..].chars())
                .all(|c| c.is_ascii_digit()))
}
