//! Issue 11's kn-parity cases, each measured against the real kn v1.15.0 (the expected texts
//! below are what kn printed against the emulator); where kn's e2e suite (knative/client
//! knative-v1.15.0, test/e2e) checks the same case, its check is ported and named.

use serde_json::Value;

use crate::common::Cluster;

const SERVING: &str = "serving.knative.dev";

const ROOT_COMMANDS: &str = "apply, broker, channel, completion, container, doctor, domain, emulator, eventpolicy, eventtransform, eventtype, explain, integrationsink, jobsink, options, parallel, plugin, requestreply, revision, route, secret, sequence, service, source, subscription, trigger, version";
const SERVICE_COMMANDS: &str = "apply, create, delete, describe, diagnose, events, export, history, import, list, logs, rollback, rollout, update, wait";

/// kn: a group (the root, `service`, `source ping`) whose leftover words are not all root flags
/// fails with `unknown sub-command` naming the first leftover word; knit exits 2 (usage).
#[test]
fn a_group_refuses_stray_flags_as_kn_does() {
    let cluster = Cluster::start();
    for (args, group, word, commands) in [
        (&["--bogus-flag"][..], "knit", "--bogus-flag", ROOT_COMMANDS),
        (&["--version"][..], "knit", "--version", ROOT_COMMANDS),
        (&["-x"][..], "knit", "-x", ROOT_COMMANDS),
        // kn checks the line before it looks at --help.
        (&["--bogus", "--help"][..], "knit", "--bogus", ROOT_COMMANDS),
        (&["-h", "--bogus"][..], "knit", "-h", ROOT_COMMANDS),
        // A root flag is fine, the next word is not.
        (
            &["--log-http", "--bogus"][..],
            "knit",
            "--log-http",
            ROOT_COMMANDS,
        ),
        (
            &["service", "--bogus"][..],
            "knit service",
            "--bogus",
            SERVICE_COMMANDS,
        ),
        (
            &["service", "--namespace", "x"][..],
            "knit service",
            "--namespace",
            SERVICE_COMMANDS,
        ),
        (
            &["service", "--", "--bogus"][..],
            "knit service",
            "--",
            SERVICE_COMMANDS,
        ),
        (
            &["source", "ping", "--bogus"][..],
            "knit source ping",
            "--bogus",
            "create, delete, describe, diagnose, events, list, update",
        ),
    ] {
        cluster.knit(args).assert_stderr(
            2,
            &format!(
                "Error: unknown sub-command '{word}' for '{group}'. Available sub-commands: {commands}\nRun '{group} --help' for usage\n"
            ),
        );
    }
    // kn e2e TestWrongCommand: `source apiserver noverb`.
    let out = cluster.knit(&["source", "apiserver", "noverb"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("unknown sub-command") && out.stderr.contains("noverb"));
    // Root flags alone still print the help, as in kn.
    for args in [&["--log-http"][..], &["--config=/dev/null"][..], &[][..]] {
        let out = cluster.knit(args);
        assert_eq!(out.code, 0, "{out:?}");
        assert!(out.stdout.starts_with("knit is the command line interface"));
    }
    let out = cluster.knit(&["service", "--log-http"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("Error: no sub-command given for 'knit service'.")
    );
}

/// kn sorts the revision list itself (namespace, service, newest generation first) before any
/// printer, so `-o jsonpath='{.items[0]…}'` is the newest revision. `--sort-by` still rules.
#[test]
fn revision_list_output_follows_kns_order() {
    let cluster = Cluster::start();
    cluster
        .run("service create web --image nginx --env A=1")
        .ok();
    cluster.run("service update web --env A=2").ok();
    cluster.run("service update web --env A=3").ok();
    cluster.run("service create api --image nginx").ok();
    cluster
        .knit(&[
            "revision",
            "list",
            "-s",
            "web",
            "-o",
            "jsonpath={.items[0].metadata.name}",
        ])
        .assert_stdout("web-00003");
    cluster.run("revision list -o name").assert_stdout(
        "revision.serving.knative.dev/api-00001\nrevision.serving.knative.dev/web-00003\nrevision.serving.knative.dev/web-00002\nrevision.serving.knative.dev/web-00001\n",
    );
    let json = cluster.run("revision list -o json").ok();
    let list: Value = serde_json::from_str(&json.stdout).unwrap();
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["api-00001", "web-00003", "web-00002", "web-00001"]);
    cluster
        .knit(&[
            "revision",
            "list",
            "--sort-by",
            "{.metadata.name}",
            "-o",
            "jsonpath={.items[*].metadata.name}",
        ])
        .assert_stdout("api-00001 web-00001 web-00002 web-00003");
}

/// kn e2e TestMultiContainers: "Creating a multicontainer service from os.Stdin with EOF error".
/// kn reads zero bytes as no document at all and fails with Go's bare `EOF`.
#[test]
fn containers_from_empty_stdin_fail_with_eof() {
    let cluster = Cluster::start();
    let out = cluster.knit_with(
        &[
            "service",
            "create",
            "testsvc2",
            "--image",
            "nginx",
            "--containers",
            "-",
        ],
        &[],
        Some(""),
    );
    out.assert_stderr(
        2,
        "Error: EOF\nRun 'knit service create --help' for usage\n",
    );
    assert!(
        cluster
            .get(SERVING, "services", "default", "testsvc2")
            .is_none()
    );
    let empty = cluster.write("empty.yaml", "");
    let out = cluster.knit(&[
        "service",
        "create",
        "testsvc3",
        "--image",
        "nginx",
        "--containers",
        empty.to_str().unwrap(),
    ]);
    out.assert_stderr(
        2,
        "Error: EOF\nRun 'knit service create --help' for usage\n",
    );
    // A blank line is an empty fragment, not an error (kn creates the service).
    cluster
        .knit_with(
            &[
                "service",
                "create",
                "testsvc4",
                "--image",
                "nginx",
                "--containers",
                "-",
                "--no-wait",
            ],
            &[],
            Some("\n"),
        )
        .ok();
    assert!(
        cluster
            .get(SERVING, "services", "default", "testsvc4")
            .is_some()
    );
}

/// kn parses `eventtype create --source` with Go's `url.Parse` before sending anything.
#[test]
fn eventtype_source_is_parsed_like_go() {
    let cluster = Cluster::start();
    cluster.run("broker create b").ok();
    for (source, reason) in [
        (
            "http://x/a\u{8}",
            r#"parse "http://x/a\b": net/url: invalid control character in URL"#,
        ),
        (
            "ht tp://x",
            r#"parse "ht tp://x": first path segment in URL cannot contain colon"#,
        ),
    ] {
        cluster
            .knit(&["eventtype", "create", "et", "--type", "t", "--source", source, "--broker", "b"])
            .assert_stderr(
                2,
                &format!(
                    "Error: cannot create eventtype 'et' in namespace 'default' because: {reason}\nRun 'knit eventtype create --help' for usage\n"
                ),
            );
        assert!(
            cluster
                .get("eventing.knative.dev", "eventtypes", "default", "et")
                .is_none()
        );
    }
    cluster
        .knit(&[
            "eventtype",
            "create",
            "et",
            "--type",
            "t",
            "--source",
            "http://x/a",
            "--broker",
            "b",
        ])
        .assert_stdout("Eventtype 'et' successfully created in namespace 'default'.\n");
}

/// pflag takes the next argument as a flag's value whatever it starts with; kn then checks the
/// autoscaling values with Knative Serving's `ValidateAnnotations` (kn e2e TestServiceOptions:
/// "update concurrency options with invalid values for service").
#[test]
fn negative_and_invalid_scaling_values_read_as_kns() {
    let cluster = Cluster::start();
    cluster
        .run("service create svc1 --image nginx --concurrency-limit 300 --concurrency-target 300")
        .ok();
    for (line, error) in [
        (
            "service update svc1 --concurrency-limit -1 --scale-target 0",
            "target 0 should be at least 0.01: autoscaling.knative.dev/target",
        ),
        (
            "service update svc1 --concurrency-limit -1",
            "invalid concurrency-limit -1 (must not be less than 0)",
        ),
        (
            "service update svc1 --scale-min -1",
            "expected 0 <= -1 <= 2147483647: autoscaling.knative.dev/min-scale",
        ),
        (
            "service update svc1 --scale -1",
            "expected 0 <= -1 <= 2147483647: autoscaling.knative.dev/max-scale",
        ),
        (
            "service update svc1 --scale-window -1s",
            "expected 6s <= -1s <= 1h0m0s: autoscaling.knative.dev/window",
        ),
        (
            "service update svc1 --scale-utilization 101",
            "expected 1 <= 101 <= 100: autoscaling.knative.dev/target-utilization-percentage",
        ),
        (
            "service update svc1 --scale-init -1",
            "invalid value: -1: autoscaling.knative.dev/initial-scale must be greater than 0",
        ),
    ] {
        // Compared raw: the snapshot form would redact the durations of the window bounds.
        let out = cluster.run(line);
        assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{line}");
        assert_eq!(
            out.stderr,
            format!("Error: {error}\nRun 'knit service update --help' for usage\n"),
            "{line}"
        );
    }
    // kn e2e: "returns steady concurrency options for service".
    let svc = cluster.get(SERVING, "services", "default", "svc1").unwrap();
    assert_eq!(svc["spec"]["template"]["spec"]["containerConcurrency"], 300);
    assert_eq!(
        svc["spec"]["template"]["metadata"]["annotations"]["autoscaling.knative.dev/target"],
        "300"
    );
    assert_eq!(svc["metadata"]["generation"], 1);
    // A value that starts with `-` is still a value, for any flag that takes one.
    let out = cluster.run("service update svc1 --env -x=1 --no-wait").ok();
    assert_eq!(
        out.stdout,
        "Service 'svc1' updated in namespace 'default'.\n"
    );
    let svc = cluster.get(SERVING, "services", "default", "svc1").unwrap();
    assert_eq!(
        svc["spec"]["template"]["spec"]["containers"][0]["env"][0],
        serde_json::json!({"name": "-x", "value": "1"})
    );
}

/// kn refuses a split under 100% unless it names every routed target but the one that takes
/// the rest: `--traffic A=50 --traffic B=20` on a service routed 100% to C is an error, not 30%
/// for C.
#[test]
fn a_partial_split_must_leave_out_exactly_one_routed_target() {
    let cluster = Cluster::start();
    cluster
        .run("service create s1 --image nginx --env A=1")
        .ok();
    cluster.run("service update s1 --env A=2").ok();
    cluster.run("service update s1 --env A=3").ok();
    let before = cluster.get(SERVING, "services", "default", "s1").unwrap();
    cluster
        .run("service update s1 --traffic s1-00001=50 --traffic s1-00002=20")
        .assert_stderr(
            1,
            "Error: unable to allocate the remaining traffic: 30%. Reason: incorrect number of revisions specified. Only 1 revision should be missing\nRun 'knit --help' for usage\n",
        );
    let after = cluster.get(SERVING, "services", "default", "s1").unwrap();
    assert_eq!(before["spec"], after["spec"]);
    assert_eq!(
        before["metadata"]["resourceVersion"],
        after["metadata"]["resourceVersion"]
    );
    // Naming all three is fine; then naming two of the three gives the rest to the third.
    cluster
        .run("service update s1 --traffic s1-00001=20,s1-00002=30,s1-00003=50")
        .ok();
    cluster
        .run("service update s1 --traffic s1-00001=10,s1-00002=10")
        .ok();
    let svc = cluster.get(SERVING, "services", "default", "s1").unwrap();
    let split: Vec<(String, i64)> = svc["spec"]["traffic"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["revisionName"].as_str().unwrap_or("@latest").to_string(),
                t["percent"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut split = split;
    split.sort();
    assert_eq!(
        split,
        [
            ("s1-00001".to_string(), 10),
            ("s1-00002".to_string(), 10),
            ("s1-00003".to_string(), 80)
        ]
    );
}
