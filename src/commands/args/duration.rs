//! Go-style duration flag values (`--interval`, `--watch-timeout`, `--ready-delay`): one parser,
//! Go's `time.ParseDuration` syntax without a sign, one error.

use std::time::Duration;

/// `500ms`, `2s`, `1m30s`, `1h`, `1.5s`, or `0`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    kubetext::duration::parse_flag_duration(text)
}

/// kubectl's `--request-timeout`: a whole number of seconds or a Go duration; zero (the
/// default) means requests never time out.
pub fn parse_request_timeout(text: &str) -> Result<Duration, String> {
    let parsed = match text.parse::<u64>() {
        Ok(seconds) => Some(Duration::from_secs(seconds)),
        Err(_) => kubetext::duration::parse_duration(text),
    };
    match parsed {
        Some(d) => Ok(d),
        None => Err(format!(
            "invalid timeout value '{text}': a whole number of seconds, or a number with a unit (e.g. 1s, 2m, 3h)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_timeouts_are_seconds_or_durations() {
        assert_eq!(parse_request_timeout("0"), Ok(Duration::ZERO));
        assert_eq!(parse_request_timeout("5"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_request_timeout("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(
            parse_request_timeout("250ms"),
            Ok(Duration::from_millis(250))
        );
        assert!(
            parse_request_timeout("soon")
                .unwrap_err()
                .contains("'soon'")
        );
    }

    #[test]
    fn go_durations_without_a_sign() {
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        for bad in ["soon", "5", "-5s", "1 hour", "PT1H"] {
            assert_eq!(
                parse_duration(bad),
                Err(format!(
                    "invalid duration '{bad}' (examples: 500ms, 2s, 1m30s)"
                ))
            );
        }
    }
}
