//! The newer Eventing nouns against the emulator: `eventpolicy`, `source integration`,
//! `integrationsink` and `eventtransform` — every verb, the stored objects, the status the
//! emulated controllers write, and the webhooks' messages reaching the user with exit code 1.

use crate::common::{self, assert_snapshot_table};

use common::Cluster;
use knit_emulator::resource::GroupResource;
use serde_json::{Value, json};

const EVENTING: &str = "eventing.knative.dev";
const DENIED: &str = "Error: admission webhook \"validation.webhook.eventing.knative.dev\" denied the request: validation failed: ";

/// Turns Knative Eventing's `authentication-oidc` feature on or off.
fn set_oidc(cluster: &Cluster, on: bool) {
    let gr = GroupResource::new("", "configmaps");
    let mut cm = cluster
        .api()
        .get(&gr, "knative-eventing", "config-features")
        .expect("config-features exists");
    cm["data"]["authentication-oidc"] = json!(if on { "enabled" } else { "disabled" });
    cluster
        .api()
        .update(&gr, cm)
        .expect("config-features updated");
}

fn condition<'a>(object: &'a Value, type_: &str) -> &'a Value {
    object["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["type"] == type_)
        .unwrap_or_else(|| panic!("no {type_} condition in {object:#}"))
}

#[test]
fn event_policy_lifecycle() {
    let cluster = Cluster::start();
    // Knative refuses EventPolicies while OIDC authentication is off.
    cluster
        .run("eventpolicy create p --from-subject sub")
        .assert_stderr(
            1,
            &format!(
                "{DENIED}oidc-authentication feature not enabled: \nRun 'knit --help' for usage\n"
            ),
        );
    assert!(
        cluster
            .get(EVENTING, "eventpolicies", "default", "p")
            .is_none()
    );

    set_oidc(&cluster, true);
    cluster.knit(&["broker", "create", "default"]).ok();
    cluster
        .knit(&["eventpolicy", "list"])
        .assert_stdout("No event policies found.\n");
    cluster
        .knit(&[
            "eventpolicy",
            "create",
            "orders",
            "--to",
            "broker:default",
            "--to-selector",
            "broker:team=a",
            "--from-subject",
            "system:serviceaccount:default:*",
            "--cesql",
            "type = 'order.created'",
        ])
        .assert_stdout("Event policy 'orders' created in namespace 'default'.\n");
    let stored = cluster.until_ready(EVENTING, "eventpolicies", "default", "orders");
    assert_eq!(
        stored["spec"],
        json!({
            "to": [{"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default"}},
                   {"selector": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "matchLabels": {"team": "a"}}}],
            "from": [{"sub": "system:serviceaccount:default:*"}],
            "filters": [{"cesql": "type = 'order.created'"}]
        })
    );
    assert_eq!(
        stored["status"]["from"],
        json!(["system:serviceaccount:default:*"])
    );
    assert_snapshot_table!(
        cluster,
        &[
            ("eventpolicy_list", &["eventpolicy", "list"]),
            (
                "eventpolicy_describe",
                &["eventpolicy", "describe", "orders"]
            ),
        ],
    );

    // A sender reference: the Ping source exists but has no OIDC identity in its status.
    cluster
        .run("source ping create hb --sink broker:default")
        .ok();
    cluster
        .run("eventpolicy update orders --from sources.knative.dev/v1/pingsources:hb --from-subject system:serviceaccount:default:*- --cesql '' --to-selector broker-")
        .assert_stdout("Event policy 'orders' updated in namespace 'default'.\n");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let stored = loop {
        let p = cluster
            .get(EVENTING, "eventpolicies", "default", "orders")
            .unwrap();
        if condition(&p, "SubjectsResolved")["status"] == "False" {
            break p;
        }
        assert!(std::time::Instant::now() < deadline, "{p:#}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(
        stored["spec"],
        json!({
            "to": [{"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "default"}}],
            "from": [{"ref": {"apiVersion": "sources.knative.dev/v1", "kind": "PingSource", "name": "hb", "namespace": "default"}}]
        })
    );
    assert_eq!(
        condition(&stored, "SubjectsResolved")["message"],
        "could not resolve subjects from reference: could not resolve auth status: .status.auth is missing in object default/hb"
    );
    cluster
        .knit(&[
            "eventpolicy",
            "list",
            "-o",
            "jsonpath={.items[*].metadata.name}",
        ])
        .assert_stdout("orders");
    cluster
        .knit(&["eventpolicy", "delete", "orders"])
        .assert_stdout("Event policy 'orders' deleted in namespace 'default'.\n");
    assert!(
        cluster
            .get(EVENTING, "eventpolicies", "default", "orders")
            .is_none()
    );
}

#[test]
fn event_policy_errors() {
    let cluster = Cluster::start();
    set_oidc(&cluster, true);
    cluster.run("eventpolicy create p --from-subject 'a*b'").assert_stderr(
        1,
        &format!("{DENIED}invalid value: a*b: spec.from[0].sub\n'*' is only allowed as suffix\nRun 'knit --help' for usage\n"),
    );
    cluster.run("eventpolicy create p --to https://example.com").assert_stderr(
        2,
        "Error: invalid argument \"https://example.com\" for \"--to\" flag: an event policy names objects, not URLs or paths; expected PREFIX:NAME or PREFIX:NAME:NAMESPACE\nRun 'knit eventpolicy create --help' for usage\n",
    );
    cluster.run("eventpolicy create p --to broker:b:other").assert_stderr(
        2,
        "Error: invalid argument \"broker:b:other\" for \"--to\" flag: an event policy applies to resources of its own namespace 'default', not 'other'\nRun 'knit eventpolicy create --help' for usage\n",
    );
    cluster.run("eventpolicy create p --to-selector pod:a=b").assert_stderr(
        2,
        "Error: invalid argument \"pod:a=b\" for \"--to-selector\" flag: unknown kind 'pod'; expected one of broker, channel, inmemorychannel, ksvc, jobsink, integrationsink, eventtransform, sequence, parallel, requestreply\nRun 'knit eventpolicy create --help' for usage\n",
    );
    cluster.run("eventpolicy create p --to broker:absent").assert_stderr(
        1,
        "Error: brokers.eventing.knative.dev \"absent\" not found\nRun 'knit --help' for usage\n",
    );
    // A dry run sends the object to the server's admission but stores nothing.
    let out = cluster.run("eventpolicy create p --from-subject s --dry-run=server -o yaml");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("kind: EventPolicy"), "{}", out.stdout);
    assert!(
        cluster
            .get(EVENTING, "eventpolicies", "default", "p")
            .is_none()
    );
    cluster.run("eventpolicy update").assert_stderr(
        2,
        "Error: name of event policy required\nRun 'knit eventpolicy update --help' for usage\n",
    );
}

#[test]
fn integration_source_lifecycle() {
    let cluster = Cluster::start();
    cluster
        .knit(&["source", "integration", "list"])
        .assert_stdout("No integration sources found.\n");
    cluster
        .knit(&[
            "source",
            "integration",
            "create",
            "ticker",
            "--timer",
            "period=2000,message=hello, world",
            "--sink",
            "https://example.com/events",
            "--ce-override",
            "team=a",
        ])
        .assert_stdout("Integration source 'ticker' created in namespace 'default'.\n");
    let stored = cluster.until_ready(
        "sources.knative.dev",
        "integrationsources",
        "default",
        "ticker",
    );
    assert_eq!(
        stored["spec"],
        json!({
            // contentType is the CRD schema's default.
            "timer": {"period": 2000, "message": "hello, world", "contentType": "text/plain"},
            "sink": {"uri": "https://example.com/events"},
            "ceOverrides": {"extensions": {"team": "a"}}
        })
    );
    assert_eq!(stored["status"]["sinkUri"], "https://example.com/events");
    // It runs as a ContainerSource it owns, with the Kamelet's settings in the environment.
    let child = cluster
        .get(
            "sources.knative.dev",
            "containersources",
            "default",
            "ticker-containersource",
        )
        .expect("the ContainerSource exists");
    assert_eq!(
        child["metadata"]["ownerReferences"][0]["kind"],
        "IntegrationSource"
    );
    assert_eq!(
        child["spec"]["template"]["spec"]["containers"][0]["env"]
            .as_array()
            .unwrap()[2..],
        [
            json!({"name": "CAMEL_KAMELET_TIMER_SOURCE_PERIOD", "value": "2000"}),
            json!({"name": "CAMEL_KAMELET_TIMER_SOURCE_MESSAGE", "value": "hello, world"}),
            json!({"name": "CAMEL_KAMELET_TIMER_SOURCE_CONTENTTYPE", "value": "text/plain"}),
            json!({"name": "CAMEL_KAMELET_TIMER_SOURCE_REPEATCOUNT", "value": "0"}),
        ]
    );
    assert_snapshot_table!(
        cluster,
        &[
            (
                "integration_source_list",
                &["source", "integration", "list"]
            ),
            (
                "integration_source_describe",
                &["source", "integration", "describe", "ticker"]
            ),
        ],
    );
    // Another type replaces the timer; the webhook then asks for the AWS settings it needs.
    cluster
        .run("source integration update ticker --aws-sqs arn=orders")
        .assert_stderr(1, &format!("{DENIED}missing field(s): spec.aws.auth.secret.ref.name, spec.aws.sqs.region\nRun 'knit --help' for usage\n"));
    cluster
        .run("source integration update ticker --aws-sqs arn=orders,region=eu-west-1 --aws-secret creds")
        .assert_stdout("Integration source 'ticker' updated in namespace 'default'.\n");
    let spec = cluster
        .get(
            "sources.knative.dev",
            "integrationsources",
            "default",
            "ticker",
        )
        .unwrap()["spec"]
        .clone();
    assert_eq!(
        spec["aws"],
        json!({"sqs": {"arn": "orders", "region": "eu-west-1", "autoCreateQueue": false, "delay": 500,
            "deleteAfterRead": true, "greedy": false, "host": "amazonaws.com", "maxMessagesPerPoll": 1,
            "overrideEndpoint": false, "protocol": "https"},
            "auth": {"secret": {"ref": {"name": "creds"}}}})
    );
    assert!(spec.get("timer").is_none());
    cluster
        .knit(&["source", "integration", "delete", "ticker"])
        .assert_stdout("Integration source 'ticker' deleted in namespace 'default'.\n");
}

#[test]
fn integration_source_errors() {
    let cluster = Cluster::start();
    cluster.run("source integration create t --sink https://x.y").assert_stderr(
        2,
        "Error: a source type is required: one of --timer, --aws-s3, --aws-sqs, --aws-ddb-streams\nRun 'knit source integration create --help' for usage\n",
    );
    cluster.run("source integration create t --timer period=soon --sink https://x.y").assert_stderr(
        2,
        "Error: invalid value 'soon' for key 'period' of --timer: expected an integer\nRun 'knit source integration create --help' for usage\n",
    );
    cluster.run("source integration create t --timer period=1 --aws-s3 arn=a --sink https://x.y").assert_stderr(
        2,
        "Error: only one of --timer, --aws-s3, --aws-sqs, --aws-ddb-streams may be given: Knative runs exactly one type\nRun 'knit source integration create --help' for usage\n",
    );
    assert!(
        cluster
            .get("sources.knative.dev", "integrationsources", "default", "t")
            .is_none()
    );
}

#[test]
fn integration_sink_lifecycle() {
    let cluster = Cluster::start();
    cluster
        .knit(&[
            "integrationsink",
            "create",
            "logger",
            "--log",
            "level=INFO,showHeaders=true",
        ])
        .assert_stdout("Integration sink 'logger' created in namespace 'default'.\n");
    let stored = cluster.until_ready("sinks.knative.dev", "integrationsinks", "default", "logger");
    // The CRD schema's defaults fill the log settings not given.
    assert_eq!(
        stored["spec"],
        json!({"log": {"level": "INFO", "showHeaders": true, "loggerName": "log-sink", "logMask": false,
            "multiline": false, "showAllProperties": false, "showBody": true, "showBodyType": true,
            "showCachedStreams": true, "showExchangePattern": true, "showProperties": false, "showStreams": false}})
    );
    assert_eq!(
        stored["status"]["address"],
        json!({"url": "http://logger-deployment.default.svc.cluster.local"})
    );
    assert_snapshot_table!(
        cluster,
        &[
            ("integration_sink_list", &["integrationsink", "list"]),
            (
                "integration_sink_describe",
                &["integrationsink", "describe", "logger"]
            ),
        ],
    );
    cluster
        .knit(&["integrationsink", "describe", "logger", "-o", "url"])
        .assert_stdout("http://logger-deployment.default.svc.cluster.local\n");
    // A sink that receives events from a source.
    cluster
        .run("source integration create ticker --timer period=1000 --sink sinks.knative.dev/v1alpha1/integrationsinks:logger")
        .ok();
    let source = cluster.until_ready(
        "sources.knative.dev",
        "integrationsources",
        "default",
        "ticker",
    );
    assert_eq!(
        source["status"]["sinkUri"],
        "http://logger-deployment.default.svc.cluster.local"
    );
    cluster
        .run("integrationsink update logger --log showHeaders-,showBody=false")
        .assert_stdout("Integration sink 'logger' updated in namespace 'default'.\n");
    assert_eq!(
        cluster
            .get("sinks.knative.dev", "integrationsinks", "default", "logger")
            .unwrap()["spec"],
        json!({"log": {"level": "INFO", "showHeaders": false, "loggerName": "log-sink", "logMask": false,
            "multiline": false, "showAllProperties": false, "showBody": false, "showBodyType": true,
            "showCachedStreams": true, "showExchangePattern": true, "showProperties": false, "showStreams": false}})
    );
    cluster
        .run("integrationsink update logger --aws-sns arn=alerts,region=eu-west-1")
        .assert_stderr(1, &format!("{DENIED}missing field(s): spec.aws.auth.secret.ref.name\nRun 'knit --help' for usage\n"));
    cluster
        .knit(&["integrationsink", "delete", "logger"])
        .assert_stdout("Integration sink 'logger' deleted in namespace 'default'.\n");
}

#[test]
fn event_transform_lifecycle() {
    let cluster = Cluster::start();
    // Knative requires a transformation.
    cluster.run("eventtransform create t --sink https://example.com").assert_stderr(
        1,
        &format!("{DENIED}expected exactly one, got neither: spec.jsonata\nRun 'knit --help' for usage\n"),
    );
    cluster
        .run("eventtransform create t --jsonata $ --reply-discard")
        .assert_stderr(
            1,
            &format!(
                "{DENIED}reply is set without spec.sink: spec.reply\nRun 'knit --help' for usage\n"
            ),
        );
    cluster
        .knit(&[
            "eventtransform",
            "create",
            "retype",
            "--jsonata",
            "{\"id\": id, \"type\": \"retyped\"}",
            "--sink",
            "https://example.com/in",
            "--reply-discard",
        ])
        .assert_stdout("Event transform 'retype' created in namespace 'default'.\n");
    let stored = cluster.until_ready(EVENTING, "eventtransforms", "default", "retype");
    assert_eq!(
        stored["spec"],
        json!({
            "jsonata": {"expression": "{\"id\": id, \"type\": \"retyped\"}"},
            "sink": {"uri": "https://example.com/in"},
            "reply": {"discard": true}
        })
    );
    assert_eq!(stored["status"]["sinkUri"], "https://example.com/in");
    assert_eq!(
        stored["status"]["address"]["url"],
        "http://retype-jsonata.default.svc.cluster.local"
    );
    assert!(
        cluster
            .get(
                "sources.knative.dev",
                "sinkbindings",
                "default",
                "retype-jsonata"
            )
            .is_some()
    );
    assert_snapshot_table!(
        cluster,
        &[
            ("event_transform_list", &["eventtransform", "list"]),
            (
                "event_transform_describe",
                &["eventtransform", "describe", "retype"]
            ),
        ],
    );
    cluster
        .run("eventtransform update retype --reply-discard=false --reply-jsonata $")
        .assert_stdout("Event transform 'retype' updated in namespace 'default'.\n");
    assert_eq!(
        cluster
            .get(EVENTING, "eventtransforms", "default", "retype")
            .unwrap()["spec"]["reply"],
        json!({"jsonata": {"expression": "$"}})
    );
    cluster
        .knit(&["eventtransform", "delete", "retype"])
        .assert_stdout("Event transform 'retype' deleted in namespace 'default'.\n");
}
