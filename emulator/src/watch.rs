//! Watch streams: initial events (synthetic ADDED, optional initial-events-end bookmark),
//! resumption from a resourceVersion out of the store's history (410 Gone as an ERROR event
//! beyond it), selector transitions (ADDED/DELETED when an object starts/stops matching),
//! periodic bookmarks, `timeoutSeconds`, and server shutdown.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc, watch};

use crate::registry::{Registry, TypeInfo};
use crate::status::ApiError;
use crate::store::{Change, SelectStored, Stored, TooOld};
use kuberules::selectors::Selection;

/// How often a watch that allows bookmarks gets one while idle.
const BOOKMARK_INTERVAL: Duration = Duration::from_secs(30);
/// Events a watcher's connection may fall behind by before its writer waits.
const WATCHER_BUFFER: usize = 8;
/// How long a watcher whose buffer is full is waited for before it is closed (the API server
/// closes unresponsive watchers too; clients resume or re-list). A slow reader thus holds at
/// most [`WATCHER_BUFFER`] events, and nothing grows with the changes it does not read.
const WATCHER_BLOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// Hands one event to the watcher's connection; `false` when the watcher is gone or has not
/// read for [`WATCHER_BLOCK_TIMEOUT`], and the watch must end.
async fn deliver(tx: &mpsc::Sender<Bytes>, line: Bytes) -> bool {
    tx.send_timeout(line, WATCHER_BLOCK_TIMEOUT).await.is_ok()
}

/// What a watch request asked for.
pub struct WatchRequest {
    pub ti: Arc<TypeInfo>,
    /// `None`: all namespaces.
    pub namespace: Option<String>,
    pub selection: Selection,
    /// The `resourceVersion` parameter; `None` or empty: unset.
    pub resource_version: Option<String>,
    pub send_initial_events: Option<bool>,
    pub allow_bookmarks: bool,
    pub timeout: Duration,
}

/// Turns events into wire lines (one JSON document per line).
pub trait EventRenderer: Send + 'static {
    /// An `ADDED`/`MODIFIED`/`DELETED` line for `object`, with its resourceVersion replaced by
    /// `rv` when given. `None` skips the event (e.g. a conversion failure).
    fn event(&mut self, kind: &str, object: &Arc<Stored>, rv: Option<u64>) -> Option<Bytes>;
    /// A `BOOKMARK` line at `rv`.
    fn bookmark(&mut self, rv: u64, initial_events_end: bool) -> Bytes;
    /// An `ERROR` line carrying a Status.
    fn error(&mut self, error: &ApiError) -> Bytes {
        let mut line = serde_json::to_vec(&json!({"type": "ERROR", "object": error.to_status()}))
            .unwrap_or_default();
        line.push(b'\n');
        Bytes::from(line)
    }
}

enum Start {
    /// Send these objects as ADDED, then follow the live feed from `rv`.
    Initial {
        items: Vec<Arc<Stored>>,
        rv: u64,
        live: broadcast::Receiver<Arc<Change>>,
        bookmark_end: bool,
    },
    /// Replay this history, then follow the live feed.
    Resume {
        backlog: Vec<Arc<Change>>,
        rv: u64,
        live: broadcast::Receiver<Arc<Change>>,
    },
    /// Answer with one ERROR event and close.
    Expired(ApiError),
}

/// Parses a resourceVersion parameter: `None` when unset, `Some(n)` otherwise.
pub fn parse_resource_version(value: Option<&str>) -> Result<Option<u64>, ApiError> {
    match value {
        None | Some("") => Ok(None),
        Some(s) => s.parse::<u64>().map(Some).map_err(|_| {
            ApiError::new(
                400,
                "BadRequest",
                format!(
                    "invalid resource version: strconv.ParseUint: parsing {}: invalid syntax",
                    crate::crd::gofmt::quote(s)
                ),
            )
        }),
    }
}

