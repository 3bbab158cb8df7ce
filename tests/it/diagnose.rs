//! `knit doctor`, `service/trigger/broker/source diagnose` and the review APIs behind them,
//! against the emulator over HTTP: exact human layouts, JSON, exit codes, and real kubectl's `auth` verbs.

use serde_json::Value;

use crate::common::Cluster;
use knit_emulator::Config;

/// Polls until the Service's Ready condition is False (its revision failed). 20 s at most.
fn until_failed(cluster: &Cluster, name: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let failed = cluster
            .get("serving.knative.dev", "services", "default", name)
            .is_some_and(|s| {
                s["status"]["conditions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| c["type"] == "Ready" && c["status"] == "False")
            });
        if failed {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "service {name} never failed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The snapshot with pod names' generated parts (ReplicaSet hash, random suffix) redacted.
fn pods_redacted(out: &crate::common::Outcome) -> String {
    let re = regex::Regex::new(r"-deployment-[a-z0-9]+-[a-z0-9]{5}\b").unwrap();
    re.replace_all(&out.snapshot(), "-deployment-[hash]-[id]")
        .into_owned()
}

fn json(out: &crate::common::Outcome) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.text()))
}

#[test]
fn doctor_reports_versions_permissions_and_settings() {
    let cluster = Cluster::with(Config {
        domain: "apps.knit.test".to_string(),
        ..Config::default()
    });
    let out = cluster.knit(&["doctor"]);
    insta::assert_snapshot!("doctor_all_ok", out.snapshot());
    assert_eq!(out.code, 0);

    // Knative's placeholder domain is a warning, and a warning makes the exit status 1.
    let cluster = Cluster::start();
    cluster.set_features(&[("kubernetes.podspec-affinity", "enabled")]);
    let out = cluster.knit(&["doctor", "-o", "json"]);
    assert_eq!(out.code, 1, "{}", out.text());
    let report = json(&out);
    assert_eq!(report["ok"], false);
    let level = |name: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| (c["level"].clone(), c["message"].clone()))
            .unwrap_or_else(|| panic!("no check {name}: {report:#}"))
    };
    assert_eq!(level("domain").0, "WARN");
    assert_eq!(
        level("serving").1,
        "Knative Serving 1.23.0 (serving.knative.dev/v1, serving.knative.dev/v1beta1)"
    );
    assert_eq!(
        level("serving permissions"),
        ("OK".into(), "all 24 allowed in namespace default".into())
    );
    assert_eq!(level("features").1, "kubernetes.podspec-affinity=enabled");

    cluster.knit(&["doctor", "-o", "yaml"]).assert_stderr(
        2,
        "Error: invalid value 'yaml' for '--output': only json is supported\nRun 'knit doctor --help' for usage\n",
    );
}

#[test]
fn doctor_without_knative_fails_on_serving() {
    let cluster = Cluster::with(Config {
        knative: false,
        ..Config::default()
    });
    let out = cluster.knit(&["doctor"]);
    insta::assert_snapshot!("doctor_no_knative", out.snapshot());
    assert_eq!(out.code, 1);
}

