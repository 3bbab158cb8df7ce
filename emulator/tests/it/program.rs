//! The `knit-emulator` program: first stdout line is the address, the kubeconfig it writes
//! works, SIGTERM shuts it down cleanly, and `--state` carries objects across restarts.

use crate::common;

use std::process::{Child, Command};

use common::{Http, configmap, spawn};

fn terminate(mut child: Child) {
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "clean exit on SIGTERM: {exit:?}");
}

#[test]
fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let kubeconfig = dir.path().join("kubeconfig");
    let state_arg = state.to_string_lossy().into_owned();
    let kc_arg = kubeconfig.to_string_lossy().into_owned();
    let (child, addr) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--state",
        &state_arg,
        "--kubeconfig",
        &kc_arg,
        "--domain",
        "example.com",
    ]);
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    let written = std::fs::read_to_string(&kubeconfig).unwrap();
    assert!(
        written.contains(&format!("server: http://{addr}")),
        "{written}"
    );
    // Named after its port, so emulators merged into one KUBECONFIG do not shadow each other.
    assert!(
        written.contains(&format!("current-context: knit-emulator-{}\n", addr.port())),
        "{written}"
    );

    let http = Http(addr);
    let created = http.post(
        "/api/v1/namespaces/default/configmaps",
        &configmap("default", "kept"),
    );
    assert_eq!(created.status, 201);
    let domain = http
        .get("/api/v1/namespaces/knative-serving/configmaps/config-domain")
        .json();
    assert!(
        domain["data"]
            .as_object()
            .unwrap()
            .contains_key("example.com"),
        "{domain}"
    );
    terminate(child);

    let (child, addr) = spawn(&["--state", &state_arg]);
    let http = Http(addr);
    let kept = http.get("/api/v1/namespaces/default/configmaps/kept");
    assert_eq!(kept.status, 200);
    assert_eq!(
        kept.json()["metadata"]["uid"],
        created.json()["metadata"]["uid"]
    );
    // The revision counter continues where it stopped.
    let next = http
        .post(
            "/api/v1/namespaces/default/configmaps",
            &configmap("default", "next"),
        )
        .json();
    let rv = |v: &serde_json::Value| {
        v["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    assert!(rv(&next) > rv(&kept.json()));
    terminate(child);
}

#[test]
fn bad_flags_are_rejected() {
    let out = Command::new(env!("CARGO_BIN_EXE_knit-emulator"))
        .args(["--ready-delay", "soon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid duration \"soon\""));
    let out = Command::new(env!("CARGO_BIN_EXE_knit-emulator"))
        .args(["--name", " "])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("invalid value ' ' for '--name <NAME>': a context name cannot be empty")
    );
}
