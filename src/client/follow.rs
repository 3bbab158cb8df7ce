//! Following a collection: its current state, then every change, across watches the server ends.
//! A dropped watch resumes from the last resourceVersion seen; 410 Gone lists again. `service
//! wait`, `delete --wait`, `list -w` and `service rollout` all follow objects through this.

use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use serde_json::Value;
use tokio::time::Instant;

use super::{Client, Gvr, ListOptions, ObjectList, ResourceKind, WatchEvent, WatchOptions};
use crate::error::{Error, Result};

/// The collection a [`Follower`] follows.
#[derive(Debug, Clone, Copy)]
pub enum Collection<'a> {
    /// A kind knit knows.
    Kind(&'a ResourceKind),
    /// A type known only at run time (items keep the apiVersion/kind the server gives them).
    Dynamic(&'a Gvr),
}

/// What a [`Follower`] saw.
#[derive(Debug, Clone)]
pub enum Observed {
    /// Every matching object: at the start (unless resumed from a resourceVersion) and again
    /// after 410 Gone, when changes in between may have been missed.
    Listed(Vec<Value>),
    Added(Value),
    Modified(Value),
    Deleted(Value),
}

/// Server-side timeout of one watch request (kube caps it below 295 s).
const WATCH_SECS: u32 = 290;
/// A watch that ended sooner than this was cut at once: wait [`RETRY_PAUSE`] before the next.
const SHORT_WATCH: Duration = Duration::from_secs(1);
const RETRY_PAUSE: Duration = Duration::from_millis(200);
/// The longest pause between two attempts to reach a server that is down.
const MAX_RETRY_PAUSE: Duration = Duration::from_secs(2);
/// Watches that could not be opened in a row before the server counts as gone (about a second
/// of retries), unless the follower is [`Follower::patient`].
const MAX_OPEN_FAILURES: u32 = 5;

/// Follows one collection. [`Follower::next`] is cancel-safe, so it can race a deadline in
/// `tokio::select!` and be called again.
pub struct Follower<'a> {
    client: &'a Client,
    collection: Collection<'a>,
    namespace: Option<String>,
    options: ListOptions,
    resource_version: String,
    relist: bool,
    stream: Option<BoxStream<'static, Result<WatchEvent>>>,
    opened: Option<Instant>,
    pause: Option<Duration>,
    open_failures: u32,
    patient: bool,
}

impl<'a> Follower<'a> {
    /// Follows from the current state: the first observation is [`Observed::Listed`].
    pub fn new(
        client: &'a Client,
        collection: Collection<'a>,
        namespace: Option<&str>,
        options: ListOptions,
    ) -> Self {
        Follower {
            client,
            collection,
            namespace: namespace.map(str::to_string),
            options,
            resource_version: String::new(),
            relist: true,
            stream: None,
            opened: None,
            pause: None,
            open_failures: 0,
            patient: false,
        }
    }

    /// Rides out a server that cannot be reached (an API server restarting) for as long as the
    /// caller waits: lists and watches are retried with a growing pause instead of ending the
    /// follow. For waits, which race the follower against their own timeout.
    pub fn patient(mut self) -> Self {
        self.patient = true;
        self
    }

    /// Follows every change after `resource_version` (no list first; an empty one lists).
    pub fn resume(mut self, resource_version: impl Into<String>) -> Self {
        self.resource_version = resource_version.into();
        self.relist = self.resource_version.is_empty();
        self
    }

    /// The resourceVersion a new watch would start from: the newest one seen.
    pub fn resource_version(&self) -> &str {
        &self.resource_version
    }

    /// The next observation. Errors are the server's refusals (403, 404 …), failed lists, and a
    /// server that cannot be reached for a watch several times in a row; a watch that ends or
    /// whose connection drops is opened again.
    pub async fn next(&mut self) -> Result<Observed> {
        loop {
            if self.relist {
                self.pause_if_asked().await;
                let list = match self.list().await {
                    Err(Error::Connection(_)) if self.patient => {
                        self.unreachable();
                        continue;
                    }
                    other => other?,
                };
                self.open_failures = 0;
                self.resource_version = list.resource_version;
                self.relist = false;
                self.stream = None;
                return Ok(Observed::Listed(list.items));
            }
            let Some(stream) = self.stream.as_mut() else {
                self.open().await?;
                continue;
            };
            let observed = match stream.next().await {
                None | Some(Err(Error::Connection(_))) => {
                    self.closed();
                    continue;
                }
                Some(Err(e)) => return Err(e),
                Some(Ok(WatchEvent::Added(object))) => Observed::Added(self.seen(object)),
                Some(Ok(WatchEvent::Modified(object))) => Observed::Modified(self.seen(object)),
                Some(Ok(WatchEvent::Deleted(object))) => Observed::Deleted(self.seen(object)),
                Some(Ok(WatchEvent::Bookmark(rv))) => {
                    if !rv.is_empty() {
                        self.resource_version = rv;
                    }
                    continue;
                }
                Some(Ok(WatchEvent::Error(status))) if status.is_gone() => {
                    self.gone();
                    continue;
                }
                Some(Ok(WatchEvent::Error(status))) => return Err(Error::Api(status)),
            };
            return Ok(observed);
        }
    }

