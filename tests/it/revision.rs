//! `revision list/describe/delete` against the emulator.

use crate::common::{self, assert_snapshot_table};

use common::Cluster;

#[test]
fn list_shows_traffic_and_tags() {
    let cluster = Cluster::start();
    cluster.split_service("default", "hello");
    cluster.ready_service("default", "other", "gcr.io/knative-samples/helloworld-go");
    assert_snapshot_table!(
        cluster,
        &[
            ("list", &["revision", "list"]),
            ("list_service", &["revisions", "ls", "-s", "hello"]),
            (
                "list_one",
                &["revision", "list", "hello-00001", "--no-headers"]
            ),
        ],
    );
    // kn's order in every format: the newest generation first.
    let names = cluster.run("revision list -s hello -o jsonpath={.items[*].metadata.name}");
    assert_eq!(names.ok().stdout, "hello-00002 hello-00001");
    cluster
        .knit(&["revision", "list", "-s", "nope"])
        .assert_stderr(
            1,
            "Error: services.serving.knative.dev \"nope\" not found\nRun 'knit --help' for usage\n",
        );
    cluster.knit(&["revision", "list", "a", "b"]).assert_stderr(2, "Error: 'knit revision list' accepts maximum 1 argument, not 2 arguments as given\nRun 'knit revision list --help' for usage\n");
}

#[test]
fn same_named_services_in_two_namespaces_keep_their_own_traffic() {
    let cluster = Cluster::start();
    cluster.namespace("other");
    cluster.split_service("default", "hello");
    cluster.ready_service("other", "hello", "gcr.io/knative-samples/helloworld-go");
    insta::assert_snapshot!(cluster.knit(&["revision", "list", "-A"]).snapshot());
}

#[test]
fn describe_plain_and_verbose() {
    let cluster = Cluster::start();
    cluster.split_service("default", "hello");
    assert_snapshot_table!(
        cluster,
        &[
            ("describe", &["revision", "describe", "hello-00002"]),
            (
                "describe_verbose",
                &["revision", "describe", "hello-00001", "-v"]
            ),
        ],
    );
    let out = cluster.knit(&[
        "revision",
        "describe",
        "hello-00001",
        "-o",
        "jsonpath={.metadata.labels.serving\\.knative\\.dev/service}",
    ]);
    assert_eq!(out.ok().stdout, "hello");
    cluster.knit(&["revision", "describe"]).assert_stderr(2, "Error: 'knit revision describe' requires name of the revision as single argument\nRun 'knit revision describe --help' for usage\n");
}

#[test]
fn delete_by_name_and_prune() {
    let cluster = Cluster::start();
    cluster.split_service("default", "hello");
    // Routed revisions are never pruned.
    cluster
        .knit(&["revision", "delete", "--prune", "hello"])
        .assert_stdout("No unreferenced revisions found.\n");
    // Route everything to the latest revision: hello-00001 becomes unreferenced.
    cluster.edit_service("default", "hello", |svc| {
        svc["spec"]["traffic"] = serde_json::json!([{"latestRevision": true, "percent": 100}]);
    });
    cluster.knit(&["service", "wait", "hello"]).ok();
    cluster
        .knit(&["revision", "delete", "--prune-all"])
        .assert_stdout("Revision 'hello-00001' deleted in namespace 'default'.\n");
    assert!(
        cluster
            .get("serving.knative.dev", "revisions", "default", "hello-00001")
            .is_none()
    );
    insta::assert_snapshot!(cluster.knit(&["revision", "delete", "hello-00002", "nope", "--wait"]).snapshot(), @r#"
    exit: 1
    --- stdout
    Revision 'hello-00002' deleted in namespace 'default'.
    --- stderr
    Error: revisions.serving.knative.dev "nope" not found
    Run 'knit --help' for usage
    "#);
    cluster.knit(&["revision", "delete"]).assert_stderr(2, "Error: 'knit revision delete' requires one or more revision name\nRun 'knit revision delete --help' for usage\n");
    cluster.knit(&["revision", "delete", "x", "--prune-all"]).assert_stderr(2, "Error: 'knit revision delete' with --prune-all flag requires no arguments\nRun 'knit revision delete --help' for usage\n");
}
