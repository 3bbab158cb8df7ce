//! kn's wait flags: `--wait`/`--no-wait` (paired), `--wait-timeout`, `--wait-window`.
//!
//! Commands set the help texts (`Wait for 'service create' operation to be completed.`) with
//! [`WaitHelp`], since they name the operation.

use std::time::Duration;

use clap::Args;

use super::paired;
use crate::error::Result;
use crate::ops::wait::WaitSettings;
// Re-exported for `service rollout`, which keeps its imports until it moves to `ops::rollout`.

/// `--wait`/`--no-wait` plus the timing flags.
#[derive(Args, Debug, Clone)]
pub struct WaitArgs {
    #[arg(help = "Wait for the operation to be completed.", long = "wait", value_name = "bool", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub wait: Option<bool>,
    #[arg(help = "Do not wait for the operation to be completed.", long = "no-wait", value_name = "bool", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub no_wait: Option<bool>,
    #[command(flatten)]
    pub timing: WaitTimingArgs,
}

/// `--wait-timeout` and `--wait-window` (all that `service wait` has).
#[derive(Args, Debug, Clone)]
pub struct WaitTimingArgs {
    // kn's flags are Go ints: a negative value is accepted (a negative timeout expires at once).
    #[arg(
        help = "Seconds to wait before giving up on waiting for the resource to be ready.",
        long = "wait-timeout",
        value_name = "int",
        default_value_t = 600,
        allow_negative_numbers = true
    )]
    pub wait_timeout: i64,
    #[arg(
        help = "Seconds to wait for the resource to be ready after a false ready condition is returned",
        long = "wait-window",
        value_name = "int",
        default_value_t = 2,
        allow_negative_numbers = true
    )]
    pub wait_window: i64,
}

/// The wait flags' help texts, which name the command's operation and what it waits for. Verbs
/// call these from `#[command(...)]` like clap's own methods, once the flags are in:
/// `#[command(wait_help("service create"), wait_timing_help("service", "ready"))]`.
pub trait WaitHelp {
    /// `--wait`/`--no-wait` of `operation` (e.g. `service create`).
    fn wait_help(self, operation: &str) -> Self;
    /// `--wait-timeout`/`--wait-window`: waiting for `noun` to be `state` (`ready`, `deleted`).
    fn wait_timing_help(self, noun: &str, state: &str) -> Self;
}

impl WaitHelp for clap::Command {
    fn wait_help(self, operation: &str) -> Self {
        // kn's help shows `(default true)` on the half that is on by default: `--no-wait` for
        // deletes, `--wait` for everything else.
        let (wait_default, no_wait_default) = if operation.ends_with("delete") {
            ("", " (default true)")
        } else {
            (" (default true)", "")
        };
        self.mut_arg("wait", |a| {
            a.help(format!(
                "Wait for '{operation}' operation to be completed.{wait_default}"
            ))
        })
        .mut_arg("no_wait", |a| {
            a.help(format!(
                "Do not wait for '{operation}' operation to be completed.{no_wait_default}"
            ))
        })
    }

    fn wait_timing_help(self, noun: &str, state: &str) -> Self {
        self.mut_arg("wait_timeout", |a| {
            a.help(format!(
                "Seconds to wait before giving up on waiting for {noun} to be {state}."
            ))
        })
        .mut_arg("wait_window", |a| {
            a.help(format!(
                "Seconds to wait for {noun} to be {state} after a false ready condition is returned"
            ))
        })
    }
}

impl WaitTimingArgs {
    pub fn settings(&self) -> WaitSettings {
        WaitSettings {
            timeout: Duration::from_secs(self.wait_timeout.max(0).unsigned_abs()),
            timeout_seconds: self.wait_timeout,
            window: Duration::from_secs(self.wait_window.max(0).unsigned_abs()),
        }
    }
}

impl WaitArgs {
    /// `Some(settings)` when the command should wait; `default` is the command's own default
    /// (true for create/update, false for delete).
    pub fn resolve(&self, default: bool) -> Result<Option<WaitSettings>> {
        let wait = paired::resolve("wait", self.wait, self.no_wait, default)?;
        Ok(wait.then(|| self.timing.settings()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        wait: WaitArgs,
    }

    fn settings(args: &[&str]) -> WaitSettings {
        let cli = Cli::try_parse_from(std::iter::once("t").chain(args.iter().copied())).unwrap();
        cli.wait.timing.settings()
    }

    #[test]
    fn a_negative_timeout_is_taken_as_kn_takes_it() {
        let s = settings(&["--wait-timeout", "-1", "--wait-window", "-3"]);
        assert_eq!(s.timeout, Duration::ZERO);
        assert_eq!(s.timeout_seconds, -1);
        assert_eq!(s.window, Duration::ZERO);
        let s = settings(&[]);
        assert_eq!((s.timeout.as_secs(), s.timeout_seconds), (600, 600));
        assert_eq!(s.window, Duration::from_secs(2));
    }
}
