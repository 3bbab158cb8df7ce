//! `service delete` and `service wait` against the emulator.

use crate::common;

use common::Cluster;

#[test]
fn wait_for_a_ready_service_returns_at_once() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    insta::assert_snapshot!(cluster.knit(&["service", "wait", "hello"]).snapshot(), @r"
    exit: 0
    --- stdout
    Waiting for Service 'hello' in namespace 'default':

      X.XXXs Ready to serve.

    Service 'hello' in namespace 'default' is ready.
    --- stderr
    ");
}

#[test]
fn wait_follows_a_service_until_it_is_ready() {
    let cluster = Cluster::with(knit_emulator::Config {
        domain: "example.com".into(),
        // Long enough that knit is watching before the revision turns Ready, even on a loaded
        // machine (at 300 ms the service was sometimes Ready before knit started).
        ready_delay: std::time::Duration::from_secs(2),
        ..Default::default()
    });
    cluster.service("default", "slow", "gcr.io/knative-samples/helloworld-go");
    let out = cluster.knit(&["service", "wait", "slow"]);
    assert_eq!(out.code, 0, "{out:?}");
    let redacted = common::redact(&out.stdout);
    assert!(
        redacted.starts_with("Waiting for Service 'slow' in namespace 'default':\n\n"),
        "{redacted}"
    );
    assert!(
        redacted.ends_with(
            "  X.XXXs Ready to serve.\n\nService 'slow' in namespace 'default' is ready.\n"
        ),
        "{redacted}"
    );
    // The service was not ready at first, so at least one Unknown message was shown.
    assert!(
        redacted
            .lines()
            .filter(|l| l.starts_with("  X.XXXs"))
            .count()
            >= 2,
        "{redacted}"
    );
}

#[test]
fn wait_survives_watches_the_server_cuts() {
    // Every watch ends after 100 ms (as behind a proxy); readiness comes after 1.5 s, so knit
    // sees it only through a resumed watch.
    let cluster = Cluster::with(knit_emulator::Config {
        domain: "example.com".into(),
        ready_delay: std::time::Duration::from_millis(1500),
        watch_cutoff: Some(std::time::Duration::from_millis(100)),
        ..Default::default()
    });
    cluster.service("default", "slow", "gcr.io/knative-samples/helloworld-go");
    let out = cluster.knit(&["service", "wait", "slow", "--wait-timeout", "60"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        common::redact(&out.stdout).ends_with("Service 'slow' in namespace 'default' is ready.\n"),
        "{out:?}"
    );
}

#[test]
fn wait_times_out() {
    let cluster = Cluster::with(knit_emulator::Config {
        domain: "example.com".into(),
        ready_delay: std::time::Duration::from_secs(60),
        ..Default::default()
    });
    cluster.service("default", "slow", "gcr.io/knative-samples/helloworld-go");
    let out = cluster.knit(&["service", "wait", "slow", "--wait-timeout", "1"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stderr, @r"
    Error: timeout: service 'slow' not ready after 1 seconds
    Run 'knit --help' for usage
    ");
}

#[test]
fn delete_reports_each_service_and_aggregates_errors() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "a", "gcr.io/knative-samples/helloworld-go");
    cluster.ready_service("default", "b", "gcr.io/knative-samples/helloworld-go");
    insta::assert_snapshot!(cluster.knit(&["service", "delete", "a", "nope", "b", "gone"]).snapshot(), @r#"
    exit: 1
    --- stdout
    Service 'a' successfully deleted in namespace 'default'.
    Service 'b' successfully deleted in namespace 'default'.
    --- stderr
    Error: services.serving.knative.dev "nope" not found
    Error: services.serving.knative.dev "gone" not found
    Run 'knit --help' for usage
    "#);
    assert!(
        cluster
            .get("serving.knative.dev", "services", "default", "a")
            .is_none()
    );
}

#[test]
fn delete_with_wait_and_all() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "a", "gcr.io/knative-samples/helloworld-go");
    cluster.ready_service("default", "b", "gcr.io/knative-samples/helloworld-go");
    cluster.ready_service("default", "c", "gcr.io/knative-samples/helloworld-go");
    cluster
        .knit(&["service", "delete", "a", "--wait"])
        .assert_stdout("Service 'a' successfully deleted in namespace 'default'.\n");
    assert!(
        cluster
            .get("serving.knative.dev", "services", "default", "a")
            .is_none()
    );
    cluster.knit(&["service", "delete", "--all"]).assert_stdout("Service 'b' successfully deleted in namespace 'default'.\nService 'c' successfully deleted in namespace 'default'.\n");
    cluster
        .knit(&["service", "delete", "--all"])
        .assert_stdout("No services found.\n");
}

#[test]
fn delete_usage_errors() {
    let cluster = Cluster::start();
    cluster.knit(&["service", "delete"]).assert_stderr(2, "Error: 'service delete' requires the service name(s)\nRun 'knit service delete --help' for usage\n");
    cluster.knit(&["service", "delete", "a", "--all"]).assert_stderr(2, "Error: 'service delete' with --all flag requires no arguments\nRun 'knit service delete --help' for usage\n");
    cluster.knit(&["service", "delete", "a", "--wait", "--no-wait"]).assert_stderr(2, "Error: only one of --no-wait and --wait may be specified\nRun 'knit service delete --help' for usage\n");
    cluster.knit(&["service", "delete", "a", "--wait=false"]).assert_stderr(2, "Error: use --no-wait instead of providing \"false\" to --wait\nRun 'knit service delete --help' for usage\n");
}
