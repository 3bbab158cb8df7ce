//! `service export`/`service import` round trips against the emulator (both modes, traffic
//! mixing `@latest` and named revisions), and interop with the real `kubectl`.

use crate::common::{Cluster, assert_settled, assert_settled_table, kubectl_bin, served_traffic};

use serde_json::{Value, json};

const IMAGE: &str = "gcr.io/knative-samples/helloworld-go";

/// Three revisions; traffic mixes @latest (tagged `current`) with a named, tagged revision.
fn split_service(c: &Cluster) {
    c.run(&format!("service create hello --image {IMAGE} --env V=1"))
        .ok();
    c.knit(&["service", "update", "hello", "--env", "V=2"]).ok();
    c.knit(&["service", "update", "hello", "--env", "V=3"]).ok();
    c.run("service update hello --tag hello-00001=old,@latest=current --traffic old=30,current=70")
        .ok();
}

fn spec_traffic(svc: &Value) -> Value {
    // `latestRevision: false` and an absent one mean the same.
    let mut traffic = svc["spec"]["traffic"].clone();
    for target in traffic.as_array_mut().into_iter().flatten() {
        if target["latestRevision"] == json!(false)
            && let Some(map) = target.as_object_mut()
        {
            map.remove("latestRevision");
        }
    }
    traffic
}

#[test]
fn export_requires_an_output_format_and_a_name() {
    let c = Cluster::start();
    assert_settled_table!(
        c,
        &[
            ("export_no_output", &["service", "export", "hello"]),
            ("export_no_name", &["service", "export", "-o", "yaml"]),
            (
                "export_missing",
                &["service", "export", "nope", "-o", "yaml"]
            ),
        ],
    );
}

#[test]
fn export_of_a_single_revision_service() {
    let c = Cluster::start();
    c.run(&format!(
        "service create hello --image {IMAGE} --env V=1 --no-wait"
    ))
    .ok();
    let run = c.run("service export hello -o yaml --mode replay").ok();
    insta::with_settings!({filters => vec![
        (r"client.knative.dev/updateTimestamp: .*", "client.knative.dev/updateTimestamp: [TIME]"),
    ]}, {
        insta::assert_snapshot!("export_replay_plain", run.stdout);
    });
}

#[test]
fn export_import_round_trip_with_mixed_traffic() {
    let c = Cluster::start();
    split_service(&c);
    let before = c.stored_service("hello");
    let run = c.run("service export hello --with-revisions -o yaml").ok();
    let file = c.write("export.yaml", &run.stdout);
    let exported: Value = serde_saphyr::from_str(&run.stdout).unwrap();
    assert_eq!(exported["kind"], "Export");
    let revisions: Vec<&str> = exported["spec"]["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(revisions, vec!["hello-00001"]);
    assert_eq!(
        exported["spec"]["service"]["spec"]["template"]["metadata"]["name"],
        "hello-00003"
    );

    c.knit(&["service", "delete", "hello", "--wait"]).ok();
    assert_settled!(
        "import",
        c.knit(&["service", "import", file.to_str().unwrap()])
    );
    let after = c.stored_service("hello");
    assert_eq!(spec_traffic(&after), spec_traffic(&before));
    let mut revisions = c.revisions("hello");
    revisions.sort();
    assert_eq!(revisions, vec!["hello-00001", "hello-00003"]);
    let status = served_traffic(&after);
    assert!(
        status.contains(&("hello-00001".to_string(), 30)),
        "{status:?}"
    );
    assert!(
        status.contains(&("hello-00003".to_string(), 70)),
        "{status:?}"
    );
    assert_settled!(
        "import_existing",
        c.knit(&["service", "import", file.to_str().unwrap()])
    );
}

#[test]
fn replay_mode_is_accepted_by_kubectl_apply() {
    if kubectl_bin().is_none() {
        return;
    }
    let c = Cluster::start();
    split_service(&c);
    let run = c
        .run("service export hello --with-revisions --mode replay -o yaml")
        .ok();
    let list: Value = serde_saphyr::from_str(&run.stdout).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    c.knit(&["service", "delete", "hello", "--wait"]).ok();
    // kubectl takes the whole List. It validates a `v1 List` against /openapi/v2, which the
    // emulator does not serve yet; the Services themselves validate (below).
    let checked = c
        .kubectl(
            &["apply", "--validate=false", "--dry-run=server", "-f", "-"],
            &run.stdout,
        )
        .expect("kubectl");
    assert_eq!(checked.code, 0, "kubectl apply failed:\n{}", checked.text());
    // A replay is applied step by step: each step's revision must exist before the next step
    // routes traffic to it. Applied in one go, the Configuration may only ever see the last
    // generation (on a real cluster too) and the traffic names a revision that never comes.
    for step in list["items"].as_array().unwrap() {
        let applied = c
            .kubectl(&["apply", "-f", "-"], &step.to_string())
            .expect("kubectl");
        assert_eq!(applied.code, 0, "kubectl apply failed:\n{}", applied.text());
        c.knit(&["service", "wait", "hello"]).ok();
    }
    let mut revisions = c.revisions("hello");
    revisions.sort();
    assert_eq!(revisions, vec!["hello-00001", "hello-00003"]);
}

#[test]
fn kubectl_reads_a_knit_service_and_applies_a_plain_export() {
    if kubectl_bin().is_none() {
        return;
    }
    let c = Cluster::start();
    c.run(&format!(
        "service create hello --image {IMAGE} --env V=1 --label app=web"
    ))
    .ok();
    let read = c
        .kubectl(&["get", "ksvc", "hello", "-o", "yaml"], "")
        .expect("kubectl");
    assert_eq!(read.code, 0, "{}", read.stderr);
    let got: Value = serde_saphyr::from_str(&read.stdout).unwrap();
    assert_eq!(got["metadata"]["labels"]["app"], "web");
    assert_eq!(
        got["spec"]["template"]["spec"]["containers"][0]["env"],
        json!([{"name": "V", "value": "1"}])
    );
    let export = c.run("service export hello -o yaml --mode replay").ok();
    let applied = c
        .kubectl(&["apply", "-f", "-"], &export.stdout)
        .expect("kubectl");
    assert_eq!(applied.code, 0, "kubectl apply failed:\n{}", applied.text());
    assert!(
        applied.stdout.contains("service.serving.knative.dev/hello"),
        "{}",
        applied.stdout
    );
}
