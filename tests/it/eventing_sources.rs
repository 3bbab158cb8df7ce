//! `source list`, `source list-types` and the four built-in source kinds (ping, apiserver,
//! binding, container) against the emulator: every verb and flag family, stored objects,
//! controller-filled status (sink URI, readiness) and error messages.

use crate::common::{self, assert_snapshot_table};

use common::Cluster;
use serde_json::{Value, json};

const SOURCES: &str = "sources.knative.dev";
const BROKER_URL: &str = "http://broker-ingress.knative-eventing.svc.cluster.local/default/default";

fn source(cluster: &Cluster, resource: &str, name: &str) -> Value {
    cluster
        .get(SOURCES, resource, "default", name)
        .unwrap_or_else(|| panic!("{resource} {name} stored"))
}

/// A cluster with a ready broker `default` to send events to.
fn with_broker() -> Cluster {
    let cluster = Cluster::start();
    cluster.knit(&["broker", "create", "default"]).ok();
    cluster.until_ready("eventing.knative.dev", "brokers", "default", "default");
    cluster
}

#[test]
fn ping_source_lifecycle() {
    let cluster = with_broker();
    cluster
        .knit(&["source", "ping", "list"])
        .assert_stdout("No Ping source found.\n");
    cluster.run("source ping create my-ping --schedule '*/2 * * * *' --data '{ value: \"hello\" }' --ce-override foo=bar --ce-override other=x --sink broker:default")
        .assert_stdout("Ping source 'my-ping' created in namespace 'default'.\n");
    let stored = cluster.until_ready(SOURCES, "pingsources", "default", "my-ping");
    assert_eq!(
        stored["spec"],
        json!({
            "schedule": "*/2 * * * *",
            "data": "{ value: \"hello\" }",
            "sink": {"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default", "namespace": "default"}},
            "ceOverrides": {"extensions": {"foo": "bar", "other": "x"}}
        })
    );
    assert_eq!(stored["status"]["sinkUri"], BROKER_URL);
    assert_snapshot_table!(
        cluster,
        &[
            ("ping_list", &["source", "ping", "ls"]),
            ("ping_describe", &["source", "ping", "describe", "my-ping"]),
        ],
    );

    // `test` decodes as base64, so kn's sniffing stores it as dataBase64; --encoding text
    // forces plain data.
    cluster
        .run("source ping update my-ping --data test --ce-override foo- --schedule '* * * * *'")
        .ok();
    let spec = &source(&cluster, "pingsources", "my-ping")["spec"];
    assert_eq!(spec["dataBase64"], "test");
    assert!(spec.get("data").is_none());
    assert_eq!(spec["schedule"], "* * * * *");
    assert_eq!(spec["ceOverrides"], json!({"extensions": {"other": "x"}}));
    cluster
        .run("source ping update my-ping --data test -e text --sink https://example.com/ping")
        .assert_stdout("Ping source 'my-ping' updated in namespace 'default'.\n");
    let stored = source(&cluster, "pingsources", "my-ping");
    assert_eq!(stored["spec"]["data"], "test");
    assert!(stored["spec"].get("dataBase64").is_none());
    assert_eq!(
        stored["spec"]["sink"],
        json!({"uri": "https://example.com/ping"})
    );
    cluster
        .knit(&["source", "ping", "delete", "my-ping"])
        .assert_stdout("Ping source 'my-ping' deleted in namespace 'default'.\n");
}