/// Starts a watch; returns the stream of lines. Request errors (bad parameters) are returned
/// before any response is sent; a too old resourceVersion becomes an ERROR event.
pub fn spawn(
    registry: Arc<Registry>,
    request: WatchRequest,
    renderer: Box<dyn EventRenderer>,
    shutdown: watch::Receiver<bool>,
) -> Result<mpsc::Receiver<Bytes>, ApiError> {
    let rv = parse_resource_version(request.resource_version.as_deref())?;
    let gr = request.ti.stored_gr();
    let namespace = if request.ti.rt.namespaced {
        request.namespace.clone()
    } else {
        None
    };
    let start = match (rv, request.send_initial_events) {
        (None, Some(false)) => {
            let (_, w) = registry.store.list_and_watch(&gr, namespace.as_deref());
            Start::Resume {
                backlog: Vec::new(),
                rv: w.current_rv,
                live: w.live,
            }
        }
        (None, send) | (Some(0), send) => {
            let (items, w) = registry.store.list_and_watch(&gr, namespace.as_deref());
            Start::Initial {
                items,
                rv: w.current_rv,
                live: w.live,
                bookmark_end: send == Some(true),
            }
        }
        (Some(_), Some(true)) => {
            let (items, w) = registry.store.list_and_watch(&gr, namespace.as_deref());
            Start::Initial {
                items,
                rv: w.current_rv,
                live: w.live,
                bookmark_end: true,
            }
        }
        (Some(from), _) => match registry.store.watch(&gr, Some(from)) {
            Ok(w) => Start::Resume {
                backlog: w.backlog,
                rv: from,
                live: w.live,
            },
            Err(TooOld { requested, oldest }) => Start::Expired(ApiError::expired(format!(
                "too old resource version: {requested} ({oldest})"
            ))),
        },
    };
    let (tx, rx) = mpsc::channel(WATCHER_BUFFER);
    tokio::spawn(run(request, namespace, start, renderer, tx, shutdown));
    Ok(rx)
}

struct Filter {
    gr: crate::resource::GroupResource,
    namespace: Option<String>,
    selection: Selection,
}

impl Filter {
    fn in_scope(&self, change: &Change) -> bool {
        change.key.gr == self.gr
            && self
                .namespace
                .as_ref()
                .is_none_or(|ns| *ns == change.key.namespace)
    }

    fn matches(&self, object: &Stored) -> bool {
        self.selection.is_empty() || self.selection.matches_stored(object)
    }

    /// The event a watcher sees for a change, if any: (type, object, rv override).
    fn translate<'a>(
        &self,
        change: &'a Change,
    ) -> Option<(&'static str, &'a Arc<Stored>, Option<u64>)> {
        if !self.in_scope(change) {
            return None;
        }
        let now = self.matches(&change.object);
        let before = change.previous.as_ref().map(|p| self.matches(p));
        use crate::cluster::EventKind::*;
        match (change.kind, before, now) {
            (Added, _, true) => Some(("ADDED", &change.object, None)),
            (Modified, Some(true), true) => Some(("MODIFIED", &change.object, None)),
            (Modified, Some(false) | None, true) => Some(("ADDED", &change.object, None)),
            (Modified, Some(true), false) => change
                .previous
                .as_ref()
                .map(|p| ("DELETED", p, Some(change.rv()))),
            (Deleted, Some(true), _) => Some(("DELETED", &change.object, None)),
            _ => None,
        }
    }
}

