//! Reads: get, list (whole or page by page, raw or typed) and watch.

use futures::{StreamExt, stream::BoxStream};
use kube::api::{ListParams, WatchParams};
use kube::core::{Request, WatchEvent as KubeWatchEvent};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::errors::{status_of, translate};
use super::{Client, ResourceKind};
use crate::error::{ApiStatus, Error, Result};

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
    pub(super) fn params(&self) -> ListParams {
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

impl Client {
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
    pub(super) async fn list_at(
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
pub(super) fn fill_type_meta(item: &mut Value, kind: &ResourceKind) {
    if let Value::Object(map) = item {
        map.entry("apiVersion")
            .or_insert_with(|| Value::String(kind.api_version()));
        map.entry("kind")
            .or_insert_with(|| Value::String(kind.kind.to_string()));
    }
}
