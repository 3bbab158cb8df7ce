//! `knit service history`: revisions oldest first with traffic, tags and what each changed.

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
