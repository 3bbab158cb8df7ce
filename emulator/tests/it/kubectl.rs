//! Real `kubectl` against the emulator: apply, get (Table with the CRD's columns), -o yaml,
//! patch, wait, watch, delete and server-side apply. Skipped, with a message, when kubectl
//! is not installed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use knit_emulator::{BackgroundEmulator, Config};

const MANIFEST: &str = "apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
          env:
            - name: TARGET
              value: World
";

fn kubectl_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("kubectl"))
        .find(|p| p.is_file())
}

pub(crate) struct Kubectl {
    bin: PathBuf,
    dir: tempfile::TempDir,
    _emulator: BackgroundEmulator,
}

impl Kubectl {
    pub(crate) fn start(config: Config) -> Option<Kubectl> {
        let Some(bin) = kubectl_path() else {
            crate::common::skip("kubectl");
            return None;
        };
        let emulator = BackgroundEmulator::start(config);
        let dir = tempfile::tempdir().unwrap();
        emulator
            .write_kubeconfig(&dir.path().join("kubeconfig"), "emulator")
            .unwrap();
        std::fs::write(dir.path().join("ksvc.yaml"), MANIFEST).unwrap();
        Some(Kubectl {
            bin,
            dir,
            _emulator: emulator,
        })
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.env("KUBECONFIG", self.path("kubeconfig"))
            .env("HOME", self.dir.path())
            .arg("--cache-dir")
            .arg(self.path("cache"))
            .arg("--request-timeout=30s")
            .args(args);
        cmd
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("kubectl runs")
    }

    /// Runs kubectl and returns stdout, failing the test on a non-zero exit.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kubectl {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

fn manifest(k: &Kubectl) -> String {
    k.path("ksvc.yaml").to_string_lossy().into_owned()
}

fn wait_ready(k: &Kubectl) {
    let out = k.ok(&[
        "wait",
        "--for=condition=Ready",
        "ksvc/hello",
        "--timeout=30s",
    ]);
    assert_eq!(out, "service.serving.knative.dev/hello condition met\n");
}

#[test]
fn apply_get_yaml_patch_delete() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    let m = manifest(&k);
    assert_eq!(
        k.ok(&["apply", "-f", &m]),
        "service.serving.knative.dev/hello created\n"
    );
    wait_ready(&k);
    assert_eq!(
        k.ok(&["get", "ksvc"]),
        "NAME    URL                                      LATESTCREATED   LATESTREADY   READY   REASON\n\
         hello   http://hello.default.svc.cluster.local   hello-00001     hello-00001   True    \n"
    );

    let yaml = k.ok(&["get", "ksvc", "hello", "-o", "yaml"]);
    let obj: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(
        obj["status"]["url"],
        "http://hello.default.svc.cluster.local"
    );
    assert_eq!(obj["status"]["latestReadyRevisionName"], "hello-00001");
    assert_eq!(
        obj["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"],
        "World"
    );
    assert!(
        obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .is_string()
    );

    // Applying the same manifest again: kubectl's three-way merge resends the containers list
    // (Knative's defaulting added `name` to it), so it reports "configured", as against a real
    // cluster; the defaulted result is unchanged, so the object is not rewritten.
    let rv = k.ok(&[
        "get",
        "ksvc",
        "hello",
        "-o",
        "jsonpath={.metadata.resourceVersion}",
    ]);
    assert_eq!(
        k.ok(&["apply", "-f", &m]),
        "service.serving.knative.dev/hello configured\n"
    );
    assert_eq!(
        k.ok(&[
            "get",
            "ksvc",
            "hello",
            "-o",
            "jsonpath={.metadata.resourceVersion}"
        ]),
        rv
    );

    let patch = r#"{"spec":{"template":{"spec":{"containers":[{"image":"ghcr.io/knative/helloworld-go:v2"}]}}}}"#;
    assert_eq!(
        k.ok(&["patch", "ksvc", "hello", "--type", "merge", "-p", patch]),
        "service.serving.knative.dev/hello patched\n"
    );
    let image = k.ok(&[
        "get",
        "ksvc",
        "hello",
        "-o",
        "jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}",
    ]);
    assert_eq!(image, "ghcr.io/knative/helloworld-go:v2 2");

