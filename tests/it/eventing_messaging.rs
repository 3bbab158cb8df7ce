//! `channel`, `subscription`, `eventtype` and `secret` against the emulator, and the sink syntax
//! in depth (prefixes, GVR forms, other namespaces, configured sink and channel-type mappings).

use crate::common::{self, assert_snapshot_table};

use common::Cluster;
use serde_json::{Value, json};

const MESSAGING: &str = "messaging.knative.dev";

fn stored(cluster: &Cluster, group: &str, resource: &str, name: &str) -> Value {
    cluster
        .get(group, resource, "default", name)
        .unwrap_or_else(|| panic!("{resource} {name} stored"))
}

#[test]
fn channel_lifecycle_and_types() {
    let cluster = Cluster::start();
    cluster
        .knit(&["channel", "list"])
        .assert_stdout("No channels found.\n");
    cluster
        .knit(&["channel", "create", "pipe"])
        .assert_stdout("Channel 'pipe' created in namespace 'default'.\n");
    cluster
        .knit(&["channel", "create", "imc1", "--type", "imc"])
        .ok();
    cluster
        .run("channel create imc2 --type messaging.knative.dev:v1:InMemoryChannel")
        .ok();
    assert_eq!(
        stored(&cluster, MESSAGING, "channels", "imc1")["spec"]["channelTemplate"],
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel"})
    );
    let pipe = cluster.until_ready(MESSAGING, "channels", "default", "pipe");
    // Without --type the cluster default applies (set by the webhook, not by knit).
    assert_eq!(pipe["spec"]["channelTemplate"]["kind"], "InMemoryChannel");
    assert_eq!(
        pipe["status"]["address"]["url"],
        "http://pipe-kn-channel.default.svc.cluster.local"
    );
    cluster.until_ready(MESSAGING, "channels", "default", "imc1");
    cluster.until_ready(MESSAGING, "channels", "default", "imc2");
    assert_snapshot_table!(
        cluster,
        &[
            ("channel_list", &["channels", "ls"]),
            ("channel_describe", &["channel", "describe", "pipe"]),
        ],
    );
    cluster
        .knit(&["channel", "describe", "pipe", "-o", "url"])
        .assert_stdout("http://pipe-kn-channel.default.svc.cluster.local\n");
    cluster.knit(&["channel", "list-types"]).assert_stdout("TYPE              NAME                                     DESCRIPTION\nInMemoryChannel   inmemorychannels.messaging.knative.dev   The events are stored in memory\n");
    cluster
        .knit(&["channel", "delete", "pipe"])
        .assert_stdout("Channel 'pipe' deleted in namespace 'default'.\n");
    cluster.knit(&["channel", "create", "x", "--type", "natss"]).assert_stderr(2, "Error: unknown channel type alias: 'natss'\nRun 'knit channel create --help' for usage\n");
    cluster.knit(&["channel", "create", "x", "--type", "foo::bar"]).assert_stderr(2, "Error: invalid argument \"foo::bar\" for \"--type\" flag: incorrect value 'foo::bar' for '--type', must be in the format 'Group:Version:Kind' or configure an alias in kn config\nRun 'knit channel create --help' for usage\n");
    cluster.knit(&["channel", "describe"]).assert_stderr(2, "Error: 'knit channel describe' requires the channel name given as single argument\nRun 'knit channel describe --help' for usage\n");
}

