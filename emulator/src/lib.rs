//! knit-emulator: a Kubernetes API server with Knative Serving and Eventing behaviour.
//!
//! Layers, bottom up: `store` (versioned objects, watch history) → `registry` (API-server
//! semantics: defaults, schema, admission, generation, finalizers, GC) → `server` (HTTP).
//! `crd` loads the vendored Knative CRDs; `admission` and `controllers` add Knative's
//! webhooks and reconcilers on top of the registry through the [`cluster::ClusterApi`] trait.
//!
//! Start one with [`Emulator::start`] (async) or [`BackgroundEmulator::start`] (its own thread).

pub mod admission;
pub mod apiextensions;
pub mod apps;
pub mod builtin;
pub mod catalog;
pub mod cluster;
pub mod config;
pub mod controllers;
pub mod core_rules;
pub mod crd;
pub mod event_versions;
pub mod events_v1;
pub mod fields_form;
pub mod foreground;
pub mod gojson;
pub mod json;
pub mod knative;
pub mod podlog;
pub mod protobuf;
pub mod registry;
pub mod resource;
pub mod server;
pub mod state;
pub mod status;
pub mod store;
pub mod tls;
pub mod validation;
pub mod watch;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::watch as watch_channel;
use tokio::task::JoinHandle;

pub use cluster::ClusterApi;
pub use config::Config;
pub use status::ApiError;

use catalog::Catalog;
use registry::{Registry, WriteOptions};

use crate::json::At;

/// Changes kept per resource for watch resumption; older resourceVersions get 410 Gone.
const WATCH_HISTORY: usize = 1024;

/// Why an emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Tls(String),
    #[error("{0}")]
    State(String),
}

/// Every served type: the core v1 types and the Knative CRDs.
pub fn catalog() -> Catalog {
    let mut types = builtin::core_types();
    types.extend(apps::apps_types());
    types.push(events_v1::type_info());
    types.extend(registry::crds::crd_types());
    types.extend(apiextensions::types());
    Catalog::new(types, Some(registry::crds::converter()))
}

/// The name of the kubeconfig cluster, user and context of an emulator listening on `port`, when
/// none is chosen: one per port, so several emulators can share one merged `KUBECONFIG`.
pub fn context_name(port: u16) -> String {
    format!("knit-emulator-{port}")
}

/// A kubeconfig with one cluster, user and context named `context` (namespace `default`).
pub fn kubeconfig_yaml(
    url: &str,
    ca_pem: Option<&str>,
    token: Option<&str>,
    context: &str,
) -> String {
    use base64::Engine;
    let mut cluster = json!({"server": url});
    if let Some(ca) = ca_pem {
        cluster["certificate-authority-data"] =
            json!(base64::engine::general_purpose::STANDARD.encode(ca));
    }
    let user = match token {
        Some(t) => json!({"token": t}),
        None => json!({}),
    };
    let doc = json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": context, "cluster": cluster}],
        "users": [{"name": context, "user": user}],
        "contexts": [{"name": context, "context": {"cluster": context, "user": context, "namespace": "default"}}],
        "current-context": context,
        "preferences": {},
    });
    serde_saphyr::to_string(&doc).unwrap_or_default()
}

