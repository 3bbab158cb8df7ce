//! Unit tests of `wait.rs`.

use super::*;

#[test]
fn the_timeout_message_names_the_seconds_as_given() {
    assert_eq!(
        timeout_message(&crate::client::kinds::SERVICE, "w4", -1),
        "timeout: service 'w4' not ready after -1 seconds"
    );
}

fn snap(generation: i64, observed: i64, status: &str, reason: &str, message: &str) -> Snapshot {
    Snapshot {
        generation,
        observed_generation: observed,
        ready: Some(Condition {
            type_: "Ready".into(),
            status: status.into(),
            reason: reason.into(),
            message: message.into(),
            ..Default::default()
        }),
        revision_creation_failed: None,
    }
}

#[test]
fn a_revision_that_could_not_be_created_is_named() {
    let mut m = ReadyMachine::new(Duration::ZERO);
    let mut s = snap(
        1,
        1,
        "False",
        "RevisionMissing",
        "Configuration \"s\" does not have any ready Revision.",
    );
    s.revision_creation_failed = Some(Condition {
        type_: "ConfigurationsReady".into(),
        status: "False".into(),
        reason: "RevisionFailed".into(),
        message: "Revision creation failed with message: bad label.".into(),
        ..Default::default()
    });
    assert_eq!(
        m.observe(Duration::ZERO, &s).0,
        Verdict::Failed("RevisionMissing: Configuration \"s\" does not have any ready Revision.\nRevisionFailed: Revision creation failed with message: bad label.".into())
    );
}

const S: Duration = Duration::from_secs(1);

#[test]
fn ready_true_ends_the_wait_at_once() {
    let mut m = ReadyMachine::new(2 * S);
    assert_eq!(
        m.observe(Duration::ZERO, &snap(1, 1, "True", "", "")),
        (Verdict::Ready, None)
    );
}

#[test]
fn stale_generations_are_skipped() {
    let mut m = ReadyMachine::new(2 * S);
    // The old generation is Ready, but the update has not been observed yet.
    assert_eq!(
        m.observe(Duration::ZERO, &snap(2, 1, "True", "", "")),
        (Verdict::Pending, None)
    );
    assert_eq!(
        m.observe(
            S,
            &snap(2, 2, "Unknown", "Deploying", "Configuration is waiting")
        ),
        (Verdict::Pending, Some("Configuration is waiting".into()))
    );
    assert_eq!(
        m.observe(2 * S, &snap(2, 2, "True", "", "")).0,
        Verdict::Ready
    );
}

#[test]
fn ready_false_fails_after_the_window_unless_it_recovers() {
    let mut m = ReadyMachine::new(2 * S);
    let (v, msg) = m.observe(S, &snap(1, 1, "False", "RevisionFailed", "boom"));
    assert_eq!((v, msg.as_deref()), (Verdict::Pending, Some("boom")));
    assert_eq!(m.deadline(), Some(3 * S));
    assert_eq!(m.expire(2 * S), Verdict::Pending);
    // A second False moves neither the deadline nor the error: kn reports the first.
    m.observe(
        2 * S,
        &snap(1, 1, "False", "RevisionMissing", "no ready revision"),
    );
    assert_eq!(m.deadline(), Some(3 * S));
    assert_eq!(
        m.expire(3 * S),
        Verdict::Failed("RevisionFailed: boom".into())
    );

    let mut m = ReadyMachine::new(2 * S);
    m.observe(S, &snap(1, 1, "False", "RevisionFailed", "boom"));
    m.observe(2 * S, &snap(1, 1, "Unknown", "Deploying", ""));
    assert_eq!(m.deadline(), None);
    assert_eq!(m.expire(10 * S), Verdict::Pending);
}

#[test]
fn a_zero_window_fails_on_the_first_false() {
    let mut m = ReadyMachine::new(Duration::ZERO);
    assert_eq!(
        m.observe(S, &snap(1, 1, "False", "ContainerMissing", "no image"))
            .0,
        Verdict::Failed("ContainerMissing: no image".into())
    );
}

#[test]
fn snapshots_are_read_from_raw_objects() {
    let object = serde_json::json!({
        "metadata": {"generation": 3},
        "status": {"observedGeneration": 3, "conditions": [
            {"type": "RoutesReady", "status": "True"},
            {"type": "Ready", "status": "Unknown", "reason": "Deploying", "message": "m"}
        ]}
    });
    let s = Snapshot::of(&object);
    assert_eq!((s.generation, s.observed_generation), (3, 3));
    assert_eq!(s.ready.unwrap().reason, "Deploying");
    assert_eq!(Snapshot::of(&serde_json::json!({})).ready, None);
}

#[tokio::test]
async fn the_driver_survives_dropped_watches_and_410_gone() {
    use crate::client::follow::script::*;
    let (client, server) = server(vec![
        list(vec![svc("Unknown", "waiting", 5)], 5),
        event("MODIFIED", svc("Unknown", "still waiting", 6)),
        gone(),
        list(vec![svc("Unknown", "almost", 9)], 9),
        event("MODIFIED", svc("True", "", 10)),
    ])
    .await;
    let settings = WaitSettings {
        timeout: Duration::from_secs(30),
        timeout_seconds: 30,
        window: Duration::from_secs(2),
    };
    let mut progress = Progress::capture();
    let outcome = wait_for_ready(
        &client,
        &crate::client::kinds::SERVICE,
        "default",
        "hello",
        settings,
        &mut progress,
    )
    .await
    .unwrap();
    assert_eq!(outcome.object["metadata"]["resourceVersion"], "10");
    let lines: Vec<&str> = progress.captured().lines().map(|l| &l[9..]).collect();
    assert_eq!(
        lines,
        ["waiting", "still waiting", "almost", "Ready to serve."]
    );
    // The dropped watch resumes from the event it last saw; 410 Gone lists again.
    assert_watches_resume_from(&server.await.unwrap(), &["5", "6", "9"]);
}

#[tokio::test]
async fn the_driver_fails_after_the_window_without_new_events() {
    use crate::client::follow::script::*;
    let failed = |rv| {
        let mut s = svc("False", "boom", rv);
        s["status"]["conditions"][0]["reason"] = serde_json::json!("RevisionFailed");
        s
    };
    // The watch stays open with no events: the window alone must end the wait.
    let (client, _server) = server(vec![list(vec![failed(3)], 3), HANG.to_string()]).await;
    let settings = WaitSettings {
        timeout: Duration::from_secs(30),
        timeout_seconds: 30,
        window: Duration::from_millis(100),
    };
    let mut progress = Progress::capture();
    let err = wait_for_ready(
        &client,
        &crate::client::kinds::SERVICE,
        "default",
        "hello",
        settings,
        &mut progress,
    )
    .await
    .unwrap_err();
    assert_eq!(err.to_string(), "RevisionFailed: boom");
    assert!(matches!(
        err,
        Error::Wait {
            end: WaitEnd::Failed,
            ..
        }
    ));
}
