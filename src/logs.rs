//! `service logs` and `revision logs`: the pods a label selector picks, and the lines of their
//! containers, read once and merged by time, or followed as pods start and stop.

use std::collections::HashSet;

use serde_json::Value;
use tokio::sync::mpsc;

use crate::client::Client;
use crate::client::ListOptions;
use crate::client::follow::{Collection, Follower, Observed};
use crate::client::kinds::POD;
use crate::client::pod_log::LogRequest;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::views::logs::{LineStyle, LineWriter, SourcedLine};

/// The label Knative puts on a Revision's pods.
pub const REVISION_LABEL: &str = "serving.knative.dev/revision";

/// Which containers of each pod to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Containers {
    One(String),
    All,
}

/// What `logs` reads.
#[derive(Debug, Clone)]
pub struct LogsSettings {
    pub namespace: String,
    /// The pods: a label selector (`serving.knative.dev/service=hello`).
    pub selector: String,
    pub containers: Containers,
    pub follow: bool,
    pub since_seconds: Option<i64>,
    pub tail: Option<i64>,
}

fn name(pod: &Value) -> String {
    pod.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn revision(pod: &Value) -> String {
    pod.pointer("/metadata/labels")
        .and_then(|l| l.get(REVISION_LABEL))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// The containers of `pod` to read, as settings choose them.
fn chosen(pod: &Value, containers: &Containers) -> Vec<String> {
    let names: Vec<String> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
        .collect();
    match containers {
        Containers::All => names,
        Containers::One(one) => names.into_iter().filter(|n| n == one).collect(),
    }
}

/// Whether a container has started (its log can be read).
fn started(pod: &Value, container: &str) -> bool {
    pod.pointer("/status/containerStatuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|s| {
            s.get("name").and_then(Value::as_str) == Some(container)
                && (s.pointer("/state/running").is_some()
                    || s.pointer("/state/terminated").is_some())
        })
}

fn missing_container(pod: &Value, settings: &LogsSettings) -> Option<String> {
    match &settings.containers {
        Containers::One(c) if chosen(pod, &settings.containers).is_empty() => {
            Some(format!("pod {} has no container \"{c}\"", name(pod)))
        }
        _ => None,
    }
}

/// Every chosen container's log once, merged by time (ties keep pod and container order);
/// a container that cannot be read yet becomes a warning.
pub async fn read(
    client: &Client,
    settings: &LogsSettings,
) -> Result<(Vec<SourcedLine>, Vec<String>)> {
    let options = ListOptions {
        label_selector: Some(settings.selector.clone()),
        ..Default::default()
    };
    let mut pods = client
        .list(&POD, Some(&settings.namespace), &options)
        .await?
        .items;
    pods.sort_by_key(name);
    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    if pods.is_empty() {
        warnings.push(format!(
            "no pods with labels {} (scaled to zero, or not started yet)",
            settings.selector
        ));
    }
    for pod in &pods {
        warnings.extend(missing_container(pod, settings));
        for container in chosen(pod, &settings.containers) {
            let request = LogRequest {
                container: container.clone(),
                follow: false,
                since_seconds: settings.since_seconds,
                tail_lines: settings.tail,
            };
            match read_all(client, &settings.namespace, pod, &request).await {
                Ok(mut more) => lines.append(&mut more),
                Err(Error::Api(status)) => warnings.push(status.message.clone()),
                Err(e) => return Err(e),
            }
        }
    }
    lines.sort_by(|a, b| a.line.timestamp.cmp(&b.line.timestamp));
    Ok((lines, warnings))
}

async fn read_all(
    client: &Client,
    namespace: &str,
    pod: &Value,
    request: &LogRequest,
) -> Result<Vec<SourcedLine>> {
    use futures::TryStreamExt;
    let stream = client.pod_log(namespace, &name(pod), request).await?;
    let (pod_name, revision) = (name(pod), revision(pod));
    stream
        .map_ok(|line| SourcedLine {
            pod: pod_name.clone(),
            container: request.container.clone(),
            revision: revision.clone(),
            line,
        })
        .try_collect()
        .await
}

/// What a follow reports besides lines.
pub enum Followed {
    Line(SourcedLine),
    Warning(String),
}

/// Follows the chosen containers of every pod the selector picks, now and as pods start,
/// until Ctrl-C (or `each` returns false: the output was closed). `since`/`tail` apply to the
/// pods there at the start; pods that start later are read from their beginning.
pub async fn follow(
    client: &Client,
    settings: &LogsSettings,
    each: &mut dyn FnMut(Followed) -> Result<bool>,
) -> Result<()> {
    let options = ListOptions {
        label_selector: Some(settings.selector.clone()),
        ..Default::default()
    };
    let mut pods = Follower::new(
        client,
        Collection::Kind(&POD),
        Some(&settings.namespace),
        options,
    );
    let (tx, mut rx) = mpsc::channel::<Followed>(256);
    let mut streaming: HashSet<(String, String)> = HashSet::new();
    let mut first = true;
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            _ = &mut ctrl_c => return Ok(()),
            Some(item) = rx.recv() => {
                if !each(item)? {
                    return Ok(());
                }
            }
            observed = pods.next() => {
                let seen = match observed? {
                    Observed::Listed(items) => items,
                    Observed::Added(pod) | Observed::Modified(pod) => vec![pod],
                    Observed::Deleted(_) => continue,
                };
                for pod in seen {
                    if first && let Some(w) = missing_container(&pod, settings) && !each(Followed::Warning(w))? {
                        return Ok(());
                    }
                    for container in chosen(&pod, &settings.containers) {
                        if !started(&pod, &container) || !streaming.insert((name(&pod), container.clone())) {
                            continue;
                        }
                        let request = LogRequest {
                            container,
                            follow: true,
                            since_seconds: if first { settings.since_seconds } else { None },
                            tail_lines: if first { settings.tail } else { None },
                        };
                        tokio::spawn(stream_one(client.clone(), settings.namespace.clone(), pod.clone(), request, tx.clone()));
                    }
                }
                first = false;
            }
        }
    }
}

