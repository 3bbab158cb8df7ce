//! `knit::client::follow::Follower` over HTTP against the emulator: a resume point older than the
//! server's change history gets 410 Gone, and the follower lists again and goes on (the path a
//! `list -w` or `service wait` takes after a long disconnect).

use knit::client::ListOptions;
use knit::client::follow::{Collection, Follower, Observed};
use knit::client::kinds::SECRET;
use serde_json::{Value, json};

use crate::common::Cluster;

fn secret(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Secret",
           "metadata": {"name": name, "namespace": "default"}, "data": {}})
}

fn name(object: &Value) -> &str {
    object["metadata"]["name"].as_str().unwrap_or_default()
}

#[test]
fn a_resume_point_older_than_the_history_lists_again() {
    let c = Cluster::start();
    let first = c.create("", "secrets", secret("s0"));
    let stale = first["metadata"]["resourceVersion"]
        .as_str()
        .expect("resourceVersion")
        .to_string();
    // More changes than the emulator keeps per resource (1,024), so `stale` falls out of it.
    for i in 1..=1100 {
        c.create("", "secrets", secret(&format!("s{i}")));
    }
    crate::common::runtime().block_on(async {
        let client = c.client().await;
        let mut follower = Follower::new(
            &client,
            Collection::Kind(&SECRET),
            Some("default"),
            ListOptions::default(),
        )
        .resume(stale.clone());
        match follower.next().await.expect("follow") {
            Observed::Listed(items) => {
                assert_eq!(items.len(), 1101);
                assert_eq!(name(&items[0]), "s0");
            }
            other => panic!("expected a fresh list after 410 Gone, got {other:?}"),
        }
        let listed_at = follower.resource_version().to_string();
        assert_ne!(listed_at, stale);
        // The follow goes on from the list: the next change arrives as an event.
        c.create("", "secrets", secret("late"));
        match follower.next().await.expect("follow") {
            Observed::Added(object) => assert_eq!(name(&object), "late"),
            other => panic!("expected the new secret, got {other:?}"),
        }
    });
}

#[test]
fn a_wait_rides_out_an_api_server_restart() {
    let state = tempfile::tempdir().expect("temp dir");
    let config = knit_emulator::Config {
        domain: "example.com".into(),
        ready_delay: std::time::Duration::from_secs(2),
        state_file: Some(state.path().join("state.json")),
        ..Default::default()
    };
    let mut c = Cluster::with(config.clone());
    let knit = c.spawn(&["service", "create", "hello", "--image", "img"]);
    // The create lands, then the API server is down for 3 s while knit waits for Ready.
    std::thread::sleep(std::time::Duration::from_millis(700));
    c.restart(config, std::time::Duration::from_secs(3));
    let out = crate::common::Outcome::from(knit.wait_with_output().expect("knit"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.ends_with(
            "Service 'hello' created to latest revision 'hello-00001' is available at URL:\nhttp://hello.default.example.com\n"
        ),
        "{out:?}"
    );
}
