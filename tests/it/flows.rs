//! The `flows` nouns against the emulator: `sequence`, `parallel`, `jobsink` and `requestreply`
//! create → describe → list → update → delete, the objects stored and the children the
//! emulator's controllers make (channels and subscriptions of the flows), and a validation
//! error of the Eventing webhook surfacing with its exit code.

use crate::common::{self, assert_snapshot_table};

use common::Cluster;
use serde_json::json;

const FLOWS: &str = "flows.knative.dev";
const MESSAGING: &str = "messaging.knative.dev";

fn ksvc_ref(name: &str) -> serde_json::Value {
    json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": name, "namespace": "default"}})
}

fn broker_ref(name: &str) -> serde_json::Value {
    json!({"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": name, "namespace": "default"}})
}

fn imc_ref(name: &str) -> serde_json::Value {
    json!({"ref": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "name": name, "namespace": "default"}})
}

#[test]
fn sequence_lifecycle() {
    let cluster = Cluster::start();
    for name in ["first", "second"] {
        cluster.ready_service("default", name, "gcr.io/knative-samples/helloworld-go");
    }
    cluster.knit(&["broker", "create", "default"]).ok();
    cluster
        .knit(&["sequence", "list"])
        .assert_stdout("No sequences found.\n");
    cluster
        .run("sequence create seq --step first --step ksvc:second --reply broker:default")
        .assert_stdout("Sequence 'seq' created in namespace 'default'.\n");
    let seq = cluster.until_ready(FLOWS, "sequences", "default", "seq");
    assert_eq!(
        seq["spec"]["steps"],
        json!([ksvc_ref("first"), ksvc_ref("second")])
    );
    assert_eq!(seq["spec"]["reply"], broker_ref("default"));
    // The webhook filled in the namespace's default channel template.
    assert_eq!(
        seq["spec"]["channelTemplate"],
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel"})
    );
    assert_eq!(
        seq["status"]["address"]["url"],
        "http://seq-kn-sequence-0-kn-channel.default.svc.cluster.local"
    );
    // Step 0 replies to the channel of step 1; the last step to the sequence's reply.
    let sub0 = cluster.until_ready(MESSAGING, "subscriptions", "default", "seq-kn-sequence-0");
    assert_eq!(sub0["spec"]["subscriber"], ksvc_ref("first"));
    assert_eq!(sub0["spec"]["reply"], imc_ref("seq-kn-sequence-1"));
    let sub1 = cluster.until_ready(MESSAGING, "subscriptions", "default", "seq-kn-sequence-1");
    assert_eq!(sub1["spec"]["reply"], broker_ref("default"));
    assert_eq!(sub1["metadata"]["ownerReferences"][0]["kind"], "Sequence");
    assert_snapshot_table!(
        cluster,
        &[
            ("sequence_describe", &["sequence", "describe", "seq"]),
            ("sequence_list", &["seq", "ls"]),
        ],
    );
    cluster
        .knit(&["sequence", "describe", "seq", "-o", "url"])
        .assert_stdout("http://seq-kn-sequence-0-kn-channel.default.svc.cluster.local\n");
    let names = cluster.knit(&["sequence", "list", "-o", "name"]);
    names.assert_stdout("sequence.flows.knative.dev/seq\n");

    cluster
        .run("sequence update seq --step ksvc:second --no-reply")
        .assert_stdout("Sequence 'seq' updated in namespace 'default'.\n");
    let seq = cluster.until_ready(FLOWS, "sequences", "default", "seq");
    assert_eq!(seq["spec"]["steps"], json!([ksvc_ref("second")]));
    assert!(seq["spec"].get("reply").is_none(), "{seq:#}");
    // The second step's channel and subscription are gone; step 0 now has no reply.
    cluster.until_gone(MESSAGING, "subscriptions", "default", "seq-kn-sequence-1");
    cluster.until_gone(
        MESSAGING,
        "inmemorychannels",
        "default",
        "seq-kn-sequence-1",
    );
    let sub0 = cluster.until_ready(MESSAGING, "subscriptions", "default", "seq-kn-sequence-0");
    assert_eq!(sub0["spec"]["subscriber"], ksvc_ref("second"));
    assert!(sub0["spec"].get("reply").is_none(), "{sub0:#}");

    cluster
        .knit(&["sequence", "delete", "seq"])
        .assert_stdout("Sequence 'seq' deleted in namespace 'default'.\n");
    cluster.until_gone(FLOWS, "sequences", "default", "seq");
}

