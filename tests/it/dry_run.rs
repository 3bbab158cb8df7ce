//! `--dry-run=client|server` and `--diff` on write commands against the emulator: what is
//! printed, the exit codes, and that the emulator's store is left exactly as it was.

use crate::common;

use std::collections::BTreeMap;

use common::Cluster;
use knit_emulator::resource::GroupResource;

const EVENTING: &str = "eventing.knative.dev";
const SERVING: &str = "serving.knative.dev";

/// Every stored object of the kinds these tests touch, by `resource/namespace/name`, with what
/// any write by knit would change: its uid (a re-create), its generation (a spec change; the
/// controllers keep writing status and labels, which leaves it alone) or, for kinds without a
/// generation (Secrets, which no controller writes), its resourceVersion, and a deletion mark.
fn store(cluster: &Cluster) -> BTreeMap<String, String> {
    let kinds = [
        (SERVING, "services"),
        (SERVING, "configurations"),
        (SERVING, "revisions"),
        (SERVING, "routes"),
        (SERVING, "domainmappings"),
        (EVENTING, "brokers"),
        (EVENTING, "triggers"),
        (EVENTING, "eventtypes"),
        ("sources.knative.dev", "pingsources"),
        ("sources.knative.dev", "apiserversources"),
        ("sources.knative.dev", "containersources"),
        ("sources.knative.dev", "sinkbindings"),
        ("messaging.knative.dev", "channels"),
        ("messaging.knative.dev", "subscriptions"),
        ("", "secrets"),
    ];
    let api = cluster.api();
    let mut out = BTreeMap::new();
    for (group, resource) in kinds {
        for object in api.list(&GroupResource::new(group, resource), "") {
            let meta = &object["metadata"];
            let version = match meta.get("generation") {
                Some(generation) => format!("generation {generation}"),
                None => format!("resourceVersion {}", meta["resourceVersion"]),
            };
            out.insert(
                format!(
                    "{resource}/{}/{}",
                    meta["namespace"].as_str().unwrap_or_default(),
                    meta["name"].as_str().unwrap_or_default()
                ),
                format!(
                    "uid {} {version} deleting {}",
                    meta["uid"],
                    meta.get("deletionTimestamp").is_some()
                ),
            );
        }
    }
    out
}

/// Runs knit and asserts the store did not change.
fn unchanged(cluster: &Cluster, args: &[&str]) -> String {
    let before = store(cluster);
    let out = cluster.knit(args);
    assert_eq!(store(cluster), before, "knit {args:?} changed the store");
    out.snapshot()
}

#[test]
fn broker() {
    let cluster = Cluster::start();
    insta::assert_snapshot!(
        "broker_create_b1_dry_run_client",
        unchanged(&cluster, &["broker", "create", "b1", "--dry-run=client"])
    );
    insta::assert_snapshot!(
        "broker_create_b1_dry_run_server_retry_3",
        unchanged(
            &cluster,
            &[
                "broker",
                "create",
                "b1",
                "--dry-run",
                "server",
                "--retry",
                "3"
            ]
        )
    );
    insta::assert_snapshot!(
        "broker_create_b1_dry_run_client_o_name",
        unchanged(
            &cluster,
            &["broker", "create", "b1", "--dry-run=client", "-o", "name"]
        )
    );
    insta::assert_snapshot!(
        "broker_create_b1_diff",
        unchanged(&cluster, &["broker", "create", "b1", "--diff"])
    );

    cluster.knit(&["broker", "create", "b1"]).ok();
    cluster.until_ready(EVENTING, "brokers", "default", "b1");
    insta::assert_snapshot!(
        "broker_update_b1_retry_5_dry_run_client_o_json",
        unchanged(
            &cluster,
            &[
                "broker",
                "update",
                "b1",
                "--retry",
                "5",
                "--dry-run=client",
                "-o",
                "json"
            ]
        )
    );
    insta::assert_snapshot!(
        "broker_update_b1_retry_5_dry_run_server",
        unchanged(
            &cluster,
            &["broker", "update", "b1", "--retry", "5", "--dry-run=server"]
        )
    );
    insta::assert_snapshot!(
        "broker_update_b1_retry_5_diff",
        unchanged(
            &cluster,
            &["broker", "update", "b1", "--retry", "5", "--diff"]
        )
    );
    insta::assert_snapshot!(
        "broker_delete_b1_dry_run_client",
        unchanged(&cluster, &["broker", "delete", "b1", "--dry-run=client"])
    );
    insta::assert_snapshot!(
        "broker_delete_b1_dry_run_server",
        unchanged(&cluster, &["broker", "delete", "b1", "--dry-run=server"])
    );
    insta::assert_snapshot!(
        "broker_delete_b1_diff",
        unchanged(&cluster, &["broker", "delete", "b1", "--diff"])
    );
    insta::assert_snapshot!(
        "broker_delete_nope_dry_run_server",
        unchanged(&cluster, &["broker", "delete", "nope", "--dry-run=server"])
    );
    insta::assert_snapshot!(
        "broker_create_b1_dry_run_server",
        unchanged(&cluster, &["broker", "create", "b1", "--dry-run=server"])
    );
}

