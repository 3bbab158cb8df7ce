//! A cluster without Knative (or with another version of it): knit makes one discovery call and
//! says which case it is and what to do. The "cluster" is a scripted HTTP server.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;

/// Serves `answer(path) -> (status, body)` on a free port until the test process ends.
fn scripted_server(answer: fn(&str) -> (u16, String)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // Skip the headers; knit sends no body on these GETs.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/");
            let path = path.split('?').next().unwrap_or(path).to_string();
            let (code, body) = answer(&path);
            let response = format!(
                "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = reader.get_mut().write_all(response.as_bytes());
        }
    });
    url
}

fn not_found() -> (u16, String) {
    (
        404,
        r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}"#
            .to_string(),
    )
}

fn knit_against(url: &str, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {url}\nusers:\n- name: u\n  user: {{}}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\n"
        ),
    )
    .expect("write kubeconfig");
    let out = Command::new(env!("CARGO_BIN_EXE_knit"))
        .args(args)
        .env("KUBECONFIG", &kubeconfig)
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run knit");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn serving_not_installed_at_all() {
    let url = scripted_server(|_| not_found());
    let (code, stdout, stderr) = knit_against(&url, &["service", "list"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "Error: Knative Serving is not installed: the cluster does not serve the API group serving.knative.dev. Install Knative Serving, or check that --context/--kubeconfig select the right cluster\nRun 'knit --help' for usage\n"
    );
}

#[test]
fn serving_installed_at_another_version() {
    let url = scripted_server(|path| {
        if path == "/apis/serving.knative.dev" {
            (
                200,
                r#"{"kind":"APIGroup","apiVersion":"v1","name":"serving.knative.dev","versions":[{"groupVersion":"serving.knative.dev/v1beta1","version":"v1beta1"},{"groupVersion":"serving.knative.dev/v1alpha1","version":"v1alpha1"}],"preferredVersion":{"groupVersion":"serving.knative.dev/v1beta1","version":"v1beta1"}}"#
                    .to_string(),
            )
        } else {
            not_found()
        }
    });
    let (code, _, stderr) = knit_against(&url, &["service", "describe", "hello"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "Error: this cluster serves serving.knative.dev at v1beta1, v1alpha1, but knit needs serving.knative.dev/v1: upgrade Knative Serving on the cluster\nRun 'knit --help' for usage\n"
    );
}
