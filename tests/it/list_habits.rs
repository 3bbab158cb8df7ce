//! kubectl's list habits on knit's lists: `-l/--selector`, `--field-selector` (combined with a
//! positional NAME or `revision list -s`), `-o wide`, `--sort-by` and `-w/--watch`.

use crate::common::{self, assert_snapshot_table};

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{Cluster, argv, service_object};
use serde_json::{Value, json};

/// A service carrying labels (not waiting for it).
fn labelled_service(cluster: &Cluster, name: &str, labels: Value) {
    let mut svc = service_object("default", name, "gcr.io/knative-samples/helloworld-go");
    svc["metadata"]["labels"] = labels;
    cluster.create("serving.knative.dev", "services", svc);
}

#[test]
fn label_and_field_selectors_filter_on_the_server() {
    let cluster = Cluster::start();
    labelled_service(&cluster, "web", json!({"app": "shop", "tier": "front"}));
    labelled_service(&cluster, "api", json!({"app": "shop", "tier": "back"}));
    labelled_service(&cluster, "blog", json!({"app": "blog"}));
    let names = |args: &[&str]| {
        let mut all = vec!["service", "list", "-o", "name"];
        all.extend_from_slice(args);
        let out = cluster.knit(&all);
        assert_eq!(out.code, 0, "{out:?}");
        out.stdout
    };
    assert_eq!(
        names(&["-l", "app=shop"]),
        "service.serving.knative.dev/api\nservice.serving.knative.dev/web\n"
    );
    assert_eq!(
        names(&["--selector", "app in (shop,blog),tier!=back"]),
        "service.serving.knative.dev/blog\nservice.serving.knative.dev/web\n"
    );
    assert_eq!(
        names(&["--field-selector", "metadata.name!=web", "-l", "app=shop"]),
        "service.serving.knative.dev/api\n"
    );
    // The positional NAME is one more field selector: both must match.
    assert_eq!(
        names(&["web", "-l", "app=shop"]),
        "service.serving.knative.dev/web\n"
    );
    assert_eq!(names(&["blog", "-l", "app=shop"]), "");
    assert_eq!(
        names(&[
            "--field-selector",
            "metadata.namespace=default,metadata.name=api"
        ]),
        "service.serving.knative.dev/api\n"
    );
    cluster
        .knit(&["service", "list", "blog", "-l", "app=shop"])
        .assert_stdout("No services found.\n");
    // The server's own errors for fields it cannot select on and for malformed selectors.
    cluster
        .knit(&["service", "list", "--field-selector", "spec.template=x"])
        .assert_stderr(
            1,
            "Error: field label not supported: spec.template\nRun 'knit --help' for usage\n",
        );
    cluster.knit(&["broker", "list", "-l", "a=(b"]).assert_stderr(1, "Error: unable to parse requirement: found '(', expected: identifier\nRun 'knit --help' for usage\n");
}

#[test]
fn selectors_on_eventing_lists_and_revision_list_service_filter() {
    let cluster = Cluster::start();
    for broker in ["b1", "b2"] {
        cluster.knit(&["broker", "create", broker]).ok();
    }
    for (trigger, broker) in [("t1", "b1"), ("t2", "b2"), ("t3", "b1")] {
        cluster
            .knit(&[
                "trigger",
                "create",
                trigger,
                "--broker",
                broker,
                "--sink",
                "http://sink.example.com",
            ])
            .ok();
    }
    let out = cluster.run("trigger list -o name -l eventing.knative.dev/broker=b1");
    assert_eq!(
        out.ok().stdout,
        "trigger.eventing.knative.dev/t1\ntrigger.eventing.knative.dev/t3\n"
    );
    let out = cluster.run("broker list -o name --field-selector metadata.name=b2");
    assert_eq!(out.ok().stdout, "broker.eventing.knative.dev/b2\n");

    // `revision list -s` is a label selector: `-l` is ANDed with it.
    cluster.ready_service("default", "one", "gcr.io/knative-samples/helloworld-go");
    cluster.ready_service("default", "two", "gcr.io/knative-samples/helloworld-go");
    let out = cluster
        .run("revision list -s one -o name -l serving.knative.dev/configurationGeneration=1");
    assert_eq!(out.ok().stdout, "revision.serving.knative.dev/one-00001\n");
    let out = cluster.run("revision list -s one -o name -l serving.knative.dev/service=two");
    assert_eq!(out.ok().stdout, "");
}

