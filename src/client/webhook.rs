//! One JSON POST to a URL outside the cluster (the `service rollout --gate-webhook`), over the
//! same rustls stack as the API client, so no second TLS setup is compiled in.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kube::client::ConfigExt;
use serde_json::Value;

/// How much of an answer's body is read (enough for a message).
const BODY_LIMIT: usize = 4096;

/// What the URL answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: http::StatusCode,
    /// The body's first line, trimmed and cut at 200 characters.
    pub message: String,
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Nothing within the timeout.
    Timeout,
    /// The connection or the exchange failed (refused, TLS, reset …).
    Unreachable(String),
}

/// POSTs `body` as JSON to `url` (http or https, already checked by the caller) and waits at
/// most `timeout` for the status line and the start of the body.
pub async fn post_json(url: &str, body: &Value, timeout: Duration) -> Result<Answer, Failure> {
    let exchange = async {
        let uri: http::Uri = url
            .parse()
            .map_err(|e: http::uri::InvalidUri| Failure::Unreachable(e.to_string()))?;
        // kube builds rustls from a Config: one with this URL and no credentials gives the
        // platform's trust store and plain http for http URLs.
        let config = kube::Config::new(uri.clone());
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        let https = config
            .rustls_https_connector_with_connector(http)
            .map_err(|e| Failure::Unreachable(e.to_string()))?;
        let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .build::<_, Full<Bytes>>(https);
        let request = http::Request::post(uri)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::USER_AGENT, crate::identity::user_agent())
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| Failure::Unreachable(e.to_string()))?;
        let response = client
            .request(request)
            .await
            .map_err(|e| Failure::Unreachable(chain(&e)))?;
        let status = response.status();
        // A body that cannot be read (or is too long) still leaves the status to decide.
        let bytes = Limited::new(response.into_body(), BODY_LIMIT)
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        Ok(Answer {
            status,
            message: first_line(&String::from_utf8_lossy(&bytes)),
        })
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(result) => result,
        Err(_) => Err(Failure::Timeout),
    }
}

/// An error and its sources, without repeats (`client error (Connect): tcp connect error:
/// Connection refused (os error 111)`).
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn first_line(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    let line = line.unwrap_or_default();
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_the_first_non_empty_line_cut_short() {
        assert_eq!(first_line("\n  not now  \nmore"), "not now");
        assert_eq!(first_line(""), "");
        let long = "x".repeat(300);
        assert_eq!(first_line(&long), format!("{}…", "x".repeat(200)));
    }
}
