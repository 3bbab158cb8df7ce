//! `--log-http`: every HTTP request and response dumped to stderr in kn's format, with
//! credential headers shown as `********`.
//!
//! The dump layer sits innermost in the client stack (below authentication), so it shows the
//! request as sent, like kn's transport wrapper — which is why it must redact.

use std::fmt::Write as _;
use std::future::Future;
use std::io::Write as _;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use http_body_util::{BodyExt, combinators::BoxBody};
use kube::client::Body;
use tower::{BoxError, Layer, Service};

use crate::error::Result;

/// Headers whose values are never printed.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "www-authenticate",
    "cookie",
    "set-cookie",
];

/// Tower layer producing [`LogHttp`].
#[derive(Clone, Copy)]
pub(super) struct LogHttpLayer;

impl<S> Layer<S> for LogHttpLayer {
    type Service = LogHttp<S>;
    fn layer(&self, inner: S) -> Self::Service {
        LogHttp { inner }
    }
}

/// Dumps each request and its response to stderr.
#[derive(Clone)]
pub(super) struct LogHttp<S> {
    inner: S,
}

type ResponseBody = BoxBody<Bytes, BoxError>;

impl<S, B> Service<Request<Body>> for LogHttp<S>
where
    S: Service<Request<Body>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Send + Sync + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<ResponseBody>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        // Take the service that was polled ready, leave a fresh clone behind.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let bytes = body.collect().await?.to_bytes();
            let is_watch = parts
                .uri
                .query()
                .is_some_and(|q| q.split('&').any(|kv| kv == "watch=true"));
            let request = Request::from_parts(parts, Body::from(bytes.clone()));
            emit(&dump_request(&request, &bytes));
            let response = match inner.call(request).await {
                Ok(response) => response,
                Err(err) => {
                    let err: BoxError = err.into();
                    emit(&format!("===== ERROR =====\n{err}\n"));
                    return Err(err);
                }
            };
            let (parts, body) = response.into_parts();
            if is_watch {
                // A watch never ends by itself: show the head now and each event as it arrives.
                emit(&format!("===== RESPONSE =====\n{}\r\n", dump_head(&parts)));
                let body = body
                    .map_err(Into::into)
                    .map_frame(|frame| {
                        if let Some(data) = frame.data_ref() {
                            emit(&String::from_utf8_lossy(data));
                        }
                        frame
                    })
                    .boxed();
                return Ok(Response::from_parts(parts, body));
            }
            let bytes = body.collect().await.map_err(Into::into)?.to_bytes();
            emit(&format!(
                "===== RESPONSE =====\n{}\r\n{}\n * * * * * *\n",
                dump_head(&parts),
                String::from_utf8_lossy(&bytes)
            ));
            let body = http_body_util::Full::new(bytes)
                .map_err(|never| match never {})
                .boxed();
            Ok(Response::from_parts(parts, body))
        })
    }
}

fn emit(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

/// `METHOD /path?query HTTP/1.1`, `Host:`, the headers (credentials redacted), a blank line, the
/// body. Like Go's `httputil.DumpRequest`, the head's lines end in CRLF (they are the wire form);
/// the markers and the newline after the body are kn's `Fprintln`s.
pub(super) fn dump_request<B>(request: &Request<B>, body: &[u8]) -> String {
    let mut out = String::from("===== REQUEST =====\n");
    let target = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let _ = write!(out, "{} {} HTTP/1.1\r\n", request.method(), target);
    if let Some(host) = request.uri().authority() {
        let _ = write!(out, "Host: {host}\r\n");
    }
    write_headers(&mut out, request.headers());
    out.push_str("\r\n");
    out.push_str(&String::from_utf8_lossy(body));
    out.push('\n');
    out
}

fn dump_head(parts: &http::response::Parts) -> String {
    let mut out = format!("{:?} {}\r\n", parts.version, parts.status);
    write_headers(&mut out, &parts.headers);
    out
}

fn write_headers(out: &mut String, headers: &HeaderMap) {
    let mut names: Vec<&http::HeaderName> = headers.keys().collect();
    names.sort_by_key(|n| n.as_str());
    for name in names {
        for value in headers.get_all(name) {
            let shown = if SECRET_HEADERS.contains(&name.as_str()) {
                "********".to_string()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            let _ = write!(out, "{}: {shown}\r\n", canonical(name.as_str()));
        }
    }
}

/// Go's canonical header form: `content-type` → `Content-Type`.
fn canonical(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_reach_the_dump() {
        let request = Request::builder()
            .method("GET")
            .uri("https://127.0.0.1:6443/apis/serving.knative.dev/v1/namespaces/default/services?limit=500")
            .header("authorization", "Bearer s3cr3t-token")
            .header("proxy-authorization", "Basic dXNlcjpwYXNz")
            .header("cookie", "session=abc")
            .header("impersonate-user", "jane")
            .header("accept", "application/json")
            .body(())
            .unwrap();
        let dump = dump_request(&request, b"");
        assert_eq!(
            dump,
            "===== REQUEST =====\n\
             GET /apis/serving.knative.dev/v1/namespaces/default/services?limit=500 HTTP/1.1\r\n\
             Host: 127.0.0.1:6443\r\n\
             Accept: application/json\r\n\
             Authorization: ********\r\n\
             Cookie: ********\r\n\
             Impersonate-User: jane\r\n\
             Proxy-Authorization: ********\r\n\r\n\n"
        );
        assert!(!dump.contains("s3cr3t"));
        assert!(!dump.contains("dXNlcjpwYXNz"));
    }
}
