//! The shared engine against the emulator: kubeconfig loading and merging, contexts and their
//! namespaces, connection errors, TLS, bearer tokens and `--log-http` redaction.

use crate::common;

use common::Cluster;

/// A second kubeconfig file with a context `team` (namespace team-a) on the same cluster.
fn team_kubeconfig(cluster: &Cluster) -> std::path::PathBuf {
    let path = cluster.home().join("team-kubeconfig");
    let yaml = cluster
        .emulator()
        .kubeconfig_yaml("team")
        .replace("namespace: default", "namespace: team-a");
    std::fs::write(&path, yaml).unwrap();
    path
}

#[test]
fn namespace_comes_from_the_context_and_kubeconfig_files_merge() {
    let cluster = Cluster::start();
    cluster.namespace("team-a");
    cluster.ready_service("team-a", "web", "gcr.io/knative-samples/helloworld-go");
    let team = team_kubeconfig(&cluster);
    let missing = cluster.home().join("missing-kubeconfig");
    // KUBECONFIG lists several files (missing ones are skipped); the first current-context wins.
    let merged =
        std::env::join_paths([missing.clone(), cluster.kubeconfig(), team.clone()]).unwrap();
    let merged = merged.to_str().unwrap();
    let env = [("KUBECONFIG", merged)];
    let out = cluster.knit_with(&["service", "list", "-o", "name"], &env, None);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{out:?}");
    let out = cluster.knit_with(
        &["service", "list", "-o", "name", "--context", "team"],
        &env,
        None,
    );
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "service.serving.knative.dev/web\n"),
        "{out:?}"
    );
    // --kubeconfig replaces KUBECONFIG; -n beats the context.
    let with_team = |extra: &[&str]| {
        let base = [
            "service",
            "list",
            "-o",
            "name",
            "--kubeconfig",
            team.to_str().unwrap(),
        ];
        cluster.knit(&[&base[..], extra].concat()).ok().stdout
    };
    assert_eq!(with_team(&[]), "service.serving.knative.dev/web\n");
    assert_eq!(with_team(&["-n", "default"]), "");
}

#[test]
fn kubeconfig_errors() {
    let cluster = Cluster::start();
    cluster
        .knit(&["service", "list", "--kubeconfig", "/nonexistent/config"])
        .assert_stderr(
            1,
            "Error: can not find config file: '/nonexistent/config'\nRun 'knit --help' for usage\n",
        );
    cluster
        .knit(&["service", "list", "--context", "nope"])
        .assert_stderr(
            1,
            "Error: context \"nope\" does not exist\nRun 'knit --help' for usage\n",
        );
    let empty = cluster.home().join("empty-home");
    std::fs::create_dir_all(&empty).unwrap();
    let out = cluster.knit_with(
        &["service", "list"],
        &[("KUBECONFIG", ""), ("HOME", empty.to_str().unwrap())],
        None,
    );
    out.assert_stderr(1, "Error: no kubeconfig has been provided, please use a valid configuration to connect to the cluster\nRun 'knit --help' for usage\n");
}