#[test]
fn ping_source_errors() {
    let cluster = Cluster::start();
    // kn's own words (measured with kn v1.15.0), with or without --data, before any write.
    cluster.knit(&["source", "ping", "create", "p", "--sink", "https://x.y", "--encoding", "hex"]).assert_stderr(2, "Error: cannot create PingSource \"p\" in namespace \"default\" because: invalid value: hex. Accepted values are: text|base64\nRun 'knit source ping create --help' for usage\n");
    cluster.knit(&["source", "ping", "create", "p", "--sink", "https://x.y", "--data", "x", "--encoding", "base65"]).assert_stderr(2, "Error: cannot create PingSource \"p\" in namespace \"default\" because: invalid value: base65. Accepted values are: text|base64\nRun 'knit source ping create --help' for usage\n");
    cluster
        .run("source ping create q --sink https://x.y")
        .assert_stdout("Ping source 'q' created in namespace 'default'.\n");
    cluster.knit(&["source", "ping", "update", "q", "--encoding", "base65"]).assert_stderr(2, "Error: cannot update PingSource \"q\" in namespace \"default\" because: invalid value: base65. Accepted values are: text|base64\nRun 'knit source ping update --help' for usage\n");
    // kn leaves data that is not base64 to Knative's webhook, whose message reaches the user.
    cluster.knit(&["source", "ping", "create", "p", "--sink", "https://x.y", "--data", "not base64!", "-e", "base64"]).assert_stderr(1, "Error: admission webhook \"validation.webhook.eventing.knative.dev\" denied the request: validation failed: invalid value: illegal base64 data at input byte 3: spec.dataBase64\nRun 'knit --help' for usage\n");
    cluster.knit(&["source", "ping", "create", "p", "--sink", "broker:absent"]).assert_stderr(1, "Error: brokers.eventing.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n");
    assert!(
        cluster
            .get(SOURCES, "pingsources", "default", "p")
            .is_none()
    );
    // The schedule is checked by Knative's webhook; its message reaches the user unchanged.
    let out = cluster.run("source ping create p --sink https://x.y --schedule 'every minute'");
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.starts_with("Error: admission webhook \"validation.webhook.eventing.knative.dev\" denied the request: validation failed: invalid value: "),
        "{}",
        out.stderr
    );
    cluster.knit(&["source", "ping", "create", "--sink", "https://x.y"]).assert_stderr(2, "Error: requires the name of the Ping source to create as single argument\nRun 'knit source ping create --help' for usage\n");
    cluster.knit(&["source", "ping", "update"]).assert_stderr(
        2,
        "Error: name of Ping source required\nRun 'knit source ping update --help' for usage\n",
    );
    cluster.knit(&["source", "ping", "delete"]).assert_stderr(2, "Error: requires the name of the Ping source to delete as single argument\nRun 'knit source ping delete --help' for usage\n");
    cluster.knit(&["source", "ping", "describe"]).assert_stderr(2, "Error: 'knit source ping describe' requires name of the source as single argument\nRun 'knit source ping describe --help' for usage\n");
    cluster.knit(&["source", "ping"]).assert_stderr(2, "Error: no sub-command given for 'knit source ping'. Available sub-commands: create, delete, describe, diagnose, events, list, update\nRun 'knit source ping --help' for usage\n");
}

