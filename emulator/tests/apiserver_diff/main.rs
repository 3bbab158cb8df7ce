//! Differential suite: the same HTTP requests go to a real kube-apiserver v1.28.7 with the
//! Knative CRDs (the reference kit's `cluster`, path in `KNIT_REFERENCE_CLUSTER`) and to the
//! emulator with Knative switched off (`Config::knative = false`); status codes, `Status`
//! bodies, returned objects and `Warning` headers must agree after normalising only what is
//! random or time-dependent (uids, timestamps, resourceVersion values, continue tokens, Service
//! cluster IPs). The requests are data, in `cases.rs`; recorded differences, each with its
//! reason, in `cases::RECORDED`.
//!
//! A test target of its own (not a module of `tests/it`): the sequence is one stateful
//! conversation with an external server started once, so it is one test, and it can be run
//! alone (`cargo test -p knit-emulator --test apiserver_diff`).

mod cases;
mod event_cases;
mod normalise;
mod protobuf_cases;
mod reference;

use std::path::PathBuf;

use axum::http::{Request, header};
use http_body_util::BodyExt;
use knit_emulator::{Config, Emulator};
use serde_json::Value;

use cases::{Case, Step};
use reference::{client_for, differences, start_reference};

/// One server's answer, normalised.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    status: u16,
    /// The media type of a protobuf answer (a JSON one is `None`).
    protobuf: Option<String>,
    warnings: Vec<String>,
    body: Value,
}

/// Per-server values that requests refer to: the resourceVersion and uid of the last object
/// answered, and the continue token of the last list.
#[derive(Default)]
struct Memory {
    rv: String,
    uid: String,
    continue_token: String,
}

impl Memory {
    fn fill(&self, text: &str) -> String {
        text.replace("$RV", &self.rv)
            .replace("$UID", &self.uid)
            .replace("$CONTINUE", &self.continue_token)
    }

    fn remember(&mut self, body: &Value) {
        if let Some(token) = body.pointer("/metadata/continue").and_then(Value::as_str) {
            self.continue_token = token.to_string();
        }
        if body.get("items").is_some() || body.get("kind") == Some(&Value::from("Status")) {
            return;
        }
        if let Some(rv) = body
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
        {
            self.rv = rv.to_string();
        }
        if let Some(uid) = body.pointer("/metadata/uid").and_then(Value::as_str) {
            self.uid = uid.to_string();
        }
    }
}

async fn send(client: &kube::Client, memory: &mut Memory, step: &Step) -> Answer {
    let path = memory.fill(&step.path);
    let mut builder = Request::builder()
        .method(step.method)
        .uri(&path)
        .header(header::USER_AGENT, "apiserver-diff/1.0")
        .header(header::ACCEPT, step.accept);
    if let Some(ct) = step.content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    let body = match (&step.bytes, &step.protobuf) {
        (Some(bytes), _) => bytes.clone(),
        (None, Some(object)) => {
            let object: Value = serde_json::from_str(&memory.fill(object)).expect("JSON");
            knit_emulator::protobuf::encode_any(&object).expect("encodes as protobuf")
        }
        (None, None) => step
            .body
            .as_deref()
            .map(|b| memory.fill(b))
            .unwrap_or_default()
            .into_bytes(),
    };
    let request = builder
        .body(kube::client::Body::from(body))
        .unwrap_or_else(|e| panic!("{} {path}: {e}", step.method));
    let response = client
        .send(request)
        .await
        .unwrap_or_else(|e| panic!("{} {path}: no answer: {e}", step.method));
    let status = response.status().as_u16();
    let protobuf = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .filter(|ct| ct.contains("protobuf"));
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
    let decoded = match protobuf.as_deref() {
        Some(ct) if ct.contains("stream=watch") => {
            knit_emulator::protobuf::decode_watch(&bytes).map(Value::from)
        }
        Some(_) => knit_emulator::protobuf::decode_any(&bytes),
        None => serde_json::from_slice(&bytes).map_err(|e| e.to_string()),
    };
    let body: Value = decoded.unwrap_or_else(|e| {
        Value::String(format!(
            "{e}: {}",
            String::from_utf8_lossy(&bytes).into_owned()
        ))
    });
    memory.remember(&body);
    Answer {
        status,
        protobuf,
        warnings,
        body: normalise::normalise(body, step.view),
    }
}

fn show(answer: &Answer) -> String {
    reference::show(answer.status, &answer.warnings, &answer.body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulator_answers_as_the_real_apiserver() {
    let Some(script) = std::env::var_os("KNIT_REFERENCE_CLUSTER").filter(|s| !s.is_empty()) else {
        println!(
            "apiserver_diff: skipped: KNIT_REFERENCE_CLUSTER is not set (the path of the reference kit's `cluster` script)"
        );
        return;
    };
    let script = PathBuf::from(script);
    let reference = tokio::task::spawn_blocking(move || start_reference(&script, &[]))
        .await
        .expect("reference start task");
    let kubeconfig = std::fs::read_to_string(reference.dir.path().join("kubeconfig"))
        .expect("the reference kubeconfig");
    let ref_client = client_for(&kubeconfig).await;
    let emulator = Emulator::start(Config {
        knative: false,
        // The reference's token user, so that "who am I" answers the same name.
        user: "knit-reference-admin".to_string(),
        ..Config::default()
    })
    .await
    .expect("emulator starts");
    let emu_client = client_for(&emulator.kubeconfig_yaml("diff")).await;

    let cases = cases::all();
    let steps: usize = cases.iter().map(|c| c.steps.len()).sum();
    let (mut ref_memory, mut emu_memory) = (Memory::default(), Memory::default());
    let mut mismatches = Vec::new();
    let mut recorded_seen = 0;
    for Case { name, steps } in &cases {
        for (i, step) in steps.iter().enumerate() {
            let want = send(&ref_client, &mut ref_memory, step).await;
            let got = send(&emu_client, &mut emu_memory, step).await;
            if want == got {
                continue;
            }
            let id = format!("{name}#{i}");
            if let Some((_, why)) = cases::RECORDED.iter().find(|(case, _)| *case == id) {
                recorded_seen += 1;
                println!("apiserver_diff: recorded difference {id}: {why}");
                continue;
            }
            let mut diff = Vec::new();
            if want.status != got.status {
                diff.push(format!(
                    "  status: reference {} | emulator {}",
                    want.status, got.status
                ));
            }
            if want.protobuf != got.protobuf {
                diff.push(format!(
                    "  protobuf: reference {:?} | emulator {:?}",
                    want.protobuf, got.protobuf
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
                "--- {id}: {} {}{}\n{}\n--- reference answer: {}\n--- emulator answer: {}\n",
                step.method,
                step.path,
                step.body
                    .as_deref()
                    .map(|b| format!("\n{b}"))
                    .unwrap_or_default(),
                diff.join("\n"),
                show(&want),
                show(&got)
            ));
        }
    }
    emulator.shutdown().await;
    drop(reference);
    println!(
        "apiserver_diff: {steps} requests in {} cases, {} mismatches, {recorded_seen} recorded differences",
        cases.len(),
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {steps} requests answered differently:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
