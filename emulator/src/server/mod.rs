//! The HTTP(S) front of the emulated API server: an accept loop serving HTTP/1.1 (over TLS
//! when configured) with graceful shutdown; watch streams end when shutdown is signalled.

pub mod discovery;
pub mod handler;
pub mod openapi;
pub mod podlog;
mod proto;
pub mod reviews;
pub mod table;

use std::convert::Infallible;
use std::sync::Arc;

use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

pub use handler::App;

async fn serve_connection<S>(stream: S, app: Arc<App>, mut shutdown: watch::Receiver<bool>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req| {
        let app = app.clone();
        async move { Ok::<_, Infallible>(handler::handle(app, req).await) }
    });
    // A client that sends half a request head is closed after the API server's 32 s.
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = shutdown.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// kube-apiserver's `ReadHeaderTimeout`.
const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(32);
/// Open connections at most; further clients wait in the listen backlog until one closes.
const MAX_CONNECTIONS: usize = 8192;

/// Accepts connections until `shutdown` turns true, then waits for open connections to finish
/// their current responses.
pub async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    app: Arc<App>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept(), if connections.len() < MAX_CONNECTIONS => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let app = app.clone();
                let conn_shutdown = shutdown.clone();
                match &tls {
                    Some(acceptor) => {
                        let acceptor = acceptor.clone();
                        connections.spawn(async move {
                            if let Ok(tls_stream) = acceptor.accept(stream).await {
                                serve_connection(tls_stream, app, conn_shutdown).await;
                            }
                        });
                    }
                    None => {
                        connections.spawn(serve_connection(stream, app, conn_shutdown));
                    }
                }
            }
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    while connections.join_next().await.is_some() {}
}
