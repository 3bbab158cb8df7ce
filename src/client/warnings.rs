//! API-server warnings (`Warning: 299 - "…"` response headers, e.g. deprecated versions or unknown
//! fields) printed to stderr once each, as client-go does: `Warning: <text>`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use http::{Request, Response};
use tower::{Layer, Service};

/// Tower layer producing [`Warnings`]; clones share the set of messages already shown.
#[derive(Clone, Default)]
pub(crate) struct WarningsLayer {
    seen: Arc<Mutex<HashSet<String>>>,
}

impl<S> Layer<S> for WarningsLayer {
    type Service = Warnings<S>;
    fn layer(&self, inner: S) -> Self::Service {
        Warnings {
            inner,
            seen: self.seen.clone(),
        }
    }
}

/// Prints new warnings of each response.
#[derive(Clone)]
pub(crate) struct Warnings<S> {
    inner: S,
    seen: Arc<Mutex<HashSet<String>>>,
}

impl<S, B, R> Service<Request<B>> for Warnings<S>
where
    S: Service<Request<B>, Response = Response<R>>,
    S::Future: Send + 'static,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Response<R>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let seen = self.seen.clone();
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?;
            for value in response.headers().get_all(http::header::WARNING) {
                if let Some(text) = value.to_str().ok().and_then(warning_text)
                    && seen.lock().is_ok_and(|mut s| s.insert(text.clone()))
                {
                    eprintln!("Warning: {text}");
                }
            }
            Ok(response)
        })
    }
}

/// The text of an RFC 7234 warning value: `299 - "text"` → `text` (unescaping `\"`).
pub(crate) fn warning_text(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, ' ');
    let _code = parts.next()?;
    let _agent = parts.next()?;
    let rest = parts.next()?.trim();
    let quoted = rest.strip_prefix('"')?;
    let mut text = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.extend(chars.next()),
            '"' => return Some(text),
            other => text.push(other),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_values_are_unquoted() {
        assert_eq!(
            warning_text(r#"299 - "unknown field \"spec.foo\"""#).as_deref(),
            Some(r#"unknown field "spec.foo""#)
        );
        assert_eq!(
            warning_text(r#"299 - "eventing.knative.dev/v1beta1 EventType is deprecated" "Sat, 21 Nov 2026 10:00:00 GMT""#)
                .as_deref(),
            Some("eventing.knative.dev/v1beta1 EventType is deprecated")
        );
        assert_eq!(warning_text("garbage"), None);
    }
}
