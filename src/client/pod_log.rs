//! A pod container's log (`GET …/pods/NAME/log`) as a stream of lines, with the server's
//! timestamp split off each line.

use futures::stream::BoxStream;
use futures::{AsyncBufReadExt, StreamExt, TryStreamExt};

use super::kinds::POD;
use super::{Client, translate};
use crate::error::{Error, Result};

/// What to read of one container's log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogRequest {
    pub container: String,
    pub follow: bool,
    pub since_seconds: Option<i64>,
    pub tail_lines: Option<i64>,
}

/// One line of a log: the time the runtime recorded it (RFC 3339, as sent) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub timestamp: String,
    pub text: String,
}

impl LogLine {
    /// Splits a line read with `timestamps=true`.
    pub fn parse(line: &str) -> LogLine {
        match line.split_once(' ') {
            Some((stamp, text)) if stamp.parse::<jiff::Timestamp>().is_ok() => LogLine {
                timestamp: stamp.to_string(),
                text: text.to_string(),
            },
            _ => LogLine {
                timestamp: String::new(),
                text: line.to_string(),
            },
        }
    }
}

fn query(request: &LogRequest) -> String {
    let mut pairs = vec![
        format!("container={}", request.container),
        "timestamps=true".to_string(),
    ];
    if request.follow {
        pairs.push("follow=true".into());
    }
    if let Some(s) = request.since_seconds {
        pairs.push(format!("sinceSeconds={s}"));
    }
    if let Some(n) = request.tail_lines {
        pairs.push(format!("tailLines={n}"));
    }
    pairs.join("&")
}

impl Client {
    /// The lines of one container's log; with `follow`, the stream ends when the server ends
    /// it (the container stopped or the pod went away).
    pub async fn pod_log(
        &self,
        namespace: &str,
        pod: &str,
        request: &LogRequest,
    ) -> Result<BoxStream<'static, Result<LogLine>>> {
        let path = format!(
            "{}/{pod}/log?{}",
            POD.collection_path(Some(namespace)),
            query(request)
        );
        let http = http::Request::get(path)
            .body(Vec::new())
            .map_err(|e| Error::failed(format!("failed to build request: {e}")))?;
        let body = self
            .kube()
            .request_stream(http)
            .await
            .map_err(|e| translate(&POD, e))?;
        Ok(body
            .lines()
            .map_err(|e| Error::failed(format!("reading the log: {e}")))
            .map_ok(|line| LogLine::parse(&line))
            .boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_their_timestamp() {
        assert_eq!(
            LogLine::parse("2026-01-01T00:00:00.001000000Z hello world"),
            LogLine {
                timestamp: "2026-01-01T00:00:00.001000000Z".into(),
                text: "hello world".into()
            }
        );
        assert_eq!(LogLine::parse("no stamp").timestamp, "");
    }

    #[test]
    fn requests_always_ask_for_timestamps() {
        let r = LogRequest {
            container: "user-container".into(),
            follow: true,
            since_seconds: Some(60),
            tail_lines: Some(5),
        };
        assert_eq!(
            query(&r),
            "container=user-container&timestamps=true&follow=true&sinceSeconds=60&tailLines=5"
        );
    }
}
