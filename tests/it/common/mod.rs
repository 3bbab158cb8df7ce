//! Integration-test harness: an emulated cluster in-process (`knit_emulator::BackgroundEmulator`),
//! a kubeconfig and home directory in a temp dir, and the built `knit` binary run against them.
//! Outcomes (exit code, stdout, stderr) are snapshotted after redacting what truly varies: ages,
//! wait timings, uids, resourceVersions, timestamps and ports.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};

use knit_emulator::cluster::ClusterApi;
use knit_emulator::resource::GroupResource;
use knit_emulator::{BackgroundEmulator, Config};
use regex::Regex;
use serde_json::{Value, json};

/// One emulated cluster plus a private home directory for knit.
pub struct Cluster {
    emulator: BackgroundEmulator,
    dir: tempfile::TempDir,
}

/// The result of one knit run.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Cluster {
    /// A cluster with Knative's domain set to `example.com` (as in kn's docs) and no delays.
    pub fn start() -> Cluster {
        Cluster::with(Config {
            domain: "example.com".to_string(),
            ..Config::default()
        })
    }

    /// A cluster with a custom emulator configuration.
    pub fn with(config: Config) -> Cluster {
        let emulator = BackgroundEmulator::start(config);
        let dir = tempfile::tempdir().expect("temp dir");
        emulator
            .write_kubeconfig(&dir.path().join("kubeconfig"), "emulator")
            .expect("write kubeconfig");
        std::fs::create_dir_all(dir.path().join("config")).expect("config dir");
        Cluster { emulator, dir }
    }

    pub fn emulator(&self) -> &BackgroundEmulator {
        &self.emulator
    }

    /// Direct access to stored objects.
    pub fn api(&self) -> Arc<dyn ClusterApi> {
        self.emulator.cluster()
    }

    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("kubeconfig")
    }

    /// The temp dir used as `$HOME`.
    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    /// Runs knit with these arguments.
    pub fn knit(&self, args: &[&str]) -> Outcome {
        self.knit_with(args, &[], None)
    }

    /// Runs knit with extra environment variables and optional stdin.
    pub fn knit_with(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Outcome {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_knit"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join("config"))
            .env("KUBECONFIG", self.kubeconfig())
            .env("NO_COLOR", "1")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("run knit");
        if let Some(input) = stdin {
            let mut pipe = child.stdin.take().expect("stdin");
            pipe.write_all(input.as_bytes()).expect("write stdin");
        }
        let out = child.wait_with_output().expect("knit output");
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Creates an object directly in the cluster (through admission, like an API create).
    pub fn create(&self, group: &str, resource: &str, object: Value) -> Value {
        self.api()
            .create(&GroupResource::new(group, resource), object)
            .unwrap_or_else(|e| panic!("seed {resource}: {e:?}"))
    }

    /// Reads a stored object, `None` when absent.
    pub fn get(&self, group: &str, resource: &str, namespace: &str, name: &str) -> Option<Value> {
        self.api()
            .get(&GroupResource::new(group, resource), namespace, name)
            .ok()
    }

    /// Creates a namespace.
    pub fn namespace(&self, name: &str) {
        self.create(
            "",
            "namespaces",
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}),
        );
    }

    /// Creates a Knative Service running `image` (not waiting for it).
    pub fn service(&self, namespace: &str, name: &str, image: &str) -> Value {
        self.create(
            "serving.knative.dev",
            "services",
            service_object(namespace, name, image),
        )
    }

    /// Creates a Knative Service and waits (with `knit service wait`) until it is Ready.
    pub fn ready_service(&self, namespace: &str, name: &str, image: &str) {
        self.service(namespace, name, image);
        let out = self.knit(&["service", "wait", name, "-n", namespace]);
        assert_eq!(out.code, 0, "service {name} did not get ready: {out:?}");
    }
}

/// A minimal Knative Service object.
pub fn service_object(namespace: &str, name: &str, image: &str) -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}}
    })
}

impl Outcome {
    /// Exit code, stdout and stderr as one redacted text for snapshots.
    pub fn snapshot(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code,
            redact(&self.stdout),
            redact(&self.stderr)
        )
    }

    /// Panics with the whole outcome unless knit exited 0.
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "knit failed: {self:#?}");
        self
    }
}

