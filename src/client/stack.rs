//! The client's tower stack, assembled from kube's public pieces so that an exec credential
//! plugin runs once per process (kube's own builder runs it three times per client).

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, combinators::BoxBody};
use hyper_timeout::TimeoutConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kube::client::retry::RetryPolicy;
use kube::client::{Body, ClientBuilder, ConfigExt};
use tower::retry::RetryLayer;
use tower::util::BoxCloneService;
use tower::{BoxError, Layer, ServiceBuilder, ServiceExt};

use super::config::{RequestTimeoutLayer, build_error};
use super::log_http::LogHttpLayer;
use super::warnings::WarningsLayer;
use crate::error::Result;

/// The innermost service: hyper, with or without the `--log-http` dump in front of it.
type HttpService = BoxCloneService<Request<Body>, Response<BoxBody<Bytes, BoxError>>, BoxError>;

/// The kube client for `config`: kube's default layers (base URI, retry of 429/503/504,
/// authentication, impersonation headers, connect/write timeouts) plus knit's API warnings,
/// `--request-timeout` and, with `log_http`, the dump of every exchange.
///
/// kube's `ClientBuilder` asks for the credential three times (the TLS setup and the client's
/// expiry each look for a plugin-issued client certificate, then the auth layer wants the
/// token), so a 1 s plugin cost 3 s. Here the auth layer asks first; when that yields a token
/// the TLS setup is built without the plugin. kube's auth layer keeps the token and re-runs the
/// plugin itself when an expiring token needs renewing, so long watches stay authenticated.
pub(crate) fn kube_client(
    config: kube::Config,
    log_http: bool,
    timeout: Option<RequestTimeoutLayer>,
) -> Result<kube::Client> {
    if config.proxy_url.is_some() {
        // Proxies are kube's business (this build has no proxy support: kube says so).
        return Ok(ClientBuilder::try_from(config)
            .map_err(build_error)?
            .with_layer(&WarningsLayer::default())
            .with_layer(&tower::util::option_layer(timeout))
            .build());
    }
    let auth = config.auth_layer().map_err(build_error)?;
    // No auth layer despite a plugin: it issued a client certificate (or nothing), which only
    // the TLS setup can take, so that setup has to run the plugin again.
    let mut tls = config.clone();
    if auth.is_some() {
        tls.auth_info.exec = None;
    }
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    let https = tls
        .rustls_https_connector_with_connector(http)
        .map_err(build_error)?;
    let mut connector = TimeoutConnector::new(https);
    connector.set_connect_timeout(config.connect_timeout);
    connector.set_read_timeout(config.read_timeout);
    connector.set_write_timeout(config.write_timeout);
    connector.set_reset_reader_on_write(config.reset_reader_on_write);
    let hyper = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .build::<_, Body>(connector);
    let http: HttpService = if log_http {
        BoxCloneService::new(LogHttpLayer.layer(hyper))
    } else {
        BoxCloneService::new(
            hyper
                .map_response(|r| r.map(|body| body.map_err(BoxError::from).boxed()))
                .map_err(BoxError::from),
        )
    };
    let retry = config
        .default_retry
        .then(|| RetryLayer::new(RetryPolicy::server_retry()));
    let service = ServiceBuilder::new()
        .option_layer(timeout)
        .layer(WarningsLayer::default())
        .layer(config.base_uri_layer())
        .option_layer(retry)
        .option_layer(auth)
        .layer(config.extra_headers_layer().map_err(build_error)?)
        .service(http);
    Ok(kube::Client::new(service, config.default_namespace))
}