#[test]
fn an_unreachable_cluster_is_reported() {
    let cluster = Cluster::start();
    let path = cluster.home().join("unreachable");
    // Port 1 on loopback refuses connections.
    let yaml = cluster
        .emulator()
        .kubeconfig_yaml("gone")
        .replace(&cluster.emulator().url(), "http://127.0.0.1:1");
    std::fs::write(&path, yaml).unwrap();
    let out = cluster.knit(&["service", "list", "--kubeconfig", path.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .starts_with("Error: error connecting to the cluster: "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.ends_with("\nRun 'knit --help' for usage\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn tls_and_bearer_tokens_work_and_log_http_never_shows_the_token() {
    let cluster = Cluster::with(knit_emulator::Config {
        domain: "example.com".into(),
        tls: true,
        token: Some("s3cr3t-t0ken".into()),
        ..Default::default()
    });
    cluster.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    let out = cluster
        .run("service list -o name --log-http --as jane --as-group devs")
        .ok();
    assert_eq!(out.stdout, "service.serving.knative.dev/hello\n");
    let log = &out.stderr;
    assert!(log.contains("===== REQUEST =====\nGET /apis/serving.knative.dev/v1/namespaces/default/services? HTTP/1.1\r\n"), "{log}");
    assert!(log.contains("Authorization: ********\r\n"), "{log}");
    assert!(log.contains("Impersonate-User: jane\r\n"), "{log}");
    assert!(log.contains("Impersonate-Group: devs\r\n"), "{log}");
    assert!(
        log.contains("===== RESPONSE =====\nHTTP/1.1 200 OK\r\n"),
        "{log}"
    );
    assert!(
        log.contains("\"kind\":\"ServiceList\"") || log.contains("\"kind\": \"ServiceList\""),
        "{log}"
    );
    assert!(log.ends_with(" * * * * * *\n"), "{log}");
    // Go's httputil dumps: CRLF head lines, a CRLF blank line, then kn's Fprintln newline.
    assert!(log.contains("\r\n\r\n\n===== RESPONSE =====\n"), "{log}");
    assert!(log.contains("\r\n\r\n{\""), "{log}");
    assert!(!log.contains("s3cr3t-t0ken"), "the token leaked: {log}");
    // Exactly one request: no discovery round-trips for Knative kinds.
    assert_eq!(log.matches("===== REQUEST =====").count(), 1, "{log}");
    // A wrong token is refused by the server.
    let bad = cluster.home().join("bad-token");
    let yaml = cluster
        .emulator()
        .kubeconfig_yaml("bad")
        .replace("s3cr3t-t0ken", "wrong");
    std::fs::write(&bad, yaml).unwrap();
    let out = cluster.knit(&["service", "list", "--kubeconfig", bad.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(!out.stderr.contains("s3cr3t-t0ken"));
}

#[test]
fn requests_are_minimal() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    let count = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("--log-http");
        let out = cluster.knit(&all);
        assert_eq!(out.code, 0, "{out:?}");
        out.stderr.matches("===== REQUEST =====").count()
    };
    assert_eq!(count(&["service", "list"]), 1);
    // GET the service, LIST its revisions.
    assert_eq!(count(&["service", "describe", "hello"]), 2);
    // Already ready: one LIST, no watch.
    assert_eq!(count(&["service", "wait", "hello"]), 1);
    // LIST revisions, LIST services for the traffic columns.
    assert_eq!(count(&["revision", "list"]), 2);
}

#[test]
fn usage_errors_send_no_request() {
    let cluster = Cluster::start();
    let out = cluster.knit(&["service", "describe", "--log-http"]);
    assert_eq!(out.code, 2);
    assert!(
        !out.stderr.contains("===== REQUEST ====="),
        "{}",
        out.stderr
    );
    let out = cluster.knit(&["service", "list", "-o", "jsonpath={.items[", "--log-http"]);
    assert_eq!(out.code, 2);
    assert!(
        !out.stderr.contains("===== REQUEST ====="),
        "{}",
        out.stderr
    );
}

/// A kubeconfig for the emulator whose user runs `plugin` as its exec credential plugin, with a
/// secret argument and a secret environment value.
fn exec_kubeconfig(cluster: &Cluster, name: &str, plugin: &str) -> String {
    let yaml = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster: {{server: \"{}\"}}\ncontexts:\n- name: c\n  context: {{cluster: c, user: u}}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {plugin}\n      args: [--password, ARG-SECRET]\n      env: [{{name: PW, value: ENV-SECRET}}]\n      interactiveMode: Never\n",
        cluster.emulator().url()
    );
    cluster.write(name, &yaml).to_str().unwrap().to_string()
}

/// Writes an executable shell script into the test's home.
fn script(cluster: &Cluster, name: &str, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = cluster.write(name, &format!("#!/bin/sh\n{body}\n"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn credential_plugin_failures_name_the_plugin_and_never_show_a_secret() {
    let cluster = Cluster::start();
    let token = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"TOKEN-SECRET"}}"#;
    let failing = script(&cluster, "failing.sh", &format!("echo '{token}'\nexit 3"));
    let garbage = script(
        &cluster,
        "garbage.sh",
        "echo '{\"token\": \"TOKEN-SECRET\"'",
    );
    let no_status = script(&cluster, "no-status.sh", "echo 'token: TOKEN-SECRET'");
    let missing = cluster.path("missing-plugin");
    let missing = missing.to_str().unwrap();
    let cases = [
        (
            failing.as_str(),
            format!("getting credentials: exec: executable {failing} failed with exit code 3"),
        ),
        (
            garbage.as_str(),
            format!(
                "getting credentials: exec: executable {garbage}: decoding stdout: not an ExecCredential"
            ),
        ),
        (
            no_status.as_str(),
            format!(
                "getting credentials: exec: executable {no_status} printed an ExecCredential without a status"
            ),
        ),
        (
            missing,
            format!("getting credentials: exec: fork/exec {missing}: no such file or directory"),
        ),
        (
            "no-such-knit-plugin",
            "getting credentials: exec: executable no-such-knit-plugin not found".to_string(),
        ),
    ];
    for (i, (plugin, message)) in cases.iter().enumerate() {
        let kubeconfig = exec_kubeconfig(&cluster, &format!("exec-{i}"), plugin);
        for extra in [&[][..], &["--log-http"][..]] {
            let args = [&["service", "list", "--kubeconfig", &kubeconfig][..], extra].concat();
            let out = cluster.knit(&args);
            out.assert_stderr(
                1,
                &format!("Error: {message}\nRun 'knit --help' for usage\n"),
            );
            assert!(!out.stdout.contains("SECRET"), "{out:?}");
        }
    }
}

#[test]
fn config_errors_name_the_file_and_the_url() {
    let cluster = Cluster::start();
    let bad = cluster.write("bad-yaml", "apiVersion: v1\nkind: Config\nclusters: [\n");
    let bad = bad.to_str().unwrap();
    cluster.knit(&["service", "list", "--kubeconfig", bad]).assert_stderr(
        1,
        &format!("Error: error loading config file \"{bad}\": line 3 column 11: unclosed bracket '['\nRun 'knit --help' for usage\n"),
    );
    let yaml = cluster
        .emulator()
        .kubeconfig_yaml("badurl")
        .replace(&cluster.emulator().url(), "http://bad host:99");
    let path = cluster.write("bad-url", &yaml);
    cluster
        .knit(&["service", "list", "--kubeconfig", path.to_str().unwrap()])
        .assert_stderr(
            1,
            "Error: host must be a URL or a host:port pair: \"http://bad host:99\"\nRun 'knit --help' for usage\n",
        );
}

#[test]
fn request_timeout_ends_a_request_the_server_never_answers_but_not_a_watch() {
    let cluster = Cluster::start();
    // A server that accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let yaml = cluster
        .emulator()
        .kubeconfig_yaml("silent")
        .replace(&cluster.emulator().url(), &url);
    let path = cluster.write("silent-kubeconfig", &yaml);
    let path = path.to_str().unwrap();
    for extra in [&[][..], &["--log-http"][..]] {
        let args = [
            &[
                "--request-timeout",
                "1s",
                "service",
                "list",
                "--kubeconfig",
                path,
            ][..],
            extra,
        ]
        .concat();
        let out = cluster.knit(&args);
        assert_eq!(out.code, 1, "{out:?}");
        assert!(
            out.stderr.ends_with("Error: error connecting to the cluster: the server did not answer within 1s (--request-timeout)\nRun 'knit --help' for usage\n"),
            "{out:?}"
        );
    }
    // Only the start of an answer is timed: a watch that stays quiet for longer goes on.
    cluster.ready_service("default", "hello", "img");
    let out = cluster
        .run("service list --request-timeout 1 -w --watch-timeout 3s -o name")
        .ok();
    assert_eq!(out.stdout, "service.serving.knative.dev/hello\n");
    let out = cluster.run("service list --request-timeout soon");
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            2,
            "Error: invalid argument \"soon\" for \"--request-timeout\" flag: invalid timeout value 'soon': a whole number of seconds, or a number with a unit (e.g. 1s, 2m, 3h)\nRun 'knit service list --help' for usage\n"
        )
    );
}

/// The `METHOD path` line of every request a `--log-http` dump shows.
fn request_lines(log: &str) -> Vec<String> {
    log.split("===== REQUEST =====\n")
        .skip(1)
        .map(|dump| {
            let line = dump.split("\r\n").next().unwrap_or_default();
            line.trim_end_matches(" HTTP/1.1").to_string()
        })
        .collect()
}

#[test]
fn service_update_reads_the_service_once() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    let out = cluster
        .run("service update hello --env A=1 --no-wait --log-http")
        .ok();
    assert_eq!(
        request_lines(&out.stderr),
        [
            "GET /apis/serving.knative.dev/v1/namespaces/default/services/hello",
            "PUT /apis/serving.knative.dev/v1/namespaces/default/services/hello?",
        ],
        "{}",
        out.stderr
    );
}

/// A kubeconfig whose exec plugin prints an ExecCredential with `status` and logs each of its
/// runs (arguments and the secret environment value) to the returned file.
fn counting_plugin(cluster: &Cluster, name: &str, status: serde_json::Value) -> (String, String) {
    let calls = cluster.path(&format!("{name}-calls"));
    let calls = calls.to_str().unwrap().to_string();
    let credential = serde_json::json!({
        "apiVersion": "client.authentication.k8s.io/v1",
        "kind": "ExecCredential",
        "status": status,
    });
    let credential = cluster.write(&format!("{name}.json"), &credential.to_string());
    let plugin = script(
        cluster,
        &format!("{name}.sh"),
        &format!(
            "echo \"$* $PW\" >> {calls}\ncat {}",
            credential.to_str().unwrap()
        ),
    );
    (exec_kubeconfig(cluster, name, &plugin), calls)
}

/// How many times the plugin logging to `calls` ran for `knit args --kubeconfig kubeconfig`.
fn plugin_runs(cluster: &Cluster, kubeconfig: &str, calls: &str, args: &[&str]) -> usize {
    let _ = std::fs::remove_file(calls);
    let out = cluster.knit(&[args, &["--kubeconfig", kubeconfig][..]].concat());
    assert_eq!(out.code, 0, "{args:?}: {out:?}");
    assert!(!out.text().contains("TOKEN-SECRET"), "{out:?}");
    let log = std::fs::read_to_string(calls).unwrap_or_default();
    assert!(
        log.lines().all(|l| l == "--password ARG-SECRET ENV-SECRET"),
        "{log}"
    );
    log.lines().count()
}

/// A throwaway self-signed client certificate and its key, as a plugin may issue them.
const CLIENT_CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIBiTCCAS+gAwIBAgIUVetfSFqtPQVYB2PDm1c+GKQ6eU4wCgYIKoZIzj0EAwIw\nGTEXMBUGA1UEAwwOa25pdC10ZXN0LXVzZXIwIBcNMjYxMjA2MjAwODU1WhgPMjEy\nNjExMTIyMDA4NTVaMBkxFzAVBgNVBAMMDmtuaXQtdGVzdC11c2VyMFkwEwYHKoZI\nzj0CAQYIKoZIzj0DAQcDQgAE/RwB3Iqx93D2QfoM+hV3BPbhZdspDdaSNYANYG01\n7KjsMNf6SEFXvUtIna7XyB2cICF1cMLc/fTZWjdPFIocZKNTMFEwHQYDVR0OBBYE\nFESywJLg22EJJL3D2TaoKyFjgGb+MB8GA1UdIwQYMBaAFESywJLg22EJJL3D2Tao\nKyFjgGb+MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgHlqJDg1c\nL6l4Izazo5LyQ0bMdhs2fJjqk6f6+ciPpPYCIQCVE4BlXa+UWG+VdFBpLBuBNqsI\nQQpLI5cpVnvZYXQt9Q==\n-----END CERTIFICATE-----\n";
const CLIENT_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQggsJlOv2UMgGgaISD\njbLlRLMuGNbkVMDRTN5jW3+K6jehRANCAAT9HAHcirH3cPZB+gz6FXcE9uFl2ykN\n1pI1gA1gbTXsqOww1/pIQVe9S0idrtfIHZwgIXVwwtz99NlaN08Uihxk\n-----END PRIVATE KEY-----\n";

#[test]
fn the_credential_plugin_runs_once_per_process() {
    let cluster = Cluster::with(knit_emulator::Config {
        token: Some("TOKEN-SECRET".into()),
        ..Default::default()
    });
    cluster.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    // An expiring token: kube keeps the plugin to renew it, the case that must stay lazy.
    let (kubeconfig, calls) = counting_plugin(
        &cluster,
        "expiring",
        serde_json::json!({"token": "TOKEN-SECRET", "expirationTimestamp": "2999-01-01T00:00:00Z"}),
    );
    let commands: [&[&str]; 3] = [
        &["service", "list"],
        &["service", "update", "hello", "--env", "A=1", "--no-wait"],
        &["service", "list", "--log-http"],
    ];
    for command in commands {
        assert_eq!(
            plugin_runs(&cluster, &kubeconfig, &calls, command),
            1,
            "{command:?}"
        );
    }
    // A token that has already expired is renewed before the request: the auth layer still
    // holds the plugin.
    let (kubeconfig, calls) = counting_plugin(
        &cluster,
        "expired",
        serde_json::json!({"token": "TOKEN-SECRET", "expirationTimestamp": "2000-01-01T00:00:00Z"}),
    );
    assert_eq!(
        plugin_runs(&cluster, &kubeconfig, &calls, &["service", "list"]),
        2
    );
}

#[test]
fn a_plugin_issued_client_certificate_is_taken_by_the_tls_setup() {
    // The emulator ignores client certificates, so this shows the certificate path runs the
    // plugin for the TLS setup (and the auth layer, which cannot pass a certificate on) and
    // that the PEM pair it issued builds a client.
    let cluster = Cluster::start();
    let (kubeconfig, calls) = counting_plugin(
        &cluster,
        "cert",
        serde_json::json!({"clientCertificateData": CLIENT_CERT, "clientKeyData": CLIENT_KEY}),
    );
    assert_eq!(
        plugin_runs(&cluster, &kubeconfig, &calls, &["service", "list"]),
        2
    );
    // A broken pair is refused by the TLS setup: the plugin's output is really used there.
    let (kubeconfig, _) = counting_plugin(
        &cluster,
        "badcert",
        serde_json::json!({"clientCertificateData": CLIENT_CERT, "clientKeyData": "not a key"}),
    );
    cluster
        .knit(&["service", "list", "--kubeconfig", &kubeconfig])
        .assert_stderr(
            1,
            "Error: rustls tls error: identity PEM is missing a private key: the key must be PKCS8 or RSA/PKCS1\nRun 'knit --help' for usage\n",
        );
}
