//! The rollout gate (`--gate-webhook`): before each step knit POSTs the step's details as JSON,
//! shaped as Flagger's webhook payload (`name`, `namespace`, `phase`, `checksum`, and string
//! `metadata`), and goes on only on a 2xx answer within the timeout.

use std::time::Duration;

use serde_json::{Value, json};

use crate::client::webhook::{self, Failure};
use crate::edit::rollout::{Gate, State};

/// The body posted before the step after `state`'s current one. `phase` is Flagger's:
/// `Progressing` before a traffic increase, `Promoting` before the step to 100%. The checksum
/// names the candidate revision, which identifies the configuration being rolled out.
pub fn payload(name: &str, namespace: &str, state: &State, candidate: &str) -> Value {
    let next = state.next_percent().unwrap_or(100);
    let phase = if next == 100 {
        "Promoting"
    } else {
        "Progressing"
    };
    json!({
        "name": name,
        "namespace": namespace,
        "phase": phase,
        "checksum": candidate,
        "metadata": {
            "service": name,
            "revision": candidate,
            "previousRevision": state.previous_latest,
            "tag": state.tag,
            "step": (state.step + 1).to_string(),
            "steps": state.steps.len().to_string(),
            "currentPercent": state.current_percent().to_string(),
            "nextPercent": next.to_string(),
        },
    })
}

/// Asks the gate about the next step; `Err` says why it refused (`step 2/3 (50%): URL answered
/// 503 Service Unavailable: not now`).
pub async fn ask(
    gate: &Gate,
    name: &str,
    namespace: &str,
    state: &State,
    candidate: &str,
) -> Result<(), String> {
    let timeout = kubetext::duration::parse_duration(&gate.timeout)
        .filter(|d| !d.is_zero())
        .unwrap_or(Duration::from_secs(10));
    let body = payload(name, namespace, state, candidate);
    let step = format!(
        "step {}/{} ({}%)",
        state.step + 1,
        state.steps.len(),
        state.next_percent().unwrap_or(100)
    );
    let url = &gate.url;
    match webhook::post_json(url, &body, timeout).await {
        Ok(answer) if answer.status.is_success() => Ok(()),
        Ok(answer) => {
            let said = if answer.message.is_empty() {
                String::new()
            } else {
                format!(": {}", answer.message)
            };
            Err(format!("{step}: {url} answered {}{said}", answer.status))
        }
        Err(Failure::Timeout) => Err(format!(
            "{step}: {url} did not answer within {}",
            gate.timeout
        )),
        Err(Failure::Unreachable(e)) => Err(format!("{step}: {url} could not be reached: {e}")),
    }
}

/// `--gate-webhook`: an absolute http or https URL with a host.
pub fn check_url(url: &str) -> Result<String, String> {
    let bad = || format!("'{url}' is not an http:// or https:// URL with a host");
    let uri: http::Uri = url.parse().map_err(|_| bad())?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let host_ok = uri.host().is_some_and(|h| !h.is_empty());
    if scheme_ok && host_ok {
        Ok(url.to_string())
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(step: usize) -> State {
        State {
            revision: Some("hello-00002".into()),
            generation: 2,
            tag: "candidate".into(),
            steps: vec![10, 50, 100],
            step,
            interval: "1m".into(),
            started: "2026-01-01T00:00:00Z".into(),
            step_started: "2026-01-01T00:00:00Z".into(),
            previous: Value::Null,
            previous_latest: "hello-00001".into(),
            previous_template: Value::Null,
            gate: None,
            pause_at: None,
            paused: false,
        }
    }

    #[test]
    fn payloads_follow_flaggers_shape() {
        assert_eq!(
            payload("hello", "default", &state(1), "hello-00002"),
            json!({"name": "hello", "namespace": "default", "phase": "Progressing", "checksum": "hello-00002",
                "metadata": {"service": "hello", "revision": "hello-00002", "previousRevision": "hello-00001",
                    "tag": "candidate", "step": "2", "steps": "3", "currentPercent": "10", "nextPercent": "50"}})
        );
        let last = payload("hello", "default", &state(2), "hello-00002");
        assert_eq!(last["phase"], "Promoting");
        assert_eq!(last["metadata"]["nextPercent"], "100");
        assert_eq!(
            payload("hello", "default", &state(0), "hello-00002")["metadata"]["currentPercent"],
            "0"
        );
    }

    #[test]
    fn gate_urls_are_http_or_https_with_a_host() {
        assert_eq!(
            check_url("https://gate.example:8443/check?x=1"),
            Ok("https://gate.example:8443/check?x=1".into())
        );
        assert!(check_url("http://127.0.0.1:9/").is_ok());
        for bad in [
            "ftp://gate.example/",
            "gate.example/check",
            "/check",
            "http://",
            "",
        ] {
            assert_eq!(
                check_url(bad),
                Err(format!(
                    "'{bad}' is not an http:// or https:// URL with a host"
                )),
                "{bad}"
            );
        }
    }
}
