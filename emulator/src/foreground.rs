//! What running the emulator in the foreground takes, shared by the `knit-emulator` program and
//! `knit emulator`: the warning about an exposed address and stopping on SIGINT or SIGTERM.

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
}
