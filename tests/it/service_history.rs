//! `knit service history`, `service rollback` and `revision diff`: what each revision changed, and going back.

use crate::common::Cluster;

const IMAGE: &str = "ghcr.io/knative/helloworld-go";

#[test]
fn history_lists_every_revision_with_its_change_and_traffic() {
    let c = Cluster::start();
    c.knit(&["service", "create", "web", "--image", IMAGE, "--env", "A=1"])
        .ok();
    c.knit(&["service", "update", "web", "--env", "B=2", "--env", "A-"])
        .ok();
    c.knit(&[
        "service",
        "update",
        "web",
        "--image",
        "ghcr.io/knative/autoscale-go",
        "--scale-min",
        "1",
        "--concurrency-limit",
        "5",
    ])
    .ok();
    c.knit(&["service", "update", "web", "--redeploy"]).ok();
    c.knit(&[
        "service",
        "update",
        "web",
        "--tag",
        "web-00001=old",
        "--traffic",
        "web-00001=20",
        "--traffic",
        "@latest=80",
    ])
    .ok();
    // The table, column by column; AGE varies with the machine's speed (and so its width).
    let table = c.knit(&["service", "history", "web"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let rows: Vec<Vec<&str>> = table
        .stdout
        .lines()
        .map(|l| {
            let mut words: Vec<&str> = l
                .split("  ")
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect();
            words.remove(2);
            words
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            vec![
                "REVISION",
                "GENERATION",
                "TRAFFIC",
                "TAGS",
                "IMAGE",
                "CHANGES"
            ],
            vec!["web-00001", "1", "20%", "old", IMAGE, "created"],
            vec!["web-00002", "2", IMAGE, "env +B -A"],
            vec![
                "web-00003",
                "3",
                "ghcr.io/knative/autoscale-go",
                "image ghcr.io/knative/autoscale-go; min-scale -→1; containerConcurrency 0→5"
            ],
            vec![
                "web-00004",
                "4",
                "80%",
                "ghcr.io/knative/autoscale-go",
                "no change"
            ],
        ]
    );
    let json = c.knit(&["service", "history", "web", "-o", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let entries: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let summary: Vec<(String, i64, serde_json::Value, serde_json::Value)> = entries
        .as_array()
        .expect("array")
        .iter()
        .map(|e| {
            (
                e["revision"].as_str().expect("revision").to_string(),
                e["generation"].as_i64().expect("generation"),
                e["traffic"].clone(),
                e["changes"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "web-00001".into(),
                1,
                20.into(),
                serde_json::json!(["created"])
            ),
            (
                "web-00002".into(),
                2,
                serde_json::Value::Null,
                serde_json::json!(["env +B -A"])
            ),
            (
                "web-00003".into(),
                3,
                serde_json::Value::Null,
                serde_json::json!([
                    "image ghcr.io/knative/autoscale-go",
                    "min-scale -→1",
                    "containerConcurrency 0→5"
                ])
            ),
            (
                "web-00004".into(),
                4,
                80.into(),
                serde_json::json!(["no change"])
            ),
        ]
    );
}

#[test]
fn history_errors_name_what_is_wrong() {
    let c = Cluster::start();
    c.knit(&["service", "history"]).assert_stderr(
        2,
        "Error: 'service history' requires the service name given as single argument\nRun 'knit service history --help' for usage\n",
    );
    c.knit(&["service", "history", "web", "-o", "wide"]).assert_stderr(
        2,
        "Error: invalid --output \"wide\": accepted formats are json and yaml\nRun 'knit service history --help' for usage\n",
    );
    c.knit(&["service", "history", "nosuch"]).assert_stderr(
        1,
        "Error: services.serving.knative.dev \"nosuch\" not found\nRun 'knit --help' for usage\n",
    );
}

/// The service's status.traffic as (revision, percent, tag) triples.
fn traffic(c: &Cluster, name: &str) -> Vec<(String, i64, String)> {
    let svc = c
        .get("serving.knative.dev", "services", "default", name)
        .expect("service");
    svc["status"]["traffic"]
        .as_array()
        .expect("traffic")
        .iter()
        .map(|t| {
            (
                t["revisionName"].as_str().unwrap_or_default().to_string(),
                t["percent"].as_i64().unwrap_or(-1),
                t["tag"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn rollback_sends_all_traffic_back_and_restores_the_template() {
    let c = Cluster::start();
    c.knit(&["service", "create", "web", "--image", IMAGE, "--env", "A=1"])
        .ok();
    c.knit(&[
        "service",
        "update",
        "web",
        "--env",
        "A=2",
        "--tag",
        "web-00001=first",
    ])
    .ok();
    // Only one older revision exists, and nothing is sent for a dry run.
    let diff = c.knit(&[
        "service",
        "rollback",
        "web",
        "--dry-run=client",
        "-o",
        "json",
    ]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    let planned: serde_json::Value = serde_json::from_str(&diff.stdout).expect("json");
    assert_eq!(
        planned["spec"]["traffic"],
        serde_json::json!([
            {"revisionName": "web-00001", "percent": 0, "tag": "first", "latestRevision": false},
            {"revisionName": "web-00001", "percent": 100}
        ])
    );
    assert_eq!(
        traffic(&c, "web"),
        vec![
            ("web-00002".to_string(), 100, String::new()),
            ("web-00001".to_string(), 0, "first".to_string()),
        ]
    );

    let out = c.knit(&["service", "rollback", "web"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with(
        "Rolling back Service 'web' to revision 'web-00001' in namespace 'default':\n\n"
    ));
    assert!(
        out.stdout.ends_with(
            "\nService 'web' rolled back: revision 'web-00001' serves all traffic at URL:\nhttp://web.default.example.com\n"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(
        traffic(&c, "web"),
        vec![
            ("web-00001".to_string(), 0, "first".to_string()),
            ("web-00001".to_string(), 100, String::new()),
        ]
    );
    // The template is web-00001's again: the next revision has A=1.
    let svc = c
        .get("serving.knative.dev", "services", "default", "web")
        .expect("service");
    assert_eq!(
        svc["spec"]["template"]["spec"]["containers"][0]["env"],
        serde_json::json!([{"name": "A", "value": "1"}])
    );
    let history = c.knit(&["service", "history", "web", "-o", "json"]);
    let entries: serde_json::Value = serde_json::from_str(&history.stdout).expect("json");
    assert_eq!(entries[2]["revision"], "web-00003");
    assert_eq!(entries[2]["changes"], serde_json::json!(["env ~A"]));

    // Rolling back again goes to the newest ready revision older than web-00001: none.
    c.knit(&["service", "rollback", "web"]).assert_stderr(
        1,
        "Error: service 'web' has no ready revision older than 'web-00001' to roll back to; name one with --to-revision\nRun 'knit --help' for usage\n",
    );
    c.knit(&["service", "rollback", "web", "--to-revision", "other-00001"])
        .assert_stderr(
            1,
            "Error: revision 'other-00001' is not a revision of service 'web'\nRun 'knit --help' for usage\n",
        );
    let back = c.knit(&[
        "service",
        "rollback",
        "web",
        "--to-revision",
        "web-00002",
        "--no-wait",
    ]);
    // (stderr carries Knative's security-context warning, as for every template write)
    assert_eq!(back.code, 0, "{}", back.stderr);
    assert_eq!(
        back.stdout,
        "Service 'web' rolled back to revision 'web-00002' in namespace 'default'.\n"
    );
}

#[test]
fn revision_diff_shows_what_changed_between_two_templates() {
    let c = Cluster::start();
    c.knit(&["service", "create", "web", "--image", IMAGE, "--env", "A=1"])
        .ok();
    c.knit(&[
        "service",
        "update",
        "web",
        "--env",
        "A=2",
        "--scale-max",
        "3",
    ])
    .ok();
    // The update pinned the image to the digest web-00001 resolved (as kn does): a real change.
    let out = c.knit(&["revision", "diff", "web-00001", "web-00002"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "--- revision/web-00001
+++ revision/web-00002
@@ -1,13 +1,14 @@
 metadata:
   annotations:
+    autoscaling.knative.dev/max-scale: \"3\"
     client.knative.dev/user-image: ghcr.io/knative/helloworld-go
 spec:
   containerConcurrency: 0
   containers:
   - env:
     - name: A
-      value: \"1\"
-    image: ghcr.io/knative/helloworld-go
+      value: \"2\"
+    image: ghcr.io/knative/helloworld-go@sha256:78702514456f33c71bcb0c3491769e96807f9a0c90ea476d01e5803ff90b6235
     name: user-container
     readinessProbe:
       successThreshold: 1
"
    );
    let same = c.knit(&["revision", "diff", "web-00002", "web-00002"]);
    assert_eq!((same.code, same.stdout.as_str()), (0, ""));
    assert_eq!(
        same.stderr,
        "Revisions 'web-00002' and 'web-00002' have the same template.\n"
    );
    c.knit(&["revision", "diff", "web-00001"]).assert_stderr(
        2,
        "Error: 'revision diff' requires two revision names, not 1\nRun 'knit revision diff --help' for usage\n",
    );
    c.knit(&["revision", "diff", "web-00001", "nosuch"]).assert_stderr(
        1,
        "Error: revisions.serving.knative.dev \"nosuch\" not found\nRun 'knit --help' for usage\n",
    );
}
