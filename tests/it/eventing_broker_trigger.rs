//! `broker` and `trigger` against the emulator: every verb and flag family, the stored objects,
//! the controller-filled status (broker URL, trigger subscriber URI, readiness), error messages,
//! sinks, and kubectl reading what knit wrote (and knit describing what kubectl applied).

use crate::common::{self, assert_snapshot_table};

use common::Cluster;
use serde_json::{Value, json};

const EVENTING: &str = "eventing.knative.dev";

fn broker(cluster: &Cluster, name: &str) -> Value {
    cluster
        .get(EVENTING, "brokers", "default", name)
        .expect("broker stored")
}

fn trigger(cluster: &Cluster, name: &str) -> Value {
    cluster
        .get(EVENTING, "triggers", "default", name)
        .expect("trigger stored")
}

#[test]
fn broker_lifecycle() {
    let cluster = Cluster::start();
    cluster
        .knit(&["broker", "list"])
        .assert_stdout("No brokers found.\n");
    cluster
        .knit(&["broker", "create", "default"])
        .assert_stdout("Broker 'default' successfully created in namespace 'default'.\n");
    let stored = cluster.until_ready(EVENTING, "brokers", "default", "default");
    assert_eq!(
        stored["status"]["address"]["url"],
        "http://broker-ingress.knative-eventing.svc.cluster.local/default/default"
    );
    // The class the webhook defaults; knit sent no delivery and no config of its own.
    assert_eq!(
        stored["metadata"]["annotations"]["eventing.knative.dev/broker.class"],
        "MTChannelBasedBroker"
    );
    assert_snapshot_table!(
        cluster,
        &[
            ("broker_list", &["broker", "list"]),
            ("broker_describe", &["broker", "describe", "default"]),
        ],
    );
    cluster
        .knit(&["broker", "describe", "default", "-o", "url"])
        .assert_stdout(
            "http://broker-ingress.knative-eventing.svc.cluster.local/default/default\n",
        );
    cluster
        .knit(&["brokers", "ls", "-o", "name"])
        .assert_stdout("broker.eventing.knative.dev/default\n");
    let out = cluster.knit(&["broker", "describe", "default", "-o", "json"]);
    let json: Value = serde_json::from_str(&out.ok().stdout).expect("json");
    assert_eq!(json["kind"], "Broker");
    assert!(json["metadata"].get("managedFields").is_none());

    cluster
        .knit(&["broker", "delete", "default", "--wait"])
        .assert_stdout("Broker 'default' successfully deleted in namespace 'default'.\n");
    assert!(
        cluster
            .get(EVENTING, "brokers", "default", "default")
            .is_none()
    );
    cluster.knit(&["broker", "delete", "default"]).assert_stderr(1, "Error: cannot delete broker 'default' in namespace 'default' because: brokers.eventing.knative.dev \"default\" not found\nRun 'knit --help' for usage\n");
}

#[test]
fn broker_create_flags_are_stored() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "dls", "gcr.io/knative-samples/helloworld-go");
    cluster.run("broker create kafka --class Kafka --broker-config sc:spec-sc:test --dl-sink dls --retry 3 --timeout PT10S --backoff-policy linear --backoff-delay PT0.5S")
        .ok();
    let stored = broker(&cluster, "kafka");
    assert_eq!(
        stored["metadata"]["annotations"]["eventing.knative.dev/broker.class"],
        "Kafka"
    );
    assert_eq!(
        stored["spec"]["config"],
        json!({"apiVersion": "v1", "kind": "Secret", "name": "spec-sc", "namespace": "test"})
    );
    assert_eq!(
        stored["spec"]["delivery"],
        json!({
            "deadLetterSink": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "dls", "namespace": "default"}},
            "retry": 3,
            "timeout": "PT10S",
            "backoffPolicy": "linear",
            "backoffDelay": "PT0.5S"
        })
    );
    // Knative refuses retryAfterMax unless its feature flag is on; the webhook's words reach
    // the user unchanged, inside kn's sentence.
    cluster.knit(&["broker", "create", "b2", "--retry-after-max", "PT1M"]).assert_stderr(1, "Error: cannot create broker 'b2' in namespace 'default' because: admission webhook \"validation.webhook.eventing.knative.dev\" denied the request: validation failed: must not set the field(s): spec.delivery.retryAfterMax\nRun 'knit --help' for usage\n");
}