fn write_file_private(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// Creates the objects a fresh cluster has, skipping those already there (loaded state).
fn bootstrap(registry: &Registry, config: &Config) {
    let opts = WriteOptions {
        user: "system:apiserver".into(),
        manager: "kube-apiserver".into(),
        ..WriteOptions::default()
    };
    let namespaces = registry.catalog.get("", "v1", "namespaces");
    for ns in builtin::SYSTEM_NAMESPACES {
        if let Some(ti) = &namespaces
            && registry.get_stored(&ti.gr(), "", ns).is_none()
        {
            let _ = registry.create(
                ti,
                "",
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
                &opts,
            );
        }
    }
    let crds = apiextensions::objects(&registry::now_timestamp());
    let knative = if config.knative {
        controllers::bootstrap_objects(config)
    } else {
        Vec::new()
    };
    for object in knative.into_iter().chain(crds) {
        let api_version = object
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("");
        let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
        let Some(ti) = registry.catalog.by_kind(api_version, kind) else {
            continue;
        };
        let ns = object
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let name = object
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        if registry
            .get_stored(&ti.gr(), if ti.rt.namespaced { &ns } else { "" }, name)
            .is_none()
        {
            let _ = registry.create(&ti, &ns, object.clone(), &opts);
        }
    }
}

/// Where a running emulator answers and what a client needs to reach it. [`Emulator`] and
/// [`BackgroundEmulator`] both dereference to theirs.
#[derive(Debug, Clone)]
pub struct Endpoint {
    addr: SocketAddr,
    url: String,
    ca_pem: Option<String>,
    token: Option<String>,
}

impl Endpoint {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http(s)://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The CA certificate clients must trust (with TLS).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// A kubeconfig whose cluster, user and context are all named `context`.
    pub fn kubeconfig_yaml(&self, context: &str) -> String {
        kubeconfig_yaml(
            &self.url,
            self.ca_pem.as_deref(),
            self.token.as_deref(),
            context,
        )
    }

    pub fn write_kubeconfig(&self, path: &Path, context: &str) -> std::io::Result<()> {
        write_file_private(path, &self.kubeconfig_yaml(context))
    }
}

impl std::ops::Deref for Emulator {
    type Target = Endpoint;

    fn deref(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl std::ops::Deref for BackgroundEmulator {
    type Target = Endpoint;

    fn deref(&self) -> &Endpoint {
        &self.endpoint
    }
}

/// A running emulated cluster.
pub struct Emulator {
    endpoint: Endpoint,
    registry: Arc<Registry>,
    shutdown: watch_channel::Sender<bool>,
    server: JoinHandle<()>,
    background: Vec<JoinHandle<()>>,
    saver: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds, loads state, bootstraps the cluster and starts serving and reconciling.
    pub async fn start(config: Config) -> Result<Emulator, StartError> {
        let webhooks = if config.knative {
            admission::knative_webhooks()
        } else {
            Vec::new()
        };
        let registry = Registry::new(catalog(), webhooks, config.clone(), WATCH_HISTORY);
        if let Some(path) = &config.state_file {
            state::load(&registry.store, path).map_err(StartError::State)?;
        }
        bootstrap(&registry, &config);
        if let Some(path) = &config.state_file {
            state::journal(&registry.store, path).map_err(StartError::State)?;
        }
        let (shutdown, shutdown_rx) = watch_channel::channel(false);

        let mut background = Vec::new();
        let (gc, gc_feed) = registry::gc::GarbageCollector::new(registry.clone());
        background.push(tokio::spawn(gc.run(gc_feed)));
        background.push(tokio::spawn(registry::serviceaccounts::run(
            registry.clone(),
            registry
                .store
                .listen_where(registry::serviceaccounts::wants),
        )));
        if config.knative && config.controllers {
            let manager = controllers::manager::Manager::new(
                controllers::cluster_controllers(),
                registry.clone(),
            )
            .with_workers(config.workers);
            // The controllers get a thread of their own, so reconciling does not take turns
            // with serving requests (the host runtime may be single-threaded, as knit's is).
            let (feed, stop) = (registry.store.listen(), shutdown_rx.clone());
            background.push(tokio::task::spawn_blocking(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(manager.run(feed, stop)),
                    Err(e) => eprintln!("knit-emulator: cannot start the controllers: {e}"),
                }
            }));
        }
        let saver = config.state_file.clone().map(|path| {
            tokio::spawn(state::run_saver(
                registry.store.clone(),
                path,
                shutdown_rx.clone(),
            ))
        });

        let tls = if config.tls {
            Some(tls::generate().map_err(StartError::Tls)?)
        } else {
            None
        };
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{addr}");
        let app = Arc::new(server::App {
            registry: registry.clone(),
            token: config.token.clone(),
            discovery: server::discovery::Discovery::new(&registry.catalog),
            openapi: server::openapi::OpenApi::new(&registry.catalog),
            shutdown: shutdown_rx.clone(),
        });
        let ca_pem = tls.as_ref().map(|t| t.ca_pem.clone());
        let server = tokio::spawn(server::serve(
            listener,
            tls.map(|t| t.acceptor),
            app,
            shutdown_rx,
        ));
        Ok(Emulator {
            endpoint: Endpoint {
                addr,
                url,
                ca_pem,
                token: config.token,
            },
            registry,
            shutdown,
            server,
            background,
            saver,
        })
    }

    /// Direct access to stored objects (storage versions), bypassing HTTP.
    pub fn cluster(&self) -> Arc<dyn ClusterApi> {
        self.registry.clone()
    }

    /// Stops serving (open watches end), stops the controllers and saves state.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.server.await;
        if let Some(saver) = self.saver {
            let _ = saver.await;
        }
        for task in self.background {
            task.abort();
        }
    }
}

/// An emulator on its own thread and tokio runtime, for synchronous tests.
pub struct BackgroundEmulator {
    endpoint: Endpoint,
    cluster: Arc<dyn ClusterApi>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BackgroundEmulator {
    /// Starts the emulator. Panics if it cannot start (a test-setup failure).
    pub fn start(config: Config) -> BackgroundEmulator {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("knit-emulator".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match Emulator::start(config).await {
                        Ok(emulator) => {
                            let info = (emulator.endpoint.clone(), emulator.cluster());
                            let _ = ready_tx.send(Ok(info));
                            let _ = stop_rx.await;
                            emulator.shutdown().await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e.to_string()));
                        }
                    }
                });
            })
            .unwrap_or_else(|e| panic!("cannot start the emulator thread: {e}"));
        match ready_rx.recv() {
            Ok(Ok((endpoint, cluster))) => BackgroundEmulator {
                endpoint,
                cluster,
                stop: Some(stop_tx),
                thread: Some(thread),
            },
            Ok(Err(e)) => panic!("cannot start the emulator: {e}"),
            Err(_) => panic!("the emulator thread ended before it started"),
        }
    }

    pub fn cluster(&self) -> Arc<dyn ClusterApi> {
        self.cluster.clone()
    }
}

impl Drop for BackgroundEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
