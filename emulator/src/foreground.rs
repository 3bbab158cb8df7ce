//! What running the emulator in the foreground takes, shared by the `knit-emulator` program and
//! `knit emulator`: Go-style durations on the command line and stopping on SIGINT or SIGTERM.

use std::time::Duration;

use crate::admission::serving::duration::parse_go_duration;

/// A Go-style duration: `500ms`, `2s`, `1m30s`, `1h`, `1.5s`, or `0`; `None` when invalid
/// (each caller words its own error). Unsigned: a delay cannot be negative.
pub fn parse_duration(text: &str) -> Option<Duration> {
    if text.starts_with(['+', '-']) {
        return None;
    }
    let nanos = parse_go_duration(text)?;
    u64::try_from(nanos).ok().map(Duration::from_nanos)
}

/// Registers for SIGINT/SIGTERM now (so a signal right after the emulator announces itself is
/// not lost) and returns a future that completes on the first of them.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async move {
            match (term, int) {
                (Some(mut term), Some(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
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
