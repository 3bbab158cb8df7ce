//! Ages as kn prints them: apimachinery's `HumanDuration` (tables) and `ShortHumanDuration`
//! (describe views), ported to jiff timestamps.

use jiff::Timestamp;

/// Milliseconds from `then` to `now` (negative when `then` is in the future).
fn elapsed_ms(then: Timestamp, now: Timestamp) -> i64 {
    (now.as_millisecond()).saturating_sub(then.as_millisecond())
}

/// The AGE cell of list tables (`TranslateTimestampSince`): `<unknown>` for a missing timestamp.
pub fn table_age(then: Option<Timestamp>, now: Timestamp) -> String {
    match then {
        None => "<unknown>".to_string(),
        Some(t) => human_duration(elapsed_ms(t, now)),
    }
}

/// The age in describe views (`Age:`, conditions, revision headers): "" for a missing timestamp.
pub fn short_age(then: Option<Timestamp>, now: Timestamp) -> String {
    match then {
        None => String::new(),
        Some(t) => short_human_duration(elapsed_ms(t, now)),
    }
}

/// apimachinery `duration.HumanDuration`: the emulator's port (its Table cells use the same
/// function), so the two crates cannot drift apart.
pub fn human_duration(ms: i64) -> String {
    knit_emulator::crd::human_duration(jiff::SignedDuration::from_millis(ms))
}

/// Port of apimachinery `duration.ShortHumanDuration`.
pub fn short_human_duration(ms: i64) -> String {
    let seconds = ms / 1000;
    if seconds < -1 {
        "<invalid>".to_string()
    } else if seconds < 0 {
        "0s".to_string()
    } else if seconds < 60 {
        format!("{seconds}s")
    } else if seconds / 60 < 60 {
        format!("{}m", seconds / 60)
    } else if seconds / 3600 < 24 {
        format!("{}h", seconds / 3600)
    } else if seconds / 3600 < 24 * 365 {
        format!("{}d", seconds / 3600 / 24)
    } else {
        format!("{}y", seconds / 3600 / 24 / 365)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_matches_apimachinery() {
        let cases = [
            (-5_000, "<invalid>"),
            (-1_500, "0s"),
            (0, "0s"),
            (119_000, "119s"),
            (120_000, "2m"),
            (125_000, "2m5s"),
            (162_000, "2m42s"),
            (600_000, "10m"),
            (7_300_000, "121m"),
            (10_800_000, "3h"),
            (11_400_000, "3h10m"),
            (28_800_000, "8h"),
            (200_000_000, "2d7h"),
            (172_800_000, "2d"),
            (691_200_000, "8d"),
            (70_000_000_000, "2y80d"),
            (300_000_000_000, "9y"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration(ms), want, "{ms} ms");
        }
    }

    #[test]
    fn short_human_duration_matches_apimachinery() {
        let cases = [
            (59_999, "59s"),
            (60_000, "1m"),
            (3_599_000, "59m"),
            (3_600_000, "1h"),
            (86_400_000, "1d"),
            (31_536_000_000, "1y"),
        ];
        for (ms, want) in cases {
            assert_eq!(short_human_duration(ms), want, "{ms} ms");
        }
        let now: Timestamp = "2026-01-01T00:05:00Z".parse().unwrap();
        assert_eq!(short_age(None, now), "");
        assert_eq!(table_age(None, now), "<unknown>");
        assert_eq!(
            table_age(Some("2026-01-01T00:00:00Z".parse().unwrap()), now),
            "5m"
        );
    }
}
