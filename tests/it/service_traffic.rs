//! Traffic splitting with `service create --tag` and `service update --traffic/--tag/--untag`
//! against the emulator: tags, untag, `@latest`, the automatic remainder and every error case.

use crate::common::{Cluster, assert_settled, served_traffic};

use serde_json::{Value, json};

const IMAGE: &str = "gcr.io/knative-samples/helloworld-go";

/// `spec.traffic` as `tag|revision|percent` lines (`@latest` for latestRevision targets).
fn traffic(c: &Cluster, name: &str) -> Vec<String> {
    c.stored_service(name)["spec"]["traffic"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|t| {
            let revision = if t["latestRevision"] == json!(true) {
                "@latest".to_string()
            } else {
                t["revisionName"].as_str().unwrap_or_default().to_string()
            };
            format!(
                "{}|{}|{}",
                t["tag"].as_str().unwrap_or("-"),
                revision,
                t["percent"].as_i64().unwrap_or(0)
            )
        })
        .collect()
}

fn two_revisions() -> Cluster {
    let c = Cluster::start();
    c.run(&format!("service create hello --image {IMAGE} --env V=1"))
        .ok();
    c.knit(&["service", "update", "hello", "--env", "V=2"]).ok();
    assert_eq!(c.revisions("hello"), vec!["hello-00001", "hello-00002"]);
    c
}

/// `service create NAME --image IMAGE --tag v1 --no-wait`.
fn create_tagged_v1(c: &Cluster, name: &str) {
    c.knit(&[
        "service",
        "create",
        name,
        "--image",
        IMAGE,
        "--tag",
        "v1",
        "--no-wait",
    ])
    .ok();
}

#[test]
fn create_with_a_tag_routes_all_traffic_to_latest() {
    let c = Cluster::start();
    create_tagged_v1(&c, "tagged");
    assert_eq!(traffic(&c, "tagged"), vec!["v1|@latest|100"]);
}

#[test]
fn tags_splits_remainder_and_untag() {
    let c = two_revisions();
    assert_settled!(
        "tag_two_revisions",
        c.run("service update hello --tag hello-00001=old,@latest=current")
    );
    assert_eq!(
        traffic(&c, "hello"),
        vec!["current|@latest|100", "old|hello-00001|0"]
    );

    // Split by tags; no new revision, so the URL line says (unchanged).
    assert_settled!(
        "split_by_tags",
        c.run("service update hello --traffic old=20,current=80")
    );
    assert_eq!(
        traffic(&c, "hello"),
        vec!["current|@latest|80", "old|hello-00001|20"]
    );

    // Only one target named: the rest goes to the other revision by name, as kn sends it (kn's
    // e2e "45:55 automatic traffic split"); the tagged @latest target stays at 0%.
    c.knit(&["service", "update", "hello", "--traffic", "old=50"])
        .ok();
    assert_eq!(
        traffic(&c, "hello"),
        vec![
            "current|@latest|0",
            "old|hello-00001|50",
            "-|hello-00002|50"
        ]
    );
    // Back to two targets: an untagged target left at 0% goes.
    c.knit(&[
        "service",
        "update",
        "hello",
        "--traffic",
        "old=50,current=50",
    ])
    .ok();
    assert_eq!(
        traffic(&c, "hello"),
        vec!["current|@latest|50", "old|hello-00001|50"]
    );

    // With a new revision, @latest is the coming one: naming it alone leaves two others.
    assert_settled!(
        "remainder_ambiguous",
        c.run("service update hello --env V=3 --traffic @latest=10")
    );
    assert_eq!(c.revisions("hello").len(), 2);
    // Naming all but one current revision gives it the rest.
    c.run("service update hello --env V=3 --traffic @latest=10,old=0")
        .ok();
    assert_eq!(
        traffic(&c, "hello"),
        vec![
            "current|@latest|10",
            "old|hello-00001|0",
            "-|hello-00002|90"
        ]
    );
    let status = c.stored_service("hello")["status"]["traffic"].clone();
    assert_eq!(status[0]["revisionName"], "hello-00003");

    // Untagging a 0% target drops it.
    assert_settled!(
        "untag",
        c.knit(&["service", "update", "hello", "--untag", "old", "--no-wait"])
    );
    assert_eq!(
        traffic(&c, "hello"),
        vec!["current|@latest|10", "-|hello-00002|90"]
    );
}

#[test]
fn canary_with_a_new_revision() {
    let c = Cluster::start();
    c.run(&format!("service create canary --image {IMAGE} --env V=1"))
        .ok();
    // One revision routed: 10% to the coming revision, the rest stays where it was.
    c.run("service update canary --env V=2 --traffic @latest=10")
        .ok();
    assert_eq!(
        traffic(&c, "canary"),
        vec!["-|@latest|10", "-|canary-00001|90"]
    );
    let status = served_traffic(&c.stored_service("canary"));
    assert_eq!(
        status,
        vec![
            ("canary-00002".to_string(), 10),
            ("canary-00001".to_string(), 90)
        ]
    );
}

#[test]
fn traffic_errors() {
    let c = two_revisions();
    c.run("service update hello --tag hello-00001=old --no-wait")
        .ok();
    let before: Value = c.stored_service("hello")["spec"].clone();
    for (name, args, code) in [
        (
            "traffic_sum_over_100",
            vec!["--traffic", "old=60,@latest=60"],
            2,
        ),
        (
            "traffic_repeated_ref",
            vec!["--traffic", "old=10,old=20"],
            2,
        ),
        ("traffic_bad_percent", vec!["--traffic", "old=ten"], 2),
        ("traffic_out_of_range", vec!["--traffic", "old=101"], 2),
        ("traffic_malformed", vec!["--traffic", "old=1=2"], 2),
        ("tag_latest_twice", vec!["--tag", "@latest=a,@latest=b"], 2),
        ("untag_missing", vec!["--untag", "nope,gone"], 1),
        (
            "tag_taken_by_other_revision",
            vec!["--tag", "hello-00002=old"],
            1,
        ),
        ("tag_latest_taken", vec!["--tag", "@latest=old"], 1),
        (
            "remainder_none_left",
            vec!["--traffic", "old=10,@latest=10"],
            1,
        ),
        (
            "traffic_unknown_revision",
            vec!["--traffic", "old=50,nope=50"],
            1,
        ),
        ("tag_unknown_revision", vec!["--tag", "nope=x"], 1),
    ] {
        let mut full = vec!["service", "update", "hello"];
        full.extend(args);
        let run = c.knit(&full);
        assert_eq!(run.code, code, "{name}: {}", run.text());
        assert_settled!(name, run);
    }
    // Nothing was written by any of them.
    assert_eq!(c.stored_service("hello")["spec"], before);
}

#[test]
fn retagging_latest_needs_untag() {
    let c = Cluster::start();
    create_tagged_v1(&c, "re");
    assert_settled!(
        "retag_latest_refused",
        c.knit(&["service", "update", "re", "--tag", "@latest=v2"])
    );
    c.run("service update re --untag v1 --tag @latest=v2 --no-wait")
        .ok();
    assert_eq!(traffic(&c, "re"), vec!["v2|@latest|100"]);
}