    fn seen(&mut self, object: Value) -> Value {
        if let Some(rv) = object
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .filter(|rv| !rv.is_empty())
        {
            self.resource_version = rv.to_string();
        }
        object
    }

    fn closed(&mut self) {
        self.stream = None;
        // A server (or proxy) that closes watches at once must not make us spin.
        if self.opened.is_some_and(|at| at.elapsed() < SHORT_WATCH) {
            self.pause = Some(RETRY_PAUSE);
        }
    }

    /// The server could not be reached: pause before the next attempt, longer each time.
    fn unreachable(&mut self) {
        self.open_failures += 1;
        let doubled = RETRY_PAUSE.saturating_mul(1 << self.open_failures.min(8).saturating_sub(1));
        self.pause = Some(doubled.min(MAX_RETRY_PAUSE));
    }

    async fn pause_if_asked(&mut self) {
        if let Some(pause) = self.pause.take() {
            tokio::time::sleep(pause).await;
        }
    }

    /// 410 Gone: the resourceVersion is too old to resume from.
    fn gone(&mut self) {
        self.stream = None;
        self.relist = true;
    }

    async fn open(&mut self) -> Result<()> {
        self.pause_if_asked().await;
        let options = WatchOptions {
            list: self.options.clone(),
            resource_version: self.resource_version.clone(),
            timeout_secs: Some(WATCH_SECS),
        };
        let namespace = self.namespace.as_deref();
        let opened = match self.collection {
            Collection::Kind(kind) => self.client.watch(kind, namespace, &options).await,
            Collection::Dynamic(gvr) => self.client.watch_dynamic(gvr, namespace, &options).await,
        };
        self.opened = Some(Instant::now());
        match opened {
            Ok(stream) => {
                self.stream = Some(stream);
                self.open_failures = 0;
            }
            Err(e @ Error::Connection(_)) => {
                self.unreachable();
                if !self.patient && self.open_failures >= MAX_OPEN_FAILURES {
                    return Err(e);
                }
            }
            Err(e) if e.is_gone() => self.gone(),
            Err(e) => return Err(e),
        }
        Ok(())
    }

    async fn list(&self) -> Result<ObjectList> {
        let namespace = self.namespace.as_deref();
        match self.collection {
            Collection::Kind(kind) => self.client.list(kind, namespace, &self.options).await,
            Collection::Dynamic(gvr) => {
                self.client
                    .list_dynamic_with(gvr, namespace, &self.options)
                    .await
            }
        }
    }
}

/// A scripted API server for tests of code that lists and watches.
#[cfg(test)]
pub(crate) mod script {
    use std::time::Duration;

    use serde_json::{Value, json};

    use crate::client::Client;

    /// A response that opens a watch and sends nothing.
    pub const HANG: &str = "<hang>";

    /// Serves each accepted request the next canned body with `Connection: close`, so the body
    /// (and a watch) ends when it is written. The task returns the request lines it saw.
    pub async fn server(responses: Vec<String>) -> (Client, tokio::task::JoinHandle<Vec<String>>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let handle = tokio::spawn(async move {
            let mut seen = Vec::new();
            for body in responses {
                let (mut socket, _) = listener.accept().await.unwrap();
                let mut buf = vec![0u8; 8192];
                let n = socket.read(&mut buf).await.unwrap();
                let request = String::from_utf8_lossy(&buf[..n]).into_owned();
                seen.push(request.lines().next().unwrap_or_default().to_string());
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
                socket.write_all(head.as_bytes()).await.unwrap();
                if body == HANG {
                    tokio::spawn(async move {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        drop(socket);
                    });
                    continue;
                }
                socket.write_all(body.as_bytes()).await.unwrap();
                socket.shutdown().await.unwrap();
            }
            seen
        });
        (client_for(&url), handle)
    }

    /// A client for the API server at `url` (plain http, no credentials).
    pub fn client_for(url: &str) -> Client {
        let config = kube::Config::new(url.parse().unwrap());
        Client::from_kube(kube::Client::try_from(config).unwrap())
    }

