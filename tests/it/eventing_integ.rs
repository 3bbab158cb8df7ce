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
