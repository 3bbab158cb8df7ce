//! Differential suite against real Knative admission: the same objects go to a real
//! kube-apiserver running the real Knative Serving and Eventing v1.15.0 admission webhooks (the
//! reference kit's `cluster up DIR --knative`, script path in `KNIT_REFERENCE_CLUSTER`) and to
//! the emulator with Knative's admission on and its controllers off (`Config::controllers =
//! false`). Compared: status code, `Warning` headers, the `Status` of a denial, and the stored
//! object after defaulting (everything but uids, timestamps, resourceVersion values and
//! managedFields). The objects are data, in `cases/*.yaml` (format in `cases.rs`); a case that
//! differs on purpose, because the emulator follows Serving 1.23 / Eventing 1.22, says so with
//! the release note that explains it.
//!
//! A test target of its own: one stateful conversation with an external server started once
//! (`cargo test -p knit-emulator --test admission_diff`).

mod cases;
#[allow(dead_code)]
#[path = "../apiserver_diff/normalise.rs"]
mod normalise;
#[path = "../apiserver_diff/reference.rs"]
mod reference;

use std::path::PathBuf;
use std::time::Instant;

use axum::http::{Request, header};
use http_body_util::BodyExt;
use knit_emulator::{Config, Emulator};
use serde_json::{Value, json};

use cases::{Case, Op};
use reference::{client_for, differences, start_reference};

/// The namespace every case's objects live in.
const NS: &str = "adiff";
/// The user the reference kit's token authenticates as; the emulator reports the same one, so
/// the creator/lastModifier annotations agree.
const USER: &str = "knit-reference-admin";

/// One server's answer, normalised.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    status: u16,
    warnings: Vec<String>,
    body: Value,
}

/// The collection path of an object's kind at its apiVersion (every Knative plural is the
/// lower-case kind plus `s`).
fn collection(api_version: &str, kind: &str) -> String {
    format!(
        "/apis/{api_version}/namespaces/{NS}/{}s",
        kind.to_ascii_lowercase()
    )
}

/// The request a case makes: method, path, content type, body.
fn request_of(op: &Op) -> (&'static str, String, Option<&'static str>, Option<String>) {
    let object = op.object();
    let api_version = object["apiVersion"].as_str().unwrap_or_default();
    let kind = object["kind"].as_str().unwrap_or_default();
    let name = object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let base = collection(api_version, kind);
    match op {
        Op::Create(o) => ("POST", base, Some("application/json"), Some(o.to_string())),
        Op::Patch(o) => (
            "PATCH",
            format!("{base}/{name}"),
            Some("application/merge-patch+json"),
            Some(o.to_string()),
        ),
        Op::Get(_) => ("GET", format!("{base}/{name}"), None, None),
        Op::Delete(_) => ("DELETE", format!("{base}/{name}"), None, None),
    }
}

async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
    ct: Option<&str>,
    body: Option<&str>,
) -> Answer {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::USER_AGENT, "admission-diff/1.0")
        .header(header::ACCEPT, "application/json");
    if let Some(ct) = ct {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    let request = builder
        .body(kube::client::Body::from(
            body.unwrap_or_default().as_bytes().to_vec(),
        ))
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let response = client
        .send(request)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: no answer: {e}"));
    let status = response.status().as_u16();
    let warnings = response
        .headers()
        .get_all(header::WARNING)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Answer {
        status,
        warnings,
        body: stored_view(normalise::normalise(body, normalise::View::Full)),
    }
}

/// managedFields record who wrote what (the webhooks' patches are attributed differently by
/// the two servers' field managers); admission is about the object itself. Messages that
/// print Go values (`%v` of a struct with pointers) hold memory addresses.
fn stored_view(mut body: Value) -> Value {
    if let Some(meta) = body.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    if let Some(Value::String(message)) = body.get_mut("message") {
        *message = mask_addresses(message);
    }
    body
}

/// A name generated from `prefix` ends in five random characters: `PREFIX<random>`.
fn mask_generated_names(value: &mut Value, prefix: &str) {
    match value {
        Value::String(text) => {
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(i) = rest.find(prefix) {
                let after = &rest[i + prefix.len()..];
                let random = after
                    .bytes()
                    .take(5)
                    .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                    .count();
                out.push_str(&rest[..i + prefix.len()]);
                if random == 5 {
                    out.push_str("<random>");
                    rest = &after[5..];
                } else {
                    rest = after;
                }
            }
            out.push_str(rest);
            *text = out;
        }
        Value::Object(map) => map
            .values_mut()
            .for_each(|v| mask_generated_names(v, prefix)),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| mask_generated_names(v, prefix)),
        _ => {}
    }
}

/// Replaces every Go pointer (`0xc` and hex digits) by `0xc<address>`.
fn mask_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("0xc") {
        out.push_str(&rest[..i]);
        let digits = rest[i + 3..]
            .bytes()
            .take_while(u8::is_ascii_hexdigit)
            .count();
        out.push_str(if digits > 0 { "0xc<address>" } else { "0xc" });
        rest = &rest[i + 3 + digits..];
    }
    out.push_str(rest);
    out
}

