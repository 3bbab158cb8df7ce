//! Ages as kn prints them: apimachinery's `HumanDuration` (tables) and `ShortHumanDuration`
//! (describe views) of jiff timestamps, formatted by kubetext (as the emulator's Table cells are).

use jiff::Timestamp;
use kubetext::age::{human_duration, short_human_duration};

/// Whole seconds from `then` to `now` (negative when `then` is in the future), truncated as Go
/// truncates a `time.Duration` to seconds.
fn elapsed_seconds(then: Timestamp, now: Timestamp) -> i64 {
    now.as_millisecond().saturating_sub(then.as_millisecond()) / 1000
}

/// The AGE cell of list tables (`TranslateTimestampSince`): `<unknown>` for a missing timestamp.
pub fn table_age(then: Option<Timestamp>, now: Timestamp) -> String {
    match then {
        None => "<unknown>".to_string(),
        Some(t) => human_duration(elapsed_seconds(t, now)),
    }
}

/// The age in describe views (`Age:`, conditions, revision headers): "" for a missing timestamp.
pub fn short_age(then: Option<Timestamp>, now: Timestamp) -> String {
    match then {
        None => String::new(),
        Some(t) => short_human_duration(elapsed_seconds(t, now)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_of_timestamps() {
        let now: Timestamp = "2026-01-01T00:05:00Z".parse().unwrap();
        let at = |t: &str| Some(t.parse::<Timestamp>().unwrap());
        assert_eq!(short_age(None, now), "");
        assert_eq!(table_age(None, now), "<unknown>");
        assert_eq!(table_age(at("2026-01-01T00:00:00Z"), now), "5m");
        assert_eq!(table_age(at("2026-01-01T00:02:18.5Z"), now), "2m41s");
        assert_eq!(short_age(at("2025-12-31T00:00:00Z"), now), "1d");
        // A creation a little in the future (clock skew) is "0s"; further off, invalid.
        assert_eq!(table_age(at("2026-01-01T00:05:01.5Z"), now), "0s");
        assert_eq!(table_age(at("2026-01-01T00:05:03Z"), now), "<invalid>");
    }
}
