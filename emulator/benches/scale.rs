//! Scale benchmark (not part of `cargo test`): Knative Services in one namespace at 1k and 10k,
//! printing list latency (JSON, Table, paged), watch throughput and resident memory.
//!
//! Run with `cargo bench -p knit-emulator --bench scale`.

#[path = "../tests/common/mod.rs"]
#[allow(dead_code)]
mod common;

use std::time::{Duration, Instant};

use knit_emulator::resource::GroupResource;
use knit_emulator::{Config, Emulator};
use serde_json::json;

const NS: &str = "bench";
const LIST: &str = "/apis/serving.knative.dev/v1/namespaces/bench/services";
const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// Median wall time of `runs` calls, and the size of the last response.
async fn time_get(
    addr: std::net::SocketAddr,
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

/// Waits until Knative's controllers have made every Service Ready (they are idle then).
async fn wait_until_ready(addr: std::net::SocketAddr, want: usize) -> Duration {
    let start = Instant::now();
    loop {
        let list = common::http(addr, "GET", LIST, &[], b"").await.json();
        let ready = list["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter(|s| {
                        s["status"]["conditions"].as_array().is_some_and(|c| {
                            c.iter()
                                .any(|c| c["type"] == "Ready" && c["status"] == "True")
                        })
                    })
                    .count()
            })
            .unwrap_or(0);
        if ready >= want {
            return start.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let emulator = Emulator::start(Config::default())
            .await
            .expect("emulator starts");
        let addr = emulator.addr();
        let cluster = emulator.cluster();
        cluster
            .create(
                &GroupResource::new("", "namespaces"),
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}}),
            )
            .expect("namespace");
        let ksvc = GroupResource::new("serving.knative.dev", "services");
        println!("baseline RSS: {:.1} MiB", rss_mib());
        let mut created = 0;
        for target in [1_000usize, 10_000] {
            let start = Instant::now();
            while created < target {
                let mut svc = common::ksvc(
                    &format!("svc-{created:05}"),
                    "ghcr.io/knative/helloworld-go:latest",
                );
                svc["metadata"]["namespace"] = json!(NS);
                cluster.create(&ksvc, svc).expect("service created");
                created += 1;
            }
            let create_time = start.elapsed();
            let settle = wait_until_ready(addr, target).await;
            println!("\n== {target} Services in one namespace ==");
            println!(
                "create: {:.0} ms; all Ready {:.1} s later",
                create_time.as_secs_f64() * 1e3,
                settle.as_secs_f64()
            );
            println!("RSS when settled: {:.1} MiB", rss_mib());
            let (t, size) = time_get(addr, LIST, &[], 5).await;
            println!(
                "list JSON:  {:>8.1} ms  ({:.1} MiB)",
                t.as_secs_f64() * 1e3,
                size as f64 / 1048576.0
            );
            let (t, size) = time_get(addr, LIST, &[("Accept", TABLE)], 5).await;
            println!(
                "list Table: {:>8.1} ms  ({:.1} MiB)",
                t.as_secs_f64() * 1e3,
                size as f64 / 1048576.0
            );
            let (t, _) = time_get(addr, &format!("{LIST}?limit=500"), &[], 5).await;
            println!("first page of 500: {:>5.1} ms", t.as_secs_f64() * 1e3);
            let (t, _) = time_get(addr, &format!("{LIST}?labelSelector=app%3Dnone"), &[], 5).await;
            println!(
                "selector matching nothing: {:>5.1} ms",
                t.as_secs_f64() * 1e3
            );
            let (t, _) = time_get(addr, &format!("{LIST}/svc-00000"), &[], 5).await;
            println!("get one: {:>5.2} ms", t.as_secs_f64() * 1e3);
            println!("RSS after the lists: {:.1} MiB", rss_mib());
        }

        // Watch throughput: 1000 label changes seen by a watcher of the 10k-object collection.
        let mut watch = tokio::task::spawn_blocking(move || {
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
            let mut modified = 0;
            let start = Instant::now();
            while modified < 1000 {
                match w.next_event() {
                    Some(e)
                        if e["type"] == "MODIFIED"
                            && e["object"]["metadata"]["labels"]["bench"] == "1" =>
                    {
                        modified += 1
                    }
                    Some(_) => {}
                    None => break,
                }
            }
            (initial, start.elapsed(), modified)
        });
        let start = Instant::now();
        for i in 0..1000 {
            cluster
                .merge_patch(
                    &ksvc,
                    NS,
                    &format!("svc-{i:05}"),
                    &json!({"metadata": {"labels": {"bench": "1"}}}),
                )
                .expect("patched");
        }
        let patch_time = start.elapsed();
        let (initial, changes, modified) = (&mut watch).await.expect("watcher");
        println!("\n== watch over 10000 Services ==");
        println!(
            "initial ADDED events: {:.0} ms",
            initial.as_secs_f64() * 1e3
        );
        println!(
            "1000 patches: {:.0} ms; watcher saw {modified} MODIFIED after {:.0} ms",
            patch_time.as_secs_f64() * 1e3,
            changes.as_secs_f64() * 1e3
        );
        println!("RSS: {:.1} MiB", rss_mib());
        emulator.shutdown().await;
    });
}