#[test]
fn wide_tables_add_columns() {
    let cluster = Cluster::start();
    cluster.split_service("default", "hello");
    cluster.ready_service("default", "bye", "gcr.io/knative-samples/bye");
    assert_snapshot_table!(
        cluster,
        &[
            ("service_wide", &["service", "list", "-o", "wide"]),
            ("revision_wide", &["revision", "list", "-o", "wide"]),
            (
                "route_wide",
                &["route", "list", "-o", "wide", "--no-headers"]
            ),
        ],
    );
    cluster.knit(&["broker", "create", "b1"]).ok();
    cluster
        .run("trigger create t1 --broker b1 --sink ksvc:hello --filter type=dev.knative.foo")
        .ok();
    // Neither create waits: the wide rows show the Ready conditions.
    cluster.until_ready("eventing.knative.dev", "brokers", "default", "b1");
    cluster.until_ready("eventing.knative.dev", "triggers", "default", "t1");
    assert_snapshot_table!(
        cluster,
        &[
            ("broker_wide", &["broker", "list", "-o", "wide"]),
            ("trigger_wide", &["trigger", "list", "-o", "wide", "-A"]),
        ],
    );
    // `wide` is a list format only.
    cluster.knit(&["service", "describe", "hello", "-o", "wide"]).assert_stderr(2, "Error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\nRun 'knit service describe --help' for usage\n");
}

fn service_with_concurrency(cluster: &Cluster, name: &str, concurrency: Option<i64>) {
    let mut svc = service_object("default", name, &format!("example.com/{name}"));
    if let Some(c) = concurrency {
        svc["spec"]["template"]["spec"]["containerConcurrency"] = json!(c);
        svc["metadata"]["labels"] = json!({"rank": c.to_string()});
    }
    cluster.create("serving.knative.dev", "services", svc);
}

#[test]
fn sort_by_jsonpath() {
    let cluster = Cluster::start();
    service_with_concurrency(&cluster, "a", Some(10));
    service_with_concurrency(&cluster, "b", Some(9));
    service_with_concurrency(&cluster, "c", None);
    service_with_concurrency(&cluster, "d", Some(100));
    let names = |sort: &str, output: &str| {
        let out = cluster.knit(&["service", "list", "--sort-by", sort, "-o", output]);
        assert_eq!(out.code, 0, "{out:?}");
        out.stdout
    };
    // Numbers numerically, missing fields first.
    assert_eq!(
        names("{.spec.template.spec.containerConcurrency}", "name"),
        "service.serving.knative.dev/c\nservice.serving.knative.dev/b\n\
         service.serving.knative.dev/a\nservice.serving.knative.dev/d\n"
    );
    // Strings lexically (the same numbers as label strings).
    assert_eq!(
        names(".metadata.labels.rank", "name"),
        "service.serving.knative.dev/c\nservice.serving.knative.dev/a\n\
         service.serving.knative.dev/d\nservice.serving.knative.dev/b\n"
    );
    // Timestamps sort as the strings they are; equal stamps keep the server's order.
    assert_eq!(
        names("{.metadata.creationTimestamp}", "name"),
        names("metadata.name", "name")
    );
    // The structured list is sorted too.
    let json: Value =
        serde_json::from_str(&names(".spec.template.spec.containerConcurrency", "json"))
            .expect("json");
    let items: Vec<&str> = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["metadata"]["name"].as_str().expect("name"))
        .collect();
    assert_eq!(items, ["c", "b", "a", "d"]);
    // The table keeps the sorted order instead of kn's by-name order.
    let out = cluster
        .run("service list --sort-by .spec.template.spec.containerConcurrency --no-headers")
        .ok();
    let first_column: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect();
    assert_eq!(first_column, ["c", "b", "a", "d"]);
}