#[test]
fn flag_misuse_is_a_usage_error() {
    let cluster = Cluster::start();
    insta::assert_snapshot!(
        "broker_create_b1_dry_run",
        unchanged(&cluster, &["broker", "create", "b1", "--dry-run"])
    );
    insta::assert_snapshot!(
        "broker_create_b1_dry_run_yes",
        unchanged(&cluster, &["broker", "create", "b1", "--dry-run=yes"])
    );
    insta::assert_snapshot!(
        "broker_create_b1_o_yaml",
        unchanged(&cluster, &["broker", "create", "b1", "-o", "yaml"])
    );
    insta::assert_snapshot!(
        "broker_create_b1_dry_run_client_o_wide",
        unchanged(
            &cluster,
            &["broker", "create", "b1", "--dry-run=client", "-o", "wide"]
        )
    );
}

#[test]
fn service() {
    let cluster = Cluster::start();
    let image = "gcr.io/knative-samples/helloworld-go";
    insta::assert_snapshot!(
        "service_create_client",
        unchanged(
            &cluster,
            &[
                "service",
                "create",
                "hello",
                "--image",
                image,
                "--dry-run=client"
            ]
        )
    );
    insta::assert_snapshot!(
        "service_create_server",
        unchanged(
            &cluster,
            &[
                "service",
                "create",
                "hello",
                "--image",
                image,
                "--dry-run=server"
            ]
        )
    );
    insta::assert_snapshot!(
        "service_create_diff",
        unchanged(
            &cluster,
            &["service", "create", "hello", "--image", image, "--diff"]
        )
    );
    // The webhook's validation runs in a server dry run, with the message a real create shows.
    insta::assert_snapshot!(
        "service_create_server_invalid",
        unchanged(
            &cluster,
            &[
                "service",
                "create",
                "hello",
                "--image",
                image,
                "--concurrency-limit",
                "5000",
                "--dry-run=server"
            ]
        )
    );
    insta::assert_snapshot!(
        "service_create_target",
        unchanged(
            &cluster,
            &[
                "service",
                "create",
                "hello",
                "--image",
                image,
                "--dry-run=client",
                "--target",
                "/tmp"
            ]
        )
    );

    cluster.ready_service("default", "hello", image);
    insta::assert_snapshot!(
        "service_update_client",
        unchanged(
            &cluster,
            &[
                "service",
                "update",
                "hello",
                "--env",
                "A=B",
                "--dry-run=client"
            ]
        )
    );
    insta::assert_snapshot!(
        "service_update_server",
        unchanged(
            &cluster,
            &[
                "service",
                "update",
                "hello",
                "--env",
                "A=B",
                "--dry-run=server",
                "-o",
                "json"
            ]
        )
    );
    insta::assert_snapshot!(
        "service_update_diff",
        unchanged(
            &cluster,
            &["service", "update", "hello", "--env", "A=B", "--diff"]
        )
    );
    insta::assert_snapshot!(
        "service_update_client_diff",
        unchanged(
            &cluster,
            &[
                "service",
                "update",
                "hello",
                "--env",
                "A=B",
                "--diff",
                "--dry-run=client"
            ]
        )
    );
    insta::assert_snapshot!(
        "service_update_server_invalid",
        unchanged(
            &cluster,
            &[
                "service",
                "update",
                "hello",
                "--concurrency-limit",
                "5000",
                "--dry-run=server"
            ]
        )
    );
    insta::assert_snapshot!(
        "service_create_force_diff",
        unchanged(
            &cluster,
            &[
                "service",
                "create",
                "hello",
                "--image",
                "gcr.io/knative-samples/other",
                "--force",
                "--diff"
            ]
        )
    );
    insta::assert_snapshot!(
        "service_create_exists",
        unchanged(
            &cluster,
            &[
                "service",
                "create",
                "hello",
                "--image",
                image,
                "--dry-run=server"
            ]
        )
    );
    cluster
        .knit(&["service", "update", "hello", "--env", "A=B"])
        .ok();
    insta::assert_snapshot!(
        "service_update_no_change_diff",
        unchanged(
            &cluster,
            &["service", "update", "hello", "--env", "A=B", "--diff"]
        )
    );
    insta::assert_snapshot!(
        "service_delete_client",
        unchanged(
            &cluster,
            &["service", "delete", "hello", "--dry-run=client"]
        )
    );
    insta::assert_snapshot!(
        "service_delete_server",
        unchanged(
            &cluster,
            &["service", "delete", "hello", "nope", "--dry-run=server"]
        )
    );
    insta::assert_snapshot!(
        "service_delete_all_diff",
        unchanged(&cluster, &["service", "delete", "--all", "--diff"])
    );
}

