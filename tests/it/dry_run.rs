//! `--dry-run=client|server` and `--diff` on write commands against the emulator: what is
//! printed, the exit codes, and that the emulator's store is left exactly as it was.

use crate::common;

use std::collections::BTreeMap;

use common::{Cluster, argv};
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

/// Runs each case (a snapshot name and knit's command line) with `unchanged` and snapshots its
/// outcome under that name.
fn snapshots_unchanged(cluster: &Cluster, cases: &[(&str, &str)]) {
    for (name, line) in cases {
        insta::assert_snapshot!(*name, unchanged(cluster, &argv(line)));
    }
}

#[test]
fn broker() {
    let cluster = Cluster::start();
    snapshots_unchanged(
        &cluster,
        &[
            (
                "broker_create_b1_dry_run_client",
                "broker create b1 --dry-run=client",
            ),
            (
                "broker_create_b1_dry_run_server_retry_3",
                "broker create b1 --dry-run server --retry 3",
            ),
            (
                "broker_create_b1_dry_run_client_o_name",
                "broker create b1 --dry-run=client -o name",
            ),
            ("broker_create_b1_diff", "broker create b1 --diff"),
        ],
    );

    cluster.knit(&["broker", "create", "b1"]).ok();
    cluster.until_ready(EVENTING, "brokers", "default", "b1");
    snapshots_unchanged(
        &cluster,
        &[
            (
                "broker_update_b1_retry_5_dry_run_client_o_json",
                "broker update b1 --retry 5 --dry-run=client -o json",
            ),
            (
                "broker_update_b1_retry_5_dry_run_server",
                "broker update b1 --retry 5 --dry-run=server",
            ),
            (
                "broker_update_b1_retry_5_diff",
                "broker update b1 --retry 5 --diff",
            ),
            (
                "broker_delete_b1_dry_run_client",
                "broker delete b1 --dry-run=client",
            ),
            (
                "broker_delete_b1_dry_run_server",
                "broker delete b1 --dry-run=server",
            ),
            ("broker_delete_b1_diff", "broker delete b1 --diff"),
            (
                "broker_delete_nope_dry_run_server",
                "broker delete nope --dry-run=server",
            ),
            (
                "broker_create_b1_dry_run_server",
                "broker create b1 --dry-run=server",
            ),
        ],
    );
}

#[test]
fn flag_misuse_is_a_usage_error() {
    let cluster = Cluster::start();
    snapshots_unchanged(
        &cluster,
        &[
            ("broker_create_b1_dry_run", "broker create b1 --dry-run"),
            (
                "broker_create_b1_dry_run_yes",
                "broker create b1 --dry-run=yes",
            ),
            ("broker_create_b1_o_yaml", "broker create b1 -o yaml"),
            (
                "broker_create_b1_dry_run_client_o_wide",
                "broker create b1 --dry-run=client -o wide",
            ),
        ],
    );
}

#[test]
fn service() {
    let cluster = Cluster::start();
    let image = "gcr.io/knative-samples/helloworld-go";
    snapshots_unchanged(
        &cluster,
        &[
            (
                "service_create_client",
                "service create hello --image gcr.io/knative-samples/helloworld-go --dry-run=client",
            ),
            (
                "service_create_server",
                "service create hello --image gcr.io/knative-samples/helloworld-go --dry-run=server",
            ),
            (
                "service_create_diff",
                "service create hello --image gcr.io/knative-samples/helloworld-go --diff",
            ),
        ],
    );
    // The webhook's validation runs in a server dry run, with the message a real create shows.
    snapshots_unchanged(
        &cluster,
        &[
            (
                "service_create_server_invalid",
                "service create hello --image gcr.io/knative-samples/helloworld-go --concurrency-limit 5000 --dry-run=server",
            ),
            (
                "service_create_target",
                "service create hello --image gcr.io/knative-samples/helloworld-go --dry-run=client --target /tmp",
            ),
        ],
    );

    cluster.ready_service("default", "hello", image);
    snapshots_unchanged(
        &cluster,
        &[
            (
                "service_update_client",
                "service update hello --env A=B --dry-run=client",
            ),
            (
                "service_update_server",
                "service update hello --env A=B --dry-run=server -o json",
            ),
            (
                "service_update_diff",
                "service update hello --env A=B --diff",
            ),
            (
                "service_update_client_diff",
                "service update hello --env A=B --diff --dry-run=client",
            ),
            (
                "service_update_server_invalid",
                "service update hello --concurrency-limit 5000 --dry-run=server",
            ),
            (
                "service_create_force_diff",
                "service create hello --image gcr.io/knative-samples/other --force --diff",
            ),
            (
                "service_create_exists",
                "service create hello --image gcr.io/knative-samples/helloworld-go --dry-run=server",
            ),
        ],
    );
    cluster
        .knit(&["service", "update", "hello", "--env", "A=B"])
        .ok();
    snapshots_unchanged(
        &cluster,
        &[
            (
                "service_update_no_change_diff",
                "service update hello --env A=B --diff",
            ),
            (
                "service_delete_client",
                "service delete hello --dry-run=client",
            ),
            (
                "service_delete_server",
                "service delete hello nope --dry-run=server",
            ),
            ("service_delete_all_diff", "service delete --all --diff"),
        ],
    );
}

