//! `revision list/describe/delete` against the emulator.

use crate::common;

use common::Cluster;

#[test]
fn list_shows_traffic_and_tags() {
    let cluster = Cluster::start();
    cluster.split_service("default", "hello");
    cluster.ready_service("default", "other", "gcr.io/knative-samples/helloworld-go");
    insta::assert_snapshot!("list", cluster.knit(&["revision", "list"]).snapshot());
    insta::assert_snapshot!(
        "list_service",
        cluster.knit(&["revisions", "ls", "-s", "hello"]).snapshot()
    );
    insta::assert_snapshot!(
        "list_one",
        cluster
            .knit(&["revision", "list", "hello-00001", "--no-headers"])
            .snapshot()
    );
    let names = cluster.knit(&[
        "revision",
        "list",
        "-s",
        "hello",
        "-o",
        "jsonpath={.items[*].metadata.name}",
    ]);
    assert_eq!(names.ok().stdout, "hello-00001 hello-00002");
    insta::assert_snapshot!(cluster.knit(&["revision", "list", "-s", "nope"]).snapshot(), @r#"
    exit: 1
    --- stdout
    --- stderr
    Error: services.serving.knative.dev "nope" not found
    Run 'knit --help' for usage
    "#);
    insta::assert_snapshot!(cluster.knit(&["revision", "list", "a", "b"]).snapshot(), @r"
    exit: 2
    --- stdout
    --- stderr
    Error: 'knit revision list' accepts maximum 1 argument, not 2 arguments as given
    Run 'knit revision list --help' for usage
    ");
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
    insta::assert_snapshot!(
        "describe",
        cluster
            .knit(&["revision", "describe", "hello-00002"])
            .snapshot()
    );
    insta::assert_snapshot!(
        "describe_verbose",
        cluster
            .knit(&["revision", "describe", "hello-00001", "-v"])
            .snapshot()
    );
    let out = cluster.knit(&[
        "revision",
        "describe",
        "hello-00001",
        "-o",
        "jsonpath={.metadata.labels.serving\\.knative\\.dev/service}",
    ]);
    assert_eq!(out.ok().stdout, "hello");
    insta::assert_snapshot!(cluster.knit(&["revision", "describe"]).snapshot(), @r"
    exit: 2
    --- stdout
    --- stderr
    Error: 'knit revision describe' requires name of the revision as single argument
    Run 'knit revision describe --help' for usage
    ");
}

#[test]
fn delete_by_name_and_prune() {
    let cluster = Cluster::start();
    cluster.split_service("default", "hello");
    // Routed revisions are never pruned.
    insta::assert_snapshot!(cluster.knit(&["revision", "delete", "--prune", "hello"]).snapshot(), @r"
    exit: 0
    --- stdout
    No unreferenced revisions found.
    --- stderr
    ");
    // Route everything to the latest revision: hello-00001 becomes unreferenced.
    cluster.edit_service("default", "hello", |svc| {
        svc["spec"]["traffic"] = serde_json::json!([{"latestRevision": true, "percent": 100}]);
    });
    cluster.knit(&["service", "wait", "hello"]).ok();
    insta::assert_snapshot!(cluster.knit(&["revision", "delete", "--prune-all"]).snapshot(), @r"
    exit: 0
    --- stdout
    Revision 'hello-00001' deleted in namespace 'default'.
    --- stderr
    ");
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
    insta::assert_snapshot!(cluster.knit(&["revision", "delete"]).snapshot(), @r"
    exit: 2
    --- stdout
    --- stderr
    Error: 'knit revision delete' requires one or more revision name
    Run 'knit revision delete --help' for usage
    ");
    insta::assert_snapshot!(cluster.knit(&["revision", "delete", "x", "--prune-all"]).snapshot(), @r"
    exit: 2
    --- stdout
    --- stderr
    Error: 'knit revision delete' with --prune-all flag requires no arguments
    Run 'knit revision delete --help' for usage
    ");
}