#[test]
fn sequence_errors() {
    let cluster = Cluster::start();
    cluster.knit(&["sequence", "create", "s"]).assert_stderr(2, "Error: 'knit sequence create' requires at least one step given with --step\nRun 'knit sequence create --help' for usage\n");
    cluster.knit(&["sequence", "create", "s", "--step", "ksvc:absent"]).assert_stderr(1, "Error: services.serving.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n");
    cluster.knit(&["sequence", "update", "s", "--reply", "https://r.example.com", "--no-reply"]).assert_stderr(2, "Error: --reply and --no-reply cannot be used together\nRun 'knit sequence update --help' for usage\n");
    assert!(cluster.get(FLOWS, "sequences", "default", "s").is_none());
}

#[test]
fn parallel_lifecycle() {
    let cluster = Cluster::start();
    for name in ["audit", "is-order", "orders"] {
        cluster.ready_service("default", name, "gcr.io/knative-samples/helloworld-go");
    }
    cluster.knit(&["broker", "create", "default"]).ok();
    cluster
        .run("parallel create par --branch audit --branch filter=ksvc:is-order,subscriber=ksvc:orders,reply=https://r.example.com --reply broker:default")
        .assert_stdout("Parallel 'par' created in namespace 'default'.\n");
    let par = cluster.until_ready(FLOWS, "parallels", "default", "par");
    assert_eq!(
        par["spec"]["branches"],
        json!([
            {"subscriber": ksvc_ref("audit")},
            {"filter": ksvc_ref("is-order"), "subscriber": ksvc_ref("orders"), "reply": {"uri": "https://r.example.com"}},
        ])
    );
    assert_eq!(
        par["status"]["address"]["url"],
        "http://par-kn-parallel-kn-channel.default.svc.cluster.local"
    );
    // Branch 0 has no filter: the ingress channel feeds its channel directly; branch 1's
    // filter replies into its channel, whose subscriber replies to the branch's own reply.
    let f0 = cluster.until_ready(
        MESSAGING,
        "subscriptions",
        "default",
        "par-kn-parallel-filter-0",
    );
    assert_eq!(f0["spec"]["subscriber"], imc_ref("par-kn-parallel-0"));
    let f1 = cluster.until_ready(
        MESSAGING,
        "subscriptions",
        "default",
        "par-kn-parallel-filter-1",
    );
    assert_eq!(f1["spec"]["subscriber"], ksvc_ref("is-order"));
    assert_eq!(f1["spec"]["reply"], imc_ref("par-kn-parallel-1"));
    let s0 = cluster.until_ready(MESSAGING, "subscriptions", "default", "par-kn-parallel-0");
    assert_eq!(s0["spec"]["reply"], broker_ref("default"));
    let s1 = cluster.until_ready(MESSAGING, "subscriptions", "default", "par-kn-parallel-1");
    assert_eq!(s1["spec"]["reply"], json!({"uri": "https://r.example.com"}));
    // Parallel's CRD has no lastTransitionTime in its conditions' schema, so the API server
    // prunes it and describe shows no condition ages, as on a real cluster.
    assert!(
        par["status"]["conditions"][0]
            .get("lastTransitionTime")
            .is_none()
    );
    assert_snapshot_table!(
        cluster,
        &[
            ("parallel_describe", &["parallel", "describe", "par"]),
            ("parallel_list", &["parallels", "list"]),
        ],
    );
    cluster
        .run("parallel update par --branch subscriber=ksvc:orders")
        .assert_stdout("Parallel 'par' updated in namespace 'default'.\n");
    let par = cluster.until_ready(FLOWS, "parallels", "default", "par");
    assert_eq!(
        par["spec"]["branches"],
        json!([{"subscriber": ksvc_ref("orders")}])
    );
    assert_eq!(par["spec"]["reply"], broker_ref("default"));
    cluster.until_gone(
        MESSAGING,
        "subscriptions",
        "default",
        "par-kn-parallel-filter-1",
    );
    cluster.until_gone(
        MESSAGING,
        "inmemorychannels",
        "default",
        "par-kn-parallel-1",
    );
    cluster.knit(&["parallel", "create", "p2", "--branch", "filter=ksvc:f"]).assert_stderr(2, "Error: invalid argument \"filter=ksvc:f\" for \"--branch\" flag: a branch needs 'subscriber=SINK'\nRun 'knit parallel create --help' for usage\n");
    cluster
        .knit(&["parallel", "delete", "par"])
        .assert_stdout("Parallel 'par' deleted in namespace 'default'.\n");
    cluster.until_gone(FLOWS, "parallels", "default", "par");
}

