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

/// The warning to print before serving on an address other machines may reach with no token:
/// anyone there could then read and change every object, Secrets included.
pub fn exposure_warning(config: &crate::Config) -> Option<String> {
    (!config.listen.ip().is_loopback() && config.token.is_none()).then(|| {
        format!(
            "warning: listening on {} without --token: anyone who can reach this address can read and change every object, Secrets included. Pass --token, or --listen on 127.0.0.1.",
            config.listen
        )
    })
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
    fn reachable_addresses_without_a_token_are_warned_about() {
        let at = |listen: &str, token: Option<&str>| crate::Config {
            listen: listen.parse().unwrap(),
            token: token.map(str::to_string),
            ..crate::Config::default()
        };
        assert_eq!(exposure_warning(&at("127.0.0.1:0", None)), None);
        assert_eq!(exposure_warning(&at("[::1]:0", None)), None);
        assert_eq!(exposure_warning(&at("0.0.0.0:8443", Some("t"))), None);
        assert_eq!(
            exposure_warning(&at("0.0.0.0:8443", None)).unwrap(),
            "warning: listening on 0.0.0.0:8443 without --token: anyone who can reach this address can read and change every object, Secrets included. Pass --token, or --listen on 127.0.0.1."
        );
    }

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
