//! `route list/describe` against the emulator.

use crate::common::{self, assert_snapshot_table};

use common::Cluster;

#[test]
fn list_and_describe() {
    let cluster = Cluster::start();
    cluster.namespace("team-a");
    cluster.split_service("default", "hello");
    cluster.ready_service("team-a", "web", "gcr.io/knative-samples/helloworld-go");
    insta::assert_snapshot!("list", cluster.knit(&["route", "list"]).snapshot());
    // Unlike kn, -A shows the namespace.
    assert_snapshot_table!(
        cluster,
        &[
            ("list_all", &["routes", "ls", "-A"]),
            ("describe", &["route", "describe", "hello"]),
            (
                "describe_verbose",
                &["route", "describe", "web", "-n", "team-a", "-v"]
            ),
        ],
    );
    let out = cluster.knit(&["route", "list", "hello", "-o", "name"]);
    assert_eq!(out.ok().stdout, "route.serving.knative.dev/hello\n");
}

#[test]
fn errors_and_empty_lists() {
    let cluster = Cluster::start();
    cluster
        .knit(&["route", "list"])
        .assert_stdout("No routes found.\n");
    cluster.knit(&["route", "describe", "x"]).assert_stderr(
        1,
        "Error: routes.serving.knative.dev \"x\" not found\nRun 'knit --help' for usage\n",
    );
    cluster.knit(&["route", "list", "a", "b"]).assert_stderr(2, "Error: 'knit route list' accepts only one additional argument\nRun 'knit route list --help' for usage\n");
    cluster.knit(&["route", "describe"]).assert_stderr(2, "Error: 'knit route describe' requires name of the route as single argument\nRun 'knit route describe --help' for usage\n");
}