fn rules() -> &'static [(Regex, &'static str)] {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    RULES.get_or_init(|| {
        [
            // Wait progress timings (`%7.3fs`), right-aligned in 7 columns.
            (r"(?m)^ *\d+\.\d{3}s ", "  X.XXXs "),
            (
                r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                "[uid]",
            ),
            (
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z",
                "[timestamp]",
            ),
            (
                r#"("resourceVersion": |resourceVersion: )"?\d+"?"#,
                "${1}[rv]",
            ),
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).expect("regex"), to))
        .collect()
    })
}

/// Redacts varying values. Ages (`0s`, `12s`, `3m`) become `X…` of the same width so that table
/// and describe alignment is kept.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    for (re, to) in rules() {
        out = re.replace_all(&out, *to).into_owned();
    }
    static AGE: OnceLock<Regex> = OnceLock::new();
    let age = AGE.get_or_init(|| Regex::new(r"\b\d+(s|m|h|d|y|m\d+s)\b").expect("regex"));
    age.replace_all(&out, |c: &regex::Captures| "X".repeat(c[0].len() - 1) + "s")
        .into_owned()
}

impl Cluster {
    /// Edits a stored Service (read, change, write back) and returns the stored result.
    pub fn edit_service(
        &self,
        namespace: &str,
        name: &str,
        edit: impl FnOnce(&mut Value),
    ) -> Value {
        let gr = GroupResource::new("serving.knative.dev", "services");
        let mut object = self
            .api()
            .get(&gr, namespace, name)
            .expect("service exists");
        edit(&mut object);
        self.api()
            .update(&gr, object)
            .unwrap_or_else(|e| panic!("update service: {e:?}"))
    }

    /// A ready service `name` with two revisions: `NAME-00001` tagged `stable` at 10% and the
    /// latest (`NAME-00002`) tagged `current` at 90%.
    pub fn split_service(&self, namespace: &str, name: &str) {
        self.ready_service(namespace, name, "gcr.io/knative-samples/helloworld-go");
        self.edit_service(namespace, name, |svc| {
            svc["spec"]["template"]["spec"]["containers"][0]["env"] =
                json!([{"name": "TARGET", "value": "v2"}]);
            svc["spec"]["traffic"] = json!([
                {"revisionName": format!("{name}-00001"), "percent": 10, "tag": "stable"},
                {"latestRevision": true, "percent": 90, "tag": "current"}
            ]);
        });
        let out = self.knit(&["service", "wait", name, "-n", namespace]);
        assert_eq!(out.code, 0, "service {name} did not get ready: {out:?}");
    }
}

impl Cluster {
    /// Lets DomainMappings claim their domain automatically (Knative's
    /// `autocreate-cluster-domain-claims`, off by default as in a real cluster).
    pub fn autocreate_domain_claims(&self) {
        let gr = GroupResource::new("", "configmaps");
        let mut cm = self
            .api()
            .get(&gr, "knative-serving", "config-network")
            .expect("config-network exists");
        cm["data"]["autocreate-cluster-domain-claims"] = json!("true");
        self.api().update(&gr, cm).expect("update config-network");
    }

    /// Polls until the object is gone. Deleting an object with a finalizer (a DomainMapping, a
    /// Route, a PingSource …) only marks it; its controller removes it a moment later.
    /// Panics after 20 s.
    pub fn until_gone(&self, group: &str, resource: &str, namespace: &str, name: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while let Some(object) = self.get(group, resource, namespace, name) {
            assert!(
                std::time::Instant::now() < deadline,
                "{resource} {name} was never removed: {object:#}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Polls the stored object until its Ready condition is True (controllers run in the
    /// background; DomainMappings have no wait command). Panics after 20 s.
    pub fn until_ready(&self, group: &str, resource: &str, namespace: &str, name: &str) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Some(object) = self.get(group, resource, namespace, name) {
                let ready = object["status"]["conditions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| c["type"] == "Ready" && c["status"] == "True");
                let observed =
                    object["status"]["observedGeneration"] == object["metadata"]["generation"];
                if ready && observed {
                    return object;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "{resource} {name} never got ready: {object:#}"
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}