#[test]
fn service_with_an_unfetchable_image_names_the_image() {
    let cluster = Cluster::with(Config {
        domain: "example.com".to_string(),
        unfetchable_images: vec!["ghcr.io/x:*".to_string()],
        ..Config::default()
    });
    cluster.service("default", "bad", "ghcr.io/x:bad");
    until_failed(&cluster, "bad");
    // The controller's Warning event follows the status; wait for it too.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !cluster
        .knit(&["service", "diagnose", "bad", "-o", "json"])
        .stdout
        .contains("InternalError")
    {
        assert!(std::time::Instant::now() < deadline, "no Warning event");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = cluster.knit(&["service", "diagnose", "bad"]);
    insta::assert_snapshot!("service_unfetchable", out.snapshot());
    assert_eq!(out.code, 1);

    let out = cluster.knit(&["service", "diagnose", "bad", "-o", "json"]);
    assert_eq!(out.code, 1);
    let d = json(&out);
    assert_eq!(d["healthy"], false);
    assert_eq!(
        d["verdict"],
        "image ghcr.io/x:bad cannot be pulled (ContainerMissing on revision bad-00001): check the image name or the pull secret"
    );
    assert_eq!(d["tree"]["children"][0]["children"][0]["name"], "bad-00001");
    assert_eq!(d["tree"]["children"][0]["children"][0]["health"], "Failed");
}

#[test]
fn pods_that_cannot_pull_their_image_are_counted() {
    // dev.local skips tag resolution, so the image reaches the kubelet and its pods fail to pull.
    let cluster = Cluster::with(Config {
        domain: "example.com".to_string(),
        unfetchable_images: vec!["dev.local/x:*".to_string()],
        ..Config::default()
    });
    cluster.service("default", "pull", "dev.local/x:bad");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let out = loop {
        let out = cluster.knit(&["service", "diagnose", "pull", "-o", "json"]);
        // The kubelet records the pull failure's events before the pod's status says so;
        // wait for the container's waiting reason, which the verdict is drawn from.
        if out.stdout.contains("\"source\": \"container\"") {
            break out;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no pull failure seen: {}",
            out.text()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(out.code, 1);
    let verdict = json(&out)["verdict"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        verdict.starts_with("image dev.local/x:bad cannot be pulled (")
            && verdict.ends_with(" pod): check the image name or the pull secret"),
        "{verdict}"
    );
    let d = json(&out);
    let pod = &d["tree"]["children"][0]["children"][0]["children"][0]["children"][0];
    assert_eq!(pod["kind"], "Pod");
    assert_eq!(pod["findings"][0]["source"], "container");
    assert_eq!(pod["findings"][0]["image"], "dev.local/x:bad");
}

#[test]
fn healthy_service_exits_zero() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    let out = cluster.knit(&["service", "diagnose", "hello"]);
    insta::assert_snapshot!("service_healthy", pods_redacted(&out));
    assert_eq!(out.code, 0);
    cluster
        .knit(&["service", "diagnose", "nope"])
        .assert_stderr(
            1,
            "Error: services.serving.knative.dev \"nope\" not found\nRun 'knit --help' for usage\n",
        );
}

#[test]
fn trigger_whose_broker_is_missing() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "sink", "gcr.io/knative-samples/helloworld-go");
    cluster
        .knit(&[
            "trigger",
            "create",
            "t",
            "--broker",
            "nope",
            "--sink",
            "ksvc:sink",
        ])
        .ok();
    cluster.until_ready("serving.knative.dev", "services", "default", "sink");
    let out = cluster.knit(&["trigger", "diagnose", "t"]);
    insta::assert_snapshot!("trigger_missing_broker", out.snapshot());
    assert_eq!(out.code, 1);

    // Once the broker exists the trigger and the broker (with the trigger on it) are healthy.
    cluster.knit(&["broker", "create", "nope"]).ok();
    cluster.until_ready("eventing.knative.dev", "triggers", "default", "t");
    let out = cluster.knit(&["broker", "diagnose", "nope"]);
    insta::assert_snapshot!("broker_healthy", out.snapshot());
    assert_eq!(out.code, 0);
}

#[test]
fn kubectl_auth_whoami_and_can_i() {
    let cluster = Cluster::start();
    let Some(out) = cluster.kubectl(&["auth", "whoami"], "") else {
        return;
    };
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (
            0,
            "ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [system:masters system:authenticated]\n"
        ),
        "{}",
        out.text()
    );
    let out = cluster
        .kubectl(&["auth", "can-i", "create", "ksvc"], "")
        .unwrap();
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "yes\n"),
        "{}",
        out.text()
    );
    let out = cluster
        .kubectl(
            &[
                "auth",
                "can-i",
                "delete",
                "triggers.eventing.knative.dev",
                "-n",
                "x",
            ],
            "",
        )
        .unwrap();
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "yes\n"),
        "{}",
        out.text()
    );
    let out = cluster.kubectl(&["auth", "can-i", "--list"], "").unwrap();
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (
            0,
            "Resources   Non-Resource URLs   Resource Names   Verbs\n*.*         []                  []               [*]\n            [*]                 []               [*]\n"
        ),
        "{}",
        out.text()
    );
}

