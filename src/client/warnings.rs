//! API-server warnings (`Warning: 299 - "…"` response headers, e.g. deprecated versions or unknown
//! fields) printed to stderr once each, as client-go does: `Warning: <text>`. On a terminal a
//! list of field paths is shortened to its common prefix once (piped output stays client-go's).

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
        let terminal =
            std::io::IsTerminal::is_terminal(&std::io::stderr()) || crate::terminal::force_tty();
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?;
            for value in response.headers().get_all(http::header::WARNING) {
                if let Some(text) = value.to_str().ok().and_then(warning_text)
                    && seen.lock().is_ok_and(|mut s| s.insert(text.clone()))
                {
                    let text = if terminal { compact(&text) } else { text };
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

/// A warning that ends in a list of field paths with a common prefix, written once:
/// `…: a.b.x, a.b.y` → `…: a.b.{x, y}`. Knative's security-context warning names four fields of
/// one container and otherwise wraps over four terminal lines before every service write.
pub(crate) fn compact(text: &str) -> String {
    let Some((head, list)) = text.rsplit_once(": ") else {
        return text.to_string();
    };
    let paths: Vec<&str> = list.split(", ").collect();
    if paths.len() < 2 || paths.iter().any(|p| p.is_empty() || p.contains(' ')) {
        return text.to_string();
    }
    let first = paths[0];
    let mut common = first.len();
    for path in &paths[1..] {
        common = common.min(
            first
                .bytes()
                .zip(path.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    // Cut at a whole path segment.
    let Some(dot) = first[..common].rfind('.') else {
        return text.to_string();
    };
    let prefix = &first[..=dot];
    let rest: Vec<&str> = paths.iter().map(|p| &p[dot + 1..]).collect();
    format!("{head}: {prefix}{{{}}}", rest.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lists_share_their_prefix_once() {
        assert_eq!(
            compact(
                "Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile"
            ),
            "Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.{allowPrivilegeEscalation, capabilities, runAsNonRoot, seccompProfile}"
        );
        // Anything else is left as it is.
        for text in [
            "unknown field \"spec.foo\"",
            "deprecated: a.b",
            "fields: a.x, b.y",
            "see: one thing, another thing",
        ] {
            assert_eq!(compact(text), text);
        }
    }

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
