//! `service list` and `service describe` against the emulator: tables, describe views, every
//! `-o` format, namespaces and errors.

use crate::common::{self, assert_snapshot_table};

use common::Cluster;

#[test]
fn list_with_no_services_says_so() {
    let cluster = Cluster::start();
    cluster
        .knit(&["service", "list"])
        .assert_stdout("No services found.\n");
    // Structured output still prints an (empty) list.
    insta::assert_snapshot!(cluster.knit(&["service", "list", "-o", "json"]).snapshot(), @r#"
    exit: 0
    --- stdout
    {
        "apiVersion": "serving.knative.dev/v1",
        "items": [],
        "kind": "ServiceList"
    }
    --- stderr
    "#);
}

#[test]
fn list_and_describe_a_ready_service() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    cluster.ready_service("default", "bye", "gcr.io/knative-samples/helloworld-go");
    assert_snapshot_table!(
        cluster,
        &[
            ("list", &["service", "list"]),
            ("list_no_headers_alias", &["ksvc", "ls", "--no-headers"]),
            ("list_one", &["service", "list", "hello"]),
            ("describe", &["service", "describe", "hello"]),
            (
                "describe_verbose",
                &["service", "describe", "hello", "--verbose"]
            ),
        ],
    );
    cluster
        .knit(&["service", "describe", "hello", "-o", "url"])
        .assert_stdout("http://hello.default.example.com\n");
}

#[test]
fn structured_formats() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    cluster
        .knit(&["service", "list", "-o", "name"])
        .assert_stdout("service.serving.knative.dev/hello\n");
    // jsonpath prints no trailing newline.
    let out = cluster.run("service list -o jsonpath={.items[*].metadata.name}");
    assert_eq!((out.code, out.stdout.as_str()), (0, "hello"));
    let out = cluster.knit(&[
        "service",
        "describe",
        "hello",
        "-o",
        r#"jsonpath={.status.conditions[?(@.type=="Ready")].status}"#,
    ]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "True"));
    let out =
        cluster.run("service describe hello -o go-template={{.metadata.name}}:{{.status.url}}");
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "hello:http://hello.default.example.com")
    );
    let out = cluster.knit(&["service", "describe", "hello", "--template", "{{.kind}}"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "Service"));
    let out = cluster.run("service list -o jsonpath-as-json={.items[*].metadata.name}");
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "[\n    \"hello\"\n]\n")
    );
    // JSON and YAML are the stored object, managedFields dropped unless asked for.
    let json = cluster.knit(&["service", "describe", "hello", "-o", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json.ok().stdout).unwrap();
    let stored = cluster
        .get("serving.knative.dev", "services", "default", "hello")
        .unwrap();
    assert_eq!(parsed["spec"], stored["spec"]);
    assert_eq!(parsed["status"]["url"], "http://hello.default.example.com");
    assert!(parsed["metadata"].get("managedFields").is_none());
    let with_fields = cluster.run("service describe hello -o json --show-managed-fields");
    let parsed: serde_json::Value = serde_json::from_str(&with_fields.ok().stdout).unwrap();
    assert!(parsed["metadata"]["managedFields"].is_array());
    let yaml = cluster.knit(&["service", "describe", "hello", "-o", "yaml"]);
    assert!(
        yaml.ok()
            .stdout
            .starts_with("apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n")
    );
}

#[test]
fn all_namespaces_adds_the_namespace_column() {
    let cluster = Cluster::start();
    cluster.namespace("team-a");
    cluster.ready_service("team-a", "zeta", "gcr.io/knative-samples/helloworld-go");
    cluster.ready_service("default", "alpha", "gcr.io/knative-samples/helloworld-go");
    insta::assert_snapshot!(cluster.knit(&["service", "list", "-A"]).snapshot());
    insta::assert_snapshot!(
        cluster
            .knit(&["service", "list", "-n", "team-a"])
            .snapshot()
    );
    // -A wins over -n, like kn.
    let both = cluster.knit(&["service", "list", "-A", "-n", "team-a", "-o", "name"]);
    assert_eq!(
        both.ok().stdout,
        "service.serving.knative.dev/alpha\nservice.serving.knative.dev/zeta\n"
    );
}

#[test]
fn a_failing_service_shows_its_reason() {
    let cluster = Cluster::with(knit_emulator::Config {
        domain: "example.com".into(),
        unfetchable_images: vec!["*/broken*".into()],
        ..Default::default()
    });
    // As kn's waiter does, the wait reports the first Ready=False it saw once the window closes:
    // the revision's `RevisionFailed` with the image error, not the `RevisionMissing` that
    // follows it (measured with kn v1.15.0 against the emulator: `Error: RevisionFailed: …`).
    // The progress lines in between depend on controller timing and are only checked in shape.
    let out = cluster.knit(&[
        "service",
        "create",
        "broken",
        "--image",
        "example.com/broken:v1",
        "--wait-window",
        "1",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .starts_with("Creating service 'broken' in namespace 'default':\n\n"),
        "{out:?}"
    );
    assert!(
        common::redact(&out.stdout)
            .lines()
            .skip(2)
            .all(|l| l.starts_with("  X.XXXs "))
    );
    let stderr: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| !l.starts_with("Warning: "))
        .collect();
    assert_eq!(
        stderr,
        [
            "Error: RevisionFailed: Revision \"broken-00001\" failed with message: Unable to fetch image \"example.com/broken:v1\": failed to resolve image to digest: HEAD https://example.com/v2/broken/manifests/v1: unexpected status code 401 Unauthorized (HEAD responses have no body, use GET for details).",
            "Run 'knit --help' for usage",
        ]
    );
    assert_snapshot_table!(
        cluster,
        &[
            ("failing_list", &["service", "list"]),
            ("failing_describe", &["service", "describe", "broken"]),
        ],
    );
}

#[test]
fn errors() {
    let cluster = Cluster::start();
    cluster
        .knit(&["service", "describe", "nope"])
        .assert_stderr(
            1,
            "Error: services.serving.knative.dev \"nope\" not found\nRun 'knit --help' for usage\n",
        );
    cluster.knit(&["service", "describe"]).assert_stderr(2, "Error: 'service describe' requires the service name given as single argument\nRun 'knit service describe --help' for usage\n");
    cluster.knit(&["service", "list", "a", "b"]).assert_stderr(2, "Error: 'knit service list' accepts maximum 1 argument\nRun 'knit service list --help' for usage\n");
    // Unlike kn, lists accept kubectl's `-o wide` (tests/it/list_habits.rs).
    cluster
        .knit(&["service", "list", "-o", "wide"])
        .assert_stdout("No services found.\n");
    cluster.knit(&["service", "list", "-o", "url"]).assert_stderr(2, "Error: unable to match a printer suitable for the output format \"url\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\nRun 'knit service list --help' for usage\n");
    // Named as it was when the checks before it were inline snapshots.
    insta::assert_snapshot!("errors-6", cluster.knit(&["service"]).snapshot());
}