    /// A Service whose Ready condition has `status` and `message`.
    pub fn svc(status: &str, message: &str, rv: u32) -> Value {
        json!({
            "apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": "hello", "namespace": "default", "generation": 1, "resourceVersion": rv.to_string()},
            "status": {"observedGeneration": 1, "conditions": [
                {"type": "Ready", "status": status, "reason": "Deploying", "message": message}
            ]}
        })
    }

    pub fn list(items: Vec<Value>, rv: u32) -> String {
        json!({"apiVersion": "serving.knative.dev/v1", "kind": "ServiceList",
               "metadata": {"resourceVersion": rv.to_string()}, "items": items})
        .to_string()
    }

    pub fn event(kind: &str, object: Value) -> String {
        format!("{}\n", json!({"type": kind, "object": object}))
    }

    pub fn gone() -> String {
        let status = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                            "message": "too old resource version: 7 (8)", "reason": "Expired", "code": 410});
        event("ERROR", status)
    }

    /// The watch requests among `requests`, each checked to resume from the given resourceVersion.
    pub fn assert_watches_resume_from(requests: &[String], versions: &[&str]) {
        let watches: Vec<&String> = requests
            .iter()
            .filter(|r| r.contains("watch=true"))
            .collect();
        assert_eq!(watches.len(), versions.len(), "{requests:#?}");
        for (watch, rv) in watches.iter().zip(versions) {
            let wanted = format!("resourceVersion={rv}");
            let query = watch.split(['?', ' ']).nth(2).unwrap_or_default();
            assert!(
                query.split('&').any(|pair| pair == wanted),
                "{watch} should resume from {rv}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::script::*;
    use super::*;
    use crate::client::kinds::SERVICE;

    /// Every Service in `default` changed after resourceVersion 3.
    fn services_after_3(client: &Client) -> Follower<'_> {
        Follower::new(
            client,
            Collection::Kind(&SERVICE),
            Some("default"),
            ListOptions::default(),
        )
        .resume("3")
    }

    fn rv(object: &Value) -> &str {
        object["metadata"]["resourceVersion"].as_str().unwrap()
    }

    #[tokio::test]
    async fn resumes_dropped_watches_and_lists_again_after_410() {
        let bookmark = json_bookmark("8");
        let (client, server) = server(vec![
            list(vec![svc("Unknown", "a", 5)], 5),
            // A watch that ends after one event: resume from its resourceVersion.
            event("MODIFIED", svc("Unknown", "b", 6)),
            // A bookmark moves the resume point without an observation.
            bookmark,
            gone(),
            list(vec![svc("True", "", 9)], 9),
            event("DELETED", svc("True", "", 10)),
        ])
        .await;
        let mut follower = Follower::new(
            &client,
            Collection::Kind(&SERVICE),
            Some("default"),
            ListOptions::named("hello"),
        );
        let mut seen = Vec::new();
        for _ in 0..4 {
            seen.push(match follower.next().await.unwrap() {
                Observed::Listed(items) => format!("listed {}", rv(&items[0])),
                Observed::Added(o) => format!("added {}", rv(&o)),
                Observed::Modified(o) => format!("modified {}", rv(&o)),
                Observed::Deleted(o) => format!("deleted {}", rv(&o)),
            });
        }
        assert_eq!(seen, ["listed 5", "modified 6", "listed 9", "deleted 10"]);
        assert_eq!(follower.resource_version(), "10");
        drop(follower);
        let requests = server.await.unwrap();
        assert_watches_resume_from(&requests, &["5", "6", "8", "9"]);
        assert!(
            requests
                .iter()
                .all(|r| r.contains("fieldSelector=metadata.name%3Dhello"))
        );
    }

    #[tokio::test]
    async fn a_resumed_follower_does_not_list_first() {
        let (client, server) = server(vec![event("ADDED", svc("True", "", 4))]).await;
        let mut follower = services_after_3(&client);
        assert!(matches!(follower.next().await.unwrap(), Observed::Added(_)));
        drop(follower);
        assert_watches_resume_from(&server.await.unwrap(), &["3"]);
    }

    #[tokio::test]
    async fn other_watch_errors_end_the_follow() {
        let forbidden = serde_json::json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure", "message": "no", "reason": "Forbidden", "code": 403});
        let (client, _server) = server(vec![event("ERROR", forbidden)]).await;
        let mut follower = services_after_3(&client);
        let err = follower.next().await.unwrap_err();
        assert_eq!(err.api_status().map(|s| s.code), Some(403));
    }

    #[tokio::test]
    async fn a_server_that_stays_unreachable_ends_the_follow() {
        // A port nobody listens on any more.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let client = client_for(&url);
        let mut follower = services_after_3(&client);
        let ended = tokio::time::timeout(Duration::from_secs(20), follower.next()).await;
        let err = ended.expect("the follow ends").unwrap_err();
        assert!(matches!(err, Error::Connection(_)), "{err:?}");
    }

    fn json_bookmark(rv: &str) -> String {
        event(
            "BOOKMARK",
            serde_json::json!({"kind": "Service", "apiVersion": "serving.knative.dev/v1",
                               "metadata": {"resourceVersion": rv}}),
        )
    }
}