#[test]
fn ping_source_with_a_missing_sink_object_is_not_ready() {
    let cluster = with_broker();
    cluster
        .knit(&["source", "ping", "create", "p", "--sink", "broker:default"])
        .ok();
    cluster.until_ready(SOURCES, "pingsources", "default", "p");
    cluster
        .knit(&["broker", "delete", "default", "--wait"])
        .ok();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let out = cluster
            .knit(&["source", "ping", "list", "--no-headers"])
            .ok()
            .stdout
            .clone();
        if out.contains("False") {
            insta::assert_snapshot!(common::redact(&out), @"p     * * * * *   Broker:default   Xs    2 OK / 4   False   NotFound");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never not-ready: {out}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn apiserver_source_lifecycle() {
    let cluster = with_broker();
    cluster.run("source apiserver create k8sevents --resource Event:v1 --resource Deployment:apps/v1:app=web,tier=front --service-account myaccountname --sink broker:default --ce-override foo=bar")
        .assert_stdout("ApiServer source 'k8sevents' created in namespace 'default'.\n");
    let stored = cluster.until_ready(SOURCES, "apiserversources", "default", "k8sevents");
    assert_eq!(
        stored["spec"]["resources"],
        json!([
            {"kind": "Event", "apiVersion": "v1"},
            {"kind": "Deployment", "apiVersion": "apps/v1", "selector": {"matchLabels": {"app": "web", "tier": "front"}}}
        ])
    );
    assert_eq!(stored["spec"]["mode"], "Reference");
    assert_eq!(stored["spec"]["serviceAccountName"], "myaccountname");
    assert_eq!(stored["status"]["sinkUri"], BROKER_URL);
    // Label selectors made kn panic here.
    assert_snapshot_table!(
        cluster,
        &[
            ("apiserver_list", &["source", "apiserver", "list"]),
            (
                "apiserver_describe",
                &["source", "apiserver", "describe", "k8sevents"]
            ),
        ],
    );
    cluster.run("source apiserver update k8sevents --resource Pod:v1 --resource Event:v1- --mode Resource")
        .assert_stdout("ApiServer source 'k8sevents' updated in namespace 'default'.\n");
    let spec = &source(&cluster, "apiserversources", "k8sevents")["spec"];
    assert_eq!(
        spec["resources"],
        json!([
            {"kind": "Deployment", "apiVersion": "apps/v1", "selector": {"matchLabels": {"app": "web", "tier": "front"}}},
            {"kind": "Pod", "apiVersion": "v1"}
        ])
    );
    assert_eq!(spec["mode"], "Resource");
    cluster
        .run("source apiserver update k8sevents --resource Event:v1-")
        .assert_stderr(
            1,
            "Error: cannot find resources to remove: Event:v1\nRun 'knit --help' for usage\n",
        );
    cluster
        .knit(&["source", "apiserver", "delete", "k8sevents"])
        .assert_stdout("ApiServer source 'k8sevents' deleted in namespace 'default'.\n");
}

#[test]
fn apiserver_source_errors() {
    let cluster = Cluster::start();
    cluster.knit(&["source", "apiserver", "create", "a", "--sink", "https://x.y"]).assert_stderr(2, "Error: required flag(s) \"resource\" not set\nRun 'knit source apiserver create --help' for usage\n");
    cluster.knit(&["source", "apiserver", "create", "a", "--sink", "https://x.y", "--resource", "Event"]).assert_stderr(2, "Error: invalid argument \"Event\" for \"--resource\" flag: cannot find 'APIVersion' part in resource specification Event (expected: <kind:apiVersion[:label1=val1,label2=val2,..]>\nRun 'knit source apiserver create --help' for usage\n");
    cluster.knit(&["source", "apiserver", "create", "a", "--sink", "https://x.y", "--resource", "Event:v1:app"]).assert_stderr(2, "Error: invalid argument \"Event:v1:app\" for \"--resource\" flag: invalid label selector in resource specification Event:v1:app (expected: <kind:apiVersion[:label1=val1,label2=val2,..]>\nRun 'knit source apiserver create --help' for usage\n");
    cluster.knit(&["source", "apiserver", "create", "a", "--sink", "https://x.y", "--resource", "Event:v1", "--mode", "Full"]).assert_stderr(2, "Error: invalid argument \"Full\" for \"--mode\" flag: expected Reference or Resource\nRun 'knit source apiserver create --help' for usage\n");
    cluster.knit(&["source", "apiserver", "create", "a", "--resource", "Event:v1", "--sink", "absent"]).assert_stderr(1, "Error: cannot create ApiServerSource 'a' in namespace 'default' because: services.serving.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n");
    cluster.knit(&["source", "apiserver", "describe"]).assert_stderr(2, "Error: 'knit source apiserver describe' requires name of the source as single argument\nRun 'knit source apiserver describe --help' for usage\n");
}

#[test]
fn sink_binding_lifecycle() {
    let cluster = with_broker();
    cluster.run("source binding create my-binding --subject Deployment:apps/v1:myapp --sink broker:default")
        .assert_stdout("Sink binding 'my-binding' created in namespace 'default'.\n");
    let stored = cluster.until_ready(SOURCES, "sinkbindings", "default", "my-binding");
    assert_eq!(
        stored["spec"]["subject"],
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "name": "myapp", "namespace": "default"})
    );
    assert_eq!(stored["status"]["sinkUri"], BROKER_URL);
    insta::assert_snapshot!(
        "binding_describe",
        cluster
            .knit(&["source", "binding", "describe", "my-binding"])
            .snapshot()
    );
    cluster.run("source binding update my-binding --subject CronJob:batch/v1:app=ping,tier=x --ce-override k=v")
        .ok();
    let spec = &source(&cluster, "sinkbindings", "my-binding")["spec"];
    assert_eq!(
        spec["subject"],
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "namespace": "default", "selector": {"matchLabels": {"app": "ping", "tier": "x"}}})
    );
    assert_snapshot_table!(
        cluster,
        &[
            (
                "binding_describe_selector",
                &["source", "binding", "describe", "my-binding"]
            ),
            ("binding_list", &["source", "binding", "list"]),
        ],
    );
    cluster.knit(&["source", "binding", "create", "b", "--subject", "Deployment:apps/v1", "--sink", "https://x.y"]).assert_stderr(2, "Error: invalid argument \"Deployment:apps/v1\" for \"--subject\" flag: invalid subject argument 'Deployment:apps/v1': not in format kind:api/version:nameOrSelector\nRun 'knit source binding create --help' for usage\n");
    cluster
        .knit(&["source", "binding", "delete", "my-binding"])
        .assert_stdout("Sink binding 'my-binding' deleted in namespace 'default'.\n");
}

