//! The only code that talks to the Kubernetes API (through kube-rs): get, list, create, replace,
//! update-with-retry, patch, delete and watch on raw JSON objects.
//!
//! Objects stay `serde_json::Value` end to end so that a read-modify-write never drops a field knit
//! has no type for. The nouns' kinds are known statically ([`kinds`]); only `apply -f` reads
//! discovery documents ([`Client::get_document`]). [`webhook`] is the one request knit sends
//! elsewhere: the rollout gate.

pub mod config;
pub mod dynamic;
pub mod follow;
pub mod kinds;
pub(crate) mod log_http;
pub mod pod_log;
mod stack;
pub mod stream;
mod warnings;
pub mod webhook;

use std::time::Duration;

use futures::{StreamExt, stream::BoxStream};
use kube::api::{
    DeleteParams, ListParams, Patch, PatchParams, PostParams, PropagationPolicy, WatchParams,
};
use kube::core::{Request, WatchEvent as KubeWatchEvent};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use self::config::ConnectOptions;
pub use self::dynamic::Gvr;
pub use self::kinds::ResourceKind;
use crate::error::{ApiStatus, Error, Result};

/// A connected API client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    kube: kube::Client,
}

/// Filters for a list (or a watch).
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// `labelSelector`, e.g. `serving.knative.dev/service=hello`.
    pub label_selector: Option<String>,
    /// `fieldSelector`, e.g. `metadata.name=hello`.
    pub field_selector: Option<String>,
}

impl ListOptions {
    /// The query of a list's first page.
    fn params(&self) -> ListParams {
        ListParams {
            label_selector: self.label_selector.clone(),
            field_selector: self.field_selector.clone(),
            ..Default::default()
        }
    }
}

impl ListOptions {
    /// Only the object called `name` (field selector `metadata.name`).
    pub fn named(name: &str) -> Self {
        ListOptions {
            field_selector: Some(format!("metadata.name={name}")),
            ..Default::default()
        }
    }

    /// Objects carrying the label `key=value`.
    pub fn labelled(key: &str, value: &str) -> Self {
        ListOptions {
            label_selector: Some(format!("{key}={value}")),
            ..Default::default()
        }
    }
}

/// The items of a list, with the resourceVersion the list was read at.
#[derive(Debug, Clone, Default)]
pub struct ObjectList {
    pub resource_version: String,
    pub items: Vec<Value>,
}

/// The object before and after a successful [`Client::update_with_retry`].
#[derive(Debug, Clone)]
pub struct Updated {
    /// The object as read just before the winning write.
    pub before: Value,
    /// The object as stored by the server.
    pub after: Value,
}

/// How dependents are deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

/// Patch flavours the API server accepts for custom resources.
#[derive(Debug, Clone)]
pub enum PatchKind {
    /// RFC 7386 JSON merge patch.
    Merge(Value),
    /// Server-side apply with the given field manager.
    Apply {
        manager: String,
        force: bool,
        object: Value,
    },
}

/// One event of a watch stream.
#[derive(Debug, Clone)]
pub enum WatchEvent {
    Added(Value),
    Modified(Value),
    Deleted(Value),
    /// A bookmark carrying only a newer resourceVersion.
    Bookmark(String),
    /// An `ERROR` event; code 410 means the resourceVersion is too old (re-list and start again).
    Error(ApiStatus),
}

/// Where and what to watch.
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    pub list: ListOptions,
    /// Start after this resourceVersion (no synthetic ADDED events); empty = current state first.
    pub resource_version: String,
    /// Server-side timeout of one watch request, in seconds (kube caps it below 295).
    pub timeout_secs: Option<u32>,
}

/// How a write is sent. `Default` is a normal, persisted write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Send `dryRun=All`: admission, defaulting and validation run, nothing is stored.
    pub dry_run: bool,
}

impl WriteOptions {
    /// A server-side dry run (`dryRun=All`).
    pub const DRY_RUN: WriteOptions = WriteOptions { dry_run: true };

    fn post_params(&self) -> PostParams {
        PostParams {
            dry_run: self.dry_run,
            ..Default::default()
        }
    }
}

