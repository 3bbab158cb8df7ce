//! The reconcilers of `integ.rs` over a map cluster: EventPolicy subjects and conditions, and the
//! EventPolicies an IntegrationSink reports once OIDC is on.

use serde_json::{Value, json};

use super::*;
use crate::knative::eventing::fake::MapCluster;

fn cluster(oidc: bool) -> MapCluster {
    let c = MapCluster::default();
    let value = if oidc { "enabled" } else { "disabled" };
    c.put_configmap(
        "knative-eventing",
        "config-features",
        json!({"authentication-oidc": value}),
    );
    c
}

fn reconcile(c: &MapCluster, controller: &dyn Controller, gr: GroupResource, name: &str) -> Value {
    controller
        .reconcile(&ObjectKey::new(gr.clone(), "ns", name), c)
        .unwrap_or_else(|e| panic!("{}", e.message));
    c.get(&gr, "ns", name).unwrap()
}

fn conditions(obj: &Value) -> Vec<(String, String, String)> {
    obj["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
            (s("type"), s("status"), s("reason"))
        })
        .collect()
}

fn policy(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "eventing.knative.dev/v1alpha1", "kind": "EventPolicy",
        "metadata": {"name": name, "namespace": "ns", "generation": 1}, "spec": spec})
}

fn c3(t: &str, s: &str, r: &str) -> (String, String, String) {
    (t.into(), s.into(), r.into())
}

#[test]
fn policy_without_oidc_says_so() {
    let c = cluster(false);
    c.put(
        &eventpolicies(),
        policy("p", json!({"from": [{"sub": "s"}]})),
    );
    let p = reconcile(&c, &EventPolicyController, eventpolicies(), "p");
    assert_eq!(
        conditions(&p),
        vec![
            c3(
                "AuthenticationEnabled",
                "False",
                "OIDCAuthenticationDisabled"
            ),
            c3("Ready", "False", "OIDCAuthenticationDisabled"),
            c3("SubjectsResolved", "Unknown", ""),
        ]
    );
    assert!(p["status"].get("from").is_none());
}

#[test]
fn policy_resolves_references_through_their_auth_status() {
    let c = cluster(true);
    let pings = GroupResource::of("sources.knative.dev", "pingsources");
    c.put(
        &pings,
        json!({"apiVersion": "sources.knative.dev/v1", "kind": "PingSource",
        "metadata": {"name": "hb", "namespace": "other"},
        "status": {"auth": {"serviceAccountName": "hb-oidc-source"}}}),
    );
    c.put(&eventpolicies(), policy("p", json!({"from": [
        {"ref": {"apiVersion": "sources.knative.dev/v1", "kind": "PingSource", "name": "hb", "namespace": "other"}},
        {"sub": "system:serviceaccount:ns:*"}]})));
    let p = reconcile(&c, &EventPolicyController, eventpolicies(), "p");
    assert_eq!(
        p["status"]["from"],
        json!([
            "system:serviceaccount:other:hb-oidc-source",
            "system:serviceaccount:ns:*"
        ])
    );
    assert_eq!(conditions(&p)[1], c3("Ready", "True", ""));

    c.put(&eventpolicies(), policy("q", json!({"from": [
        {"ref": {"apiVersion": "sources.knative.dev/v1", "kind": "PingSource", "name": "gone", "namespace": "ns"}}]})));
    let q = reconcile(&c, &EventPolicyController, eventpolicies(), "q");
    let resolved = q["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "SubjectsResolved")
        .unwrap()
        .clone();
    assert_eq!(resolved["status"], "False");
    assert_eq!(
        resolved["message"],
        "could not resolve subjects from reference: could not resolve auth status: failed to get authenticatable ns/gone: failed to get object ns/gone: pingsources.sources.knative.dev \"gone\" not found"
    );
}

#[test]
fn integration_sink_lists_the_policies_that_apply_to_it() {
    let c = cluster(true);
    let sink = json!({"apiVersion": "sinks.knative.dev/v1alpha1", "kind": "IntegrationSink",
        "metadata": {"name": "s", "namespace": "ns", "generation": 1, "labels": {"team": "a"}},
        "spec": {"log": {}}});
    c.put(&integrationsinks(), sink);
    // No policy: the default authorization mode decides.
    let s = reconcile(&c, &IntegrationSinkController, integrationsinks(), "s");
    assert!(conditions(&s).contains(&c3(
        "EventPoliciesReady",
        "True",
        "DefaultAuthorizationMode"
    )));
    assert_eq!(
        s["status"]["address"],
        json!({"url": "http://s-deployment.ns.svc.cluster.local", "audience": "sinks.knative.dev/integrationsink/ns/s"})
    );
    // A selector policy that is not ready yet, and one for another kind.
    c.put(&eventpolicies(), policy("by-label", json!({"to": [{"selector": {"apiVersion": "sinks.knative.dev/v1alpha1", "kind": "IntegrationSink", "matchLabels": {"team": "a"}}}]})));
    c.put(&eventpolicies(), policy("brokers", json!({"to": [{"ref": {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "name": "s"}}]})));
    let s = reconcile(&c, &IntegrationSinkController, integrationsinks(), "s");
    assert!(conditions(&s).contains(&c3("EventPoliciesReady", "False", "EventPoliciesNotReady")));
    reconcile(&c, &EventPolicyController, eventpolicies(), "by-label");
    let s = reconcile(&c, &IntegrationSinkController, integrationsinks(), "s");
    assert_eq!(
        s["status"]["policies"],
        json!([{"name": "by-label", "apiVersion": "eventing.knative.dev/v1alpha1"}])
    );
    assert!(conditions(&s).contains(&c3("Ready", "True", "")));
}
