//! Syntax checks for Kubernetes quantities (`100m`, `256Mi`, `1e3`) and Go durations (`10s`,
//! `1m30s`): the API types are plain strings, so knit validates them before sending anything.

/// The suffixes apimachinery's `ParseQuantity` accepts besides a decimal exponent.
const SUFFIXES: [&str; 16] = [
    "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
];

/// True when `s` is a valid Kubernetes resource quantity.
pub fn is_quantity(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let int_len = body.bytes().take_while(u8::is_ascii_digit).count();
    let mut rest = &body[int_len..];
    let mut digits = int_len;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let frac_len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        digits += frac_len;
        rest = &after_dot[frac_len..];
    }
    if digits == 0 {
        return false;
    }
    if SUFFIXES.contains(&rest) {
        return true;
    }
    // A decimal exponent: e or E, an optional sign, then digits.
    match rest.strip_prefix(['e', 'E']) {
        Some(exp) => {
            let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            !exp.is_empty() && exp.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Checks a Go `time.ParseDuration` string, returning Go's error text on failure.
pub fn check_go_duration(s: &str) -> Result<(), String> {
    let invalid = || format!("time: invalid duration \"{s}\"");
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body == "0" {
        return Ok(());
    }
    if body.is_empty() {
        return Err(invalid());
    }
    let mut rest = body;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let mut digits = int_len;
        rest = &rest[int_len..];
        if let Some(after_dot) = rest.strip_prefix('.') {
            let frac_len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
            digits += frac_len;
            rest = &after_dot[frac_len..];
        }
        if digits == 0 {
            return Err(invalid());
        }
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        let unit = &rest[..unit_len];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration \"{s}\""));
        }
        if !["ns", "us", "µs", "μs", "ms", "s", "m", "h"].contains(&unit) {
            return Err(format!("time: unknown unit \"{unit}\" in duration \"{s}\""));
        }
        rest = &rest[unit_len..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_quantities() {
        for q in [
            "1", "0", "100m", "0.5", ".5", "5.", "256Mi", "1Gi", "+1", "-1", "1e3", "1E-3", "2k",
            "1.5Ei", "10n",
        ] {
            assert!(is_quantity(q), "{q}");
        }
    }

    #[test]
    fn invalid_quantities() {
        for q in [
            "", "abc", "1x", "Mi", "1MiB", "1.2.3", "1e", "1e+", "1 Mi", "m", "--1", "1KI", ".",
        ] {
            assert!(!is_quantity(q), "{q}");
        }
    }

    #[test]
    fn go_durations() {
        for d in [
            "10s",
            "1m30s",
            "1.5h",
            "0",
            "300ms",
            "-1s",
            "1h2m3s4ms5us6ns",
            ".5s",
        ] {
            assert_eq!(check_go_duration(d), Ok(()), "{d}");
        }
        assert_eq!(
            check_go_duration("10").unwrap_err(),
            "time: missing unit in duration \"10\""
        );
        assert_eq!(
            check_go_duration("10x").unwrap_err(),
            "time: unknown unit \"x\" in duration \"10x\""
        );
        assert_eq!(
            check_go_duration("abc").unwrap_err(),
            "time: invalid duration \"abc\""
        );
        assert_eq!(
            check_go_duration("").unwrap_err(),
            "time: invalid duration \"\""
        );
    }
}
