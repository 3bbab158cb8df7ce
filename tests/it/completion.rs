//! Dynamic completion through the real binary (`COMPLETE=fish knit -- <words>`, the protocol the
//! generated scripts use): commands, flags, plugins, and resource names from an emulated cluster,
//! with a timeout that keeps a hung cluster from hanging the shell, and never a word on stderr.
//! The scripts in real shells are in `completion_shells`.

use std::path::Path;
use std::process::Command;

use knit_emulator::resource::GroupResource;
use knit_emulator::{BackgroundEmulator, Config};
use serde_json::json;

/// Candidates (first column of fish's output) for the words of a command line.
fn complete(
    kubeconfig: &Path,
    home: &Path,
    words: &[&str],
    extra_env: &[(&str, &str)],
) -> Vec<String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_knit"));
    cmd.arg("--")
        .args(words)
        .env("COMPLETE", "fish")
        .env("KUBECONFIG", kubeconfig)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PATH", home.join("bin"));
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect()
}

/// The candidates that are not flags (with an empty word, flags are offered too).
fn values(candidates: Vec<String>) -> Vec<String> {
    candidates
        .into_iter()
        .filter(|c| !c.starts_with('-'))
        .collect()
}

fn service(ns: &str, name: &str) -> serde_json::Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/knative/helloworld-go"}]}}}
    })
}

#[test]
fn resource_names_come_from_the_cluster() {
    let emulator = BackgroundEmulator::start(Config::default());
    let namespaces = GroupResource::new("", "namespaces");
    emulator
        .cluster()
        .create(
            &namespaces,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}}),
        )
        .unwrap();
    let services = GroupResource::new("serving.knative.dev", "services");
    for (ns, name) in [
        ("default", "hello"),
        ("default", "helm"),
        ("default", "other"),
        ("team", "hermit"),
    ] {
        emulator
            .cluster()
            .create(&services, service(ns, name))
            .unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = home.path().join("kubeconfig");
    emulator.write_kubeconfig(&kubeconfig, "emu").unwrap();

    let names = complete(
        &kubeconfig,
        home.path(),
        &["knit", "service", "describe", "he"],
        &[],
    );
    assert_eq!(names, ["hello", "helm"]);
    let names = values(complete(
        &kubeconfig,
        home.path(),
        &["knit", "ksvc", "describe", ""],
        &[],
    ));
    assert_eq!(names, ["hello", "helm", "other"]);
    // The namespace flag of the line being completed is honoured, wherever it is.
    let names = complete(
        &kubeconfig,
        home.path(),
        &["knit", "service", "describe", "-n", "team", "h"],
        &[],
    );
    assert_eq!(names, ["hermit"]);
    let names = values(complete(
        &kubeconfig,
        home.path(),
        &["knit", "--namespace=team", "service", "describe", ""],
        &[],
    ));
    assert_eq!(names, ["hermit"]);
}

#[test]
fn commands_flags_and_plugins_complete_without_a_cluster() {
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for name in ["knit-hello", "kn-service-stats"] {
            let p = bin.join(name);
            std::fs::write(&p, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let kubeconfig = home.path().join("none");
    let names = complete(&kubeconfig, home.path(), &["knit", "ser"], &[]);
    assert_eq!(names, ["service"]);
    let names = complete(&kubeconfig, home.path(), &["knit", "version", "--o"], &[]);
    assert_eq!(names, ["--output"]);
    #[cfg(unix)]
    {
        let names = complete(&kubeconfig, home.path(), &["knit", "hel"], &[]);
        assert_eq!(names, ["hello", "help"]);
        let names = complete(&kubeconfig, home.path(), &["knit", "service", "st"], &[]);
        assert_eq!(names, ["stats"]);
    }
    // No cluster: no names, no error, no output on stderr.
    let names = values(complete(
        &kubeconfig,
        home.path(),
        &["knit", "service", "describe", ""],
        &[],
    ));
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_hung_cluster_does_not_hang_completion() {
    // Accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let _keep = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = home.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: slow\n  cluster:\n    server: http://{addr}\nusers:\n- name: slow\n  user: {{}}\ncontexts:\n- name: slow\n  context:\n    cluster: slow\n    user: slow\ncurrent-context: slow\n"
        ),
    )
    .unwrap();
    let names = values(complete(
        &kubeconfig,
        home.path(),
        &["knit", "service", "describe", ""],
        &[("KNIT_COMPLETION_TIMEOUT", "0.3")],
    ));
    assert!(names.is_empty(), "{names:?}");
}

/// A request the engine cannot answer (an unknown shell, a cursor past the words) and a cluster
/// that cannot be reached both end with nothing on stderr: the shell would print it in the line.
#[test]
fn completion_never_writes_to_stderr() {
    let home = tempfile::tempdir().unwrap();
    for (shell, index, words) in [
        ("tcsh", "2", &["knit", "service", ""][..]),
        ("bash", "99", &["knit", "service"][..]),
        ("fish", "4", &["knit", "service", "list", "-n", ""][..]),
        ("fish", "4", &["knit", "service", "update", "--tag", ""][..]),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_knit"))
            .arg("--")
            .args(words)
            .env("COMPLETE", shell)
            .env("_CLAP_COMPLETE_INDEX", index)
            .env("KUBECONFIG", home.path().join("none"))
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "{shell} {words:?}"
        );
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        match shell {
            "fish" if words[3] == "-n" => assert_eq!(stdout, "", "no cluster, no namespaces"),
            "fish" => assert_eq!(stdout, "@latest=\n"),
            _ => assert_eq!(out.status.code(), Some(1), "{shell}: {stdout}"),
        }
    }
}