#[test]
fn jobsink_lifecycle() {
    let cluster = Cluster::start();
    cluster
        .run("jobsink create printer --image docker.io/library/bash:5 --cmd cat --arg /etc/jobsink-event/event --env LEVEL=debug")
        .assert_stdout("JobSink 'printer' created in namespace 'default'.\n");
    let js = cluster.until_ready("sinks.knative.dev", "jobsinks", "default", "printer");
    // The webhook tells the container it runs in batch mode.
    assert_eq!(
        js["spec"]["job"]["spec"]["template"]["spec"]["containers"][0]["env"],
        json!([{"name": "LEVEL", "value": "debug"}, {"name": "K_EXECUTION_MODE", "value": "batch"}])
    );
    assert_eq!(
        js["status"]["address"]["url"],
        "http://job-sink.knative-eventing.svc.cluster.local/default/printer"
    );
    assert_eq!(
        js["status"]["job"]["selector"],
        "sinks.knative.dev/job-sink-name=printer"
    );
    assert_snapshot_table!(
        cluster,
        &[
            ("jobsink_describe", &["jobsink", "describe", "printer"]),
            ("jobsink_list", &["jobsinks", "list"]),
        ],
    );
    cluster
        .run("jobsink update printer --image docker.io/library/bash:5.2 --env LEVEL-")
        .assert_stdout("JobSink 'printer' updated in namespace 'default'.\n");
    let js = cluster.until_ready("sinks.knative.dev", "jobsinks", "default", "printer");
    let c = &js["spec"]["job"]["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(c["image"], "docker.io/library/bash:5.2");
    assert_eq!(
        c["env"],
        json!([{"name": "K_EXECUTION_MODE", "value": "batch"}])
    );
    assert_eq!(c["command"], json!(["cat"]));
    cluster.knit(&["jobsink", "create", "j"]).assert_stderr(2, "Error: 'knit jobsink create' requires the image given with --image\nRun 'knit jobsink create --help' for usage\n");
    cluster
        .knit(&["jobsink", "delete", "printer"])
        .assert_stdout("JobSink 'printer' deleted in namespace 'default'.\n");
    cluster.until_gone("sinks.knative.dev", "jobsinks", "default", "printer");
}

#[test]
fn requestreply_lifecycle() {
    let cluster = Cluster::start();
    cluster.knit(&["broker", "create", "default"]).ok();
    cluster
        .run("requestreply create rr --broker default")
        .assert_stdout("RequestReply 'rr' created in namespace 'default'.\n");
    let rr = cluster.until_ready("eventing.knative.dev", "requestreplies", "default", "rr");
    // Defaults from the webhook.
    assert_eq!(rr["spec"]["timeout"], "PT30S");
    assert_eq!(rr["spec"]["correlationAttribute"], "correlationid");
    assert_eq!(rr["spec"]["replyAttribute"], "replyid");
    assert_eq!(
        rr["metadata"]["labels"]["eventing.knative.dev/broker"],
        "default"
    );
    assert_eq!(
        rr["status"]["address"]["url"],
        "http://request-reply.knative-eventing.svc.cluster.local/default/rr"
    );
    assert_snapshot_table!(
        cluster,
        &[
            ("requestreply_describe", &["requestreply", "describe", "rr"]),
            ("requestreply_list", &["requestreplies", "list"]),
        ],
    );
    cluster
        .run("requestreply update rr --timeout PT1M --dead-letter-sink https://dls.example.com")
        .assert_stdout("RequestReply 'rr' updated in namespace 'default'.\n");
    let spec = &cluster
        .get("eventing.knative.dev", "requestreplies", "default", "rr")
        .unwrap()["spec"];
    assert_eq!(spec["timeout"], "PT1M");
    assert_eq!(
        spec["delivery"],
        json!({"deadLetterSink": {"uri": "https://dls.example.com"}})
    );
    // The webhook's verdict surfaces with exit code 1, and nothing is stored.
    cluster.run("requestreply create bad --broker default --timeout PT0S --reply-attribute type").assert_stderr(1, "Error: cannot create request-reply 'bad' in namespace 'default' because: admission webhook \"validation.webhook.eventing.knative.dev\" denied the request: validation failed: invalid value: PT0S: spec.timeout\ntimeout must be a positive duration\ninvalid value: type: spec.replyattribute\nreplyattribute must be non-empty and cannot be a core cloudevent attribute (id, type, specversion, source)\nRun 'knit --help' for usage\n");
    assert!(
        cluster
            .get("eventing.knative.dev", "requestreplies", "default", "bad")
            .is_none()
    );
    // Without the broker, BrokerReady is Unknown and names it.
    cluster.run("requestreply create lone --broker absent").ok();
    cluster
        .knit(&["requestreply", "delete", "rr"])
        .assert_stdout("RequestReply 'rr' deleted in namespace 'default'.\n");
    cluster.until_gone("eventing.knative.dev", "requestreplies", "default", "rr");
}
