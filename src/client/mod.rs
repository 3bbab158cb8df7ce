//! The only code that talks to the Kubernetes API (through kube-rs): get, list, create, replace,
//! update-with-retry, patch, delete and watch on raw JSON objects.
//!
//! Objects stay `serde_json::Value` end to end so that a read-modify-write never drops a field knit
//! has no type for. The nouns' kinds are known statically ([`kinds`]); only `apply -f` reads
//! discovery documents ([`Client::get_document`]). [`webhook`] is the one request knit sends
//! elsewhere: the rollout gate. Reads are in `read.rs`, writes in `write.rs`, and kube's errors
//! become knit's in `errors.rs`.

pub mod config;
pub mod dynamic;
mod errors;
pub mod follow;
pub mod kinds;
pub(crate) mod log_http;
pub mod pod_log;
mod read;
mod stack;
pub mod stream;
mod warnings;
pub mod webhook;
mod write;

use serde_json::Value;

pub use self::config::ConnectOptions;
pub use self::dynamic::Gvr;
pub(crate) use self::errors::translate;
use self::errors::{api_error, connection_error, status_of};
pub use self::kinds::ResourceKind;
use self::read::fill_type_meta;
pub use self::read::{ListOptions, ObjectList, WatchEvent, WatchOptions};
pub use self::write::{PatchKind, Propagation, Updated, WriteOptions};
use crate::error::{Error, Result};

/// A connected API client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    kube: kube::Client,
}

impl Client {
    /// Wraps an existing kube client (tests, or callers that built their own stack).
    pub fn from_kube(kube: kube::Client) -> Self {
        Client { kube }
    }

    /// Connects using kubeconfig/in-cluster settings and the global flags.
    pub async fn connect(options: &ConnectOptions) -> Result<Self> {
        config::build_client(options).await
    }

    /// [`Client::connect`] with the kubeconfig already loaded by the caller.
    pub async fn connect_with(
        options: &ConnectOptions,
        kubeconfig: Option<kube::config::Kubeconfig>,
    ) -> Result<Self> {
        config::build_client_from(options, kubeconfig).await
    }

    /// The underlying kube client.
    pub fn kube(&self) -> &kube::Client {
        &self.kube
    }

    async fn send(
        &self,
        kind: &ResourceKind,
        request: Result<http::Request<Vec<u8>>, kube::core::request::Error>,
    ) -> Result<Value> {
        let request =
            request.map_err(|e| Error::failed(format!("failed to build request: {e}")))?;
        let body = self
            .request_body(request)
            .await
            .map_err(|e| translate(kind, e))?;
        serde_json::from_slice(&body).map_err(|e| translate(kind, kube::Error::SerdeError(e)))
    }

    /// Sends a request and returns the body of a successful response as one buffer; an error
    /// status becomes `kube::Error::Api` exactly as kube's own `request` reports it.
    ///
    /// kube's `request_text` holds every received chunk, then a joined copy, then a second copy
    /// for the `String`: three buffers of the whole body (6 MiB for a 1,000-service list), each
    /// page-faulted in. Here each chunk is appended to one buffer sized from Content-Length and
    /// dropped at once, so the connection's read buffer is reused, and JSON is decoded from the
    /// bytes without a separate UTF-8 pass.
    async fn request_body(&self, request: http::Request<Vec<u8>>) -> kube::Result<Vec<u8>> {
        use http_body_util::BodyExt as _;

        let response = self
            .kube
            .send(request.map(kube::client::Body::from))
            .await?;
        let status = response.status();
        let expected = response
            .headers()
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            // A lying header must not make knit reserve gigabytes up front.
            .map_or(0, |len| len.min(64 << 20));
        let mut body = response.into_body();
        let mut buffer = Vec::with_capacity(expected);
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame?.into_data() {
                buffer.extend_from_slice(&data);
            }
        }
        if status.is_client_error() || status.is_server_error() {
            return Err(api_error(status, &buffer));
        }
        Ok(buffer)
    }
}

impl Client {
    /// The versions the cluster serves of an API group (`GET /apis/GROUP`): empty when the
    /// group is not served at all. One request, used only to explain a failure.
    pub async fn served_versions(&self, group: &str) -> Result<Vec<String>> {
        let request = http::Request::get(format!("/apis/{group}"))
            .body(Vec::new())
            .map_err(|e| Error::failed(e.to_string()))?;
        match self.kube().request::<Value>(request).await {
            Ok(api_group) => Ok(api_group["versions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v["version"].as_str().map(str::to_string))
                .collect()),
            Err(kube::Error::Api(status)) if status.code == 404 => Ok(Vec::new()),
            Err(err) => Err(Error::failed(err.to_string())),
        }
    }
}

impl Client {
    /// A discovery or OpenAPI document by its path (`/apis`, `/openapi/v3/apis/G/V?hash=…`):
    /// `None` when the server does not serve it (404).
    pub async fn get_document(&self, path: &str) -> Result<Option<Value>> {
        let request = http::Request::get(path)
            .body(Vec::new())
            .map_err(|e| Error::failed(e.to_string()))?;
        match self.kube().request::<Value>(request).await {
            Ok(document) => Ok(Some(document)),
            Err(kube::Error::Api(status)) if status.code == 404 => Ok(None),
            Err(kube::Error::Api(status)) => Err(Error::Api(status_of(*status))),
            Err(err @ kube::Error::Auth(_)) => Err(config::build_error(err)),
            Err(kube::Error::HyperError(e)) => Err(connection_error(&e)),
            Err(kube::Error::Service(e)) => Err(connection_error(e.as_ref())),
            Err(other) => Err(Error::failed(other.to_string())),
        }
    }
}