#[test]
fn a_bad_sort_by_is_a_usage_error_before_any_request() {
    let cluster = Cluster::start();
    cluster.knit(&["service", "list", "--sort-by", "{.metadata.name", "--kubeconfig", "/nonexistent"]).assert_stderr(2, "Error: invalid argument \"{.metadata.name\" for \"--sort-by\" flag: unclosed action\nRun 'knit service list --help' for usage\n");
    cluster.knit(&["trigger", "list", "--sort-by", ".metadata[", "--kubeconfig", "/nonexistent"]).assert_stderr(2, "Error: invalid argument \".metadata[\" for \"--sort-by\" flag: unterminated array\nRun 'knit trigger list --help' for usage\n");
    cluster.knit(&["broker", "list", "-o", "table"]).assert_stderr(2, "Error: unable to match a printer suitable for the output format \"table\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\nRun 'knit broker list --help' for usage\n");
    cluster.knit(&["broker", "list", "--watch-timeout", "5s"]).assert_stderr(2, "Error: --watch-timeout can only be used with --watch or --watch-only\nRun 'knit broker list --help' for usage\n");
    // Go's duration syntax, as for every duration flag (not "1 hour" or ISO 8601).
    cluster.knit(&["secret", "list", "-w", "--watch-timeout", "1 hour", "--kubeconfig", "/nonexistent"]).assert_stderr(2, "Error: invalid argument \"1 hour\" for \"--watch-timeout\" flag: invalid duration '1 hour' (examples: 500ms, Xs, XXXXs)\nRun 'knit secret list --help' for usage\n");
}

/// A running `knit … --watch` whose stdout lines arrive on a channel.
struct Watcher {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watcher {
    fn start(cluster: &Cluster, args: &[&str]) -> Watcher {
        let mut child = cluster.spawn(args);
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watcher {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Reads lines until `count` have arrived in total (a stuck watch fails after 60 s).
    fn until(&mut self, count: usize) {
        while self.seen.len() < count {
            match self.lines.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!("watch output stopped at {:#?}", self.seen),
            }
        }
    }

    /// Interrupts knit (Ctrl-C) and returns the exit code and stderr.
    fn interrupt(self) -> (i32, Vec<String>, String) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill");
        assert!(status.success());
        self.finish()
    }