    assert_eq!(
        k.ok(&["delete", "ksvc", "hello"]),
        "service.serving.knative.dev \"hello\" deleted\n"
    );
    let out = k.run(&["get", "ksvc", "hello"]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error from server (NotFound): services.serving.knative.dev \"hello\" not found\n"
    );
}

#[test]
fn server_side_apply() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    let m = manifest(&k);
    assert_eq!(
        k.ok(&["apply", "--server-side", "-f", &m]),
        "service.serving.knative.dev/hello serverside-applied\n"
    );
    let managers = k.ok(&[
        "get",
        "ksvc",
        "hello",
        "-o",
        "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}",
    ]);
    assert!(managers.contains("kubectl/Apply"), "{managers}");

    // Another manager taking the image is a conflict unless forced.
    let other = Path::new(&m).with_file_name("other.yaml");
    std::fs::write(&other, MANIFEST.replace(":latest", ":other")).unwrap();
    let other = other.to_string_lossy().into_owned();
    let out = k.run(&[
        "apply",
        "--server-side",
        "--field-manager",
        "someone",
        "-f",
        &other,
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.template.spec.containers"), "{stderr}");
    let out = k.ok(&[
        "apply",
        "--server-side",
        "--force-conflicts",
        "--field-manager",
        "someone",
        "-f",
        &other,
    ]);
    assert_eq!(
        out,
        "service.serving.knative.dev/hello serverside-applied\n"
    );
    assert_eq!(
        k.ok(&[
            "get",
            "ksvc",
            "hello",
            "-o",
            "jsonpath={.spec.template.spec.containers[0].image}"
        ]),
        "ghcr.io/knative/helloworld-go:other"
    );
}

#[test]
fn watch_sees_added_modified_deleted() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    let mut child = k
        .command(&["get", "ksvc", "--watch", "--output-watch-events"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubectl starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // With nothing to list, the header comes with the first event; start changing only once
    // the watch is established, which a first object proves.
    let m = manifest(&k);
    k.ok(&["apply", "-f", &m]);
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let event = line.split_whitespace().next().unwrap_or("").to_string();
        if event == "ADDED" && !seen.contains(&"ADDED".to_string()) {
            k.ok(&["label", "ksvc", "hello", "team=a"]);
            k.ok(&["delete", "ksvc", "hello", "--wait=false"]);
        }
        seen.push(event.clone());
        if event == "DELETED" {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(seen.first().map(String::as_str), Some("EVENT"));
    assert_eq!(seen.get(1).map(String::as_str), Some("ADDED"));
    assert!(seen.contains(&"MODIFIED".to_string()), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("DELETED"));
}

#[test]
fn tls_and_token_kubeconfig_work() {
    let Some(k) = Kubectl::start(Config {
        tls: true,
        token: Some("kubectl-token".into()),
        ..Config::default()
    }) else {
        return;
    };
    let out = k.ok(&["get", "namespaces", "-o", "name"]);
    assert_eq!(
        out,
        "namespace/default\nnamespace/knative-eventing\nnamespace/knative-serving\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n"
    );
}

#[test]
fn crds_are_served_read_only() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    let names = k.ok(&[
        "get",
        "crd",
        "-o",
        "name",
        "-l",
        "duck.knative.dev/source=true",
    ]);
    assert_eq!(
        names,
        "customresourcedefinition.apiextensions.k8s.io/apiserversources.sources.knative.dev\n\
         customresourcedefinition.apiextensions.k8s.io/containersources.sources.knative.dev\n\
         customresourcedefinition.apiextensions.k8s.io/integrationsources.sources.knative.dev\n\
         customresourcedefinition.apiextensions.k8s.io/pingsources.sources.knative.dev\n\
         customresourcedefinition.apiextensions.k8s.io/sinkbindings.sources.knative.dev\n"
    );
    let table = k.ok(&["get", "crds"]);
    let mut lines = table.lines();
    assert_eq!(
        lines
            .next()
            .map(|l| l.split_whitespace().collect::<Vec<_>>()),
        Some(vec!["NAME", "CREATED", "AT"])
    );
    assert!(
        lines.any(|l| l.starts_with("services.serving.knative.dev ")),
        "{table}"
    );
    let established = k.ok(&[
        "get",
        "crd",
        "services.serving.knative.dev",
        "-o",
        "jsonpath={.status.conditions[?(@.type==\"Established\")].status} {.spec.names.kind}",
    ]);
    assert_eq!(established, "True Service");
    let out = k.run(&["delete", "crd", "services.serving.knative.dev"]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error from server (MethodNotAllowed): delete is not supported on resources of kind \"customresourcedefinitions.apiextensions.k8s.io\"\n"
    );
    let resources = k.ok(&[
        "api-resources",
        "--api-group=apiextensions.k8s.io",
        "-o",
        "wide",
    ]);
    assert!(resources.contains("get,list,watch"), "{resources}");
}

#[test]
fn service_accounts_default_and_applied() {
    // `kubectl apply` sends JSON (the typed `create` commands' protobuf: kubectl_builtin.rs).
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    let manifest = k.path("team.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n  namespace: team\n",
    )
    .unwrap();
    assert_eq!(
        k.ok(&["apply", "-f", manifest.to_str().unwrap()]),
        "namespace/team created\nserviceaccount/robot created\n"
    );
    // kube-controller-manager's default account appears in every new namespace.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !k
        .run(&["get", "serviceaccount", "default", "-n", "team"])
        .status
        .success()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no default ServiceAccount"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        k.ok(&["get", "serviceaccounts", "-n", "team", "-o", "name"]),
        "serviceaccount/default\nserviceaccount/robot\n"
    );
}

/// `kubectl explain` output captured from a real kube-apiserver (v1.28.7) with the same Knative
/// CRDs, with kubectl 1.32 (`/work/shared/tools/reference/cluster`); the emulator's must match
/// byte for byte.
const EXPLAIN: [(&[&str], &str); 5] = [
    (&["ksvc"], include_str!("explain/ksvc.txt")),
    (
        &["ksvc.spec.template.spec"],
        include_str!("explain/ksvc.spec.template.spec.txt"),
    ),
    (
        &["broker.spec.delivery"],
        include_str!("explain/broker.spec.delivery.txt"),
    ),
    (
        &["trigger", "--recursive"],
        include_str!("explain/trigger-recursive.txt"),
    ),
    (
        &["ksvc.metadata"],
        include_str!("explain/ksvc.metadata.txt"),
    ),
];

/// The client's minor version (with the gcloud dispatcher, the kubectl it picks for this server).
pub(crate) fn client_minor(k: &Kubectl) -> u32 {
    let out = k.ok(&["version", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let minor = v["clientVersion"]["minor"].as_str().unwrap_or_default();
    minor.trim_end_matches('+').parse().unwrap()
}

#[test]
fn explain_prints_the_crd_field_docs() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    let minor = client_minor(&k);
    for (args, want) in EXPLAIN {
        // kubectl before 1.30 prints no blank line between `FIELD: …` and the one before DESCRIPTION.
        let want = if minor < 30 {
            want.replacen(">\n\n\nDESCRIPTION:", ">\n\nDESCRIPTION:", 1)
        } else {
            want.to_string()
        };
        let got = k.ok(&[&["explain"], args].concat());
        assert_eq!(got, want, "kubectl explain {args:?}");
    }
}

#[test]
fn explain_of_a_missing_field_and_a_built_in_kind() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    let out = k.run(&["explain", "ksvc.spec.nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: field \"nope\" does not exist\n"
    );
    // Built-in kinds have no field docs of their own, but their metadata resolves.
    let cm = k.ok(&["explain", "configmap.metadata.name"]);
    assert!(
        cm.starts_with("KIND:       ConfigMap\nVERSION:    v1\n\nFIELD: name <string>\n"),
        "{cm}"
    );
    assert!(
        cm.contains("Name must be unique within a namespace."),
        "{cm}"
    );
}