#[test]
fn broker_update_changes_only_given_delivery_fields() {
    let cluster = Cluster::start();
    cluster
        .run("broker create b --retry 5 --backoff-policy exponential")
        .ok();
    cluster
        .run("broker update b --retry 2 --dl-sink https://dls.example.com")
        .assert_stdout("Broker 'b' updated in namespace 'default'.\n");
    let delivery = &broker(&cluster, "b")["spec"]["delivery"];
    assert_eq!(delivery["retry"], 2);
    assert_eq!(delivery["backoffPolicy"], "exponential");
    assert_eq!(
        delivery["deadLetterSink"],
        json!({"uri": "https://dls.example.com"})
    );
    cluster.knit(&["broker", "update", "b"]).assert_stderr(
        2,
        "Error: flag(s) not set\nUsage: update NAME\nRun 'knit broker update --help' for usage\n",
    );
    cluster.knit(&["broker", "update", "absent", "--retry", "1"]).assert_stderr(1, "Error: brokers.eventing.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n");
}

#[test]
fn broker_flag_errors_are_found_before_any_request() {
    let cluster = Cluster::start();
    cluster.knit(&["broker", "create", "b", "--broker-config", "cm:x"]).assert_stderr(2, "Error: cannot set broker-config without setting class\nRun 'knit broker create --help' for usage\n");
    cluster.knit(&["broker", "create", "b", "--class", "K", "--broker-config", "thing:x"]).assert_stderr(2, "Error: invalid argument \"thing:x\" for \"--broker-config\" flag: APIVersion could not be determined for kind \"thing\". Provide config in format: \"<apiVersion>:<kind>:<name>:<namespace>\"\nRun 'knit broker create --help' for usage\n");
    cluster.knit(&["broker", "create", "b", "--backoff-policy", "fast"]).assert_stderr(2, "Error: invalid argument \"fast\" for \"--backoff-policy\" flag: expected linear or exponential\nRun 'knit broker create --help' for usage\n");
    cluster.knit(&["broker", "create", "b", "--retry", "-1"]).assert_stderr(2, "Error: invalid argument \"-1\" for \"--retry\" flag: -1 is not in 0..=2147483647\nRun 'knit broker create --help' for usage\n");
    cluster.knit(&["broker", "create", "b", "--timeout", "ten"]).assert_stderr(2, "Error: invalid argument \"ten\" for \"--timeout\" flag: expected an ISO-8601 duration such as PT1S, PT0.5S or P1DT2H\nRun 'knit broker create --help' for usage\n");
    cluster.knit(&["broker", "create"]).assert_stderr(2, "Error: 'broker create' requires the broker name given as single argument\nRun 'knit broker create --help' for usage\n");
    // A dead letter sink naming a missing object fails before the broker is created.
    cluster.knit(&["broker", "create", "b", "--dl-sink", "broker:absent"]).assert_stderr(1, "Error: brokers.eventing.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n");
    assert!(cluster.get(EVENTING, "brokers", "default", "b").is_none());
}

#[test]
fn broker_list_across_namespaces() {
    let cluster = Cluster::start();
    cluster.namespace("other");
    cluster
        .knit(&["broker", "create", "b1", "-n", "other"])
        .ok();
    cluster.knit(&["broker", "create", "b2"]).ok();
    cluster.until_ready(EVENTING, "brokers", "other", "b1");
    cluster.until_ready(EVENTING, "brokers", "default", "b2");
    assert_snapshot_table!(
        cluster,
        &[
            ("broker_list_all_namespaces", &["broker", "list", "-A"]),
            (
                "broker_list_no_headers",
                &["broker", "list", "-n", "other", "--no-headers"]
            ),
        ],
    );
}

