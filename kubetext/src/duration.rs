//! Go's `time.ParseDuration`, the one parser of duration text: Knative's duration-valued
//! annotations (signed, in nanoseconds) and knit's duration flags (unsigned [`Duration`]s).

use std::time::Duration;

/// Nanoseconds of a Go duration string such as `1h30m`, `1.5s`, `-2m`; None when Go would
/// reject it.
pub fn parse_go_duration(s: &str) -> Option<i128> {
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
}
