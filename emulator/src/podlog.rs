//! The pod `log` subresource's rules: `PodLogOptions` as the API server validates them, the
//! container choice and the kubelet's refusals, and the log text. The text is emulated: the
//! lines a container "printed" are derived from what the emulator knows happened to it (start,
//! readiness, termination), so the same pod always has the same log.

use serde_json::Value;

use crate::json::At;
use crate::status::{ApiError, Cause};

/// The query parameters of `GET …/pods/NAME/log`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogOptions {
    pub container: Option<String>,
    pub follow: bool,
    pub previous: bool,
    pub timestamps: bool,
    pub since_seconds: Option<i64>,
    pub since_time: Option<jiff::Timestamp>,
    pub tail_lines: Option<i64>,
    pub limit_bytes: Option<i64>,
}

fn flag(value: Option<&str>) -> bool {
    value.is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "0" | "f" | "false"))
}

fn int(query: &[(String, String)], key: &str) -> Result<Option<i64>, ApiError> {
    match get(query, key) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            ApiError::bad_request(format!(
                "strconv.ParseInt: parsing {}: invalid syntax",
                crate::crd::gofmt::quote(v)
            ))
        }),
    }
}

fn get<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

impl LogOptions {
    /// Parses and validates (`ValidatePodLogOptions`) the options of a request for pod `pod`.
    pub fn parse(query: &[(String, String)], pod: &str) -> Result<LogOptions, ApiError> {
        let since_time = match get(query, "sinceTime") {
            None => None,
            Some(t) => Some(t.parse::<jiff::Timestamp>().map_err(|_| {
                ApiError::bad_request(format!(
                    "parsing time {} as \"2006-01-02T15:04:05Z07:00\": cannot parse {} as \"2006\"",
                    crate::crd::gofmt::quote(t),
                    crate::crd::gofmt::quote(t)
                ))
            })?),
        };
        let opts = LogOptions {
            container: get(query, "container")
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            follow: flag(get(query, "follow")),
            previous: flag(get(query, "previous")),
            timestamps: flag(get(query, "timestamps")),
            since_seconds: int(query, "sinceSeconds")?,
            since_time,
            tail_lines: int(query, "tailLines")?,
            limit_bytes: int(query, "limitBytes")?,
        };
        let mut causes = Vec::new();
        let invalid = |field: &str, value: i64, message: &str| Cause {
            reason: "FieldValueInvalid".into(),
            message: format!("Invalid value: {value}: {message}"),
            field: field.into(),
        };
        if let Some(n) = opts.tail_lines.filter(|n| *n < 0) {
            causes.push(invalid(
                "tailLines",
                n,
                "must be greater than or equal to 0",
            ));
        }
        if let Some(n) = opts.limit_bytes.filter(|n| *n < 1) {
            causes.push(invalid("limitBytes", n, "must be greater than 0"));
        }
        match (opts.since_seconds, opts.since_time) {
            (Some(_), Some(_)) => causes.push(Cause {
                reason: "FieldValueForbidden".into(),
                message: "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"
                    .into(),
                field: String::new(),
            }),
            (Some(n), None) if n < 1 => {
                causes.push(invalid("sinceSeconds", n, "must be greater than 0"))
            }
            _ => {}
        }
        if causes.is_empty() {
            Ok(opts)
        } else {
            Err(ApiError::invalid(
                "PodLogOptions",
                "",
                "PodLogOptions",
                pod,
                causes,
            ))
        }
    }
}

