//! Benchmark: `knit version` and `knit service list` over 1,000 services against the emulator,
//! each next to a raw HTTP GET of the same list (curl), reporting wall time and peak memory.
//! Run with `cargo bench --bench cli` (needs curl and GNU time at /usr/bin/time); it prints
//! figures and asserts nothing (timings on shared machines are noisy, never test assertions).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use knit_emulator::resource::GroupResource;
use knit_emulator::{BackgroundEmulator, Config};
use serde_json::json;

const SERVICES: usize = 1000;
const RUNS: usize = 15;

/// Wall time and peak resident memory of one child process.
struct Sample {
    wall: Duration,
    max_rss_kib: i64,
}

/// Runs a command to completion under GNU time, which reports the command's own peak RSS
/// (`wait4` from this process would count the fork of this large process, emulator included).
fn measure(cmd: &mut Command) -> Sample {
    let out = tempfile::NamedTempFile::new().expect("tempfile");
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(out.path())
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    let start = Instant::now();
    let status = timed
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("spawn /usr/bin/time");
    let wall = start.elapsed();
    assert!(status.success(), "{cmd:?} failed: {status}");
    let text = std::fs::read_to_string(out.path()).expect("read time output");
    let max_rss_kib = text
        .trim()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("time %M output");
    Sample { wall, max_rss_kib }
}

fn report(label: &str, samples: &[Sample]) -> (f64, i64) {
    let mut walls: Vec<f64> = samples
        .iter()
        .map(|s| s.wall.as_secs_f64() * 1000.0)
        .collect();
    walls.sort_by(|a, b| a.total_cmp(b));
    let median = walls[walls.len() / 2];
    let rss = samples.iter().map(|s| s.max_rss_kib).max().unwrap_or(0);
    println!(
        "{label:<40} median {median:8.2} ms   min {:8.2} ms   peak RSS {:7.1} MiB",
        walls[0],
        rss as f64 / 1024.0
    );
    (median, rss)
}

fn seed(emulator: &BackgroundEmulator) {
    let cluster = emulator.cluster();
    let gr = GroupResource::new("serving.knative.dev", "services");
    for i in 0..SERVICES {
        let svc = json!({
            "apiVersion": "serving.knative.dev/v1",
            "kind": "Service",
            "metadata": {"name": format!("svc-{i:04}"), "namespace": "default"},
            "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/knative/helloworld-go"}]}}}
        });
        cluster.create(&gr, svc).expect("create service");
    }
    // Let the controllers settle so the list is stable while it is measured.
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        let ready = cluster
            .list(&gr, "default")
            .iter()
            .filter(|s| {
                s["status"]["conditions"].as_array().is_some_and(|c| {
                    c.iter()
                        .any(|c| c["type"] == "Ready" && c["status"] == "True")
                })
            })
            .count();
        if ready == SERVICES {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!("warning: not every service became ready; measuring anyway");
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let knit = env!("CARGO_BIN_EXE_knit");
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("kubeconfig");
    let emulator = BackgroundEmulator::start(Config::default());
    emulator
        .write_kubeconfig(&kubeconfig, "bench")
        .expect("kubeconfig");
    println!("seeding {SERVICES} services …");
    seed(&emulator);
    let list_url = format!(
        "{}/apis/serving.knative.dev/v1/namespaces/default/services",
        emulator.url()
    );

    let knit_cmd = |args: &[&str]| {
        let mut cmd = Command::new(knit);
        cmd.args(args)
            .env("KUBECONFIG", &kubeconfig)
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("NO_COLOR", "1");
        cmd
    };
    let run = |make: &dyn Fn() -> Command| -> Vec<Sample> {
        measure(&mut make()); // warm-up
        (0..RUNS).map(|_| measure(&mut make())).collect()
    };

    println!("{RUNS} runs each; {SERVICES} services in namespace default\n");
    let (version, version_rss) = report("knit version", &run(&|| knit_cmd(&["version"])));
    let (get, get_rss) = report(
        "raw GET of the list (curl)",
        &run(&|| {
            let mut cmd = Command::new("curl");
            cmd.args(["-sf", "-o", "/dev/null", &list_url]);
            cmd
        }),
    );
    let (list, list_rss) = report(
        "knit service list",
        &run(&|| knit_cmd(&["service", "list"])),
    );
    let (list_json, _) = report(
        "knit service list -o json",
        &run(&|| knit_cmd(&["service", "list", "-o", "json"])),
    );

    println!();
    println!(
        "knit version overhead (process start):      {version:8.2} ms, {:6.1} MiB",
        version_rss as f64 / 1024.0
    );
    println!(
        "knit service list over the raw GET:         {:+8.2} ms, {:+6.1} MiB   (target: < 10 ms, < 15 MiB)",
        list - get,
        (list_rss - get_rss) as f64 / 1024.0
    );
    println!(
        "knit service list -o json over the raw GET: {:+8.2} ms",
        list_json - get
    );
}
