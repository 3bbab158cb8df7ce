//! The flags of `service logs` and `revision logs`: which containers, follow, since, tail,
//! timestamps, prefix and `-o json`; resolved into [`LogsSettings`] and a [`LineStyle`].

use clap::Args;

use super::duration::parse_duration;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::logs::{Containers, LogsSettings};
use crate::output::views::logs::LineStyle;

/// The user container Knative names when the service names none.
pub const DEFAULT_CONTAINER: &str = "user-container";

#[derive(Args, Debug, Clone)]
pub struct LogFlags {
    #[arg(
        short = 'c',
        long = "container",
        value_name = "string",
        help = "Print the logs of this container of each pod (default \"user-container\")."
    )]
    pub container: Option<String>,
    #[arg(
        long = "all-containers",
        help = "Print the logs of every container of each pod (with queue-proxy)."
    )]
    pub all_containers: bool,
    #[arg(
        short = 'f',
        long = "follow",
        help = "Keep printing new lines, from pods as they start, until interrupted (Ctrl-C)."
    )]
    pub follow: bool,
    #[arg(
        long = "since",
        value_name = "duration",
        value_parser = parse_duration,
        help = "Only lines newer than this, e.g. 5s, 2m, 3h."
    )]
    pub since: Option<std::time::Duration>,
    #[arg(
        long = "tail",
        value_name = "int",
        allow_negative_numbers = true,
        help = "Only the last lines of each container, this many (-1: all)."
    )]
    pub tail: Option<i64>,
    #[arg(
        long = "timestamps",
        help = "Put the time of each line in front of it."
    )]
    pub timestamps: bool,
    #[arg(
        long = "prefix",
        overrides_with = "no_prefix",
        help = "Put [pod/POD/CONTAINER] in front of each line (the default)."
    )]
    pub prefix: bool,
    #[arg(
        long = "no-prefix",
        overrides_with = "prefix",
        help = "Print lines without their pod and container."
    )]
    pub no_prefix: bool,
    #[arg(
        short = 'o',
        long = "output",
        value_name = "string",
        help = "Output format. One of: (json): one JSON object per line (pod, container, revision, timestamp, message)."
    )]
    pub output: Option<String>,
}

impl LogFlags {
    /// Settings for the pods `selector` picks, after checking the flags.
    pub fn settings(
        &self,
        command: &str,
        namespace: String,
        selector: String,
    ) -> Result<LogsSettings> {
        if self.all_containers && self.container.is_some() {
            return Err(Error::usage_in(
                command,
                "--container and --all-containers cannot be used together",
            ));
        }
        if let Some(out) = self.output.as_deref().filter(|o| *o != "json") {
            return Err(Error::usage_in(
                command,
                format!("invalid value '{out}' for '--output': the only format is json"),
            ));
        }
        let tail = match self.tail {
            Some(n) if n < -1 => {
                return Err(Error::usage_in(
                    command,
                    format!("invalid value '{n}' for '--tail': a number of lines, or -1 for all"),
                ));
            }
            Some(-1) => None,
            other => other,
        };
        let since_seconds = match self.since {
            Some(d) if d.as_secs() == 0 => {
                return Err(Error::usage_in(
                    command,
                    "invalid value for '--since': at least one second",
                ));
            }
            other => other.map(|d| d.as_secs() as i64),
        };
        Ok(LogsSettings {
            namespace,
            selector,
            containers: if self.all_containers {
                Containers::All
            } else {
                Containers::One(
                    self.container
                        .clone()
                        .unwrap_or_else(|| DEFAULT_CONTAINER.to_string()),
                )
            },
            follow: self.follow,
            since_seconds,
            tail,
        })
    }

    /// How lines are written: coloured prefixes only on a colour terminal.
    pub fn style(&self, ctx: &Context) -> LineStyle {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        LineStyle {
            prefix: !self.no_prefix,
            timestamps: self.timestamps,
            colour: ctx.stdout_tty && !no_color,
            json: self.output.is_some(),
        }
    }
}