#[test]
fn trigger_and_sources() {
    let cluster = Cluster::start();
    cluster.knit(&["broker", "create", "default"]).ok();
    let sink = ["--sink", "https://sink.example.com"];
    let with = |args: &[&'static str]| -> Vec<&'static str> { [args, &sink[..]].concat() };
    insta::assert_snapshot!(
        "trigger_create_client",
        unchanged(
            &cluster,
            &with(&[
                "trigger",
                "create",
                "t1",
                "--filter",
                "type=x",
                "--dry-run=client"
            ])
        )
    );
    insta::assert_snapshot!(
        "trigger_create_server",
        unchanged(
            &cluster,
            &with(&["trigger", "create", "t1", "--dry-run=server"])
        )
    );
    insta::assert_snapshot!(
        "ping_create_client",
        unchanged(
            &cluster,
            &with(&[
                "source",
                "ping",
                "create",
                "p1",
                "--schedule",
                "* * * * *",
                "--dry-run=client"
            ])
        )
    );
    insta::assert_snapshot!(
        "ping_create_server",
        unchanged(
            &cluster,
            &with(&[
                "source",
                "ping",
                "create",
                "p1",
                "--schedule",
                "* * * * *",
                "--dry-run=server"
            ])
        )
    );
    // The PingSource webhook checks the schedule.
    insta::assert_snapshot!(
        "ping_create_server_invalid",
        unchanged(
            &cluster,
            &with(&[
                "source",
                "ping",
                "create",
                "p1",
                "--schedule",
                "every minute",
                "--dry-run=server"
            ])
        )
    );
    insta::assert_snapshot!(
        "apiserver_create_server",
        unchanged(
            &cluster,
            &with(&[
                "source",
                "apiserver",
                "create",
                "a1",
                "--resource",
                "Event:v1",
                "--service-account",
                "sa",
                "--dry-run=server",
                "-o",
                "name"
            ])
        )
    );
    insta::assert_snapshot!(
        "container_create_client",
        unchanged(
            &cluster,
            &with(&[
                "source",
                "container",
                "create",
                "c1",
                "--image",
                "img",
                "--dry-run=client",
                "-o",
                "name"
            ])
        )
    );
    insta::assert_snapshot!(
        "binding_create_server",
        unchanged(
            &cluster,
            &with(&[
                "source",
                "binding",
                "create",
                "b1",
                "--subject",
                "Job:batch/v1:myjob",
                "--dry-run=server",
                "-o",
                "name"
            ])
        )
    );
    insta::assert_snapshot!(
        "channel_create_server",
        unchanged(
            &cluster,
            &["channel", "create", "ch", "--dry-run=server", "-o", "name"]
        )
    );
    insta::assert_snapshot!(
        "eventtype_create_server",
        unchanged(
            &cluster,
            &[
                "eventtype",
                "create",
                "et",
                "--type",
                "x.y",
                "--dry-run=server",
                "-o",
                "name"
            ]
        )
    );

    cluster.knit(&with(&["trigger", "create", "t1"])).ok();
    cluster
        .knit(&with(&[
            "source",
            "ping",
            "create",
            "p1",
            "--schedule",
            "* * * * *",
        ]))
        .ok();
    cluster
        .knit(&with(&[
            "source",
            "apiserver",
            "create",
            "a1",
            "--resource",
            "Event:v1",
            "--service-account",
            "sa",
        ]))
        .ok();
    cluster
        .knit(&with(&[
            "source",
            "container",
            "create",
            "c1",
            "--image",
            "img",
        ]))
        .ok();
    cluster
        .knit(&with(&[
            "source",
            "binding",
            "create",
            "b1",
            "--subject",
            "Job:batch/v1:myjob",
        ]))
        .ok();
    cluster.knit(&["channel", "create", "ch"]).ok();
    cluster
        .knit(&[
            "subscription",
            "create",
            "sub",
            "--channel",
            "ch",
            "--sink",
            "https://sink.example.com",
        ])
        .ok();
    cluster
        .knit(&["eventtype", "create", "et", "--type", "x.y"])
        .ok();
    cluster.until_ready(EVENTING, "triggers", "default", "t1");
    cluster.until_ready("sources.knative.dev", "pingsources", "default", "p1");

    insta::assert_snapshot!(
        "trigger_update_diff",
        unchanged(
            &cluster,
            &["trigger", "update", "t1", "--filter", "type=y", "--diff"]
        )
    );
    insta::assert_snapshot!(
        "trigger_update_client",
        unchanged(
            &cluster,
            &[
                "trigger",
                "update",
                "t1",
                "--filter",
                "type=y",
                "--dry-run=client",
                "-o",
                "name"
            ]
        )
    );
    insta::assert_snapshot!(
        "trigger_delete_server",
        unchanged(&cluster, &["trigger", "delete", "t1", "--dry-run=server"])
    );
    insta::assert_snapshot!(
        "ping_update_diff",
        unchanged(
            &cluster,
            &["source", "ping", "update", "p1", "--data", "hi", "--diff"]
        )
    );
    insta::assert_snapshot!(
        "ping_update_diff_invalid",
        unchanged(
            &cluster,
            &[
                "source",
                "ping",
                "update",
                "p1",
                "--schedule",
                "every minute",
                "--diff"
            ]
        )
    );
    insta::assert_snapshot!(
        "ping_update_client",
        unchanged(
            &cluster,
            &[
                "source",
                "ping",
                "update",
                "p1",
                "--data",
                "hi",
                "--dry-run=client",
                "-o",
                "name"
            ]
        )
    );
    insta::assert_snapshot!(
        "ping_delete_client",
        unchanged(
            &cluster,
            &["source", "ping", "delete", "p1", "--dry-run=client"]
        )
    );
    insta::assert_snapshot!(
        "ping_delete_server",
        unchanged(
            &cluster,
            &["source", "ping", "delete", "p1", "--dry-run=server"]
        )
    );
    for (noun, name, update) in [
        (
            &["source", "apiserver"][..],
            "a1",
            &["--service-account", "other"][..],
        ),
        (&["source", "container"][..], "c1", &["--image", "img2"][..]),
        (
            &["source", "binding"][..],
            "b1",
            &["--sink", "https://other.example.com"][..],
        ),
        (
            &["subscription"][..],
            "sub",
            &["--sink", "https://other.example.com"][..],
        ),
    ] {
        let run = |verb: &'static str, rest: &[&str]| {
            let args: Vec<&str> = [noun, &[verb, name], rest].concat();
            unchanged(&cluster, &args)
        };
        let tag = noun.join("_");
        insta::assert_snapshot!(
            format!("{tag}_update_server"),
            run(
                "update",
                &[update, &["--dry-run=server", "-o", "name"]].concat()
            )
        );
        insta::assert_snapshot!(
            format!("{tag}_delete_server"),
            run("delete", &["--dry-run=server"])
        );
    }
    insta::assert_snapshot!(
        "channel_delete_server",
        unchanged(&cluster, &["channel", "delete", "ch", "--dry-run=server"])
    );
    insta::assert_snapshot!(
        "eventtype_delete_client",
        unchanged(&cluster, &["eventtype", "delete", "et", "--dry-run=client"])
    );
    insta::assert_snapshot!(
        "eventtype_delete_missing",
        unchanged(
            &cluster,
            &["eventtype", "delete", "nope", "--dry-run=client"]
        )
    );
}

