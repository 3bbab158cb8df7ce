//! Go's `time.ParseDuration`, the one parser of duration text: Knative's duration-valued
//! annotations (signed, in nanoseconds) and knit's duration flags (unsigned [`Duration`]s).

use std::time::Duration;

/// Nanoseconds of a Go duration string such as `1h30m`, `1.5s`, `-2m`; None when Go would
/// reject it.
pub fn parse_go_duration(s: &str) -> Option<i128> {
    check_go_duration(s).ok()?;
    let (neg, mut rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..num_end];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        let scale: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += value * scale;
        rest = &rest[unit_end..];
    }
    if total > 9.223_372_036_854_775e18 {
        return None;
    }
    let n = total.round() as i128;
    Some(if neg { -n } else { n })
}

pub const SECOND: i128 = 1_000_000_000;

/// A Go duration as a flag value: `500ms`, `2s`, `1m30s`, `1h`, `1.5s`, or `0`; `None` when
/// invalid (each caller words its own error). Unsigned: a delay or timeout cannot be negative.
pub fn parse_duration(text: &str) -> Option<Duration> {
    if text.starts_with(['+', '-']) {
        return None;
    }
    let nanos = parse_go_duration(text)?;
    u64::try_from(nanos).ok().map(Duration::from_nanos)
}

/// [`parse_duration`] with the error a command line shows (the bad value and examples).
pub fn parse_flag_duration(text: &str) -> Result<Duration, String> {
    parse_duration(text)
        .ok_or_else(|| format!("invalid duration '{text}' (examples: 500ms, 2s, 1m30s)"))
}

/// Checks a Go `time.ParseDuration` string's syntax, returning Go's error text on failure (the
/// one grammar: [`parse_go_duration`] and the emulator's cron check call it too).
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
    fn parses_go_durations() {
        assert_eq!(parse_go_duration("1h30m"), Some(5400 * SECOND));
        assert_eq!(parse_go_duration("1.5s"), Some(1_500_000_000));
        assert_eq!(parse_go_duration("-2m"), Some(-120 * SECOND));
        assert_eq!(parse_go_duration("0"), Some(0));
        assert_eq!(parse_go_duration("10"), None);
        assert_eq!(parse_go_duration("abc"), None);
        assert_eq!(parse_go_duration(""), None);
    }

    #[test]
    fn flag_durations_are_unsigned() {
        assert_eq!(parse_duration("0"), Some(Duration::ZERO));
        assert_eq!(
            parse_duration("1m1.5s"),
            Some(Duration::from_millis(61_500))
        );
        for invalid in ["", "10", "5 s", "s", "1x", "..s"] {
            assert_eq!(parse_duration(invalid), None, "{invalid:?}");
        }
        // Signs and out-of-range values are invalid, not a panic.
        assert_eq!(parse_duration("-2s"), None);
        assert_eq!(parse_duration("+2s"), None);
        assert_eq!(parse_duration("99999999999999999999999h"), None);
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
