//! `knit service rollout` against the emulator: a complete rollout, the automatic rollback of an
//! unfetchable image, resuming after `kill -9`, `--abort`/`--promote` of an interrupted rollout
//! and the usage errors.

use crate::common;

use common::Cluster;
use futures::StreamExt;
use knit::client::kinds::SERVICE;
use knit::client::{ListOptions, WatchEvent, WatchOptions};
use knit_emulator::Config;
use serde_json::{Value, json};

pub(crate) const IMAGE_V2: &str = "gcr.io/knative-samples/helloworld-go:v2";
const STATE: &str = "rollout.knit.dev/state";

pub(crate) fn state_of(service: &Value) -> Option<Value> {
    let text = service["metadata"]["annotations"][STATE].as_str()?;
    Some(serde_json::from_str(text).expect("state is JSON"))
}

/// `knit service rollout hello --image IMAGE --steps STEPS --interval INTERVAL`.
fn rollout<'a>(image: &'a str, steps: &'a str, interval: &'a str) -> [&'a str; 9] {
    [
        "service",
        "rollout",
        "hello",
        "--image",
        image,
        "--steps",
        steps,
        "--interval",
        interval,
    ]
}

/// Waits until `hello` is ready again after a rollout that ended, which leaves no state behind.
pub(crate) fn finished(c: &Cluster) -> Value {
    let svc = c.until_ready("serving.knative.dev", "services", "default", "hello");
    assert_eq!(state_of(&svc), None);
    svc
}

/// All traffic on @latest, as spec.traffic says it.
pub(crate) fn all_to_latest() -> Value {
    json!([{"latestRevision": true, "percent": 100}])
}

/// All traffic on @latest, which is the candidate `hello-00002`, as the route serves it.
fn all_to_candidate() -> Value {
    json!([{"latestRevision": true, "percent": 100, "revisionName": "hello-00002"}])
}

/// All traffic pinned to the revision before the rollout.
pub(crate) fn all_to_first() -> Value {
    json!([{"latestRevision": false, "percent": 100, "revisionName": "hello-00001"}])
}

/// Watches the stored Service over the API until its rollout state has applied `step` steps.
fn until_step(c: &Cluster, name: &str, step: u64) -> Value {
    until(c, name, &format!("step {step}"), |svc| {
        state_of(svc).is_some_and(|s| s["step"] == step)
    })
}

/// Watches the stored Service over the API (a real watch, no polling) until `reached`.
pub(crate) fn until(
    c: &Cluster,
    name: &str,
    what: &str,
    reached: impl Fn(&Value) -> bool,
) -> Value {
    common::runtime().block_on(async {
        let client = c.client().await;
        let options = WatchOptions {
            list: ListOptions::named(name),
            ..Default::default()
        };
        let watched = async {
            // No resourceVersion: the current object comes first, then every change.
            let mut stream = client
                .watch(&SERVICE, Some("default"), &options)
                .await
                .expect("watch");
            while let Some(event) = stream.next().await {
                if let Ok(WatchEvent::Added(svc) | WatchEvent::Modified(svc)) = event
                    && reached(&svc)
                {
                    return svc;
                }
            }
            panic!("the watch of service {name} ended before it was {what}");
        };
        tokio::time::timeout(std::time::Duration::from_secs(60), watched)
            .await
            .unwrap_or_else(|_| panic!("service {name} was never {what}"))
    })
}

/// A rollout of `IMAGE_V2` on `hello`, killed with SIGKILL once `step` steps are applied.
fn interrupted_rollout(c: &Cluster, steps: &str, step: u64) -> Value {
    let mut child = c.spawn(&rollout(IMAGE_V2, steps, "5s"));
    let svc = until_step(c, "hello", step);
    child.kill().expect("kill -9 knit");
    child.wait().expect("reap knit");
    svc
}

#[test]
fn a_rollout_moves_traffic_step_by_step_and_promotes() {
    let c = Cluster::start();
    c.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    let out = c.knit(&rollout(IMAGE_V2, "10,50,100", "200ms"));
    insta::assert_snapshot!(out.snapshot());
    let svc = finished(&c);
    assert_eq!(svc["spec"]["traffic"], all_to_latest());
    assert_eq!(svc["status"]["traffic"], all_to_candidate());
    assert_eq!(
        svc["spec"]["template"]["spec"]["containers"][0]["image"],
        IMAGE_V2
    );
}

