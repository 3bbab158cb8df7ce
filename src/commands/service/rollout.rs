//! `knit service rollout NAME`: progressive delivery in one command (beyond kn): flags and
//! `run`; the engine is [`crate::ops::rollout`].

use std::time::Duration;

use clap::Args;

use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::podspec::ProcessStdin;
use crate::commands::args::service_edit::ServiceEditArgs;
use crate::context::Context;
use crate::edit::rollout::{Gate, Steps, check_pause_at};
use crate::error::{Error, Result};
use crate::ops::rollout::{self as engine, Action, DEFAULT_GATE_TIMEOUT, DEFAULT_STEPS, Interval};
use crate::ops::write::service as write_flow;

const EXAMPLES: &str = "Examples:

  # Roll out a new image: 10%, 25%, 50%, then all traffic, one minute apart
  knit service rollout svc --image ghcr.io/knative/helloworld-go:v2

  # Faster, in three steps; any 'service update' edit flag may be given
  knit service rollout svc --env TARGET=v2 --steps 20,50,100 --interval 30s

  # Resume a rollout after knit was interrupted
  knit service rollout svc

  # Ask a webhook before each step (a non-2xx answer rolls back), and stop at 50%
  knit service rollout svc --image ghcr.io/knative/helloworld-go:v3 --gate-webhook https://gate.example/check --pause-at 50

  # Continue a paused rollout
  knit service rollout svc --resume

  # Finish the rollout in progress now, or stop it and restore the traffic
  knit service rollout svc --promote
  knit service rollout svc --abort";

/// `--tag`: a DNS label, as Knative requires of tags.
fn parse_tag(s: &str) -> std::result::Result<String, String> {
    let valid = !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(s.to_string())
    } else {
        Err("a tag is lower-case letters, digits and '-', starting with a letter".to_string())
    }
}

/// Roll out a new revision step by step
#[derive(Args, Debug)]
#[command(
    about = "Roll out a new revision step by step, rolling back on failure",
    long_about = "Roll out a new revision step by step, rolling back on failure.

Applies the edit flags (like 'service update') as a new revision that gets no traffic, waits until it is ready, then gives it the percentages of --steps one after the other, --interval apart. The other revisions keep the rest of the traffic in their previous proportions. The last step (100) promotes the new revision: all traffic goes to @latest, and tags of the previous split are kept at 0%.

If the new revision fails (before or during the steps), the traffic split and the revision template are put back as they were before the rollout (the server makes a revision of the old template again) and the command exits 1. The progress is stored on the Service (annotation rollout.knit.dev/state), so running the command again resumes an interrupted rollout; --promote finishes it at once and --abort puts the traffic and the template back.

With --gate-webhook, knit POSTs the details of each step as JSON before applying it, shaped as Flagger's webhook payload: {\"name\", \"namespace\", \"phase\" (Progressing, or Promoting before the step to 100%), \"checksum\" (the new revision), \"metadata\": {\"service\", \"revision\", \"previousRevision\", \"tag\", \"step\", \"steps\", \"currentPercent\", \"nextPercent\"}} (metadata values are strings). Any answer but 2xx, or none within --gate-timeout, rolls the rollout back as a failed revision does. --promote does not ask the gate.

With --pause-at, the rollout stops once that step is served and the command exits 0; --resume continues it (and may name a later --pause-at).",
    override_usage = "NAME",
    after_help = EXAMPLES,
    args_override_self = true,
)]
pub struct RolloutArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub edit: ServiceEditArgs,
    /// Traffic percentages of the new revision, one per step: increasing, from 1 to 100, the last being 100 (default 10,25,50,100)
    #[arg(long = "steps", value_name = "list")]
    pub steps: Option<Steps>,
    /// Time between two steps, e.g. 30s, 5m, 1m30s (default 1m)
    #[arg(long = "interval", value_name = "duration")]
    pub interval: Option<Interval>,
    /// Tag of the new revision while the rollout runs (default candidate)
    #[arg(long = "tag", value_name = "string", value_parser = parse_tag)]
    pub tag: Option<String>,
    /// URL (http or https) that must answer 2xx to a POST of the step's details before each step; any other answer or none rolls back
    #[arg(long = "gate-webhook", value_name = "url", value_parser = engine::gate::check_url)]
    pub gate_webhook: Option<String>,
    /// How long the gate may take to answer, e.g. 5s, 1m (default 10s)
    #[arg(long = "gate-timeout", value_name = "duration")]
    pub gate_timeout: Option<Interval>,
    /// Stop the rollout once this step's percentage is served, until --resume (one of --steps, not the last)
    #[arg(long = "pause-at", value_name = "percent")]
    pub pause_at: Option<u8>,
    /// Continue a paused (or interrupted) rollout
    #[arg(long = "resume", conflicts_with_all = ["steps", "tag", "gate_webhook", "gate_timeout"])]
    pub resume: bool,
    /// Finish the rollout in progress now: all traffic to the new revision
    #[arg(long = "promote", conflicts_with_all = ["steps", "interval", "tag", "gate_webhook", "gate_timeout", "pause_at", "resume"])]
    pub promote: bool,
    /// Stop the rollout in progress: put the traffic and the revision template back as they were before it, removing the tag
    #[arg(long = "abort", conflicts_with_all = ["promote", "steps", "interval", "tag", "gate_webhook", "gate_timeout", "pause_at", "resume"])]
    pub abort: bool,
    /// Seconds to wait for the new revision, and for the service after each step, to become ready.
    #[arg(long = "wait-timeout", value_name = "int", default_value_t = 600)]
    pub wait_timeout: u64,
}

