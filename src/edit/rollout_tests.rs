use serde_json::json;

use super::*;

#[test]
fn steps_parse_and_reject_bad_input() {
    assert_eq!("10,50,100".parse::<Steps>(), Ok(Steps(vec![10, 50, 100])));
    assert_eq!("100".parse::<Steps>(), Ok(Steps(vec![100])));
    assert_eq!(
        "10,5,100".parse::<Steps>(),
        Err("steps must increase, but 5 comes after 10".into())
    );
    assert_eq!(
        "10,10,100".parse::<Steps>(),
        Err("steps must increase, but 10 comes after 10".into())
    );
    assert_eq!(
        "0,100".parse::<Steps>(),
        Err("each step must be a whole percentage from 1 to 100, got '0'".into())
    );
    assert_eq!(
        "10,101".parse::<Steps>(),
        Err("each step must be a whole percentage from 1 to 100, got '101'".into())
    );
    assert_eq!(
        "10,,100".parse::<Steps>(),
        Err("each step must be a whole percentage from 1 to 100, got ''".into())
    );
    assert_eq!(
        "10,50".parse::<Steps>(),
        Err("the last step must be 100 (the promotion), got 50".into())
    );
    assert_eq!(Steps(vec![10, 50, 100]).to_string(), "10,50,100");
}

#[test]
fn apportion_always_sums_to_the_total() {
    assert_eq!(apportion(&[100], 90), vec![90]);
    assert_eq!(apportion(&[10, 90], 90), vec![9, 81]);
    // 1/3 each of 50: 16.67 → the first two (earlier on ties) get the extra points.
    assert_eq!(apportion(&[1, 1, 1], 50), vec![17, 17, 16]);
    assert_eq!(apportion(&[0, 100], 75), vec![0, 75]);
    assert_eq!(apportion(&[0, 0], 75), vec![0, 0]);
    // Exhaustive: every split of 100 over three targets, every step.
    for a in 0..=100u64 {
        for b in 0..=(100 - a) {
            let weights = [a, b, 100 - a - b];
            for total in 0..=100 {
                let shares = apportion(&weights, total);
                assert_eq!(shares.iter().sum::<u64>(), total, "{weights:?} {total}");
                for (w, s) in weights.iter().zip(&shares) {
                    // Each share is within one point of its exact proportion.
                    let exact = (*w * total) as f64 / 100.0;
                    assert!((*s as f64 - exact).abs() < 1.0, "{weights:?} {total}");
                }
            }
        }
    }
}

fn state(previous: Value) -> State {
    State {
        revision: Some("hello-00003".into()),
        generation: 3,
        tag: "candidate".into(),
        steps: vec![10, 50, 100],
        step: 1,
        interval: "1m".into(),
        started: "2026-01-01T00:00:00Z".into(),
        step_started: "2026-01-01T00:00:00Z".into(),
        previous,
        previous_latest: "hello-00002".into(),
        previous_template: Value::Null,
        gate: None,
        pause_at: None,
        paused: false,
    }
}

#[test]
fn pause_points_are_later_steps_before_the_last() {
    let steps = [10, 25, 50, 100];
    assert_eq!(check_pause_at(25, &steps, 0), Ok(()));
    assert_eq!(check_pause_at(50, &steps, 2), Ok(()));
    assert_eq!(
        check_pause_at(30, &steps, 0),
        Err(
            "--pause-at 30 is not one of the steps (10,25,50,100); pause at one of 10, 25, 50"
                .into()
        )
    );
    assert_eq!(
        check_pause_at(100, &steps, 0),
        Err("--pause-at 100 is the last step, which promotes the revision; pause at one of 10, 25, 50".into())
    );
    assert_eq!(
        check_pause_at(25, &steps, 2),
        Err(
            "--pause-at 25: the rollout is already at or past that step; pause at one of 50".into()
        )
    );
    assert_eq!(
        check_pause_at(10, &[10, 100], 1),
        Err("--pause-at 10: the rollout is already at or past that step; no step is left to pause at".into())
    );
}

#[test]
fn gate_and_pause_are_stored_only_when_set_and_old_states_still_read() {
    let plain = state(Value::Null);
    let text = serde_json::to_string(&plain).unwrap();
    assert!(!text.contains("gate") && !text.contains("pause"), "{text}");
    let mut gated = plain.clone();
    gated.gate = Some(Gate {
        url: "http://gate.example/check".into(),
        timeout: "10s".into(),
    });
    gated.pause_at = Some(50);
    gated.paused = true;
    let mut service = json!({"metadata": {}});
    gated.store(&mut service);
    assert_eq!(State::read(&service).unwrap(), Some(gated.clone()));
    let stored: Value = serde_json::from_str(
        service["metadata"]["annotations"][STATE_ANNOTATION]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (&stored["gate"], &stored["pauseAt"], &stored["paused"]),
        (
            &json!({"url": "http://gate.example/check", "timeout": "10s"}),
            &json!(50),
            &json!(true)
        )
    );
    // Pausing is due once the step of `pause_at` is applied, not before.
    let mut at = plain;
    at.pause_at = Some(50);
    assert!(!at.at_pause());
    at.step = 2;
    assert_eq!(at.current_percent(), 50);
    assert!(at.at_pause());
}

fn split() -> Vec<Value> {
    vec![
        json!({"revisionName": "hello-00001", "percent": 10, "tag": "stable", "x-extra": 1}),
        json!({"latestRevision": true, "percent": 90, "tag": "current"}),
    ]
}