#[test]
fn source_whose_sink_is_missing_then_created() {
    let cluster = Cluster::start();
    // knit checks the sink on create: it goes after.
    cluster.ready_service("default", "later", "gcr.io/knative-samples/helloworld-go");
    cluster
        .knit(&["source", "ping", "create", "p", "--sink", "ksvc:later"])
        .ok();
    cluster.knit(&["service", "delete", "later"]).ok();
    // The reconciler's SinkNotFound Warning follows the status; wait for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !cluster
        .knit(&["source", "ping", "diagnose", "p"])
        .stdout
        .contains("SinkNotFound")
    {
        assert!(std::time::Instant::now() < deadline, "no Warning event");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = cluster.knit(&["source", "ping", "diagnose", "p"]);
    insta::assert_snapshot!("source_missing_sink", out.snapshot());
    assert_eq!(out.code, 1);
    let out = cluster.knit(&["source", "ping", "diagnose", "p", "-o", "json"]);
    assert_eq!(out.code, 1);
    let d = json(&out);
    assert_eq!(d["healthy"], false);
    assert_eq!(d["tree"]["kind"], "PingSource");
    assert_eq!(d["tree"]["children"][0]["health"], "Missing");
    assert_eq!(d["tree"]["children"][0]["detail"], "sink, not found");

    // Once the sink exists the source is Ready; the old Warning is from before that.
    cluster.ready_service("default", "later", "gcr.io/knative-samples/helloworld-go");
    cluster.until_ready("sources.knative.dev", "pingsources", "default", "p");
    let out = cluster.knit(&["source", "ping", "diagnose", "p"]);
    insta::assert_snapshot!("source_healthy", out.snapshot());
    assert_eq!(out.code, 0);
}

#[test]
fn source_whose_sink_is_not_ready() {
    let cluster = Cluster::with(Config {
        domain: "example.com".to_string(),
        unfetchable_images: vec!["ghcr.io/x:*".to_string()],
        ..Config::default()
    });
    cluster.service("default", "bad", "ghcr.io/x:bad");
    until_failed(&cluster, "bad");
    cluster
        .knit(&[
            "source",
            "container",
            "create",
            "src",
            "--image",
            "img",
            "--sink",
            "ksvc:bad",
        ])
        .ok();
    let out = cluster.knit(&["source", "container", "diagnose", "src"]);
    insta::assert_snapshot!("source_sink_not_ready", out.snapshot());
    assert_eq!(out.code, 1);
    let out = cluster.knit(&["source", "container", "diagnose", "src", "-o", "yaml"]);
    insta::assert_snapshot!("source_diagnose_bad_output", out.snapshot());
    assert_eq!(out.code, 2);
}

#[test]
fn channel_and_subscription_trees() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "sink", "gcr.io/knative-samples/helloworld-go");
    cluster.knit(&["channel", "create", "ch"]).ok();
    cluster
        .knit(&[
            "subscription",
            "create",
            "s",
            "--channel",
            "ch",
            "--sink",
            "ksvc:sink",
        ])
        .ok();
    cluster.until_ready("messaging.knative.dev", "subscriptions", "default", "s");
    let out = cluster.knit(&["channel", "diagnose", "ch"]);
    insta::assert_snapshot!("channel_healthy", out.snapshot());
    assert_eq!(out.code, 0);
    let out = cluster.knit(&["subscription", "diagnose", "s"]);
    insta::assert_snapshot!("subscription_healthy", out.snapshot());
    assert_eq!(out.code, 0);

    // A subscription to a channel that does not exist.
    cluster
        .knit(&[
            "subscription",
            "create",
            "orphan",
            "--channel",
            "nope",
            "--sink",
            "ksvc:sink",
        ])
        .ok();
    // The reconciler's ChannelReferenceFailed Warning follows the status; wait for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !cluster
        .knit(&["subscription", "diagnose", "orphan"])
        .stdout
        .contains("event ChannelReferenceFailed")
    {
        assert!(std::time::Instant::now() < deadline, "no Warning event");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = cluster.knit(&["subscription", "diagnose", "orphan"]);
    insta::assert_snapshot!("subscription_missing_channel", out.snapshot());
    assert_eq!(out.code, 1);
}