#[test]
fn trigger_and_sources() {
    let cluster = Cluster::start();
    cluster.knit(&["broker", "create", "default"]).ok();
    let sink = ["--sink", "https://sink.example.com"];
    let with = |args: &[&'static str]| -> Vec<&'static str> { [args, &sink[..]].concat() };
    snapshots_unchanged(
        &cluster,
        &[
            (
                "trigger_create_client",
                "trigger create t1 --filter type=x --dry-run=client --sink https://sink.example.com",
            ),
            (
                "trigger_create_server",
                "trigger create t1 --dry-run=server --sink https://sink.example.com",
            ),
            (
                "ping_create_client",
                "source ping create p1 --schedule '* * * * *' --dry-run=client --sink https://sink.example.com",
            ),
            (
                "ping_create_server",
                "source ping create p1 --schedule '* * * * *' --dry-run=server --sink https://sink.example.com",
            ),
        ],
    );
    // The PingSource webhook checks the schedule.
    snapshots_unchanged(
        &cluster,
        &[
            (
                "ping_create_server_invalid",
                "source ping create p1 --schedule 'every minute' --dry-run=server --sink https://sink.example.com",
            ),
            (
                "apiserver_create_server",
                "source apiserver create a1 --resource Event:v1 --service-account sa --dry-run=server -o name --sink https://sink.example.com",
            ),
            (
                "container_create_client",
                "source container create c1 --image img --dry-run=client -o name --sink https://sink.example.com",
            ),
            (
                "binding_create_server",
                "source binding create b1 --subject Job:batch/v1:myjob --dry-run=server -o name --sink https://sink.example.com",
            ),
            (
                "channel_create_server",
                "channel create ch --dry-run=server -o name",
            ),
            (
                "eventtype_create_server",
                "eventtype create et --type x.y --dry-run=server -o name",
            ),
        ],
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
        .run("subscription create sub --channel ch --sink https://sink.example.com")
        .ok();
    cluster
        .knit(&["eventtype", "create", "et", "--type", "x.y"])
        .ok();
    cluster.until_ready(EVENTING, "triggers", "default", "t1");
    cluster.until_ready("sources.knative.dev", "pingsources", "default", "p1");

    snapshots_unchanged(
        &cluster,
        &[
            (
                "trigger_update_diff",
                "trigger update t1 --filter type=y --diff",
            ),
            (
                "trigger_update_client",
                "trigger update t1 --filter type=y --dry-run=client -o name",
            ),
            (
                "trigger_delete_server",
                "trigger delete t1 --dry-run=server",
            ),
            ("ping_update_diff", "source ping update p1 --data hi --diff"),
            (
                "ping_update_diff_invalid",
                "source ping update p1 --schedule 'every minute' --diff",
            ),
            (
                "ping_update_client",
                "source ping update p1 --data hi --dry-run=client -o name",
            ),
            (
                "ping_delete_client",
                "source ping delete p1 --dry-run=client",
            ),
            (
                "ping_delete_server",
                "source ping delete p1 --dry-run=server",
            ),
        ],
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
    snapshots_unchanged(
        &cluster,
        &[
            (
                "channel_delete_server",
                "channel delete ch --dry-run=server",
            ),
            (
                "eventtype_delete_client",
                "eventtype delete et --dry-run=client",
            ),
            (
                "eventtype_delete_missing",
                "eventtype delete nope --dry-run=client",
            ),
        ],
    );
}

#[test]
fn domain_and_secret() {
    let cluster = Cluster::start();
    cluster.autocreate_domain_claims();
    let image = "gcr.io/knative-samples/helloworld-go";
    cluster.ready_service("default", "hello", image);
    cluster.ready_service("default", "other", image);
    snapshots_unchanged(
        &cluster,
        &[
            (
                "domain_create_client",
                "domain create hello.example.org --ref hello --dry-run=client",
            ),
            (
                "domain_create_server",
                "domain create hello.example.org --ref hello --dry-run=server",
            ),
            (
                "domain_create_server_missing_ref",
                "domain create hello.example.org --ref ksvc:hello:kube-system --dry-run=server",
            ),
        ],
    );
    cluster
        .knit(&["domain", "create", "hello.example.org", "--ref", "hello"])
        .ok();
    cluster.until_ready(SERVING, "domainmappings", "default", "hello.example.org");
    snapshots_unchanged(
        &cluster,
        &[
            (
                "domain_update_diff",
                "domain update hello.example.org --ref other --diff",
            ),
            (
                "domain_update_client",
                "domain update hello.example.org --ref other --dry-run=client -o name",
            ),
            (
                "domain_update_server",
                "domain update hello.example.org --ref other --dry-run=server -o name",
            ),
            (
                "domain_delete_client",
                "domain delete hello.example.org --dry-run=client",
            ),
            (
                "domain_delete_server",
                "domain delete hello.example.org --dry-run=server",
            ),
            (
                "secret_create_client",
                "secret create creds --from-literal user=admin --dry-run=client",
            ),
            (
                "secret_create_server",
                "secret create creds --from-literal user=admin --dry-run=server -o json",
            ),
        ],
    );
    cluster
        .knit(&["secret", "create", "creds", "--from-literal", "user=admin"])
        .ok();
    snapshots_unchanged(
        &cluster,
        &[
            (
                "secret_create_exists",
                "secret create creds --from-literal user=admin --dry-run=server",
            ),
            (
                "secret_delete_client",
                "secret delete creds --dry-run=client",
            ),
            (
                "secret_delete_server",
                "secret delete creds --dry-run=server",
            ),
            ("secret_delete_diff", "secret delete creds --diff"),
        ],
    );

    // revision delete and service import
    snapshots_unchanged(
        &cluster,
        &[
            (
                "revision_delete_server",
                "revision delete hello-00001 --dry-run=server",
            ),
            (
                "revision_delete_client",
                "revision delete hello-00001 nope --dry-run=client",
            ),
        ],
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
    snapshots_unchanged(
        &cluster,
        &[
            (
                "secret_delete_client_name",
                "secret delete creds --dry-run=client -o name",
            ),
            (
                "secret_delete_server_yaml",
                "secret delete creds --dry-run=server -o yaml",
            ),
        ],
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
