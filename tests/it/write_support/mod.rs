//! Test support for the Service write commands: an emulated cluster on a free port, the knit
//! binary run against it with its own kubeconfig and config directory, and readers for the
//! stored objects.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use knit_emulator::resource::GroupResource;
use knit_emulator::{BackgroundEmulator, Config};
use serde_json::Value;

/// One emulated cluster and a scratch home for knit.
pub struct Cluster {
    pub emulator: BackgroundEmulator,
    pub dir: tempfile::TempDir,
    kubeconfig: PathBuf,
}

/// What one knit run did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text, for snapshots.
    pub fn text(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "knit failed:\n{}", self.text());
        self
    }
}

/// Snapshot filters: wait progress timings vary, so each `  N.NNNs` becomes `[ELAPSED]`.
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"(?m)^ +\d+\.\d{3}s ", "[ELAPSED] "),
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "[timestamp]"),
    ]
}

/// Drops the intermediate progress lines (their number depends on timing), keeping the last.
pub fn settle_progress(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.lines() {
        let progress = line.trim_start().split_once("s ").is_some_and(|(t, _)| {
            t.contains('.') && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        });
        if progress
            && let Some(last) = out.last()
            && last.trim_start().split_once("s ").is_some_and(|(t, _)| {
                t.contains('.') && t.chars().all(|c| c.is_ascii_digit() || c == '.')
            })
        {
            out.pop();
        }
        out.push(line);
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

impl Cluster {
    pub fn start() -> Self {
        let emulator = BackgroundEmulator::start(Config {
            domain: "example.com".to_string(),
            ..Config::default()
        });
        let dir = tempfile::tempdir().expect("temp dir");
        let kubeconfig = dir.path().join("kubeconfig");
        emulator
            .write_kubeconfig(&kubeconfig, "emulator")
            .expect("write kubeconfig");
        std::fs::create_dir_all(dir.path().join("config")).expect("config dir");
        Cluster {
            emulator,
            dir,
            kubeconfig,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_knit"));
        cmd.args(args)
            .env("KUBECONFIG", &self.kubeconfig)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs knit with stdin closed-empty (as in CI).
    pub fn knit(&self, args: &[&str]) -> Run {
        self.knit_with_stdin(args, "")
    }

    /// Runs knit with `input` piped to its stdin.
    pub fn knit_with_stdin(&self, args: &[&str], input: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .spawn()
            .expect("run knit");
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(input.as_bytes());
        }
        let output = child.wait_with_output().expect("knit output");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// A stored Knative Serving object (`services`, `revisions`, `configurations`, `routes`).
    pub fn get(&self, resource: &str, namespace: &str, name: &str) -> Value {
        self.emulator
            .cluster()
            .get(
                &GroupResource::new("serving.knative.dev", resource),
                namespace,
                name,
            )
            .unwrap_or_else(|e| panic!("{resource} {namespace}/{name}: {e:?}"))
    }

    pub fn service(&self, name: &str) -> Value {
        self.get("services", "default", name)
    }

    /// Names of the revisions of a service, oldest first.
    pub fn revisions(&self, service: &str) -> Vec<String> {
        let mut revisions: Vec<(i64, String)> = self
            .emulator
            .cluster()
            .list(
                &GroupResource::new("serving.knative.dev", "revisions"),
                "default",
            )
            .into_iter()
            .filter(|r| {
                r.pointer("/metadata/labels/serving.knative.dev~1service")
                    .and_then(Value::as_str)
                    == Some(service)
            })
            .map(|r| {
                let generation = r
                    .pointer("/metadata/labels/serving.knative.dev~1configurationGeneration")
                    .and_then(Value::as_str)
                    .and_then(|g| g.parse().ok())
                    .unwrap_or(0);
                let name = r
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                (generation, name)
            })
            .collect();
        revisions.sort();
        revisions.into_iter().map(|(_, n)| n).collect()
    }

    /// Sets Knative Serving feature flags (`config-features` in `knative-serving`).
    pub fn set_features(&self, flags: &[(&str, &str)]) {
        let cluster = self.emulator.cluster();
        let gr = GroupResource::new("", "configmaps");
        let mut cm = cluster
            .get(&gr, "knative-serving", "config-features")
            .expect("config-features");
        for (key, value) in flags {
            cm["data"][*key] = Value::String(value.to_string());
        }
        cluster.update(&gr, cm).expect("update config-features");
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, content).expect("write file");
        path
    }

    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }
}

/// The env entries of a stored Service's first container as `NAME=value` lines.
pub fn env_of(service: &Value) -> Vec<String> {
    service
        .pointer("/spec/template/spec/containers/0/env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "{}={}",
                e["name"].as_str().unwrap_or_default(),
                e["value"].as_str().unwrap_or_default()
            )
        })
        .collect()
}