pub async fn run(args: &RolloutArgs, ctx: &Context) -> Result<()> {
    let [name] = args.names.as_slice() else {
        return Err(Error::usage(
            "'service rollout' requires the service name given as single argument",
        ));
    };
    let action = match (args.abort, args.promote, args.resume) {
        (true, _, _) => Action::Abort,
        (_, true, _) => Action::Promote,
        (_, _, true) => Action::Resume,
        _ => Action::Run,
    };
    let flag = match action {
        Action::Abort => Some("--abort"),
        Action::Promote => Some("--promote"),
        Action::Resume => Some("--resume"),
        Action::Run => None,
    };
    if let Some(flag) = flag
        && !args.edit.is_empty()
    {
        return Err(Error::usage(format!(
            "{flag} acts on the rollout in progress and takes no edit flag (such as --image)"
        )));
    }
    // A new rollout's pause point is checked against its steps before anything is sent.
    if let Some(percent) = args.pause_at
        && action == Action::Run
        && !args.edit.is_empty()
    {
        let steps = args
            .steps
            .clone()
            .unwrap_or_else(|| Steps(DEFAULT_STEPS.to_vec()));
        check_pause_at(percent, &steps.0, 0).map_err(Error::usage)?;
    }
    let namespace = args.namespace.resolve(ctx)?;
    let edit = args.edit.to_edit(&mut ProcessStdin, false)?;
    let profiles = write_flow::profiles(ctx);
    write_flow::check_profile(&edit, &profiles)?;
    let gate = args.gate_webhook.as_ref().map(|url| Gate {
        url: url.clone(),
        timeout: args
            .gate_timeout
            .as_ref()
            .map_or_else(|| DEFAULT_GATE_TIMEOUT.to_string(), |t| t.text.clone()),
    });
    match (&args.gate_timeout, &args.gate_webhook) {
        (Some(_), None) => {
            return Err(Error::usage(
                "--gate-timeout is the time --gate-webhook may take to answer; give --gate-webhook too",
            ));
        }
        (Some(timeout), _) if timeout.duration.is_zero() => {
            return Err(Error::usage(
                "--gate-timeout must be longer than 0 (e.g. 5s, 1m)",
            ));
        }
        _ => {}
    }
    let settings = engine::Settings {
        name: name.clone(),
        namespace,
        explicit_namespace: args.namespace.namespace.is_some(),
        action,
        edit,
        profiles,
        steps: args.steps.clone(),
        interval: args.interval.clone(),
        tag: args.tag.clone(),
        gate,
        pause_at: args.pause_at,
        timeout: Duration::from_secs(args.wait_timeout),
    };
    engine::run(ctx, &settings).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_dns_labels() {
        assert_eq!(parse_tag("canary-2"), Ok("canary-2".to_string()));
        for bad in ["", "Canary", "2nd", "a_b", "end-"] {
            assert!(parse_tag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_interval_parses() {
        assert_eq!(
            engine::DEFAULT_INTERVAL
                .parse::<Interval>()
                .map(|i| i.duration),
            Ok(Duration::from_secs(60))
        );
        assert_eq!(
            DEFAULT_GATE_TIMEOUT.parse::<Interval>().map(|i| i.duration),
            Ok(Duration::from_secs(10))
        );
    }
}