#[test]
fn pinning_names_the_revision_latest_meant() {
    assert_eq!(
        pinned(&split(), "hello-00002"),
        vec![
            json!({"revisionName": "hello-00001", "percent": 10, "tag": "stable", "x-extra": 1}),
            json!({"latestRevision": false, "revisionName": "hello-00002", "percent": 90, "tag": "current"}),
        ]
    );
}

#[test]
fn steps_give_the_candidate_its_share_and_split_the_rest() {
    let pinned = pinned(&split(), "hello-00002");
    let traffic = step_traffic(&pinned, "hello-00003", "candidate", 50);
    let percents: Vec<u64> = traffic.iter().map(percent).collect();
    // 50 over 10:90 → 5 and 45.
    assert_eq!(percents, vec![5, 45, 50]);
    assert_eq!(traffic[0]["x-extra"], 1);
    assert_eq!(
        traffic[2],
        json!({"tag": "candidate", "revisionName": "hello-00003", "latestRevision": false, "percent": 50})
    );
    let traffic = step_traffic(&pinned, "hello-00003", "candidate", 0);
    let percents: Vec<u64> = traffic.iter().map(percent).collect();
    assert_eq!(percents, vec![10, 90, 0]);
    let traffic = step_traffic(&pinned, "hello-00003", "candidate", 25);
    let percents: Vec<u64> = traffic.iter().map(percent).collect();
    // 75 over 10:90 → 7.5 and 67.5: the tie goes to the first target.
    assert_eq!(percents, vec![8, 67, 25]);
}

#[test]
fn promotion_follows_latest_and_keeps_tags() {
    assert_eq!(
        promoted_traffic(&split(), "hello-00003", true),
        vec![
            json!({"revisionName": "hello-00001", "percent": 0, "tag": "stable", "x-extra": 1}),
            json!({"latestRevision": true, "percent": 100, "tag": "current"}),
        ]
    );
    let default = vec![json!({"latestRevision": true, "percent": 100})];
    assert_eq!(promoted_traffic(&default, "hello-00003", true), default);
    let named = vec![json!({"revisionName": "hello-00001", "percent": 100})];
    assert_eq!(
        promoted_traffic(&named, "hello-00003", true),
        vec![json!({"latestRevision": true, "percent": 100})]
    );
    assert_eq!(
        promoted_traffic(&split(), "hello-00003", false),
        vec![
            json!({"revisionName": "hello-00003", "latestRevision": false, "percent": 100}),
            json!({"revisionName": "hello-00001", "percent": 0, "tag": "stable", "x-extra": 1}),
            json!({"latestRevision": true, "percent": 0, "tag": "current"}),
        ]
    );
}

#[test]
fn rollback_restores_verbatim_unless_latest_moved() {
    let s = state(json!(split()));
    assert_eq!(restored_traffic(&s, Some("hello-00002")), Some(split()));
    assert_eq!(restored_traffic(&s, None), Some(split()));
    assert_eq!(
        restored_traffic(&s, Some("hello-00003")),
        Some(pinned(&split(), "hello-00002"))
    );
    assert_eq!(restored_traffic(&state(Value::Null), Some("x")), None);
    assert_eq!(
        state(Value::Null).previous_targets(),
        vec![json!({"latestRevision": true, "percent": 100})]
    );
}

#[test]
fn state_round_trips_through_the_annotation() {
    let mut svc = json!({"metadata": {"name": "hello", "annotations": {"keep": "me"}}});
    let s = state(json!(split()));
    s.store(&mut svc);
    assert_eq!(svc["metadata"]["annotations"]["keep"], "me");
    assert_eq!(State::read(&svc), Ok(Some(s)));
    State::clear(&mut svc);
    assert_eq!(State::read(&svc), Ok(None));
    assert_eq!(svc["metadata"]["annotations"], json!({"keep": "me"}));
    svc["metadata"]["annotations"][STATE_ANNOTATION] = json!("{oops");
    assert!(
        State::read(&svc)
            .unwrap_err()
            .message()
            .starts_with("the annotation rollout.knit.dev/state does not hold a rollout state")
    );
}

#[test]
fn rollback_puts_the_template_back_verbatim() {
    let old =
        json!({"metadata": {"annotations": {"x": "1"}}, "spec": {"containers": [{"image": "v1"}]}});
    let mut with = state(Value::Null);
    with.previous_template = old.clone();
    let mut service =
        json!({"spec": {"template": {"spec": {"containers": [{"image": "bad"}]}}, "traffic": []}});
    restore_template(&mut service, &with);
    assert_eq!(service["spec"]["template"], old);
    assert_eq!(service["spec"]["traffic"], json!([]));
    // A state written before knit kept the template leaves it alone.
    let mut service = json!({"spec": {"template": {"spec": {"containers": [{"image": "bad"}]}}}});
    restore_template(&mut service, &state(Value::Null));
    assert_eq!(
        service["spec"]["template"]["spec"]["containers"][0]["image"],
        "bad"
    );
}

#[test]
fn states_without_a_template_still_read_and_write() {
    let old = state(Value::Null);
    let mut service = json!({});
    old.store(&mut service);
    let text = service["metadata"]["annotations"][STATE_ANNOTATION]
        .as_str()
        .unwrap();
    assert!(!text.contains("previousTemplate"), "{text}");
    assert_eq!(State::read(&service).unwrap(), Some(old));
}
