//! `knit service rollout --gate-webhook/--pause-at/--resume` against the emulator and a tiny
//! loopback HTTP server standing in for the gate: a passing gate, a refusing one and a silent one
//! (both roll back), a pause and its resume (which asks the gate stored in the state), and the
//! flag checks.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::Cluster;
use crate::rollout::{IMAGE_V2, all_to_first, all_to_latest, finished, state_of};

/// What the gate answers to one request.
#[derive(Clone)]
enum Answer {
    Status(u16, &'static str),
    /// Reads the request and never answers.
    Silence,
}

/// A gate on a free loopback port: the n-th request gets the n-th answer (the last repeats);
/// every request's content type and JSON body are recorded.
struct Gate {
    url: String,
    seen: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Gate {
    fn start(answers: Vec<Answer>) -> Gate {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the gate");
        let url = format!("http://{}/gate", listener.local_addr().expect("address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&seen);
        std::thread::spawn(move || {
            for (i, stream) in listener.incoming().enumerate() {
                let Ok(mut stream) = stream else { continue };
                // A request cut short (knit gave up first) is not recorded; the test then
                // sees one request fewer than it expects.
                if let Some(request) = read_request(&mut stream) {
                    recorded.lock().expect("record").push(request);
                }
                match answers.get(i).or(answers.last()).cloned() {
                    Some(Answer::Status(code, text)) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 {code} Whatever\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                            text.len()
                        );
                    }
                    // Held open (and unanswered) by its own thread until the test ends.
                    Some(Answer::Silence) | None => {
                        std::thread::spawn(move || {
                            std::thread::sleep(Duration::from_secs(120));
                            drop(stream);
                        });
                    }
                }
            }
        });
        Gate { url, seen }
    }

    fn bodies(&self) -> Vec<Value> {
        let seen = self.seen.lock().expect("seen");
        for (content_type, _) in seen.iter() {
            assert_eq!(content_type, "application/json");
        }
        seen.iter().map(|(_, body)| body.clone()).collect()
    }
}

/// The request's Content-Type and JSON body.
fn read_request(stream: &mut TcpStream) -> Option<(String, Value)> {
    let mut reader = BufReader::new(stream);
    let (mut length, mut content_type) = (0usize, String::new());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "content-type" => content_type = value.trim().to_string(),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((content_type, serde_json::from_slice(&body).ok()?))
}

/// The payload before step `step` of `10,50,100`.
fn payload(step: u32, current: u32, next: u32) -> Value {
    json!({
        "name": "hello",
        "namespace": "default",
        "phase": if next == 100 { "Promoting" } else { "Progressing" },
        "checksum": "hello-00002",
        "metadata": {
            "service": "hello",
            "revision": "hello-00002",
            "previousRevision": "hello-00001",
            "tag": "candidate",
            "step": step.to_string(),
            "steps": "3",
            "currentPercent": current.to_string(),
            "nextPercent": next.to_string(),
        },
    })
}

fn gated(c: &Cluster, gate: &Gate, extra: &[&str]) -> crate::common::Outcome {
    let mut argv = vec![
        "service",
        "rollout",
        "hello",
        "--image",
        IMAGE_V2,
        "--steps",
        "10,50,100",
        "--interval",
        "200ms",
        "--gate-webhook",
        &gate.url,
    ];
    argv.extend_from_slice(extra);
    c.knit(&argv)
}

fn hello(c: &Cluster) {
    c.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
}

#[test]
fn a_passing_gate_is_asked_before_each_step() {
    let c = Cluster::start();
    hello(&c);
    let gate = Gate::start(vec![Answer::Status(200, "ok")]);
    let out = gated(&c, &gate, &[]);
    insta::assert_snapshot!(out.snapshot());
    let svc = finished(&c);
    assert_eq!(svc["spec"]["traffic"], all_to_latest());
    assert_eq!(
        gate.bodies(),
        vec![payload(1, 0, 10), payload(2, 10, 50), payload(3, 50, 100)]
    );
}

#[test]
fn a_refusing_gate_rolls_the_rollout_back() {
    let c = Cluster::start();
    hello(&c);
    let before = c.stored_service("hello");
    let gate = Gate::start(vec![
        Answer::Status(200, "ok"),
        Answer::Status(503, "not now\nsecond line"),
    ]);
    let out = gated(&c, &gate, &[]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.snapshot());
    let svc = c.stored_service("hello");
    // @latest now means the candidate, so it stays pinned to the revision it meant before.
    assert_eq!(svc["spec"]["traffic"], all_to_first());
    assert_eq!(svc["spec"]["template"], before["spec"]["template"]);
    assert_eq!(state_of(&svc), None);
    assert_eq!(gate.bodies(), vec![payload(1, 0, 10), payload(2, 10, 50)]);
}

#[test]
fn a_gate_that_does_not_answer_in_time_rolls_back() {
    let c = Cluster::start();
    hello(&c);
    let before = c.stored_service("hello");
    let gate = Gate::start(vec![Answer::Silence]);
    // Long enough for the request to be sent on a busy machine; the gate never answers it.
    let out = gated(&c, &gate, &["--gate-timeout", "1500ms"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.snapshot());
    let svc = c.stored_service("hello");
    assert_eq!(svc["spec"]["traffic"], all_to_first());
    assert_eq!(svc["spec"]["template"], before["spec"]["template"]);
    assert_eq!(state_of(&svc), None);
    assert_eq!(gate.bodies(), vec![payload(1, 0, 10)]);
}

#[test]
fn a_paused_rollout_waits_for_resume_which_asks_the_stored_gate() {
    let c = Cluster::start();
    hello(&c);
    let gate = Gate::start(vec![Answer::Status(204, "")]);
    let out = gated(&c, &gate, &["--pause-at", "50"]);
    insta::assert_snapshot!("paused", out.snapshot());
    let svc = c.stored_service("hello");
    let state = state_of(&svc).expect("a paused rollout keeps its state");
    assert_eq!(
        (&state["step"], &state["paused"], &state["pauseAt"]),
        (&json!(2), &json!(true), &Value::Null)
    );
    assert_eq!(
        state["gate"],
        json!({"url": gate.url.clone(), "timeout": "10s"})
    );
    assert_eq!(
        svc["spec"]["traffic"],
        json!([
            {"latestRevision": false, "percent": 50, "revisionName": "hello-00001"},
            {"latestRevision": false, "percent": 50, "revisionName": "hello-00002", "tag": "candidate"}
        ])
    );

    // Running the rollout again does not go past the pause.
    let again = c.knit(&["service", "rollout", "hello"]);
    assert_eq!(again.code, 1);
    insta::assert_snapshot!("paused_again", again.snapshot());
    assert_eq!(c.stored_service("hello")["metadata"], svc["metadata"]);

    let resumed = c.knit(&["service", "rollout", "hello", "--resume"]);
    insta::assert_snapshot!("resumed", resumed.snapshot());
    let svc = finished(&c);
    assert_eq!(svc["spec"]["traffic"], all_to_latest());
    assert_eq!(
        gate.bodies(),
        vec![payload(1, 0, 10), payload(2, 10, 50), payload(3, 50, 100)]
    );
}

#[test]
fn resume_may_set_a_later_pause_point() {
    let c = Cluster::start();
    hello(&c);
    let steps = ["--steps", "10,20,50,100", "--pause-at", "10"];
    let argv = [
        "service",
        "rollout",
        "hello",
        "--image",
        IMAGE_V2,
        "--interval",
        "200ms",
    ];
    let first = c.knit(&[&argv[..], &steps[..]].concat());
    assert_eq!(first.code, 0, "{first:?}");
    let past = c.knit(&[
        "service",
        "rollout",
        "hello",
        "--resume",
        "--pause-at",
        "10",
    ]);
    assert_eq!(past.code, 2);
    insta::assert_snapshot!("past", past.snapshot());
    let out = c.knit(&[
        "service",
        "rollout",
        "hello",
        "--resume",
        "--pause-at",
        "50",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let state = state_of(&c.stored_service("hello")).expect("paused again");
    assert_eq!(
        (&state["step"], &state["paused"]),
        (&json!(3), &json!(true))
    );
}

#[test]
fn gate_and_pause_flags_are_checked_before_any_request() {
    let c = Cluster::start();
    // No service exists: an error about the flags proves nothing was asked of the server.
    let cases: &[&[&str]] = &[
        &["--image", "x", "--gate-webhook", "ftp://gate.example/"],
        &["--image", "x", "--gate-webhook", "gate.example/check"],
        &["--image", "x", "--gate-timeout", "5s"],
        &[
            "--image",
            "x",
            "--gate-webhook",
            "http://g.example",
            "--gate-timeout",
            "0s",
        ],
        &[
            "--image",
            "x",
            "--gate-webhook",
            "http://g.example",
            "--gate-timeout",
            "soon",
        ],
        &["--image", "x", "--pause-at", "30"],
        &["--image", "x", "--steps", "10,100", "--pause-at", "100"],
        &["--resume", "--image", "x"],
        &["--resume", "--steps", "10,100"],
        &["--promote", "--pause-at", "10"],
        &["--abort", "--resume"],
    ];
    let mut all = String::new();
    for args in cases {
        let mut argv = vec!["service", "rollout", "hello"];
        argv.extend_from_slice(args);
        let out = c.knit(&argv);
        assert_eq!(out.code, 2, "{argv:?}: {out:?}");
        all.push_str(&format!("$ knit {}\n{}\n", argv.join(" "), out.snapshot()));
    }
    insta::assert_snapshot!(all);
}