/// Attempts of an optimistic update before giving up on conflicts.
const UPDATE_ATTEMPTS: u32 = 30;

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

    /// GET one object. A missing object is an `Error::Api` with code 404.
    pub async fn get(&self, kind: &ResourceKind, namespace: &str, name: &str) -> Result<Value> {
        let req = Request::new(kind.collection_path(Some(namespace)));
        self.send(kind, req.get(name, &Default::default())).await
    }

    /// GET one object, `None` when it does not exist.
    pub async fn get_opt(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
    ) -> Result<Option<Value>> {
        match self.get(kind, namespace, name).await {
            Ok(obj) => Ok(Some(obj)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// LIST objects in `namespace` (`None` = all namespaces), following `continue` tokens.
    pub async fn list(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<ObjectList> {
        self.list_at(kind.collection_path(namespace), kind, options, true)
            .await
    }

    /// LIST the collection at `path`, following `continue` tokens; errors are worded for
    /// `kind`. With `fill_types`, items get `kind`'s apiVersion/kind where the list omits them.
    async fn list_at(
        &self,
        path: String,
        kind: &ResourceKind,
        options: &ListOptions,
        fill_types: bool,
    ) -> Result<ObjectList> {
        let req = Request::new(path);
        let mut params = options.params();
        let mut out = ObjectList::default();
        loop {
            let mut page = self.send(kind, req.list(&params)).await?;
            let meta = page.get("metadata");
            if out.resource_version.is_empty() {
                out.resource_version = meta
                    .and_then(|m| m.get("resourceVersion"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
            }
            let token = meta
                .and_then(|m| m.get("continue"))
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if let Some(Value::Array(items)) = page.get_mut("items").map(Value::take) {
                out.items.extend(items.into_iter().map(|mut item| {
                    // Lists may omit apiVersion/kind on items; printers and edits need them.
                    if fill_types {
                        fill_type_meta(&mut item, kind);
                    }
                    item
                }));
            }
            match token {
                Some(token) => params.continue_token = Some(token),
                None => return Ok(out),
            }
        }
    }

    /// LIST objects straight into a read-only type `T`, following `continue` tokens.
    ///
    /// Each page is decoded from the response text without an intermediate `Value` tree, so
    /// `T` may skip whatever it does not need (never use this for read-modify-write). When a
    /// page does not fit `T`, the page is read as JSON and each item goes through
    /// [`crate::api::from_value`], which names the offending object in its error.
    pub async fn list_as<T: DeserializeOwned>(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<Vec<T>> {
        let req = Request::new(kind.collection_path(namespace));
        let mut params = options.params();
        let mut out = Vec::new();
        loop {
            let request = req
                .list(&params)
                .map_err(|e| Error::failed(format!("failed to build request: {e}")))?;
            let text = self
                .request_body(request)
                .await
                .map_err(|e| translate(kind, e))?;
            let page = match serde_json::from_slice::<TypedPage<T>>(&text) {
                Ok(page) => page,
                Err(typed_err) => {
                    let mut page: Value = serde_json::from_slice(&text)
                        .map_err(|_| translate(kind, kube::Error::SerdeError(typed_err)))?;
                    let items = match page.get_mut("items").map(Value::take) {
                        Some(Value::Array(items)) => items,
                        _ => Vec::new(),
                    };
                    let items = items
                        .into_iter()
                        .map(|mut item| {
                            fill_type_meta(&mut item, kind);
                            crate::api::from_value::<T>(&item)
                        })
                        .collect::<Result<Vec<T>>>()?;
                    let meta: PageMeta = page
                        .get("metadata")
                        .and_then(|m| PageMeta::deserialize(m).ok())
                        .unwrap_or_default();
                    TypedPage {
                        metadata: meta,
                        items: Some(items),
                    }
                }
            };
            out.extend(page.items.unwrap_or_default());
            match page.metadata.continue_token.filter(|t| !t.is_empty()) {
                Some(token) => params.continue_token = Some(token),
                None => return Ok(out),
            }
        }
    }

    /// POST a new object; returns the stored object.
    pub async fn create(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        object: &Value,
    ) -> Result<Value> {
        self.create_with(kind, namespace, object, &WriteOptions::default())
            .await
    }

    /// POST a new object with `options` (e.g. a dry run); returns the object the server answered.
    pub async fn create_with(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        object: &Value,
        options: &WriteOptions,
    ) -> Result<Value> {
        let req = Request::new(kind.collection_path(Some(namespace)));
        let body = serde_json::to_vec(object).map_err(|e| Error::failed(e.to_string()))?;
        self.send(kind, req.create(&options.post_params(), body))
            .await
    }

    /// PUT an object (which must carry its resourceVersion); returns the stored object.
    pub async fn replace(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        object: &Value,
    ) -> Result<Value> {
        self.replace_with(kind, namespace, name, object, &WriteOptions::default())
            .await
    }

    /// PUT an object with `options`; returns the object the server answered.
    pub async fn replace_with(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        object: &Value,
        options: &WriteOptions,
    ) -> Result<Value> {
        let req = Request::new(kind.collection_path(Some(namespace)));
        let body = serde_json::to_vec(object).map_err(|e| Error::failed(e.to_string()))?;
        self.send(kind, req.replace(name, &options.post_params(), body))
            .await
    }

    /// Read-modify-write with optimistic concurrency: GET, apply `edit`, PUT with the read
    /// resourceVersion; on 409 Conflict GET again and re-apply `edit` (with backoff).
    ///
    /// `edit` sees the complete object, so fields knit has no type for are written back unchanged.
    pub async fn update_with_retry<F>(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        edit: F,
    ) -> Result<Updated>
    where
        F: FnMut(&mut Value) -> Result<()>,
    {
        self.update_with(kind, namespace, name, &WriteOptions::default(), edit)
            .await
    }

    /// [`Client::update_with_retry`] with `options`: with a dry run, `after` is the object the
    /// server would have stored.
    pub async fn update_with<F>(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        options: &WriteOptions,
        edit: F,
    ) -> Result<Updated>
    where
        F: FnMut(&mut Value) -> Result<()>,
    {
        self.update_from(kind, namespace, name, options, None, edit)
            .await
    }

    /// [`Client::update_with`] whose first attempt edits `current`, the object as the caller just
    /// read it, instead of reading it again; a conflict still re-reads before the next attempt.
    pub async fn update_from<F>(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        options: &WriteOptions,
        mut current: Option<Value>,
        mut edit: F,
    ) -> Result<Updated>
    where
        F: FnMut(&mut Value) -> Result<()>,
    {
        let mut delay = Duration::from_millis(20);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let before = match current.take() {
                Some(object) => object,
                None => self.get(kind, namespace, name).await?,
            };
            let mut object = before.clone();
            edit(&mut object)?;
            match self
                .replace_with(kind, namespace, name, &object, options)
                .await
            {
                Ok(after) => return Ok(Updated { before, after }),
                Err(e) if e.is_conflict() && attempt < UPDATE_ATTEMPTS => {
                    // Jitter spreads concurrent writers apart so they stop colliding.
                    let jitter = rand::random_range(0..=delay.as_millis() as u64);
                    tokio::time::sleep(delay + Duration::from_millis(jitter)).await;
                    delay = (delay * 3 / 2).min(Duration::from_secs(1));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// PATCH an object.
    pub async fn patch(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        patch: &PatchKind,
    ) -> Result<Value> {
        self.patch_with(kind, namespace, name, patch, &WriteOptions::default())
            .await
    }

    /// PATCH an object with `options`; returns the object the server answered.
    pub async fn patch_with(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        patch: &PatchKind,
        options: &WriteOptions,
    ) -> Result<Value> {
        let req = Request::new(kind.collection_path(Some(namespace)));
        let built = match patch {
            PatchKind::Merge(value) => {
                let params = PatchParams {
                    dry_run: options.dry_run,
                    ..Default::default()
                };
                req.patch(name, &params, &Patch::Merge(value))
            }
            PatchKind::Apply {
                manager,
                force,
                object,
            } => {
                let mut params = PatchParams::apply(manager);
                params.force = *force;
                params.dry_run = options.dry_run;
                req.patch(name, &params, &Patch::Apply(object))
            }
        };
        self.send(kind, built).await
    }

    /// DELETE an object with the given propagation policy.
    pub async fn delete(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        propagation: Propagation,
    ) -> Result<()> {
        self.delete_with(kind, namespace, name, propagation, &WriteOptions::default())
            .await
            .map(|_| ())
    }

    /// DELETE an object with `options`; returns the server's answer (the object, or a Status).
    pub async fn delete_with(
        &self,
        kind: &ResourceKind,
        namespace: &str,
        name: &str,
        propagation: Propagation,
        options: &WriteOptions,
    ) -> Result<Value> {
        let req = Request::new(kind.collection_path(Some(namespace)));
        let params = DeleteParams {
            propagation_policy: Some(match propagation {
                Propagation::Background => PropagationPolicy::Background,
                Propagation::Foreground => PropagationPolicy::Foreground,
                Propagation::Orphan => PropagationPolicy::Orphan,
            }),
            dry_run: options.dry_run,
            ..Default::default()
        };
        self.send(kind, req.delete(name, &params)).await
    }

    /// Opens one watch request. The stream ends when the server closes it (timeout or drop);
    /// callers resume from the last resourceVersion they saw.
    pub async fn watch(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        options: &WatchOptions,
    ) -> Result<BoxStream<'static, Result<WatchEvent>>> {
        self.watch_at(kind.collection_path(namespace), kind, options)
            .await
    }

    /// [`Client::watch`] on a collection URL; `kind` words the errors.
    pub(crate) async fn watch_at(
        &self,
        path: String,
        kind: &ResourceKind,
        options: &WatchOptions,
    ) -> Result<BoxStream<'static, Result<WatchEvent>>> {
        let req = Request::new(path);
        let params = WatchParams {
            label_selector: options.list.label_selector.clone(),
            field_selector: options.list.field_selector.clone(),
            timeout: options.timeout_secs.map(|t| t.min(290)),
            bookmarks: true,
            ..Default::default()
        };
        let request = req
            .watch(&params, &options.resource_version)
            .map_err(|e| Error::failed(format!("failed to build request: {e}")))?;
        let owned_kind = *kind;
        let stream = self
            .kube
            .request_events::<Value>(request)
            .await
            .map_err(|e| translate(kind, e))?;
        Ok(stream
            .map(move |item| match item {
                Ok(KubeWatchEvent::Added(v)) => Ok(WatchEvent::Added(v)),
                Ok(KubeWatchEvent::Modified(v)) => Ok(WatchEvent::Modified(v)),
                Ok(KubeWatchEvent::Deleted(v)) => Ok(WatchEvent::Deleted(v)),
                Ok(KubeWatchEvent::Bookmark(b)) => {
                    Ok(WatchEvent::Bookmark(b.metadata.resource_version))
                }
                Ok(KubeWatchEvent::Error(status)) => Ok(WatchEvent::Error(status_of(*status))),
                Err(e) => Err(translate(&owned_kind, e)),
            })
            .boxed())
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

/// One page of a list decoded into a read-only type.
#[derive(Deserialize)]
struct TypedPage<T> {
    #[serde(default)]
    metadata: PageMeta,
    items: Option<Vec<T>>,
}

/// The list metadata [`Client::list_as`] needs: only the continue token.
#[derive(Deserialize, Default)]
struct PageMeta {
    #[serde(rename = "continue", default)]
    continue_token: Option<String>,
}

/// Sets `apiVersion`/`kind` on a list item when the server left them out.
fn fill_type_meta(item: &mut Value, kind: &ResourceKind) {
    if let Value::Object(map) = item {
        map.entry("apiVersion")
            .or_insert_with(|| Value::String(kind.api_version()));
        map.entry("kind")
            .or_insert_with(|| Value::String(kind.kind.to_string()));
    }
}

/// The error of a failed response, as kube builds it: the body's `Status` when it is one, else
/// a Status carrying the body text (proxies and ingresses answer in plain text or HTML).
fn api_error(code: http::StatusCode, body: &[u8]) -> kube::Error {
    let status = serde_json::from_slice::<kube::core::Status>(body).unwrap_or_else(|_| {
        let text = String::from_utf8_lossy(body);
        kube::core::Status::failure(text.trim(), "Failed to parse error data")
            .with_code(code.as_u16())
    });
    kube::Error::Api(status.boxed())
}

fn status_of(status: kube::core::Status) -> ApiStatus {
    ApiStatus {
        code: status.code,
        reason: status.reason,
        message: status.message,
        name: status.details.map(|d| d.name).filter(|n| !n.is_empty()),
    }
}

/// The field conflicts of a refused server-side apply (409 with `FieldManagerConflict` causes).
fn apply_conflicts(status: &kube::core::Status) -> Option<Vec<crate::error::FieldConflict>> {
    let causes = &status.details.as_ref()?.causes;
    let conflicts: Vec<_> = causes
        .iter()
        .filter(|c| c.reason == "FieldManagerConflict")
        .map(|c| crate::error::FieldConflict {
            field: c.field.clone(),
            owner: c
                .message
                .strip_prefix("conflict with ")
                .unwrap_or(&c.message)
                .to_string(),
        })
        .collect();
    (status.code == 409 && !conflicts.is_empty()).then_some(conflicts)
}

/// Maps a kube error to knit's error, with kn's translations (kn-reference §11.3).
pub(crate) fn translate(kind: &ResourceKind, err: kube::Error) -> Error {
    match err {
        kube::Error::Api(status) => {
            if let Some(conflicts) = apply_conflicts(&status) {
                return Error::ApplyConflict {
                    object: String::new(),
                    conflicts,
                };
            }
            let status = status_of(*status);
            // A 404 that names no object means the resource type itself is not served.
            if status.code == 404 && status.name.is_none() && kind.group.ends_with("knative.dev") {
                return Error::NotInstalled {
                    group: kind.family(),
                    api_group: kind.group.to_string(),
                    version: kind.version.to_string(),
                    served: None,
                    bin: crate::bin_name(),
                };
            }
            Error::Api(status)
        }
        kube::Error::Auth(_) => config::build_error(err),
        kube::Error::HyperError(e) => connection_error(&e),
        kube::Error::Service(e) => connection_error(e.as_ref()),
        other => Error::failed(other.to_string()),
    }
}

/// kn's wording for transport failures: `error connecting to the cluster: …`.
fn connection_error(err: &(dyn std::error::Error + 'static)) -> Error {
    if let Some(text) = config::credential_safe(err) {
        return Error::Config(text);
    }
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    let text = parts.join(": ");
    if text.contains("no route to host")
        || text.contains("timed out")
        || text.contains("i/o timeout")
    {
        Error::Connection(format!(
            "error connecting to the cluster, please verify connection at: {text}"
        ))
    } else {
        Error::Connection(format!("error connecting to the cluster: {text}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_found(details_name: Option<&str>) -> kube::Error {
        let mut status = kube::core::Status::failure(
            "the server could not find the requested resource",
            "NotFound",
        )
        .with_code(404);
        if let Some(name) = details_name {
            status.message = format!("services.serving.knative.dev \"{name}\" not found");
            status.details = serde_json::from_value(serde_json::json!({
                "name": name, "group": "serving.knative.dev", "kind": "services"
            }))
            .ok();
        }
        kube::Error::Api(status.boxed())
    }

    #[test]
    fn a_404_without_an_object_means_knative_is_not_installed() {
        let err = translate(&kinds::SERVICE, not_found(None));
        assert_eq!(
            err.to_string(),
            "no or newer Knative Serving API found on the backend, please verify the installation or update the 'knit' client"
        );
        let err = translate(&kinds::SERVICE, not_found(Some("hello")));
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            "services.serving.knative.dev \"hello\" not found"
        );
        // Core kinds are always installed: their 404s stay API errors.
        assert!(translate(&kinds::SECRET, not_found(None)).is_not_found());
    }
}