#[test]
fn trigger_lifecycle_with_a_service_subscriber() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "mysvc", "gcr.io/knative-samples/helloworld-go");
    cluster.knit(&["broker", "create", "default"]).ok();
    cluster
        .knit(&["trigger", "list"])
        .assert_stdout("No triggers found.\n");
    cluster.run("trigger create mytrigger --filter type=dev.knative.foo,source=s --filter ext=x --sink ksvc:mysvc")
        .assert_stdout("Trigger 'mytrigger' successfully created in namespace 'default'.\n");
    let stored = cluster.until_ready(EVENTING, "triggers", "default", "mytrigger");
    assert_eq!(stored["spec"]["broker"], "default");
    assert_eq!(
        stored["spec"]["filter"],
        json!({"attributes": {"type": "dev.knative.foo", "source": "s", "ext": "x"}})
    );
    assert_eq!(
        stored["spec"]["subscriber"],
        json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "mysvc", "namespace": "default"}})
    );
    assert_eq!(
        stored["status"]["subscriberUri"],
        "http://mysvc.default.svc.cluster.local"
    );
    assert_snapshot_table!(
        cluster,
        &[
            ("trigger_list", &["trigger", "list"]),
            ("trigger_describe", &["trigger", "describe", "mytrigger"]),
        ],
    );

    cluster.run("trigger update mytrigger --filter type=dev.knative.bar --filter source- --sink https://event.receiver")
        .assert_stdout("Trigger 'mytrigger' updated in namespace 'default'.\n");
    let stored = trigger(&cluster, "mytrigger");
    assert_eq!(
        stored["spec"]["filter"],
        json!({"attributes": {"type": "dev.knative.bar", "ext": "x"}})
    );
    assert_eq!(
        stored["spec"]["subscriber"],
        json!({"uri": "https://event.receiver"})
    );
    cluster
        .knit(&["trigger", "delete", "mytrigger"])
        .assert_stdout("Trigger 'mytrigger' deleted in namespace 'default'.\n");
    assert!(
        cluster
            .get(EVENTING, "triggers", "default", "mytrigger")
            .is_none()
    );
}