#[test]
fn subscription_lifecycle() {
    let cluster = Cluster::start();
    cluster.ready_service(
        "default",
        "receiver",
        "gcr.io/knative-samples/helloworld-go",
    );
    cluster.knit(&["broker", "create", "nest"]).ok();
    cluster
        .knit(&["channel", "create", "pipe", "--type", "imc"])
        .ok();
    cluster.until_ready(MESSAGING, "channels", "default", "pipe");
    cluster.run("subscription create sub0 --channel pipe --sink receiver --sink-reply broker:nest --sink-dead-letter https://dls.example.com")
        .assert_stdout("Subscription 'sub0' created in namespace 'default'.\n");
    let sub = cluster.until_ready(MESSAGING, "subscriptions", "default", "sub0");
    assert_eq!(
        sub["spec"]["channel"],
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "pipe"})
    );
    assert_eq!(
        sub["spec"]["subscriber"],
        json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "receiver", "namespace": "default"}})
    );
    assert_eq!(
        sub["spec"]["delivery"],
        json!({"deadLetterSink": {"uri": "https://dls.example.com"}})
    );
    assert_eq!(
        sub["status"]["physicalSubscription"]["subscriberUri"],
        "http://receiver.default.svc.cluster.local"
    );
    assert_snapshot_table!(
        cluster,
        &[
            (
                "subscription_describe",
                &["subscription", "describe", "sub0"]
            ),
            ("subscription_list", &["sub", "ls"]),
        ],
    );

    // The dead letter sink goes into the delivery spec without dropping what else is there.
    let gr = knit_emulator::resource::GroupResource::new(MESSAGING, "subscriptions");
    let mut object = cluster.api().get(&gr, "default", "sub0").expect("sub0");
    object["spec"]["delivery"]["retry"] = json!(3);
    cluster.api().update(&gr, object).expect("update");
    cluster.run("subscriptions update sub0 --sink-dead-letter broker:nest --sink https://other.example.com")
        .assert_stdout("Subscription 'sub0' updated in namespace 'default'.\n");
    let spec = &stored(&cluster, MESSAGING, "subscriptions", "sub0")["spec"];
    assert_eq!(
        spec["delivery"],
        json!({"retry": 3, "deadLetterSink": {"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "nest", "namespace": "default"}}})
    );
    assert_eq!(
        spec["subscriber"],
        json!({"uri": "https://other.example.com"})
    );
    assert_eq!(spec["reply"]["ref"]["name"], "nest");
    cluster
        .knit(&["subscription", "delete", "sub0"])
        .assert_stdout("Subscription 'sub0' deleted in namespace 'default'.\n");
}

#[test]
fn subscription_errors() {
    let cluster = Cluster::start();
    cluster.knit(&["subscription", "create", "s"]).assert_stderr(2, "Error: 'knit subscription create' requires the channel reference provided with --channel flag\nRun 'knit subscription create --help' for usage\n");
    cluster.knit(&["subscription", "create", "s", "--channel", "imcv1beta1:pipe"]).assert_stderr(2, "Error: unknown alias 'imcv1beta1' for '--channel', please configure the alias in kn config or specify in the format '--channel Group:Version:Kind:Name'\nRun 'knit subscription create --help' for usage\n");
    cluster.knit(&["subscription", "create", "s", "--channel", "a:b:c"]).assert_stderr(2, "Error: invalid argument \"a:b:c\" for \"--channel\" flag: incorrect value 'a:b:c' for '--channel', must be in the format 'Group:Version:Kind:Name' or configure an alias in kn config and refer as: '--channel ALIAS:NAME'\nRun 'knit subscription create --help' for usage\n");
    cluster.knit(&["subscription", "create", "s", "--channel", "pipe", "--sink-reply", "channel:absent"]).assert_stderr(1, "Error: channels.messaging.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n");
    assert!(
        cluster
            .get(MESSAGING, "subscriptions", "default", "s")
            .is_none()
    );
    cluster
        .knit(&["subscription", "list"])
        .assert_stdout("No subscriptions found.\n");
}

#[test]
fn eventtype_lifecycle() {
    let cluster = Cluster::start();
    cluster.knit(&["broker", "create", "default"]).ok();
    cluster.knit(&["channel", "create", "pipe"]).ok();
    cluster.run("eventtype create myeventtype --type example.type --source https://example.com/src --broker default")
        .assert_stdout("Eventtype 'myeventtype' successfully created in namespace 'default'.\n");
    let et = cluster.until_ready(
        "eventing.knative.dev",
        "eventtypes",
        "default",
        "myeventtype",
    );
    assert_eq!(
        et["spec"],
        json!({"type": "example.type", "source": "https://example.com/src",
            "reference": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default", "namespace": "default"}})
    );
    cluster
        .run("eventtype create e2 -t t2 -r channel:pipe")
        .ok();
    assert_eq!(
        stored(&cluster, "eventing.knative.dev", "eventtypes", "e2")["spec"]["reference"],
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "pipe", "namespace": "default"})
    );
    cluster.until_ready("eventing.knative.dev", "eventtypes", "default", "e2");
    assert_snapshot_table!(
        cluster,
        &[
            (
                "eventtype_describe",
                &["eventtype", "describe", "myeventtype"]
            ),
            ("eventtype_list", &["eventtypes", "ls"]),
        ],
    );
    cluster.knit(&["eventtype", "create", "e3", "-t", "x", "--broker", "b", "--reference", "broker:b"]).assert_stderr(2, "Error: use only one of '--broker' or '--reference' flags\nRun 'knit eventtype create --help' for usage\n");
    cluster.knit(&["eventtype", "create", "e3"]).assert_stderr(
        2,
        "Error: required flag(s) \"type\" not set\nRun 'knit eventtype create --help' for usage\n",
    );
    cluster.knit(&["eventtype", "create", "e3", "-t", "x", "-r", "channel:absent"]).assert_stderr(1, "Error: cannot create eventtype 'e3' in namespace 'default' because: channels.messaging.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n");
    cluster
        .knit(&["eventtype", "delete", "e2"])
        .assert_stdout("Eventtype 'e2' successfully deleted in namespace 'default'.\n");
    cluster.knit(&["eventtype", "delete", "e2"]).assert_stderr(1, "Error: cannot delete eventtype 'e2' in namespace 'default' because: eventtypes.eventing.knative.dev \"e2\" not found\nRun 'knit --help' for usage\n");
}

#[test]
fn secret_lifecycle() {
    let cluster = Cluster::start();
    cluster
        .run("secret create creds --from-literal user=admin,password=s3cr=t -l extra=1")
        .assert_stdout("Secret 'creds' created in namespace 'default'.\n");
    let secret = stored(&cluster, "", "secrets", "creds");
    assert_eq!(secret["type"], "Opaque");
    // stringData is folded into base64 data by the API server.
    assert_eq!(
        secret["data"],
        json!({"user": "YWRtaW4=", "password": "czNjcj10", "extra": "MQ=="})
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let cert = dir.path().join("tls.crt");
    let key = dir.path().join("tls.key");
    std::fs::write(&cert, "CERT").expect("write cert");
    std::fs::write(&key, "KEY").expect("write key");
    let (cert, key) = (cert.to_string_lossy(), key.to_string_lossy());
    cluster
        .knit(&[
            "secret",
            "create",
            "tls",
            "--tls-cert",
            &cert,
            "--tls-key",
            &key,
        ])
        .ok();
    let tls = stored(&cluster, "", "secrets", "tls");
    assert_eq!(tls["type"], "kubernetes.io/tls");
    // The standard keys (kn wrote `tls.cert`).
    assert_eq!(
        tls["data"],
        json!({"tls.crt": "Q0VSVA==", "tls.key": "S0VZ"})
    );
    cluster
        .knit(&["secret", "list"])
        .assert_stdout("NAME    TYPE\ncreds   Opaque\ntls     kubernetes.io/tls\n");
    cluster.knit(&["secret", "create", "x", "-l", "a=1", "--tls-cert", &cert, "--tls-key", &key]).assert_stderr(2, "Error: TLS flags can't be combined with other options\nRun 'knit secret create --help' for usage\n");
    cluster.knit(&["secret", "create", "x", "--tls-cert", &cert]).assert_stderr(2, "Error: both --tls-cert and --tls-key flags are required\nRun 'knit secret create --help' for usage\n");
    cluster.knit(&["secret", "create", "x", "-l", "novalue"]).assert_stderr(2, "Error: invalid argument \"novalue\" for \"--from-literal\" flag: argument requires a value that contains the \"=\" character; got \"novalue\"\nRun 'knit secret create --help' for usage\n");
    cluster
        .knit(&["secret", "delete", "creds"])
        .assert_stdout("Secret 'creds' deleted in namespace 'default'.\n");
    assert!(cluster.get("", "secrets", "default", "creds").is_none());
}

#[test]
fn sink_forms_and_configured_mappings() {
    let cluster = Cluster::start();
    cluster.namespace("other");
    cluster.ready_service("other", "remote", "gcr.io/knative-samples/helloworld-go");
    cluster
        .knit(&["channel", "create", "pipe", "--type", "imc"])
        .ok();
    cluster.until_ready(MESSAGING, "channels", "default", "pipe");
    cluster.create(
        "",
        "services",
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "plain", "namespace": "default"},
            "spec": {"ports": [{"port": 80}]}}),
    );
    let sink = |name: &str| {
        stored(&cluster, "sources.knative.dev", "pingsources", name)["spec"]["sink"].clone()
    };
    // A Knative service in another namespace.
    cluster
        .run("source ping create p1 --sink ksvc:remote:other")
        .ok();
    assert_eq!(
        sink("p1"),
        json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "remote", "namespace": "other"}})
    );
    // A GROUP/VERSION/RESOURCE prefix names any kind; the reference carries the server's kind.
    cluster
        .run("source ping create p2 --sink messaging.knative.dev/v1/InMemoryChannel:pipe")
        .ok();
    assert_eq!(
        sink("p2"),
        json!({"ref": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "name": "pipe", "namespace": "default"}})
    );
    // A Kubernetes service.
    cluster
        .knit(&["source", "ping", "create", "p3", "--sink", "svc:plain"])
        .ok();
    assert_eq!(
        sink("p3"),
        json!({"ref": {"apiVersion": "v1", "kind": "Service", "name": "plain", "namespace": "default"}})
    );
    // The list below shows all three Ready: wait for each, not only the first.
    for name in ["p1", "p2", "p3"] {
        cluster.until_ready("sources.knative.dev", "pingsources", "default", name);
    }
    assert_eq!(
        stored(&cluster, "sources.knative.dev", "pingsources", "p1")["status"]["sinkUri"],
        "http://remote.other.svc.cluster.local"
    );
    // The short form never shows the namespace (as in kn). kn's ping printer names a
    // reference by its Kind (`InMemoryChannel:pipe`); a core Service stays `svc:` (kn says ksvc).
    insta::assert_snapshot!(cluster.knit(&["source", "ping", "list", "--no-headers"]).snapshot(), @r"
    exit: 0
    --- stdout
    p1    * * * * *   ksvc:remote            Xs    4 OK / 4   True   
    p2    * * * * *   InMemoryChannel:pipe   Xs    4 OK / 4   True   
    p3    * * * * *   svc:plain              Xs    4 OK / 4   True   
    --- stderr
    ");

    // A path after the name is a URI relative to the object's address; lists show it the same
    // way, so the short form can be given back as a sink.
    cluster
        .run("source ping create p7 --sink svc:plain/hook?x=1")
        .ok();
    assert_eq!(
        sink("p7"),
        json!({"ref": {"apiVersion": "v1", "kind": "Service", "name": "plain", "namespace": "default"}, "uri": "/hook?x=1"})
    );
    let p7 = cluster.until_ready("sources.knative.dev", "pingsources", "default", "p7");
    assert_eq!(
        p7["status"]["sinkUri"],
        "http://plain.default.svc.cluster.local/hook?x=1"
    );
    let out = cluster.run("source ping list -o jsonpath={.items[3].spec.sink.uri}");
    assert_eq!(out.ok().stdout, "/hook?x=1");
    let out = cluster.knit(&["source", "list", "--no-headers"]).ok();
    assert!(out.stdout.contains("svc:plain/hook?x=1"), "{out:?}");

    // Configured mappings add prefixes (`group: core` is the core group) and channel aliases.
    let config = cluster.home().join("knit-config.yaml");
    std::fs::write(
        &config,
        "eventing:\n  sink-mappings:\n  - prefix: k8s\n    group: core\n    version: v1\n    resource: services\n  - prefix: imc\n    group: messaging.knative.dev\n    version: v1\n    resource: inmemorychannels\n  channel-type-mappings:\n  - alias: mem\n    group: messaging.knative.dev\n    version: v1\n    kind: InMemoryChannel\n",
    )
    .expect("write config");
    let config = config.to_string_lossy();
    cluster
        .knit(&[
            "--config",
            &config,
            "source",
            "ping",
            "create",
            "p4",
            "--sink",
            "k8s:plain",
        ])
        .ok();
    assert_eq!(sink("p4")["ref"]["kind"], "Service");
    assert_eq!(sink("p4")["ref"]["apiVersion"], "v1");
    cluster
        .knit(&[
            "--config", &config, "source", "ping", "create", "p5", "--sink", "imc:pipe",
        ])
        .ok();
    assert_eq!(sink("p5")["ref"]["kind"], "InMemoryChannel");
    cluster
        .knit(&[
            "--config", &config, "channel", "create", "c2", "--type", "mem",
        ])
        .ok();
    assert_eq!(
        stored(&cluster, MESSAGING, "channels", "c2")["spec"]["channelTemplate"]["kind"],
        "InMemoryChannel"
    );
    cluster
        .knit(&[
            "--config",
            &config,
            "subscription",
            "create",
            "s",
            "--channel",
            "mem:pipe",
            "--sink",
            "https://x.y",
        ])
        .ok();
    assert_eq!(
        stored(&cluster, MESSAGING, "subscriptions", "s")["spec"]["channel"],
        json!({"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "name": "pipe"})
    );
    // Without the configuration the prefix is unknown.
    cluster.knit(&["source", "ping", "create", "p6", "--sink", "k8s:plain"]).assert_stderr(2, "Error: invalid argument \"k8s:plain\" for \"--sink\" flag: unknown prefix 'k8s'; expected NAME (a Knative service), PREFIX:NAME or PREFIX:NAME:NAMESPACE with PREFIX one of ksvc, kservice, broker, channel, svc, service, a sink mapping of the configuration file or GROUP/VERSION/RESOURCE, each optionally followed by /PATH, or an http:// or https:// URL\nRun 'knit source ping create --help' for usage\n");
}
