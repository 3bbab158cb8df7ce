//! `GET /api/v1/namespaces/NS/pods/NAME/log`: the pod log subresource over HTTP, as plain text;
//! with `follow`, the stream stays open and sends each new line until the container ends, the
//! pod goes away, the client leaves or the server shuts down.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Response, header};
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::{broadcast, mpsc};

use super::handler::{App, Resp};
use crate::catalog::TypeInfo;
use crate::podlog::{self, LogOptions};
use crate::status::ApiError;

/// Answers a request for a pod's log.
pub fn serve(
    app: Arc<App>,
    method: &Method,
    uri: &axum::http::Uri,
    ti: Arc<TypeInfo>,
    namespace: &str,
    name: &str,
) -> Result<Resp, ApiError> {
    if method != Method::GET {
        return Err(ApiError::new(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        ));
    }
    let query = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default();
    let opts = LogOptions::parse(&query, name)?;
    // Subscribed before the first read, so no change between the two is missed.
    let live = app
        .registry
        .store
        .watch(&ti.gr(), None)
        .ok()
        .map(|w| w.live);
    let pod = app.registry.get(&ti, namespace, name)?;
    let container = podlog::choose_container(&pod, opts.container.as_deref())?;
    podlog::check_readable(&pod, &container, opts.previous)?;
    let now = jiff::Timestamp::now();
    let all = podlog::lines(&pod, &container);
    let first = podlog::select(&all, &opts, now);
    let mut text = String::new();
    for (time, line) in &first {
        text.push_str(&podlog::format_line(*time, line, opts.timestamps));
    }
    let body = match (opts.follow, live) {
        (true, Some(live)) if !podlog::finished(&pod, &container) => {
            let (tx, rx) = mpsc::channel::<Bytes>(16);
            let mut budget = opts.limit_bytes.map(|n| n.max(0) as usize);
            let initial = limit(text, &mut budget);
            let follow = Follow {
                app: app.clone(),
                ti,
                namespace: namespace.to_string(),
                name: name.to_string(),
                container,
                timestamps: opts.timestamps,
                sent: all.len(),
                budget,
            };
            tokio::spawn(follow.run(tx, live, initial));
            let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
            Body::from_stream(futures::StreamExt::map(
                stream,
                Ok::<_, std::convert::Infallible>,
            ))
        }
        _ => Body::from(limit(
            text,
            &mut opts.limit_bytes.map(|n| n.max(0) as usize),
        )),
    };
    let mut resp = Response::new(body);
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    Ok(resp)
}

/// Cuts `text` to the bytes left in `budget` (`limitBytes`), spending them.
fn limit(mut text: String, budget: &mut Option<usize>) -> String {
    if let Some(left) = budget {
        let mut cut = (*left).min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        *left -= cut;
    }
    text
}

struct Follow {
    app: Arc<App>,
    ti: Arc<TypeInfo>,
    namespace: String,
    name: String,
    container: String,
    timestamps: bool,
    /// Lines of the log already sent or skipped by the options.
    sent: usize,
    budget: Option<usize>,
}

impl Follow {
    async fn run(
        mut self,
        tx: mpsc::Sender<Bytes>,
        mut live: broadcast::Receiver<Arc<crate::store::Change>>,
        initial: String,
    ) {
        if !initial.is_empty() && tx.send(Bytes::from(initial)).await.is_err() {
            return;
        }
        let mut shutdown = self.app.shutdown.clone();
        loop {
            tokio::select! {
                change = live.recv() => match change {
                    Ok(change) if change.key.gr != self.ti.gr() || change.key.namespace != self.namespace || change.key.name != self.name => continue,
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = tx.closed() => return,
                _ = shutdown.changed() => return,
            }
            let Ok(pod) = self.app.registry.get(&self.ti, &self.namespace, &self.name) else {
                return;
            };
            if !self.send_new(&tx, &pod).await || podlog::finished(&pod, &self.container) {
                return;
            }
        }
    }

    /// Sends the lines printed since the last look; false when the client is gone or the
    /// byte limit is spent.
    async fn send_new(&mut self, tx: &mpsc::Sender<Bytes>, pod: &Value) -> bool {
        let all = podlog::lines(pod, &self.container);
        let mut text = String::new();
        for (time, line) in all.iter().skip(self.sent) {
            text.push_str(&podlog::format_line(*time, line, self.timestamps));
        }
        self.sent = self.sent.max(all.len());
        let text = limit(text, &mut self.budget);
        if !text.is_empty() && tx.send(Bytes::from(text)).await.is_err() {
            return false;
        }
        self.budget != Some(0)
    }
}