/// Sends one container's followed lines until its stream ends.
async fn stream_one(
    client: Client,
    namespace: String,
    pod: Value,
    request: LogRequest,
    tx: mpsc::Sender<Followed>,
) {
    use futures::StreamExt;
    let mut stream = match client.pod_log(&namespace, &name(&pod), &request).await {
        Ok(s) => s,
        Err(e) => {
            let _ = tx.send(Followed::Warning(e.to_string())).await;
            return;
        }
    };
    while let Some(item) = stream.next().await {
        let Ok(line) = item else { return };
        let sourced = SourcedLine {
            pod: name(&pod),
            container: request.container.clone(),
            revision: revision(&pod),
            line,
        };
        if tx.send(Followed::Line(sourced)).await.is_err() {
            return;
        }
    }
}

/// Reads or follows the logs and prints them to stdout (warnings to stderr). No pod at all
/// is not an error, but is said on stderr.
pub async fn print(
    client: &Client,
    settings: &LogsSettings,
    style: LineStyle,
    ctx: &Context,
) -> Result<()> {
    let mut writer = LineWriter::default();
    if settings.follow {
        let mut each = |item: Followed| -> Result<bool> {
            match item {
                Followed::Line(line) => ctx.print(&writer.render(&line, style))?,
                Followed::Warning(w) => ctx.eprint(&format!("Warning: {w}\n"))?,
            }
            Ok(true)
        };
        return follow(client, settings, &mut each).await;
    }
    let (lines, warnings) = read(client, settings).await?;
    for w in warnings {
        ctx.eprint(&format!("Warning: {w}\n"))?;
    }
    let mut text = String::new();
    for line in &lines {
        text.push_str(&writer.render(line, style));
    }
    ctx.print(&text)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn containers_are_chosen_from_the_pod_spec() {
        let pod = json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "user-container"}, {"name": "queue-proxy"}]},
            "status": {"containerStatuses": [{"name": "user-container", "state": {"running": {}}}, {"name": "queue-proxy", "state": {"waiting": {}}}]}});
        assert_eq!(
            chosen(&pod, &Containers::All),
            ["user-container", "queue-proxy"]
        );
        assert_eq!(
            chosen(&pod, &Containers::One("queue-proxy".into())),
            ["queue-proxy"]
        );
        assert!(started(&pod, "user-container"));
        assert!(!started(&pod, "queue-proxy"));
        let settings = LogsSettings {
            namespace: "default".into(),
            selector: String::new(),
            containers: Containers::One("x".into()),
            follow: false,
            since_seconds: None,
            tail: None,
        };
        assert_eq!(
            missing_container(&pod, &settings).as_deref(),
            Some("pod p has no container \"x\"")
        );
    }
}
