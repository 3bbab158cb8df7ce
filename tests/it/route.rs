//! `route list/describe` against the emulator.

use crate::common;

use common::Cluster;

#[test]
fn list_and_describe() {
    let cluster = Cluster::start();
    cluster.namespace("team-a");
    cluster.split_service("default", "hello");
    cluster.ready_service("team-a", "web", "gcr.io/knative-samples/helloworld-go");
    insta::assert_snapshot!("list", cluster.knit(&["route", "list"]).snapshot());
    // Unlike kn, -A shows the namespace.
    insta::assert_snapshot!("list_all", cluster.knit(&["routes", "ls", "-A"]).snapshot());
    insta::assert_snapshot!(
        "describe",
        cluster.knit(&["route", "describe", "hello"]).snapshot()
    );
    insta::assert_snapshot!(
        "describe_verbose",
        cluster
            .knit(&["route", "describe", "web", "-n", "team-a", "-v"])
            .snapshot()
    );
    let out = cluster.knit(&["route", "list", "hello", "-o", "name"]);
    assert_eq!(out.ok().stdout, "route.serving.knative.dev/hello\n");
}

#[test]
fn errors_and_empty_lists() {
    let cluster = Cluster::start();
    insta::assert_snapshot!(cluster.knit(&["route", "list"]).snapshot(), @r"
    exit: 0
    --- stdout
    No routes found.
    --- stderr
    ");
    insta::assert_snapshot!(cluster.knit(&["route", "describe", "x"]).snapshot(), @r#"
    exit: 1
    --- stdout
    --- stderr
    Error: routes.serving.knative.dev "x" not found
    Run 'knit --help' for usage
    "#);
    insta::assert_snapshot!(cluster.knit(&["route", "list", "a", "b"]).snapshot(), @r"
    exit: 2
    --- stdout
    --- stderr
    Error: 'knit route list' accepts only one additional argument
    Run 'knit route list --help' for usage
    ");
    insta::assert_snapshot!(cluster.knit(&["route", "describe"]).snapshot(), @r"
    exit: 2
    --- stdout
    --- stderr
    Error: 'knit route describe' requires name of the route as single argument
    Run 'knit route describe --help' for usage
    ");
}