    fn finish(mut self) -> (i32, Vec<String>, String) {
        let out = self.child.wait_with_output().expect("knit exits");
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        (
            out.status.code().unwrap_or(-1),
            self.seen,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

fn secret(name: &str, data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": "default"},
           "type": "Opaque", "data": data})
}

#[test]
fn watch_streams_rows_until_interrupted() {
    let cluster = Cluster::start();
    cluster.create("", "secrets", secret("first", json!({"a": "eA=="})));
    let mut watcher = Watcher::start(
        &cluster,
        &argv("secret list -w -o wide --watch-timeout 10m"),
    );
    // Header and the existing secret.
    watcher.until(2);
    cluster.create("", "secrets", secret("a-much-longer-name", json!({})));
    watcher.until(3);
    let gr = knit_emulator::resource::GroupResource::new("", "secrets");
    let mut first = cluster
        .get("", "secrets", "default", "first")
        .expect("first");
    first["data"]["b"] = json!("eQ==");
    cluster.api().update(&gr, first).expect("update");
    watcher.until(4);
    cluster
        .api()
        .delete(&gr, "default", "a-much-longer-name")
        .expect("delete");
    watcher.until(5);
    let (code, lines, stderr) = watcher.interrupt();
    insta::assert_snapshot!(
        format!("exit: {code}\n--- stdout\n{}\n--- stderr\n{stderr}", common::redact(&lines.join("\n"))),
        @r"
    exit: 0
    --- stdout
    NAME    TYPE     DATA   AGE
    first   Opaque   1      Xs
    a-much-longer-name   Opaque   0      Xs
    first                Opaque   2      Xs
    a-much-longer-name   Opaque   0      Xs
    --- stderr
    "
    );
}

#[test]
fn a_watch_the_server_cuts_resumes_without_losing_or_repeating_events() {
    // Like a proxy in front of an API server: every watch ends after 100 ms.
    let cluster = Cluster::with(knit_emulator::Config {
        watch_cutoff: Some(Duration::from_millis(100)),
        ..Default::default()
    });
    cluster.create("", "secrets", secret("first", json!({})));
    let mut watcher = Watcher::start(
        &cluster,
        &argv("secret list -w --watch-timeout 10m --log-http"),
    );
    watcher.until(2);
    let gr = knit_emulator::resource::GroupResource::new("", "secrets");
    for (name, data) in [("second", json!({})), ("third", json!({"a": "eA=="}))] {
        // Each change lands after at least one cut, while knit is between two watches or in
        // a resumed one: it must still be shown, exactly once.
        std::thread::sleep(Duration::from_millis(400));
        cluster.create("", "secrets", secret(name, data));
        watcher.until(watcher.seen.len() + 1);
    }
    std::thread::sleep(Duration::from_millis(400));
    cluster
        .api()
        .delete(&gr, "default", "first")
        .expect("delete");
    watcher.until(5);
    let (code, lines, stderr) = watcher.interrupt();
    let watches = stderr
        .lines()
        .filter(|l| l.starts_with("GET ") && l.contains("watch=true"))
        .count();
    assert!(
        watches >= 3,
        "expected resumed watches, saw {watches}:\n{stderr}"
    );
    insta::assert_snapshot!(
        format!("exit: {code}\n--- stdout\n{}", common::redact(&lines.join("\n"))),
        @r"
    exit: 0
    --- stdout
    NAME    TYPE
    first   Opaque
    second   Opaque
    third    Opaque
    first    Opaque
    "
    );
}

#[test]
fn watch_timeout_ends_a_watch_with_exit_0_and_structured_formats_print_objects() {
    let cluster = Cluster::start();
    cluster.create("", "secrets", secret("only", json!({})));
    let out = cluster.run("secret list -w -o name --watch-timeout 1s");
    out.assert_stdout("secret/only\n");
    cluster.create("", "secrets", secret("other", json!({})));
    let out = cluster.run("secret list -w -o yaml --watch-timeout 1s");
    insta::assert_snapshot!(out.snapshot(), @r#"
    exit: 0
    --- stdout
    apiVersion: v1
    kind: Secret
    metadata:
      creationTimestamp: "[timestamp]"
      name: only
      namespace: default
      resourceVersion: [rv]
      uid: [uid]
    type: Opaque
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      creationTimestamp: "[timestamp]"
      name: other
      namespace: default
      resourceVersion: [rv]
      uid: [uid]
    type: Opaque
    --- stderr
    "#);
    let out = cluster.knit(&["secret", "list", "--watch-only", "--watch-timeout", "1s"]);
    out.assert_stdout("");
}

#[test]
fn watch_a_service_through_its_life() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    let mut watcher = Watcher::start(
        &cluster,
        &argv("service list -w --no-headers --watch-timeout 10m"),
    );
    watcher.until(1);
    assert!(watcher.seen[0].starts_with("hello "), "{:?}", watcher.seen);
    // The new service goes through its states until Ready.
    cluster.service("default", "web", "gcr.io/knative-samples/helloworld-go");
    loop {
        watcher.until(watcher.seen.len() + 1);
        let last = watcher.seen.last().expect("a line");
        assert!(last.starts_with("web "), "{last}");
        if last.contains(" True ") {
            break;
        }
    }
    let out = cluster.knit(&["service", "delete", "web"]);
    out.ok();
    watcher.until(watcher.seen.len() + 1);
    let (code, lines, stderr) = watcher.interrupt();
    insta::assert_snapshot!(
        format!("exit: {code}\n--- stdout\n{}\n--- stderr\n{stderr}", common::redact(&lines.join("\n"))),
        @r#"
    exit: 0
    --- stdout
    hello   http://hello.default.example.com   hello-00001   Xs    3 OK / 3   True   
    web                                                      Xs    0 OK / 0   <unknown>   <unknown>
    web                                                      Xs    0 OK / 3   Unknown     OutOfDate : The Route is still working to reflect the latest desired specification.
    web     http://web.default.example.com                   Xs    0 OK / 3   Unknown     RevisionMissing : Configuration "web" is waiting for a Revision to become ready.
    web     http://web.default.example.com     web-00001     Xs    1 OK / 3   Unknown     RevisionMissing : Configuration "web" is waiting for a Revision to become ready.
    web     http://web.default.example.com     web-00001     Xs    1 OK / 3   Unknown     IngressNotConfigured : Ingress has not yet been reconciled.
    web     http://web.default.example.com     web-00001     Xs    3 OK / 3   True        
    web     http://web.default.example.com     web-00001     Xs    3 OK / 3   True        
    --- stderr
    "#
    );
}

#[test]
fn a_closed_stdout_ends_the_watch() {
    let cluster = Cluster::start();
    cluster.create("", "secrets", secret("first", json!({})));
    let mut child = cluster
        .knit_command(&["secret", "list", "--watch"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run knit");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut header = String::new();
    reader.read_line(&mut header).expect("header");
    assert!(header.starts_with("NAME"), "{header}");
    // Like `| head -1`: nobody reads any more; the next event ends the watch.
    drop(reader);
    cluster.create("", "secrets", secret("second", json!({})));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("knit kept watching after stdout was closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn every_list_takes_the_habits() {
    let cluster = Cluster::start();
    let lists: &[&[&str]] = &[
        &["service", "list"],
        &["revision", "list"],
        &["route", "list"],
        &["domain", "list"],
        &["broker", "list"],
        &["trigger", "list"],
        &["source", "list"],
        &["source", "ping", "list"],
        &["source", "apiserver", "list"],
        &["source", "binding", "list"],
        &["source", "container", "list"],
        &["channel", "list"],
        &["subscription", "list"],
        &["eventtype", "list"],
        &["secret", "list"],
    ];
    let mut report = String::new();
    for list in lists {
        let mut args = list.to_vec();
        args.extend([
            "-o",
            "wide",
            "-l",
            "app=x",
            "--field-selector",
            "metadata.name=y",
            "--sort-by",
            ".metadata.name",
        ]);
        let out = cluster.knit(&args);
        report.push_str(&format!("$ {}\n{}", list.join(" "), out.snapshot()));
    }
    insta::assert_snapshot!(report, @r"
    $ service list
    exit: 0
    --- stdout
    No services found.
    --- stderr
    $ revision list
    exit: 0
    --- stdout
    No revisions found.
    --- stderr
    $ route list
    exit: 0
    --- stdout
    No routes found.
    --- stderr
    $ domain list
    exit: 0
    --- stdout
    No domain mapping found.
    --- stderr
    $ broker list
    exit: 0
    --- stdout
    No brokers found.
    --- stderr
    $ trigger list
    exit: 0
    --- stdout
    No triggers found.
    --- stderr
    $ source list
    exit: 0
    --- stdout
    No sources found.
    --- stderr
    $ source ping list
    exit: 0
    --- stdout
    No Ping source found.
    --- stderr
    $ source apiserver list
    exit: 0
    --- stdout
    No ApiServer source found.
    --- stderr
    $ source binding list
    exit: 0
    --- stdout
    No sink binding found.
    --- stderr
    $ source container list
    exit: 0
    --- stdout
    No Container source found.
    --- stderr
    $ channel list
    exit: 0
    --- stdout
    No channels found.
    --- stderr
    $ subscription list
    exit: 0
    --- stdout
    No subscriptions found.
    --- stderr
    $ eventtype list
    exit: 0
    --- stdout
    No eventtypes found.
    --- stderr
    $ secret list
    exit: 0
    --- stdout
    No secret found.
    --- stderr
    ");
    // Each list sends its selectors to the server, which refuses a field it cannot select on.
    for list in lists {
        let mut args = list.to_vec();
        args.extend(["--field-selector", "spec.bogus=1"]);
        let out = cluster.knit(&args);
        assert_eq!(out.code, 1, "{args:?}: {out:?}");
        assert!(
            out.stderr
                .starts_with("Error: field label not supported: spec.bogus\n"),
            "{args:?}: {out:?}"
        );
    }
}

#[test]
fn offline_lists_select_and_sort_locally_but_cannot_watch() {
    let cluster = Cluster::start();
    let dir = cluster.home().join("gitops");
    std::fs::create_dir_all(&dir).expect("dir");
    let store = knit::ops::offline::OfflineStore::new(&dir);
    for (name, app, image) in [
        ("web", "shop", "b/img"),
        ("api", "shop", "a/img"),
        ("blog", "blog", "c/img"),
    ] {
        let mut svc = service_object("default", name, image);
        svc["metadata"]["labels"] = json!({"app": app});
        store.write_service("default", &svc).expect("write");
    }
    let target = dir.to_str().expect("utf-8 path");
    let out = cluster.knit(&[
        "service",
        "list",
        "--target",
        target,
        "-l",
        "app=shop",
        "--sort-by",
        ".spec.template.spec.containers[0].image",
        "-o",
        "name",
        "--log-http",
    ]);
    assert!(!out.stderr.contains("REQUEST"), "{}", out.stderr);
    assert_eq!(
        out.ok().stdout,
        "service.serving.knative.dev/api\nservice.serving.knative.dev/web\n"
    );
    let out = cluster.knit(&[
        "service",
        "list",
        "--target",
        target,
        "--field-selector",
        "metadata.name!=web",
        "-o",
        "name",
    ]);
    assert_eq!(
        out.ok().stdout,
        "service.serving.knative.dev/api\nservice.serving.knative.dev/blog\n"
    );
    cluster
        .knit(&[
            "service",
            "list",
            "--target",
            target,
            "--field-selector",
            "spec.x=1",
        ])
        .assert_stderr(
            1,
            "Error: field label not supported: spec.x\nRun 'knit --help' for usage\n",
        );
    cluster.knit(&["service", "list", "--target", target, "-w"]).assert_stderr(2, "Error: --watch and --watch-only are not supported with --target\nRun 'knit service list --help' for usage\n");
}

#[test]
fn source_list_watches_every_source_kind_at_once() {
    let cluster = Cluster::start();
    cluster
        .run("source ping create p0 --sink http://sink.example.com")
        .ok();
    let mut watcher = Watcher::start(
        &cluster,
        &argv("source list -w --no-headers --watch-timeout 10m"),
    );
    watcher.until(1);
    assert!(watcher.seen[0].starts_with("p0 "), "{:?}", watcher.seen);
    cluster
        .run("source ping create p1 --sink http://sink.example.com")
        .ok();
    cluster
        .run("source container create c1 --image example.com/img --sink http://sink.example.com")
        .ok();
    let seen = |watcher: &Watcher, prefix: &str| watcher.seen.iter().any(|l| l.starts_with(prefix));
    while !(seen(&watcher, "p1 ") && seen(&watcher, "c1 ")) {
        watcher.until(watcher.seen.len() + 1);
    }
    let (code, lines, stderr) = watcher.interrupt();
    assert_eq!((code, stderr.as_str()), (0, ""), "{lines:?}");
    let kinds = |name: &str| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l.starts_with(&format!("{name} ")))
            .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
            .collect()
    };
    assert!(kinds("p1").iter().all(|k| k == "PingSource"), "{lines:?}");
    assert!(
        kinds("c1").iter().all(|k| k == "ContainerSource"),
        "{lines:?}"
    );
}
