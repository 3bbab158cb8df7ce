//! `service logs`, `revision logs` and the `events` verbs (service, revision, and the Eventing
//! nouns) against the emulator's pods and events: merged prefixed lines, a follow across two
//! revisions that picks up a pod started after it, Ctrl-C ending with 0, the controllers'
//! Created events, an unfetchable image's ErrImagePull, and Eventing's reconciler events about
//! an object and what it owns.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::Duration;

use regex::Regex;
use serde_json::Value;

use crate::common::{Cluster, redact};

/// Pod and ReplicaSet names end in generated parts: `-deployment-HASH-ID` becomes
/// `-deployment-[hash]-[id]` (same width kept out of tables on purpose: snapshots here are of
/// single-pod outputs).
fn pods_redacted(text: &str) -> String {
    let pod = Regex::new(r"-deployment-[a-z0-9]{10}-[a-z0-9]{5}").expect("regex");
    let rs = Regex::new(r"-deployment-[a-z0-9]{10}\b").expect("regex");
    let text = pod.replace_all(text, "-deployment-[hash]-[id]");
    redact(&rs.replace_all(&text, "-deployment-[hash]"))
}

fn hello(c: &Cluster) {
    c.knit(&[
        "service",
        "create",
        "hello",
        "--image",
        "ghcr.io/knative/helloworld-go",
    ])
    .ok();
}

#[test]
fn logs_are_merged_prefixed_and_filtered() {
    let c = Cluster::start();
    hello(&c);
    let cases: &[(&str, &[&str])] = &[
        ("logs_default", &["service", "logs", "hello"]),
        (
            "logs_all_containers",
            &[
                "service",
                "logs",
                "hello",
                "--all-containers",
                "--timestamps",
            ],
        ),
        (
            "logs_revision_tail",
            &[
                "revision",
                "logs",
                "hello-00001",
                "--no-prefix",
                "--tail",
                "1",
            ],
        ),
        (
            "logs_json",
            &[
                "service",
                "logs",
                "hello",
                "--revision",
                "hello-00001",
                "-o",
                "json",
            ],
        ),
    ];
    for (name, args) in cases {
        insta::assert_snapshot!(*name, pods_redacted(&c.knit(args).text()));
    }
}

