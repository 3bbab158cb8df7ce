//! Scale benchmark (not part of `cargo test`): Knative Services in one namespace at 1k, 2k and 10k
//! against the `knit-emulator` program, printing list latency (JSON, Table, paged), watch
//! throughput, GET next to a LIST by name, and the emulator process's resident memory.
//!
//! Run with `cargo bench -p knit-emulator --bench scale`.

#[path = "../tests/it/common/mod.rs"]
mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use kube::api::{
    Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams, PostParams, WatchEvent,
    WatchParams,
};
use serde_json::{Value, json};

const NS: &str = "bench";
const LIST: &str = "/apis/serving.knative.dev/v1/namespaces/bench/services";
const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn spawn_emulator(kubeconfig: &std::path::Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_knit-emulator"))
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("knit-emulator starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address line");
    (child, line.trim().parse().expect("address"))
}

/// Median wall time of `runs` requests, and the size of the last response.
async fn time_get(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    runs: usize,
) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let r = common::http(addr, "GET", path, headers, b"").await;
        times.push(start.elapsed());
        assert_eq!(r.status, 200, "{}", r.text());
        size = r.body.len();
    }
    times.sort();
    (times[times.len() / 2], size)
}

fn is_ready(obj: &DynamicObject) -> bool {
    obj.data["status"]["conditions"]
        .as_array()
        .is_some_and(|c| {
            c.iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let kubeconfig = dir.path().join("kubeconfig");
        let (mut child, addr) = spawn_emulator(&kubeconfig);
        let pid = child.id();
        let client =
            common::client_for(&std::fs::read_to_string(&kubeconfig).expect("kubeconfig")).await;
        let namespaces: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
        let ns: k8s_openapi::api::core::v1::Namespace =
            serde_json::from_value(json!({"metadata": {"name": NS}})).expect("namespace");
        namespaces
            .create(&PostParams::default(), &ns)
            .await
            .expect("namespace created");
        let resource = ApiResource::from_gvk(&GroupVersionKind::gvk(
            "serving.knative.dev",
            "v1",
            "Service",
        ));
        let api: Api<DynamicObject> = Api::namespaced_with(client, NS, &resource);
        println!("emulator RSS at start: {:.1} MiB", rss_mib(pid));

        let mut created = 0usize;
        for target in [1_000usize, 2_000, 10_000] {
            // Follow readiness with a watch from the current state.
            let rv = api
                .list_metadata(&Default::default())
                .await
                .expect("list")
                .metadata
                .resource_version
                .unwrap_or_default();
            let mut events = api
                .watch(&WatchParams::default().timeout(290), &rv)
                .await
                .expect("watch")
                .boxed();
            let start = Instant::now();
            let names: Vec<String> = (created..target).map(|i| format!("svc-{i:05}")).collect();
            futures::stream::iter(names)
                .map(|name| {
                    let api = api.clone();
                    async move {
                        let obj: DynamicObject = serde_json::from_value(common::ksvc(
                            &name,
                            "ghcr.io/knative/helloworld-go:latest",
                        ))
                        .expect("object");
                        api.create(&PostParams::default(), &obj)
                            .await
                            .expect("service created");
                    }
                })
                .buffer_unordered(16)
                .collect::<Vec<_>>()
                .await;
            let create_time = start.elapsed();
            let mut ready: HashSet<String> = HashSet::new();
            while ready.len() < target - created {
                match events.try_next().await.expect("watch event") {
                    Some(WatchEvent::Modified(obj)) if is_ready(&obj) => {
                        ready.insert(obj.metadata.name.unwrap_or_default());
                    }
                    Some(_) => {}
                    None => panic!("watch ended before every Service was Ready"),
                }
            }
            let settle = start.elapsed();
            created = target;
            println!("\n== {target} Services in one namespace ==");
            println!(
                "create over HTTP: {:.0} ms; all Ready after {:.1} s",
                ms(create_time),
                settle.as_secs_f64()
            );
            println!("emulator RSS when settled: {:.1} MiB", rss_mib(pid));
            let (t, size) = time_get(addr, LIST, &[], 5).await;
            println!(
                "list JSON:  {:>8.1} ms  ({:.1} MiB)",
                ms(t),
                size as f64 / 1048576.0
            );
            let (t, size) = time_get(addr, LIST, &[("Accept", TABLE)], 5).await;
            println!(
                "list Table: {:>8.1} ms  ({:.1} MiB)",
                ms(t),
                size as f64 / 1048576.0
            );
            let (t, _) = time_get(addr, &format!("{LIST}?limit=500"), &[], 5).await;
            println!("first page of 500: {:>5.1} ms", ms(t));
            let (t, _) = time_get(addr, &format!("{LIST}?labelSelector=app%3Dnone"), &[], 5).await;
            println!("selector matching nothing: {:>5.1} ms", ms(t));
            let (t, _) = time_get(addr, &format!("{LIST}/svc-00000"), &[], 5).await;
            let (by_name, _) = time_get(
                addr,
                &format!("{LIST}?fieldSelector=metadata.name%3Dsvc-00000"),
                &[],
                5,
            )
            .await;
            // A wait's LIST by name is a lookup: it costs about what a GET does, at any size.
            println!(
                "get one: {:>5.2} ms; list by name (fieldSelector=metadata.name): {:>5.2} ms",
                ms(t),
                ms(by_name)
            );
            println!("emulator RSS after the lists: {:.1} MiB", rss_mib(pid));
        }

        // Watch throughput: a watcher of the 10k collection, from its initial state, through
        // 1000 label changes.
        let (listed_tx, listed_rx) = tokio::sync::oneshot::channel();
        let watcher = tokio::task::spawn_blocking(move || {
            let mut w = common::WatchReader::open(
                addr,
                &format!("{LIST}?watch=true&resourceVersion=0&timeoutSeconds=120"),
                &[],
            );
            let start = Instant::now();
            let mut added = 0;
            while added < 10_000 {
                if w.next_event().is_some_and(|e| e["type"] == "ADDED") {
                    added += 1;
                }
            }
            let initial = start.elapsed();
            let _ = listed_tx.send(());
            let start = Instant::now();
            let mut seen = HashSet::new();
            while seen.len() < 1000 {
                match w.next_event() {
                    Some(e)
                        if e["type"] == "MODIFIED"
                            && e["object"]["metadata"]["labels"]["bench"] == "1" =>
                    {
                        seen.insert(
                            e["object"]["metadata"]["name"]
                                .as_str()
                                .unwrap_or("")
                                .to_string(),
                        );
                    }
                    Some(_) => {}
                    None => break,
                }
            }
            (initial, start.elapsed(), seen.len())
        });
        listed_rx.await.expect("initial events");
        let start = Instant::now();
        let patch: Value = json!({"metadata": {"labels": {"bench": "1"}}});
        futures::stream::iter(0..1000)
            .map(|i| {
                let (api, patch) = (api.clone(), patch.clone());
                async move {
                    api.patch(
                        &format!("svc-{i:05}"),
                        &PatchParams::default(),
                        &Patch::Merge(patch),
                    )
                    .await
                    .expect("patched");
                }
            })
            .buffer_unordered(16)
            .collect::<Vec<_>>()
            .await;
        let patch_time = start.elapsed();
        let (initial, changes, seen) = watcher.await.expect("watcher");
        println!("\n== watch over 10000 Services ==");
        println!("initial ADDED events: {:.0} ms", ms(initial));
        println!(
            "1000 patches over HTTP: {:.0} ms; the watcher had all {seen} after {:.0} ms",
            ms(patch_time),
            ms(changes)
        );
        println!("emulator RSS: {:.1} MiB", rss_mib(pid));
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(pid.to_string())
            .status();
        let _ = child.wait();
    });
}