/// Differences of library versions that touch many objects, each with the release that
/// explains it: (note, rewrite of the reference answer into what that release answers).
type Rewrite = fn(&mut Value);

const VERSION_DIFFERENCES: &[(&str, Rewrite)] = &[(
    "Serving v1.21 / Eventing v1.21: built with k8s.io/apimachinery v0.34, whose ObjectMeta omits a zero creationTimestamp (kubernetes commit 503b9897 \"Omit null metadata.creationTimestamp\"), so embedded templates no longer carry `metadata: {creationTimestamp: null}`",
    drop_null_creation_timestamps,
)];

fn drop_null_creation_timestamps(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("creationTimestamp") == Some(&Value::Null) {
                map.remove("creationTimestamp");
            }
            map.values_mut().for_each(drop_null_creation_timestamps);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_creation_timestamps),
        _ => {}
    }
}

/// The release note that explains why `want` (reference) and `got` (emulator) differ, when
/// one of [`VERSION_DIFFERENCES`] makes them equal.
fn version_difference(want: &Answer, got: &Answer) -> Option<&'static str> {
    let mut want = want.clone();
    for (note, rewrite) in VERSION_DIFFERENCES {
        rewrite(&mut want.body);
        if want == *got {
            return Some(note);
        }
    }
    None
}

fn show(answer: &Answer) -> String {
    reference::show(answer.status, &answer.warnings, &answer.body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulator_admits_as_real_knative() {
    let Some(script) = std::env::var_os("KNIT_REFERENCE_CLUSTER").filter(|s| !s.is_empty()) else {
        println!(
            "admission_diff: skipped: KNIT_REFERENCE_CLUSTER is not set (the path of the reference kit's `cluster` script, run with --knative)"
        );
        return;
    };
    let cases = cases::load();
    let started = Instant::now();
    let script = PathBuf::from(script);
    let reference = tokio::task::spawn_blocking(move || start_reference(&script, &["--knative"]))
        .await
        .expect("reference start task");
    let kubeconfig = std::fs::read_to_string(reference.dir.path().join("kubeconfig"))
        .expect("the reference kubeconfig");
    let ref_client = client_for(&kubeconfig).await;
    let emulator = Emulator::start(Config {
        controllers: false,
        user: USER.to_string(),
        ..Config::default()
    })
    .await
    .expect("emulator starts");
    let emu_client = client_for(&emulator.kubeconfig_yaml("diff")).await;

    let namespace =
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}}).to_string();
    for client in [&ref_client, &emu_client] {
        let answer = send(
            client,
            "POST",
            "/api/v1/namespaces",
            Some("application/json"),
            Some(&namespace),
        )
        .await;
        assert_eq!(answer.status, 201, "namespace {NS}: {}", show(&answer));
    }

    let mut mismatches = Vec::new();
    let mut unused_markers = Vec::new();
    let (mut matched, mut recorded) = (0, 0);
    for Case {
        file,
        name,
        op,
        differs,
    } in &cases
    {
        let (method, path, ct, body) = request_of(op);
        let mut want = send(&ref_client, method, &path, ct, body.as_deref()).await;
        let mut got = send(&emu_client, method, &path, ct, body.as_deref()).await;
        if let Some(prefix) = op
            .object()
            .pointer("/metadata/generateName")
            .and_then(Value::as_str)
        {
            mask_generated_names(&mut want.body, prefix);
            mask_generated_names(&mut got.body, prefix);
        }
        if want == got {
            matched += 1;
            // A release difference must show; what the reference's own background work does
            // (a reconciler inside its webhook) may not have happened yet.
            if differs
                .as_deref()
                .is_some_and(|d| !d.starts_with("Reference kit: "))
            {
                unused_markers.push(format!("{file}: {name}"));
            }
            continue;
        }
        let mut diff = Vec::new();
        if let Some(why) = version_difference(&want, &got).or(differs.as_deref()) {
            recorded += 1;
            differences("body", &want.body, &got.body, &mut diff);
            println!(
                "admission_diff: recorded difference {file}: {name}: {why}\n{}",
                diff.join("\n")
            );
            continue;
        }
        if want.status != got.status {
            diff.push(format!(
                "  status: reference {} | emulator {}",
                want.status, got.status
            ));
        }
        if want.warnings != got.warnings {
            diff.push(format!(
                "  warnings: reference {:?} | emulator {:?}",
                want.warnings, got.warnings
            ));
        }
        differences("body", &want.body, &got.body, &mut diff);
        mismatches.push(format!(
            "--- {file}: {name}: {method} {path}\n{}\n--- reference answer: {}\n--- emulator answer: {}\n",
            diff.join("\n"),
            show(&want),
            show(&got)
        ));
    }
    emulator.shutdown().await;
    drop(reference);
    println!(
        "admission_diff: {} objects sent, {matched} answered alike, {recorded} recorded differences, {} mismatches, {:.1} s",
        cases.len(),
        mismatches.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        unused_markers.is_empty(),
        "cases marked `differs` that now answer alike (remove the marker):\n{}",
        unused_markers.join("\n")
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} objects answered differently:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}