#[test]
fn domain_and_secret() {
    let cluster = Cluster::start();
    cluster.autocreate_domain_claims();
    let image = "gcr.io/knative-samples/helloworld-go";
    cluster.ready_service("default", "hello", image);
    cluster.ready_service("default", "other", image);
    insta::assert_snapshot!(
        "domain_create_client",
        unchanged(
            &cluster,
            &[
                "domain",
                "create",
                "hello.example.org",
                "--ref",
                "hello",
                "--dry-run=client"
            ]
        )
    );
    insta::assert_snapshot!(
        "domain_create_server",
        unchanged(
            &cluster,
            &[
                "domain",
                "create",
                "hello.example.org",
                "--ref",
                "hello",
                "--dry-run=server"
            ]
        )
    );
    insta::assert_snapshot!(
        "domain_create_server_missing_ref",
        unchanged(
            &cluster,
            &[
                "domain",
                "create",
                "hello.example.org",
                "--ref",
                "ksvc:hello:kube-system",
                "--dry-run=server"
            ]
        )
    );
    cluster
        .knit(&["domain", "create", "hello.example.org", "--ref", "hello"])
        .ok();
    cluster.until_ready(SERVING, "domainmappings", "default", "hello.example.org");
    insta::assert_snapshot!(
        "domain_update_diff",
        unchanged(
            &cluster,
            &[
                "domain",
                "update",
                "hello.example.org",
                "--ref",
                "other",
                "--diff"
            ]
        )
    );
    insta::assert_snapshot!(
        "domain_update_client",
        unchanged(
            &cluster,
            &[
                "domain",
                "update",
                "hello.example.org",
                "--ref",
                "other",
                "--dry-run=client",
                "-o",
                "name"
            ]
        )
    );
    insta::assert_snapshot!(
        "domain_update_server",
        unchanged(
            &cluster,
            &[
                "domain",
                "update",
                "hello.example.org",
                "--ref",
                "other",
                "--dry-run=server",
                "-o",
                "name"
            ]
        )
    );
    insta::assert_snapshot!(
        "domain_delete_client",
        unchanged(
            &cluster,
            &["domain", "delete", "hello.example.org", "--dry-run=client"]
        )
    );
    insta::assert_snapshot!(
        "domain_delete_server",
        unchanged(
            &cluster,
            &["domain", "delete", "hello.example.org", "--dry-run=server"]
        )
    );

    insta::assert_snapshot!(
        "secret_create_client",
        unchanged(
            &cluster,
            &[
                "secret",
                "create",
                "creds",
                "--from-literal",
                "user=admin",
                "--dry-run=client"
            ]
        )
    );
    insta::assert_snapshot!(
        "secret_create_server",
        unchanged(
            &cluster,
            &[
                "secret",
                "create",
                "creds",
                "--from-literal",
                "user=admin",
                "--dry-run=server",
                "-o",
                "json"
            ]
        )
    );
    cluster
        .knit(&["secret", "create", "creds", "--from-literal", "user=admin"])
        .ok();
    insta::assert_snapshot!(
        "secret_create_exists",
        unchanged(
            &cluster,
            &[
                "secret",
                "create",
                "creds",
                "--from-literal",
                "user=admin",
                "--dry-run=server"
            ]
        )
    );
    insta::assert_snapshot!(
        "secret_delete_client",
        unchanged(&cluster, &["secret", "delete", "creds", "--dry-run=client"])
    );
    insta::assert_snapshot!(
        "secret_delete_server",
        unchanged(&cluster, &["secret", "delete", "creds", "--dry-run=server"])
    );
    insta::assert_snapshot!(
        "secret_delete_diff",
        unchanged(&cluster, &["secret", "delete", "creds", "--diff"])
    );

    // revision delete and service import
    insta::assert_snapshot!(
        "revision_delete_server",
        unchanged(
            &cluster,
            &["revision", "delete", "hello-00001", "--dry-run=server"]
        )
    );
    insta::assert_snapshot!(
        "revision_delete_client",
        unchanged(
            &cluster,
            &[
                "revision",
                "delete",
                "hello-00001",
                "nope",
                "--dry-run=client"
            ]
        )
    );
    let export = cluster
        .knit(&["service", "export", "hello", "-o", "yaml"])
        .ok()
        .stdout
        .clone();
    let file = cluster.home().join("hello.yaml");
    std::fs::write(&file, export.replace("name: hello\n", "name: imported\n")).unwrap();
    insta::assert_snapshot!(
        "service_import_server",
        unchanged(
            &cluster,
            &[
                "service",
                "import",
                file.to_str().unwrap(),
                "--dry-run=server",
                "-o",
                "name"
            ]
        )
    );
}

