//! kn's wait flags: `--wait`/`--no-wait` (paired), `--wait-timeout`, `--wait-window`.
//!
//! Commands set the help texts (`Wait for 'service create' operation to be completed.`) with
//! `#[command(mut_arg(…))]`, since they name the operation.

use std::time::Duration;

use clap::Args;

use super::paired;
use crate::error::Result;

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
    #[arg(
        help = "Seconds to wait before giving up on waiting for the resource to be ready.",
        long = "wait-timeout",
        value_name = "int",
        default_value_t = 600
    )]
    pub wait_timeout: u64,
    #[arg(
        help = "Seconds to wait for the resource to be ready after a false ready condition is returned",
        long = "wait-window",
        value_name = "int",
        default_value_t = 2
    )]
    pub wait_window: u64,
}

/// How long to wait, once waiting is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitSettings {
    /// Bound on the whole wait (`--wait-timeout`).
    pub timeout: Duration,
    /// Grace period after Ready=False before failing (`--wait-window`).
    pub window: Duration,
}

impl WaitTimingArgs {
    pub fn settings(&self) -> WaitSettings {
        WaitSettings {
            timeout: Duration::from_secs(self.wait_timeout),
            window: Duration::from_secs(self.wait_window),
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