#[test]
fn steps_split_the_rest_over_the_previous_targets_and_promotion_keeps_tags() {
    let c = Cluster::start();
    c.split_service("default", "hello");
    let at_kill = interrupted_rollout(&c, "50,100", 1);
    // 50% left over 10:90, @latest pinned to the revision it meant.
    assert_eq!(
        at_kill["spec"]["traffic"],
        json!([
            {"latestRevision": false, "percent": 5, "revisionName": "hello-00001", "tag": "stable"},
            {"latestRevision": false, "percent": 45, "revisionName": "hello-00002", "tag": "current"},
            {"latestRevision": false, "percent": 50, "revisionName": "hello-00003", "tag": "candidate"}
        ])
    );
    let out = c.knit(&["service", "rollout", "hello", "--promote"]);
    insta::assert_snapshot!(out.snapshot());
    let svc = finished(&c);
    assert_eq!(
        svc["spec"]["traffic"],
        json!([
            {"latestRevision": false, "percent": 0, "revisionName": "hello-00001", "tag": "stable"},
            {"latestRevision": true, "percent": 100, "tag": "current"}
        ])
    );
}

#[test]
fn an_unfetchable_image_rolls_back_to_the_previous_split() {
    let c = Cluster::with(Config {
        domain: "example.com".to_string(),
        unfetchable_images: vec!["bad.io/*".to_string()],
        ..Config::default()
    });
    c.split_service("default", "hello");
    let before = c.stored_service("hello");
    let out = c.knit(&rollout("bad.io/hello:v3", "10,50,100", "200ms"));
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.snapshot());
    // The template is back as well: the server makes a revision of it again (hello-00004, after
    // the failed hello-00003) and the service turns Ready.
    let after = finished(&c);
    assert_eq!(after["spec"]["traffic"], before["spec"]["traffic"]);
    assert_eq!(after["spec"]["template"], before["spec"]["template"]);
    assert_eq!(after["status"]["latestReadyRevisionName"], "hello-00004");
    assert_eq!(image_of(&c, "hello-00004"), image_of(&c, "hello-00002"));
    // The route serves the previous split, @latest being the revision of the restored template.
    let mut served = before["status"]["traffic"].clone();
    for target in served.as_array_mut().expect("status traffic") {
        if target["latestRevision"] == true {
            target["revisionName"] = json!("hello-00004");
        }
    }
    assert_eq!(after["status"]["traffic"], served);
    // A later plain update starts from the restored template, not from the failed image.
    c.knit(&["service", "update", "hello", "--env", "AFTER=1"])
        .ok();
    assert_eq!(image_of(&c, "hello-00005"), image_of(&c, "hello-00002"));
}

fn image_of(c: &Cluster, revision: &str) -> Value {
    let stored = c
        .get("serving.knative.dev", "revisions", "default", revision)
        .unwrap_or_else(|| panic!("revision {revision} exists"));
    stored["spec"]["containers"][0]["image"].clone()
}

#[test]
fn a_killed_rollout_resumes_from_its_step() {
    let c = Cluster::start();
    c.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    let at_kill = interrupted_rollout(&c, "10,50,100", 2);
    assert_eq!(
        at_kill["spec"]["traffic"],
        json!([
            {"latestRevision": false, "percent": 50, "revisionName": "hello-00001"},
            {"latestRevision": false, "percent": 50, "revisionName": "hello-00002", "tag": "candidate"}
        ])
    );
    // The same command again picks the rollout up at step 2 and completes it.
    let out = c.knit(&rollout(IMAGE_V2, "10,50,100", "5s"));
    insta::assert_snapshot!(out.snapshot());
    let svc = finished(&c);
    assert_eq!(svc["spec"]["traffic"], all_to_latest());
}