async fn run(
    request: WatchRequest,
    namespace: Option<String>,
    start: Start,
    mut renderer: Box<dyn EventRenderer>,
    tx: mpsc::Sender<Bytes>,
    mut shutdown: watch::Receiver<bool>,
) {
    let filter = Filter {
        gr: request.ti.stored_gr(),
        namespace,
        selection: request.selection,
    };
    let deadline = tokio::time::Instant::now() + request.timeout;
    let (mut last_rv, mut live) = match start {
        Start::Expired(error) => {
            deliver(&tx, renderer.error(&error)).await;
            return;
        }
        Start::Initial {
            items,
            rv,
            live,
            bookmark_end,
        } => {
            for item in items {
                if !filter.matches(&item) {
                    continue;
                }
                if let Some(line) = renderer.event("ADDED", &item, None)
                    && !deliver(&tx, line).await
                {
                    return;
                }
            }
            if bookmark_end
                && request.allow_bookmarks
                && !deliver(&tx, renderer.bookmark(rv, true)).await
            {
                return;
            }
            (rv, live)
        }
        Start::Resume { backlog, rv, live } => {
            let mut last = rv;
            for change in backlog {
                last = last.max(change.rv());
                if let Some((kind, obj, rv)) = filter.translate(&change)
                    && let Some(line) = renderer.event(kind, obj, rv)
                    && !deliver(&tx, line).await
                {
                    return;
                }
            }
            (last, live)
        }
    };
    let mut bookmark_timer = tokio::time::interval_at(
        tokio::time::Instant::now() + BOOKMARK_INTERVAL,
        BOOKMARK_INTERVAL,
    );
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(deadline) => return,
            _ = shutdown.changed() => return,
            _ = tx.closed() => return,
            _ = bookmark_timer.tick(), if request.allow_bookmarks => {
                if !deliver(&tx, renderer.bookmark(last_rv, false)).await {
                    return;
                }
            }
            received = live.recv() => match received {
                Ok(change) => {
                    if change.rv() <= last_rv {
                        continue;
                    }
                    last_rv = change.rv();
                    if let Some((kind, obj, rv)) = filter.translate(&change)
                        && let Some(line) = renderer.event(kind, obj, rv)
                        && !deliver(&tx, line).await
                    {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    // The watcher fell too far behind: like an expired watch cache, tell it to re-list.
                    let error = ApiError::expired(format!("too old resource version: {last_rv} ({})", last_rv + 1));
                    deliver(&tx, renderer.error(&error)).await;
                    return;
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }
}

/// Renders plain watch events: the stored JSON spliced in as is when no conversion is needed.
pub struct JsonRenderer {
    pub registry: Arc<Registry>,
    pub ti: Arc<TypeInfo>,
}

impl JsonRenderer {
    fn object_bytes(&self, object: &Arc<Stored>, rv: Option<u64>) -> Option<Bytes> {
        let same_version = object.api_version() == self.ti.rt.api_version();
        if same_version && rv.is_none() {
            return Some(object.json().clone());
        }
        let value = event_object(&self.registry, &self.ti, object, rv)?;
        Some(Bytes::from(crate::fields_form::to_vec(&value)))
    }
}

/// `{"type":KIND,"object":OBJECT}\n` around already serialized object bytes.
pub fn event_line(kind: &str, object: &[u8]) -> Bytes {
    let mut line = Vec::with_capacity(object.len() + 32);
    line.extend_from_slice(b"{\"type\":\"");
    line.extend_from_slice(kind.as_bytes());
    line.extend_from_slice(b"\",\"object\":");
    line.extend_from_slice(object);
    line.extend_from_slice(b"}\n");
    Bytes::from(line)
}

/// A watch event's object: converted to the watched version, with the event's resourceVersion
/// when it is not the stored one (every renderer's first step).
pub fn event_object(
    registry: &Registry,
    ti: &TypeInfo,
    object: &Stored,
    rv: Option<u64>,
) -> Option<Value> {
    let mut value = registry.catalog.convert(object.value(), ti).ok()?;
    if let Some(rv) = rv
        && let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut)
    {
        meta.insert("resourceVersion".into(), json!(rv.to_string()));
    }
    Some(value)
}

/// The bookmark object kube-rs accepts (it needs `kind` and `apiVersion`).
pub fn bookmark_object(ti: &TypeInfo, rv: u64, initial_events_end: bool) -> Value {
    let mut metadata = json!({"resourceVersion": rv.to_string()});
    if initial_events_end {
        metadata["annotations"] = json!({"k8s.io/initial-events-end": "true"});
    }
    json!({"kind": ti.rt.kind, "apiVersion": ti.rt.api_version(), "metadata": metadata})
}

impl EventRenderer for JsonRenderer {
    fn event(&mut self, kind: &str, object: &Arc<Stored>, rv: Option<u64>) -> Option<Bytes> {
        let bytes = self.object_bytes(object, rv)?;
        Some(event_line(kind, &bytes))
    }

    fn bookmark(&mut self, rv: u64, initial_events_end: bool) -> Bytes {
        let object = bookmark_object(&self.ti, rv, initial_events_end);
        event_line("BOOKMARK", &serde_json::to_vec(&object).unwrap_or_default())
    }
}