fn container_names(pod: &Value) -> Vec<String> {
    ["initContainers", "containers", "ephemeralContainers"]
        .iter()
        .flat_map(|field| {
            pod.at(&format!("/spec/{field}"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
        .collect()
}

fn pod_name(pod: &Value) -> &str {
    pod.at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The container whose log is asked for: the named one, or the only one (the API server's
/// `ValidateContainer`).
pub fn choose_container(pod: &Value, requested: Option<&str>) -> Result<String, ApiError> {
    let names = container_names(pod);
    let name = pod_name(pod);
    let regular = pod
        .at("/spec/containers")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    match requested {
        Some(c) if names.iter().any(|n| n == c) => Ok(c.to_string()),
        Some(c) => Err(ApiError::bad_request(format!(
            "container {c} is not valid for pod {name}"
        ))),
        None if regular == 1 => Ok(names
            .into_iter()
            .find(|n| pod.at("/spec/containers/0/name").and_then(Value::as_str) == Some(n))
            .unwrap_or_default()),
        None if regular == 0 => Err(ApiError::bad_request(format!(
            "a container name must be specified for pod {name}"
        ))),
        None => Err(ApiError::bad_request(format!(
            "a container name must be specified for pod {name}, choose one of: [{}]",
            names.join(" ")
        ))),
    }
}

fn container_status<'a>(pod: &'a Value, container: &str) -> Option<&'a Value> {
    pod.at("/status/containerStatuses")
        .and_then(Value::as_array)?
        .iter()
        .find(|s| s["name"] == container)
}

/// The kubelet's refusal to read a container's log: not scheduled, not started, or no
/// previous instance.
pub fn check_readable(pod: &Value, container: &str, previous: bool) -> Result<(), ApiError> {
    let name = pod_name(pod);
    if pod
        .at("/spec/nodeName")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(ApiError::bad_request(format!(
            "pod {name} does not have a host assigned"
        )));
    }
    let status = container_status(pod, container);
    if previous {
        // Emulated containers never restart, so there is never a previous instance.
        return Err(ApiError::bad_request(format!(
            "previous terminated container \"{container}\" in pod \"{name}\" not found"
        )));
    }
    let waiting = match status {
        None => Some("ContainerCreating"),
        Some(s) if s.at("/state/waiting").is_some() => Some(
            s.at("/state/waiting/reason")
                .and_then(Value::as_str)
                .unwrap_or("ContainerCreating"),
        ),
        Some(_) => None,
    };
    match waiting {
        None => Ok(()),
        Some("ErrImagePull") => Err(ApiError::bad_request(format!(
            "container \"{container}\" in pod \"{name}\" is waiting to start: image can't be pulled"
        ))),
        Some("ImagePullBackOff") => Err(ApiError::bad_request(format!(
            "container \"{container}\" in pod \"{name}\" is waiting to start: trying and failing to pull image"
        ))),
        Some(reason) => Err(ApiError::bad_request(format!(
            "container \"{container}\" in pod \"{name}\" is waiting to start: {reason}"
        ))),
    }
}

fn at(value: Option<&Value>) -> Option<jiff::Timestamp> {
    value?.as_str()?.parse().ok()
}

fn env(pod: &Value, container: &str, key: &str) -> Option<String> {
    pod.at("/spec/containers")?
        .as_array()?
        .iter()
        .find(|c| c["name"] == container)?
        .get("env")?
        .as_array()?
        .iter()
        .find(|e| e["name"] == key)?
        .get("value")?
        .as_str()
        .map(str::to_string)
}

/// The lines a container has printed so far, with their times.
pub fn lines(pod: &Value, container: &str) -> Vec<(jiff::Timestamp, String)> {
    let Some(status) = container_status(pod, container) else {
        return Vec::new();
    };
    let state = status.get("state");
    let started = at(state.and_then(|s| s.at("/running/startedAt")))
        .or_else(|| at(state.and_then(|s| s.at("/terminated/startedAt"))));
    let Some(started) = started else {
        return Vec::new();
    };
    let ms = |n: i64| jiff::SignedDuration::from_millis(n);
    let image = status["image"].as_str().unwrap_or("");
    let mut out = Vec::new();
    if container == crate::controllers::serving::deployment::QUEUE_CONTAINER {
        let user_port = env(pod, container, "USER_PORT").unwrap_or_else(|| "8080".into());
        out.push((
            started,
            format!("queue-proxy started from image {image} (an emulated log: knit-emulator runs no containers)"),
        ));
        out.push((
            started + ms(1),
            format!("Serving on port 8012, proxying to 127.0.0.1:{user_port}"),
        ));
    } else {
        let port = env(pod, container, "PORT").unwrap_or_else(|| "8080".into());
        out.push((
            started,
            format!("{container} started from image {image} (an emulated log: knit-emulator runs no containers)"),
        ));
        out.push((started + ms(1), format!("Listening on port {port}")));
    }
    if status["ready"] == true {
        let ready_at = pod
            .at("/status/conditions")
            .and_then(Value::as_array)
            .and_then(|cs| {
                cs.iter()
                    .find(|c| c["type"] == "Ready" && c["status"] == "True")
            })
            .and_then(|c| at(c.get("lastTransitionTime")))
            .unwrap_or(started)
            .max(started + ms(2));
        out.push((
            ready_at,
            "Readiness probe succeeded: ready to serve requests".into(),
        ));
    }
    if let Some(finished) = at(state.and_then(|s| s.at("/terminated/finishedAt"))) {
        out.push((finished, "Received SIGTERM, shutting down".into()));
    }
    out
}

/// Whether a container will print nothing more (it terminated).
pub fn finished(pod: &Value, container: &str) -> bool {
    container_status(pod, container).is_some_and(|s| s.at("/state/terminated").is_some())
}

/// One line as sent: with the kubelet's RFC 3339 timestamp (nanoseconds) when asked.
pub fn format_line(time: jiff::Timestamp, text: &str, timestamps: bool) -> String {
    if timestamps {
        format!(
            "{}.{:09}Z {text}\n",
            time.strftime("%Y-%m-%dT%H:%M:%S"),
            time.subsec_nanosecond()
        )
    } else {
        format!("{text}\n")
    }
}

/// The part of a log the options select before following: since the cut-off, the last lines.
pub fn select(
    all: &[(jiff::Timestamp, String)],
    opts: &LogOptions,
    now: jiff::Timestamp,
) -> Vec<(jiff::Timestamp, String)> {
    let since = opts.since_time.or_else(|| {
        opts.since_seconds
            .map(|s| now - jiff::SignedDuration::from_secs(s))
    });
    let mut kept: Vec<(jiff::Timestamp, String)> = all
        .iter()
        .filter(|(t, _)| since.is_none_or(|cut| *t >= cut))
        .cloned()
        .collect();
    if let Some(n) = opts.tail_lines {
        let skip = kept.len().saturating_sub(n.max(0) as usize);
        kept.drain(..skip);
    }
    kept
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pod() -> Value {
        json!({
            "metadata": {"name": "p"},
            "spec": {"nodeName": "n", "containers": [
                {"name": "user-container", "env": [{"name": "PORT", "value": "8080"}]},
                {"name": "queue-proxy"},
            ]},
            "status": {
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:05Z"}],
                "containerStatuses": [
                    {"name": "user-container", "image": "img", "ready": true, "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}}},
                    {"name": "queue-proxy", "image": "q", "ready": false, "state": {"waiting": {"reason": "ContainerCreating"}}},
                ],
            },
        })
    }

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn options_are_validated_as_the_api_server_does() {
        let err = LogOptions::parse(&query(&[("tailLines", "-1")]), "p").unwrap_err();
        assert_eq!(
            err.message,
            "PodLogOptions \"p\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"
        );
        let both = query(&[("sinceSeconds", "5"), ("sinceTime", "2026-01-01T00:00:00Z")]);
        let err = LogOptions::parse(&both, "p").unwrap_err();
        assert_eq!(
            err.message,
            "PodLogOptions \"p\" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"
        );
        let ok = LogOptions::parse(&query(&[("follow", "true"), ("tailLines", "2")]), "p").unwrap();
        assert!(ok.follow);
        assert_eq!(ok.tail_lines, Some(2));
    }

    #[test]
    fn containers_are_chosen_or_refused_with_the_servers_messages() {
        let p = pod();
        assert_eq!(
            choose_container(&p, None).unwrap_err().message,
            "a container name must be specified for pod p, choose one of: [user-container queue-proxy]"
        );
        assert_eq!(
            choose_container(&p, Some("x")).unwrap_err().message,
            "container x is not valid for pod p"
        );
        assert_eq!(
            choose_container(&p, Some("queue-proxy")).unwrap(),
            "queue-proxy"
        );
        assert_eq!(
            check_readable(&p, "queue-proxy", false)
                .unwrap_err()
                .message,
            "container \"queue-proxy\" in pod \"p\" is waiting to start: ContainerCreating"
        );
        assert_eq!(
            check_readable(&p, "user-container", true)
                .unwrap_err()
                .message,
            "previous terminated container \"user-container\" in pod \"p\" not found"
        );
        assert!(check_readable(&p, "user-container", false).is_ok());
    }

    #[test]
    fn log_lines_follow_the_containers_life_and_the_options() {
        let all = lines(&pod(), "user-container");
        let texts: Vec<&str> = all.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "user-container started from image img (an emulated log: knit-emulator runs no containers)",
                "Listening on port 8080",
                "Readiness probe succeeded: ready to serve requests",
            ]
        );
        let now: jiff::Timestamp = "2026-01-01T00:00:10Z".parse().unwrap();
        let tail = LogOptions {
            tail_lines: Some(1),
            ..Default::default()
        };
        assert_eq!(select(&all, &tail, now).len(), 1);
        let since = LogOptions {
            since_seconds: Some(6),
            ..Default::default()
        };
        assert_eq!(select(&all, &since, now).len(), 1);
        assert_eq!(
            format_line(all[1].0, &all[1].1, true),
            "2026-01-01T00:00:00.001000000Z Listening on port 8080\n"
        );
    }
}
