//! `service update --redeploy` (kn issue 398): a new revision even when the spec is unchanged,
//! with the image tag resolved again rather than kept at the digest an earlier update pinned.

use crate::common;

use common::Cluster;
use serde_json::Value;

const IMAGE: &str = "gcr.io/knative-samples/helloworld-go";

fn service(c: &Cluster) -> Value {
    c.get("serving.knative.dev", "services", "default", "hello")
        .expect("service hello")
}

fn generation(c: &Cluster) -> i64 {
    service(c)["metadata"]["generation"].as_i64().unwrap_or(0)
}

fn template_image(c: &Cluster) -> String {
    service(c)["spec"]["template"]["spec"]["containers"][0]["image"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Drops the wait's progress lines: how many appear depends on timing.
fn without_progress(text: &str) -> String {
    text.lines()
        .filter(|line| !line.starts_with("  X.XXXs "))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn redeploy_makes_a_revision_without_a_change_and_resolves_the_tag_again() {
    let c = Cluster::start();
    c.knit(&["service", "create", "hello", "--image", IMAGE])
        .ok();
    c.knit(&["service", "update", "hello", "--env", "A=1"]).ok();
    assert_eq!(generation(&c), 2);
    // An ordinary update pinned the template to the digest the first revision resolved.
    assert!(template_image(&c).starts_with(&format!("{IMAGE}@sha256:")));

    // Without --redeploy an update that changes nothing makes no revision, as before.
    insta::assert_snapshot!(
        "unchanged_update",
        c.knit(&["service", "update", "hello", "--env", "A=1"])
            .snapshot()
    );
    assert_eq!(generation(&c), 2);

    insta::assert_snapshot!(
        "redeploy",
        without_progress(
            &c.knit(&["service", "update", "hello", "--redeploy"])
                .snapshot()
        )
    );
    assert_eq!(generation(&c), 3);
    // The tag goes back into the template, so the server resolves it anew for hello-00003.
    assert_eq!(template_image(&c), IMAGE);
    let svc = service(&c);
    let annotations = &svc["spec"]["template"]["metadata"]["annotations"];
    assert_eq!(annotations["client.knative.dev/user-image"], IMAGE);
    assert_eq!(svc["status"]["latestReadyRevisionName"], "hello-00003");
    let revision = c
        .get("serving.knative.dev", "revisions", "default", "hello-00003")
        .expect("revision hello-00003");
    assert_eq!(revision["spec"]["containers"][0]["image"], IMAGE);

    // Twice in a row (within the same second) still makes one revision each time.
    c.knit(&["service", "update", "hello", "--redeploy", "--no-wait"])
        .ok();
    assert_eq!(generation(&c), 4);

    // Later ordinary updates pin to the digest the redeployed revision resolved, once it has
    // resolved one: the base revision is the latest created, whose digest --no-wait did not await.
    c.knit(&["service", "wait", "hello"]).ok();
    c.knit(&["service", "update", "hello", "--env", "A=2"]).ok();
    assert!(template_image(&c).starts_with(&format!("{IMAGE}@sha256:")));
}

#[test]
fn redeploy_with_other_flags_skips_the_base_revision_pin() {
    let c = Cluster::start();
    c.knit(&["service", "create", "hello", "--image", IMAGE])
        .ok();
    c.knit(&["service", "update", "hello", "--env", "A=1"]).ok();
    c.knit(&["service", "update", "hello", "--env", "B=2", "--redeploy"])
        .ok();
    assert_eq!(generation(&c), 3);
    assert_eq!(template_image(&c), IMAGE);
}

#[test]
fn redeploy_offline_stamps_the_file() {
    let c = Cluster::start();
    let dir = c.home().join("files");
    std::fs::create_dir_all(&dir).expect("dir");
    let target = dir.to_str().expect("utf-8 path");
    c.knit(&[
        "service", "create", "hello", "--image", IMAGE, "--target", target,
    ])
    .ok();
    let out = c.knit(&[
        "service",
        "update",
        "hello",
        "--redeploy",
        "--target",
        target,
    ]);
    insta::assert_snapshot!("redeploy_offline", out.snapshot());
    let file = std::fs::read_to_string(dir.join("default/ksvc/hello.yaml")).expect("service file");
    assert!(
        file.contains("client.knative.dev/updateTimestamp"),
        "{file}"
    );
}