#[test]
fn trigger_without_filters_sends_no_filter_and_other_brokers_work() {
    let cluster = Cluster::start();
    cluster.knit(&["broker", "create", "nest"]).ok();
    let out = cluster.run("trigger create t --broker nest --sink broker:nest");
    out.ok();
    let stored = cluster.until_ready(EVENTING, "triggers", "default", "t");
    // The webhook's default is an empty filter: nothing of knit's (kn sent `attributes: {}`).
    assert_eq!(stored["spec"]["filter"], json!({}));
    assert_eq!(stored["spec"]["broker"], "nest");
    assert_eq!(
        stored["status"]["subscriberUri"],
        "http://broker-ingress.knative-eventing.svc.cluster.local/default/nest"
    );
    insta::assert_snapshot!(cluster.knit(&["trigger", "list", "--no-headers"]).snapshot(), @r"
    exit: 0
    --- stdout
    t     nest   broker:nest   Xs    7 OK / 7   True   
    --- stderr
    ");
    // Removing the last filter leaves no empty attributes map behind.
    cluster
        .knit(&["trigger", "update", "t", "--filter", "type=a"])
        .ok();
    cluster
        .knit(&["trigger", "update", "t", "--filter", "type-"])
        .ok();
    assert_eq!(trigger(&cluster, "t")["spec"]["filter"], json!({}));
}

#[test]
fn trigger_errors() {
    let cluster = Cluster::start();
    cluster.knit(&["trigger", "create", "t", "--sink", "ksvc:absent"]).assert_stderr(1, "Error: cannot create trigger 't' in namespace 'default' because: services.serving.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n");
    assert!(cluster.get(EVENTING, "triggers", "default", "t").is_none());
    cluster.knit(&["trigger", "create", "t", "--sink", "svc:absent:other"]).assert_stderr(1, "Error: cannot create trigger 't' in namespace 'default' because: services \"absent\" not found\nRun 'knit --help' for usage\n");
    cluster.knit(&["trigger", "create", "t", "--sink", "foo:bar"]).assert_stderr(2, "Error: invalid argument \"foo:bar\" for \"--sink\" flag: unknown prefix 'foo'; expected NAME (a Knative service), PREFIX:NAME or PREFIX:NAME:NAMESPACE with PREFIX one of ksvc, kservice, broker, channel, svc, service, a sink mapping of the configuration file or GROUP/VERSION/RESOURCE, each optionally followed by /PATH, or an http:// or https:// URL\nRun 'knit trigger create --help' for usage\n");
    cluster.knit(&["trigger", "create", "t", "--sink", "https://x.y", "--filter", "type"]).assert_stderr(2, "Error: invalid argument \"type\" for \"--filter\" flag: Argument requires a value that contains the \"=\" character as delimiter; got \"type\"\nRun 'knit trigger create --help' for usage\n");
    cluster.knit(&["trigger", "create", "t"]).assert_stderr(
        2,
        "Error: required flag(s) \"sink\" not set\nRun 'knit trigger create --help' for usage\n",
    );
    cluster.knit(&["trigger", "update"]).assert_stderr(
        2,
        "Error: name of trigger required\nRun 'knit trigger update --help' for usage\n",
    );
    cluster.knit(&["trigger", "describe", "a", "b"]).assert_stderr(2, "Error: 'knit trigger describe' requires name of the trigger as single argument\nRun 'knit trigger describe --help' for usage\n");
    cluster.knit(&["trigger", "describe", "absent"]).assert_stderr(1, "Error: triggers.eventing.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n");
}

#[test]
fn trigger_on_a_missing_broker_is_not_ready_with_the_reason() {
    let cluster = Cluster::start();
    cluster
        .run("trigger create t --broker absent --sink https://x.y")
        .ok();
    // Wait for the controller's verdict, then show it the way kn does.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let t = trigger(&cluster, "t");
        let ready = t["status"]["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["type"] == "Ready")
            .cloned();
        if ready.is_some_and(|c| c["status"] == "False") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no verdict: {t:#}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    cluster.knit(&["trigger", "list"]).assert_stdout("NAME   BROKER   SINK          AGE   CONDITIONS   READY   REASON\nt      absent   https://x.y   Xs    0 OK / 7     False   BrokerDoesNotExist : Broker \"absent\" does not exist\n");
}

#[test]
fn trigger_list_all_namespaces_puts_default_first() {
    let cluster = Cluster::start();
    cluster.namespace("abc");
    cluster.namespace("zzz");
    for ns in ["zzz", "default", "abc"] {
        cluster
            .knit(&["trigger", "create", "t", "-n", ns, "--sink", "https://x.y"])
            .ok();
    }
    let out =
        cluster.run("trigger list -A -o 'jsonpath={range .items[*]}{.metadata.namespace} {end}'");
    assert_eq!(out.ok().stdout, "abc default zzz ");
    let out = cluster
        .knit(&["trigger", "list", "-A", "--no-headers"])
        .ok();
    let namespaces: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect();
    assert_eq!(namespaces, vec!["default", "abc", "zzz"]);
}

#[test]
fn kubectl_reads_what_knit_created() {
    let cluster = Cluster::start();
    cluster.knit(&["broker", "create", "default"]).ok();
    cluster
        .run("trigger create t1 --filter type=x --sink https://x.y")
        .ok();
    cluster.until_ready(EVENTING, "brokers", "default", "default");
    cluster.until_ready(EVENTING, "triggers", "default", "t1");
    let got = cluster
        .kubectl(&["get", "brokers,triggers"], "")
        .expect("kubectl is installed");
    assert_eq!(got.code, 0, "{}", got.stderr);
    insta::assert_snapshot!(common::redact(&got.stdout), @r"
    NAME                                  URL                                                                        AGE   READY   REASON
    broker.eventing.knative.dev/default   http://broker-ingress.knative-eventing.svc.cluster.local/default/default   Xs    True    

    NAME                              BROKER    SUBSCRIBER_URI   AGE   READY   REASON
    trigger.eventing.knative.dev/t1   default   https://x.y      Xs    True    
    ");
    let got = cluster
        .kubectl(
            &[
                "get",
                "trigger",
                "t1",
                "-o",
                "jsonpath={.spec.filter.attributes.type}",
            ],
            "",
        )
        .expect("kubectl is installed");
    assert_eq!((got.code, got.stdout.as_str()), (0, "x"), "{}", got.stderr);
}

#[test]
fn knit_describes_what_kubectl_applied() {
    let cluster = Cluster::start();
    let manifest = r#"
apiVersion: eventing.knative.dev/v1
kind: Broker
metadata:
  name: applied
  annotations:
    eventing.knative.dev/broker.class: MTChannelBasedBroker
spec:
  delivery:
    retry: 4
---
apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: applied-trigger
spec:
  broker: applied
  filter:
    attributes:
      type: z.type
      source: a.source
  subscriber:
    ref:
      apiVersion: eventing.knative.dev/v1
      kind: Broker
      name: applied
    uri: /extra/path
"#;
    let applied = cluster
        .kubectl(&["apply", "-f", "-"], manifest)
        .expect("kubectl is installed");
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    cluster.until_ready(EVENTING, "brokers", "default", "applied");
    cluster.until_ready(EVENTING, "triggers", "default", "applied-trigger");
    insta::assert_snapshot!(
        "kubectl_applied_trigger_describe",
        cluster
            .knit(&["trigger", "describe", "applied-trigger"])
            .snapshot()
    );
    insta::assert_snapshot!(cluster.knit(&["trigger", "list", "--no-headers"]).snapshot(), @r"
    exit: 0
    --- stdout
    applied-trigger   applied   broker:applied/extra/path   Xs    7 OK / 7   True   
    --- stderr
    ");
    // knit's update keeps what kubectl wrote that knit has no flag for.
    cluster
        .knit(&["broker", "update", "applied", "--backoff-delay", "PT1S"])
        .ok();
    assert_eq!(
        broker(&cluster, "applied")["spec"]["delivery"],
        json!({"retry": 4, "backoffDelay": "PT1S"})
    );
}

#[test]
fn broker_delete_wait_times_out_on_a_blocked_deletion() {
    let cluster = Cluster::start();
    cluster.create(
        EVENTING,
        "brokers",
        json!({"apiVersion": "eventing.knative.dev/v1", "kind": "Broker",
            "metadata": {"name": "stuck", "namespace": "default", "finalizers": ["example.com/block"]}}),
    );
    cluster.knit(&["broker", "delete", "stuck", "--wait", "--wait-timeout", "1"]).assert_stderr(1, "Error: cannot delete broker 'stuck' in namespace 'default' because: timeout: broker 'stuck' not ready after 1 seconds\nRun 'knit --help' for usage\n");
    // The broker is marked for deletion and waits for its finalizer.
    assert!(broker(&cluster, "stuck")["metadata"]["deletionTimestamp"].is_string());
    cluster.knit(&["broker", "delete", "stuck", "--wait=false"]).assert_stderr(2, "Error: use --no-wait instead of providing \"false\" to --wait\nRun 'knit broker delete --help' for usage\n");
}