#[test]
fn logs_flags_are_checked_before_any_request() {
    let c = Cluster::start();
    for (args, message) in [
        (
            &["service", "logs", "hello", "-c", "x", "--all-containers"][..],
            "--container and --all-containers cannot be used together",
        ),
        (
            &["service", "logs", "hello", "-o", "yaml"],
            "invalid value 'yaml' for '--output': the only format is json",
        ),
        (
            &["service", "logs", "hello", "--tail", "-5"],
            "invalid value '-5' for '--tail': a number of lines, or -1 for all",
        ),
    ] {
        let out = c.knit(args);
        assert_eq!(out.code, 2, "{}", out.text());
        assert!(
            out.stderr.starts_with(&format!("Error: {message}\n")),
            "{}",
            out.text()
        );
    }
    let missing = c.knit(&["service", "logs", "nope"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing
            .stderr
            .starts_with("Error: services.serving.knative.dev \"nope\" not found\n"),
        "{}",
        missing.text()
    );
}

/// Reads a child's stdout lines on a thread, so the test can wait for a line with a deadline.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let out = BufReader::new(child.stdout.take().expect("stdout"));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Collects lines until one of each revision in `revisions` has been seen.
fn until_revisions(rx: &mpsc::Receiver<String>, revisions: &[&str], seen: &mut Vec<String>) {
    while !revisions.iter().all(|r| {
        seen.iter()
            .any(|l| l.starts_with(&format!("[pod/{r}-deployment-")))
    }) {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no line of {revisions:?} in {seen:#?}"));
        seen.push(line);
    }
}

#[test]
fn logs_follow_two_revisions_and_a_pod_started_later_until_ctrl_c() {
    let c = Cluster::start();
    hello(&c);
    c.knit(&["service", "update", "hello", "--env", "TARGET=two"])
        .ok();
    let mut child = c.spawn(&["service", "logs", "hello", "-f"]);
    let rx = lines_of(&mut child);
    let mut seen = Vec::new();
    until_revisions(&rx, &["hello-00001", "hello-00002"], &mut seen);
    // A third revision's pod starts after the follow began: its lines come too.
    c.knit(&["service", "update", "hello", "--env", "TARGET=three"])
        .ok();
    until_revisions(&rx, &["hello-00003"], &mut seen);
    let line =
        Regex::new(r"^\[pod/hello-0000[123]-deployment-[a-z0-9]{10}-[a-z0-9]{5}/user-container\] ")
            .expect("regex");
    for l in &seen {
        assert!(line.is_match(l), "{l}");
    }
    let third: Vec<&String> = seen.iter().filter(|l| l.contains("hello-00003")).collect();
    assert!(third[0].ends_with("user-container started from image ghcr.io/knative/helloworld-go@sha256:78702514456f33c71bcb0c3491769e96807f9a0c90ea476d01e5803ff90b6235 (an emulated log: knit-emulator runs no containers)"), "{third:?}");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let code = child.wait().expect("knit ends").code();
    assert_eq!(code, Some(0), "Ctrl-C ends a follow with 0");
}

/// The lines of the Knative objects' events (their order does not depend on the kubelet's).
fn knative_rows(table: &str) -> String {
    table
        .lines()
        .enumerate()
        .filter(|(i, l)| {
            *i == 0
                || ["Service/", "Configuration/", "Revision/"]
                    .iter()
                    .any(|k| l.contains(k))
        })
        .map(|(_, l)| format!("{}\n", l.trim_end()))
        .collect()
}

#[test]
fn events_show_the_controllers_created_events_and_the_pods() {
    let c = Cluster::start();
    hello(&c);
    let out = c.knit(&["service", "events", "hello"]).ok();
    insta::assert_snapshot!(
        "events_knative_rows",
        pods_redacted(&knative_rows(&out.stdout))
    );
    for reason in [
        "ScalingReplicaSet",
        "SuccessfulCreate",
        "Scheduled",
        "Pulling",
        "Pulled",
        "Started",
    ] {
        assert!(
            out.stdout.contains(&format!("   Normal   {reason} ")),
            "{reason}: {}",
            out.stdout
        );
    }
    let json: Value = serde_json::from_str(
        &c.knit(&["service", "events", "hello", "-o", "json"])
            .ok()
            .stdout,
    )
    .expect("json");
    assert_eq!(json["kind"], "EventList");
    let items = json["items"].as_array().expect("items");
    assert_eq!(items.len(), out.stdout.lines().count() - 1);
    let revision = c.knit(&["revision", "events", "hello-00001"]).ok().stdout;
    assert!(!revision.contains("Service/hello"), "{revision}");
    assert!(revision.contains("Revision/hello-00001"), "{revision}");
    assert!(
        revision.contains("Pod/hello-00001-deployment-"),
        "{revision}"
    );
    // Another service's events are not this one's.
    c.knit(&["service", "create", "hello-world", "--image", "img"])
        .ok();
    let again = c.knit(&["service", "events", "hello"]).ok().stdout;
    assert!(!again.contains("hello-world"), "{again}");
}

#[test]
fn an_unfetchable_image_shows_err_image_pull_events_and_no_logs() {
    let c = Cluster::with(knit_emulator::Config {
        unfetchable_images: vec!["dev.local/*".into()],
        ..Default::default()
    });
    c.knit(&[
        "service",
        "create",
        "bad",
        "--image",
        "dev.local/bad:1",
        "--no-wait",
    ])
    .ok();
    let mut events = String::new();
    for _ in 0..300 {
        events = c.knit(&["service", "events", "bad"]).ok().stdout;
        if events.contains("Error: ImagePullBackOff") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let warnings: Vec<String> = events
        .lines()
        .filter(|l| l.contains(" Warning "))
        .map(|l| pods_redacted(l.split_once(" Warning ").map_or(l, |(_, rest)| rest).trim()))
        .collect();
    insta::assert_snapshot!("events_unfetchable_warnings", warnings.join("\n"));
    let logs = c.knit(&["service", "logs", "bad"]);
    insta::assert_snapshot!("logs_unfetchable", pods_redacted(&logs.text()));
}

/// Polls `knit ARGS` until its stdout contains `text` (the controllers record events as they
/// reconcile). 30 s at most; returns that stdout.
fn until_output(c: &Cluster, args: &[&str], text: &str) -> String {
    for _ in 0..300 {
        let out = c.knit(args).stdout;
        if out.contains(text) {
            return out;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{args:?} never printed {text:?}");
}

/// A Trigger's Subscription is named after the Trigger's uid (kept the same width, for the table).
fn uids_redacted(text: &str) -> String {
    let uid =
        Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").expect("regex");
    redact(&uid.replace_all(text, "UUUUUUUU-UUUU-UUUU-UUUU-UUUUUUUUUUUU"))
}

#[test]
fn eventing_objects_show_their_events_and_what_they_own() {
    let c = Cluster::start();
    c.ready_service("default", "sink", "ghcr.io/knative/helloworld-go");
    // A ping source whose sink does not exist (knit checks it on create, so it goes after):
    // Knative's finalizer and SinkNotFound events.
    c.ready_service("default", "later", "ghcr.io/knative/helloworld-go");
    c.knit(&["source", "ping", "create", "p", "--sink", "ksvc:later"])
        .ok();
    c.knit(&["service", "delete", "later"]).ok();
    let args = ["source", "ping", "events", "p"];
    until_output(&c, &args, "SinkNotFound");
    insta::assert_snapshot!("events_ping_sink_not_found", c.knit(&args).snapshot());
    let json: Value = serde_json::from_str(
        &c.knit(&["source", "ping", "events", "p", "-o", "json"])
            .ok()
            .stdout,
    )
    .expect("json");
    assert_eq!(json["kind"], "EventList");
    let reasons: Vec<&str> = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["reason"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(reasons, ["FinalizerUpdate", "SinkNotFound"]);

    // A container source: its SinkBinding's creation and the reconcile.
    c.knit(&[
        "source",
        "container",
        "create",
        "src",
        "--image",
        "img",
        "--sink",
        "ksvc:sink",
    ])
    .ok();
    let args = ["source", "container", "events", "src"];
    until_output(&c, &args, "ContainerSourceReconciled");
    insta::assert_snapshot!("events_container_source", c.knit(&args).snapshot());

    // A broker's events take in its Triggers' Subscriptions (owned by the Triggers).
    c.knit(&["broker", "create", "b"]).ok();
    c.knit(&[
        "trigger",
        "create",
        "t",
        "--broker",
        "b",
        "--sink",
        "ksvc:sink",
    ])
    .ok();
    let args = ["broker", "events", "b"];
    until_output(&c, &args, "SubscriberSync");
    insta::assert_snapshot!("events_broker", uids_redacted(&c.knit(&args).ok().stdout));
    let trigger = c.knit(&["trigger", "events", "t"]).ok().stdout;
    assert!(trigger.contains("Subscription/b-t-"), "{trigger}");
    // Nothing of the sources' is the broker's.
    assert!(!trigger.contains("PingSource"), "{trigger}");

    // A subscription of no trigger, with no events yet: the kubectl message on stderr.
    c.knit(&["channel", "create", "ch"]).ok();
    let out = c.knit(&["channel", "events", "ch"]);
    insta::assert_snapshot!("events_channel_none", out.snapshot());

    // Unknown names and a missing name.
    insta::assert_snapshot!(
        "events_source_not_found",
        c.knit(&["source", "binding", "events", "nope"]).snapshot()
    );
    insta::assert_snapshot!(
        "events_subscription_no_name",
        c.knit(&["subscription", "events"]).snapshot()
    );
}

#[test]
fn broker_events_follow_picks_up_a_new_triggers_subscription() {
    let c = Cluster::start();
    c.ready_service("default", "sink", "ghcr.io/knative/helloworld-go");
    c.knit(&["broker", "create", "b"]).ok();
    c.knit(&[
        "trigger",
        "create",
        "t1",
        "--broker",
        "b",
        "--sink",
        "ksvc:sink",
    ])
    .ok();
    until_output(&c, &["broker", "events", "b"], "SubscriberSync");
    let mut child = c.spawn(&["broker", "events", "b", "-w"]);
    let rx = lines_of(&mut child);
    let next = |what: &str| -> String {
        loop {
            let line = rx
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no {what} line"));
            if line.contains("SubscriberSync") {
                return line;
            }
        }
    };
    assert!(next("initial").contains("Subscription/b-t1-"));
    // A Trigger created after the follow began: its Subscription's event is the broker's too.
    c.knit(&[
        "trigger",
        "create",
        "t2",
        "--broker",
        "b",
        "--sink",
        "ksvc:sink",
    ])
    .ok();
    let line = next("followed");
    assert!(line.contains("Subscription/b-t2-"), "{line}");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    assert_eq!(child.wait().expect("knit ends").code(), Some(0));
}