#[test]
fn container_source_lifecycle() {
    let cluster = with_broker();
    cluster.run("source container create src --image docker.io/sample/image --env K=V --arg --foo --sink broker:default")
        .assert_stdout("ContainerSource 'src' created in namespace 'default'.\n");
    let stored = cluster.until_ready(SOURCES, "containersources", "default", "src");
    let container = &stored["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "docker.io/sample/image");
    assert_eq!(container["env"], json!([{"name": "K", "value": "V"}]));
    assert_eq!(container["args"], json!(["--foo"]));
    assert_eq!(stored["status"]["sinkUri"], BROKER_URL);
    insta::assert_snapshot!(
        "container_describe",
        cluster
            .knit(&["source", "container", "describe", "src"])
            .snapshot()
    );
    // kn has no -o here.
    let out = cluster
        .run("source container describe src -o jsonpath={.spec.template.spec.containers[0].image}");
    assert_eq!(out.ok().stdout, "docker.io/sample/image");
    insta::assert_snapshot!(
        "container_list",
        cluster.knit(&["source", "container", "ls"]).snapshot()
    );
    cluster
        .run("source container update src --image docker.io/sample/newimage")
        .assert_stdout("Container source 'src' updated in namespace 'default'.\n");
    let container =
        &source(&cluster, "containersources", "src")["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "docker.io/sample/newimage");
    assert_eq!(container["env"], json!([{"name": "K", "value": "V"}]));
    cluster.knit(&["source", "container", "update", "src", "--sink", "broker:absent"]).assert_stderr(1, "Error: cannot update ContainerSource 'src' in namespace 'default' because: brokers.eventing.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n");
    cluster
        .knit(&["source", "container", "delete", "src"])
        .assert_stdout("ContainerSource 'src' deleted in namespace 'default'.\n");
    cluster.knit(&["source", "container", "create", "src", "--sink", "https://x.y"]).assert_stderr(2, "Error: required flag(s) \"image\" not set\nRun 'knit source container create --help' for usage\n");
}

#[test]
fn source_list_and_list_types() {
    let cluster = with_broker();
    cluster
        .knit(&["source", "list"])
        .assert_stdout("No sources found.\n");
    cluster
        .run("source ping create my-ping --sink broker:default")
        .ok();
    cluster
        .run("source apiserver create k8sevents --resource Event:v1 --sink https://x.y")
        .ok();
    cluster.until_ready(SOURCES, "pingsources", "default", "my-ping");
    cluster.until_ready(SOURCES, "apiserversources", "default", "k8sevents");
    cluster.knit(&["source", "list"]).assert_stdout("NAME        TYPE              RESOURCE                               SINK             READY\nk8sevents   ApiServerSource   apiserversources.sources.knative.dev   https://x.y      True\nmy-ping     PingSource        pingsources.sources.knative.dev        broker:default   True\n");
    cluster.knit(&["sources", "ls", "-t", "pingsource", "-A"]).assert_stdout("NAMESPACE   NAME      TYPE         RESOURCE                          SINK             READY\ndefault     my-ping   PingSource   pingsources.sources.knative.dev   broker:default   True\n");
    cluster.knit(&["source", "list", "-o", "name"]).assert_stdout("apiserversource.sources.knative.dev/k8sevents\npingsource.sources.knative.dev/my-ping\n");
    let out = cluster.knit(&["source", "list", "-o", "json"]);
    let list: Value = serde_json::from_str(&out.ok().stdout).expect("json");
    assert_eq!(list["apiVersion"], "client.knative.dev/v1alpha1");
    assert_eq!(list["kind"], "SourceList");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));

    // The emulator serves the Knative CRDs: the labelled ones are listed
    // (tests/it/eventing_list_types.rs has the tables).
    insta::assert_snapshot!(cluster.knit(&["source", "list-types", "-o", "name"]).snapshot(), @r"
    exit: 0
    --- stdout
    customresourcedefinition.apiextensions.k8s.io/apiserversources.sources.knative.dev
    customresourcedefinition.apiextensions.k8s.io/containersources.sources.knative.dev
    customresourcedefinition.apiextensions.k8s.io/integrationsources.sources.knative.dev
    customresourcedefinition.apiextensions.k8s.io/pingsources.sources.knative.dev
    customresourcedefinition.apiextensions.k8s.io/sinkbindings.sources.knative.dev
    --- stderr
    ");
}