#[test]
fn delete_with_output() {
    let cluster = Cluster::start();
    cluster
        .knit(&["secret", "create", "creds", "--from-literal", "user=admin"])
        .ok();
    insta::assert_snapshot!(
        "secret_delete_client_name",
        unchanged(
            &cluster,
            &[
                "secret",
                "delete",
                "creds",
                "--dry-run=client",
                "-o",
                "name"
            ]
        )
    );
    insta::assert_snapshot!(
        "secret_delete_server_yaml",
        unchanged(
            &cluster,
            &[
                "secret",
                "delete",
                "creds",
                "--dry-run=server",
                "-o",
                "yaml"
            ]
        )
    );
}

/// The diff is coloured when colour is forced (as on a terminal), and never with `NO_COLOR`
/// (the harness sets it; empty means unset).
#[test]
fn diff_colour() {
    let cluster = Cluster::start();
    cluster
        .knit(&["secret", "create", "creds", "--from-literal", "user=admin"])
        .ok();
    let args = ["secret", "delete", "creds", "--diff"];
    let forced = cluster.knit_with(&args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "")], None);
    assert_eq!(forced.code, 1);
    assert!(
        forced
            .stdout
            .starts_with("\u{1b}[1m--- secret/creds (live)\u{1b}[0m\n"),
        "{forced:?}"
    );
    assert!(
        forced
            .stdout
            .contains("\n\u{1b}[31m-kind: Secret\u{1b}[0m\n")
    );
    let plain = cluster.knit_with(&args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], None);
    assert_eq!(plain.code, 1);
    assert!(plain.stdout.starts_with("--- secret/creds (live)\n"));
    assert!(!plain.stdout.contains('\u{1b}'), "{plain:?}");
}