#[test]
fn a_different_command_reports_the_rollout_in_progress_and_abort_restores() {
    let c = Cluster::start();
    c.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    let before = c.stored_service("hello");
    interrupted_rollout(&c, "10,50,100", 1);
    let out = c.knit(&["service", "rollout", "hello", "--image", "other:v9"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("in_progress", out.snapshot());

    let out = c.knit(&["service", "rollout", "hello", "--abort"]);
    insta::assert_snapshot!("abort", out.snapshot());
    let svc = c.stored_service("hello");
    assert_eq!(before["spec"]["traffic"], all_to_latest());
    // The candidate is now the latest ready revision, so @latest is pinned to the revision it
    // meant before the rollout.
    assert_eq!(svc["spec"]["traffic"], all_to_first());
    assert_eq!(svc["spec"]["template"], before["spec"]["template"]);
    assert_eq!(state_of(&svc), None);

    let out = c.knit(&["service", "rollout", "hello", "--abort"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("abort_without_rollout", out.snapshot());
}

#[test]
fn promote_finishes_an_interrupted_rollout() {
    let c = Cluster::start();
    c.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    interrupted_rollout(&c, "10,50,100", 1);
    let out = c.knit(&["service", "rollout", "hello", "--promote"]);
    insta::assert_snapshot!(out.snapshot());
    let svc = finished(&c);
    assert_eq!(svc["spec"]["traffic"], all_to_latest());
    assert_eq!(svc["status"]["traffic"], all_to_candidate());
}

#[test]
fn bad_flags_are_usage_errors_before_any_request() {
    let c = Cluster::start();
    // No service exists: an error about the flags proves nothing was asked of the server.
    let cases: &[&[&str]] = &[
        &["--image", "x", "--steps", "10,5,100"],
        &["--image", "x", "--steps", "0,100"],
        &["--image", "x", "--steps", "10,50"],
        &["--image", "x", "--interval", "soon"],
        &["--image", "x", "--tag", "Canary"],
        &["--abort", "--image", "x"],
        &["--promote", "--env", "A=1"],
        &["--abort", "--promote"],
        &["--promote", "--steps", "50,100"],
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

#[test]
fn a_revision_that_stops_being_ready_during_a_step_is_rolled_back() {
    let c = Cluster::start();
    c.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    let before = c.stored_service("hello");
    let child = c.spawn(&rollout(IMAGE_V2, "10,50,100", "30s"));
    // Once the service serves step 1, knit is watching the candidate through the interval.
    until(&c, "hello", "serving step 1", |svc| {
        let ready = svc["status"]["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["type"] == "Ready" && c["status"] == "True");
        state_of(svc).is_some_and(|s| s["step"] == 1)
            && ready
            && svc["status"]["observedGeneration"] == svc["metadata"]["generation"]
    });
    // The candidate breaks while it serves 10%.
    let revisions = knit_emulator::resource::GroupResource::new("serving.knative.dev", "revisions");
    let mut revision = c
        .get("serving.knative.dev", "revisions", "default", "hello-00002")
        .expect("candidate exists");
    for condition in revision["status"]["conditions"]
        .as_array_mut()
        .expect("conditions")
    {
        if condition["type"] == "Ready" {
            condition["status"] = json!("False");
            condition["reason"] = json!("ProgressDeadlineExceeded");
            condition["message"] = json!("Initial scale was never achieved");
        }
    }
    c.api()
        .update_status(&revisions, revision)
        .expect("break the candidate");
    let out = common::Outcome::from(child.wait_with_output().expect("knit output"));
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.snapshot());
    let svc = c.stored_service("hello");
    // @latest now means the candidate, so it stays pinned to the revision it meant before.
    assert_eq!(svc["spec"]["traffic"], all_to_first());
    assert_eq!(svc["spec"]["template"], before["spec"]["template"]);
    assert_eq!(state_of(&svc), None);
}

#[test]
fn a_rollout_killed_before_its_revision_was_named_resumes() {
    // Slow revisions: knit is killed while the new one is still deploying, before its name is
    // in the stored state.
    let c = Cluster::with(Config {
        domain: "example.com".to_string(),
        ready_delay: std::time::Duration::from_millis(1500),
        ..Config::default()
    });
    c.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    let mut child = c.spawn(&rollout(IMAGE_V2, "50,100", "200ms"));
    let at_kill = until(&c, "hello", "started", |svc| state_of(svc).is_some());
    child.kill().expect("kill -9 knit");
    child.wait().expect("reap knit");
    let state = state_of(&at_kill).expect("state");
    assert_eq!(state["revision"], Value::Null);
    assert_eq!(state["step"], 0);
    assert_eq!(at_kill["spec"]["traffic"], all_to_first());
    let out = c.knit(&["service", "rollout", "hello"]);
    insta::assert_snapshot!(out.snapshot());
    let svc = finished(&c);
    assert_eq!(svc["status"]["traffic"], all_to_candidate());
}
