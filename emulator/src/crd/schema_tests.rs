//! Schema processing against the embedded Knative CRDs: exact objects, paths and messages.

use serde_json::{Value, json};

use crate::crd::{CrdSet, CrdVersion};

fn crd(group: &str, version: &str, plural: &str) -> &'static CrdVersion {
    CrdSet::knative()
        .version(group, version, plural)
        .expect("embedded CRD")
}

fn ksvc() -> &'static CrdVersion {
    crd("serving.knative.dev", "v1", "services")
}

fn service(spec: Value) -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": "hello", "namespace": "default", "labels": {"app": "x"}},
        "spec": spec,
    })
}

fn messages(causes: &[crate::status::Cause]) -> Vec<String> {
    causes
        .iter()
        .map(|c| format!("{} | {} | {}", c.reason, c.field, c.message))
        .collect()
}

#[test]
fn ksvc_structural_defaults() {
    let mut obj = service(json!({"template": {"spec": {
        "containers": [{
            "image": "ghcr.io/knative/helloworld-go",
            "ports": [{"containerPort": 8080}],
            "env": [
                {"name": "A", "valueFrom": {"secretKeyRef": {"key": "k"}}},
                {"name": "B", "valueFrom": {"configMapKeyRef": {"key": "k", "name": "cm"}}},
            ],
            "envFrom": [{"configMapRef": {}}, {"secretRef": {"optional": true}}],
            "readinessProbe": {"grpc": {"port": 9000}},
        }],
        "imagePullSecrets": [{}],
        "volumes": [{"name": "v", "secret": {"secretName": "s"}}, {"name": "w", "configMap": {}}],
    }}}));
    let outcome = ksvc().apply_schema(&mut obj);
    assert_eq!(outcome.pruned, Vec::<String>::new());
    assert_eq!(messages(&outcome.causes), Vec::<String>::new());
    assert_eq!(
        obj["spec"],
        json!({"template": {"spec": {
            "containers": [{
                "image": "ghcr.io/knative/helloworld-go",
                "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                "env": [
                    {"name": "A", "valueFrom": {"secretKeyRef": {"key": "k", "name": ""}}},
                    {"name": "B", "valueFrom": {"configMapKeyRef": {"key": "k", "name": "cm"}}},
                ],
                "envFrom": [{"configMapRef": {"name": ""}}, {"secretRef": {"name": "", "optional": true}}],
                "readinessProbe": {"grpc": {"port": 9000, "service": ""}},
            }],
            "imagePullSecrets": [{"name": ""}],
            "volumes": [{"name": "v", "secret": {"secretName": "s"}}, {"name": "w", "configMap": {"name": ""}}],
        }}})
    );
}

#[test]
fn ksvc_prunes_unknown_fields_outside_preserved_parts() {
    let mut obj = service(json!({
        "foo": 1,
        "template": {
            "metadata": {"annotations": {"a": "b"}, "extra": {"kept": true}},
            "spec": {
                "containers": [{"image": "img", "bar": "x", "resources": {"limits": {"cpu": "1"}, "other": {}}}],
                "affinity": {"nodeAffinity": {"anything": ["goes"]}},
                "securityContext": {"runAsUser": 1000, "madeUp": true},
                "tolerations": [{"key": "k", "custom": 1}],
                "initContainers": [{"name": "i", "image": "busybox", "whatever": 3}],
            },
        },
        "traffic": [{"percent": 100, "latestRevision": true, "weight": 5}],
    }));
    obj["surplus"] = json!({"x": 1});
    obj["metadata"]["unknownMeta"] = json!("left to the caller");
    obj["status"] = json!({"url": "http://x", "bogus": 1});
    let outcome = ksvc().apply_schema(&mut obj);
    assert_eq!(
        outcome.pruned,
        [
            "spec.foo",
            "spec.template.spec.containers[0].bar",
            "spec.template.spec.containers[0].resources.other",
            "spec.traffic[0].weight",
            "status.bogus",
            "surplus",
        ]
    );
    assert_eq!(outcome.warnings()[0], r#"unknown field "spec.foo""#);
    assert_eq!(messages(&outcome.causes), Vec::<String>::new());
    assert_eq!(
        obj,
        json!({
            "apiVersion": "serving.knative.dev/v1",
            "kind": "Service",
            "metadata": {"name": "hello", "namespace": "default", "labels": {"app": "x"}, "unknownMeta": "left to the caller"},
            "spec": {
                "template": {
                    "metadata": {"annotations": {"a": "b"}, "extra": {"kept": true}},
                    "spec": {
                        "containers": [{"image": "img", "resources": {"limits": {"cpu": "1"}}}],
                        "affinity": {"nodeAffinity": {"anything": ["goes"]}},
                        "securityContext": {"runAsUser": 1000, "madeUp": true},
                        "tolerations": [{"key": "k", "custom": 1}],
                        "initContainers": [{"name": "i", "image": "busybox", "whatever": 3}],
                    },
                },
                "traffic": [{"percent": 100, "latestRevision": true}],
            },
            "status": {"url": "http://x"},
        })
    );
}

#[test]
fn env_field_refs_keep_unknown_fields() {
    let mut obj = service(json!({"template": {"spec": {"containers": [{
        "image": "img",
        "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name", "extra": 1}}}],
    }]}}}));
    let outcome = ksvc().apply_schema(&mut obj);
    assert_eq!(outcome.pruned, Vec::<String>::new());
    assert_eq!(
        obj["spec"]["template"]["spec"]["containers"][0]["env"][0]["valueFrom"]["fieldRef"]["extra"],
        json!(1)
    );
}

#[test]
fn eventing_preserved_parts() {
    // Trigger: all of spec keeps unknown fields, but known subtrees are still pruned.
    let trigger = crd("eventing.knative.dev", "v1", "triggers");
    let mut obj = json!({
        "apiVersion": "eventing.knative.dev/v1", "kind": "Trigger", "metadata": {"name": "t"},
        "spec": {
            "broker": "default",
            "newField": {"a": 1},
            "subscriber": {"ref": {"apiVersion": "v1", "kind": "Service", "name": "s", "bogus": 1}},
            "filter": {"attributes": {"type": "dev.example"}},
        },
    });
    let outcome = trigger.apply_schema(&mut obj);
    assert_eq!(outcome.pruned, ["spec.subscriber.ref.bogus"]);
    assert_eq!(obj["spec"]["newField"], json!({"a": 1}));
    assert_eq!(
        obj["spec"]["filter"],
        json!({"attributes": {"type": "dev.example"}})
    );

    // Broker: only spec.delivery keeps unknown fields.
    let broker = crd("eventing.knative.dev", "v1", "brokers");
    let mut obj = json!({
        "apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "metadata": {"name": "b"},
        "spec": {"delivery": {"retry": 3, "vendorKnob": "x"}, "other": 1},
        "status": {"annotations": {"k": "v", "n": {"nested": true}}},
    });
    let outcome = broker.apply_schema(&mut obj);
    assert_eq!(outcome.pruned, ["spec.other"]);
    assert_eq!(
        obj["spec"],
        json!({"delivery": {"retry": 3, "vendorKnob": "x"}})
    );
    assert_eq!(
        obj["status"],
        json!({"annotations": {"k": "v", "n": {"nested": true}}})
    );

    // Subscription: channel and subscriber.ref keep unknown fields, reply does not.
    let sub = crd("messaging.knative.dev", "v1", "subscriptions");
    let mut obj = json!({
        "apiVersion": "messaging.knative.dev/v1", "kind": "Subscription", "metadata": {"name": "s"},
        "spec": {
            "channel": {"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "c", "extra": 1},
            "subscriber": {"ref": {"apiVersion": "v1", "kind": "Service", "name": "s", "extra": 2}},
            "reply": {"uri": "http://r", "extra": 3},
        },
    });
    let outcome = sub.apply_schema(&mut obj);
    assert_eq!(outcome.pruned, ["spec.reply.extra"]);
    assert_eq!(obj["spec"]["channel"]["extra"], json!(1));
    assert_eq!(obj["spec"]["subscriber"]["ref"]["extra"], json!(2));

    // ApiServerSource: all of spec.
    let api = crd("sources.knative.dev", "v1", "apiserversources");
    let mut obj = json!({
        "apiVersion": "sources.knative.dev/v1", "kind": "ApiServerSource", "metadata": {"name": "a"},
        "spec": {"resources": [{"apiVersion": "v1", "kind": "Event"}], "future": true},
    });
    let outcome = api.apply_schema(&mut obj);
    assert_eq!(
        (outcome.pruned, messages(&outcome.causes)),
        (vec![], vec![])
    );
    assert_eq!(obj["spec"]["future"], json!(true));
}

#[test]
fn nulls_are_dropped_or_defaulted() {
    let mut obj = service(json!({"template": {"spec": {"containers": [{
        "image": null,
        "ports": [{"containerPort": 8080, "protocol": null}],
    }]}}}));
    let outcome = ksvc().apply_schema(&mut obj);
    assert_eq!(messages(&outcome.causes), Vec::<String>::new());
    assert_eq!(
        obj["spec"]["template"]["spec"]["containers"],
        json!([{"ports": [{"containerPort": 8080, "protocol": "TCP"}]}])
    );
}

#[test]
fn type_errors_have_the_api_server_messages() {
    let mut obj = service(json!({"template": {"spec": {
        "containerConcurrency": "abc",
        "timeoutSeconds": true,
        "containers": [{"image": 5, "args": ["ok", null], "ports": "8080"}],
    }}}));
    let outcome = ksvc().apply_schema(&mut obj);
    assert_eq!(
        messages(&outcome.causes),
        [
            r#"FieldValueTypeInvalid | spec.template.spec.containerConcurrency | Invalid value: "string": spec.template.spec.containerConcurrency in body must be of type integer: "string""#,
            r#"FieldValueTypeInvalid | spec.template.spec.containers[0].args[1] | Invalid value: "null": spec.template.spec.containers[0].args[1] in body must be of type string: "null""#,
            r#"FieldValueTypeInvalid | spec.template.spec.containers[0].image | Invalid value: "integer": spec.template.spec.containers[0].image in body must be of type string: "integer""#,
            r#"FieldValueTypeInvalid | spec.template.spec.containers[0].ports | Invalid value: "string": spec.template.spec.containers[0].ports in body must be of type array: "string""#,
            // apiextensions strips the int64 format before validating, so the type names the
            // error (as kube-apiserver v1.28.7 answers, see the apiserver_diff suite).
            r#"FieldValueTypeInvalid | spec.template.spec.timeoutSeconds | Invalid value: "boolean": spec.template.spec.timeoutSeconds in body must be of type integer: "boolean""#,
        ]
    );
}

#[test]
fn required_fields() {
    let mut obj = service(json!({"template": {"spec": {}}}));
    let outcome = ksvc().apply_schema(&mut obj);
    assert_eq!(
        messages(&outcome.causes),
        ["FieldValueRequired | spec.template.spec.containers | Required value"]
    );
    let err = ksvc().invalid("hello", outcome.causes);
    assert_eq!(err.code, 422);
    assert_eq!(
        err.to_status(),
        json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": "Service.serving.knative.dev \"hello\" is invalid: spec.template.spec.containers: Required value",
            "reason": "Invalid",
            "details": {"name": "hello", "group": "serving.knative.dev", "kind": "Service", "causes": [
                {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.template.spec.containers"},
            ]},
            "code": 422,
        })
    );

    let mut obj = service(json!({"template": {"spec": {"containers": [{
        "image": "img",
        "env": [{"value": "v"}],
        "volumeMounts": [{"name": "v"}],
    }]}}}));
    let outcome = ksvc().apply_schema(&mut obj);
    let err = ksvc().invalid("hello", outcome.causes);
    assert_eq!(
        err.message,
        "Service.serving.knative.dev \"hello\" is invalid: [spec.template.spec.containers[0].env[0].name: Required value, spec.template.spec.containers[0].volumeMounts[0].mountPath: Required value]"
    );
}

#[test]
fn quantities_are_int_or_string_with_a_pattern() {
    let mut obj = service(json!({"template": {"spec": {"containers": [{
        "image": "img",
        "resources": {"limits": {"cpu": "250m", "memory": 1024}, "requests": {"cpu": "lots", "memory": true}},
    }]}}}));
    let outcome = ksvc().apply_schema(&mut obj);
    let pattern = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";
    let base = "spec.template.spec.containers[0].resources.requests";
    assert_eq!(
        messages(&outcome.causes),
        [
            format!(
                r#"FieldValueInvalid | {base}.cpu | Invalid value: "lots": {base}.cpu in body should match '{pattern}'"#
            ),
            format!(
                r#"FieldValueTypeInvalid | {base}.memory | Invalid value: "boolean": {base}.memory in body must be of type integer,string: "boolean""#
            ),
            format!(
                r#"FieldValueInvalid | <nil> | Invalid value: "": "{base}.memory" must validate at least one schema (anyOf)"#
            ),
            format!(
                r#"FieldValueTypeInvalid | {base}.memory | Invalid value: "boolean": {base}.memory in body must be of type integer: "boolean""#
            ),
        ]
    );
}

#[test]
fn list_map_keys_must_be_unique() {
    let mut obj = service(json!({"template": {"spec": {"containers": [{
        "image": "img",
        "env": [{"name": "A", "value": "1"}, {"name": "B"}, {"name": "A", "value": "2"}, {"name": "A"}],
    }]}}}));
    let outcome = ksvc().apply_schema(&mut obj);
    assert_eq!(
        messages(&outcome.causes),
        [
            r#"FieldValueDuplicate | spec.template.spec.containers[0].env[2] | Duplicate value: map[string]interface {}{"name":"A"}"#
        ]
    );
}

#[test]
fn every_format_in_the_schemas_is_checked() {
    let mut formats = std::collections::BTreeSet::new();
    fn walk(s: &crate::crd::Schema, out: &mut std::collections::BTreeSet<String>) {
        out.extend(s.format.clone());
        s.properties.values().for_each(|p| walk(p, out));
        s.items.iter().for_each(|p| walk(p, out));
        s.additional_properties.iter().for_each(|p| walk(p, out));
        s.any_of.iter().for_each(|p| walk(p, out));
    }
    for rt in CrdSet::knative().resource_types() {
        walk(
            &crd(&rt.group, &rt.version, &rt.plural).schema,
            &mut formats,
        );
    }
    assert_eq!(
        formats.into_iter().collect::<Vec<_>>(),
        ["date-time", "int32", "int64"]
    );

    let cert = crd(
        "networking.internal.knative.dev",
        "v1alpha1",
        "certificates",
    );
    let mut obj = json!({
        "apiVersion": "networking.internal.knative.dev/v1alpha1", "kind": "Certificate", "metadata": {"name": "c"},
        "spec": {"dnsNames": ["a.example.com"], "secretName": "s"},
        "status": {"notAfter": "soon"},
    });
    let outcome = cert.apply_schema(&mut obj);
    assert_eq!(
        messages(&outcome.causes),
        [
            r#"FieldValueTypeInvalid | status.notAfter | Invalid value: "soon": status.notAfter in body must be of type date-time: "soon""#
        ]
    );
    obj["status"]["notAfter"] = json!("2026-03-01T00:00:00Z");
    assert_eq!(cert.apply_schema(&mut obj).causes, vec![]);
}

#[test]
fn a_realistic_service_round_trips_unchanged() {
    let spec = json!({
        "template": {
            "metadata": {"annotations": {"autoscaling.knative.dev/min-scale": "1"}, "name": "hello-v1"},
            "spec": {
                "containerConcurrency": 0,
                "timeoutSeconds": 300,
                "containers": [{
                    "image": "ghcr.io/knative/helloworld-go:latest",
                    "name": "user-container",
                    "readinessProbe": {"successThreshold": 1, "tcpSocket": {"port": 0}},
                    "resources": {},
                    "env": [{"name": "TARGET", "value": "World"}],
                }],
                "enableServiceLinks": false,
            },
        },
        "traffic": [{"latestRevision": true, "percent": 100}, {"revisionName": "hello-v1", "percent": 0, "tag": "v1"}],
    });
    let mut obj = service(spec.clone());
    obj["status"] = json!({
        "observedGeneration": 1,
        "url": "http://hello.default.svc.cluster.local",
        "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-02T03:04:05Z"}],
        "traffic": [{"revisionName": "hello-v1", "latestRevision": true, "percent": 100}],
    });
    let before = obj.clone();
    let outcome = ksvc().apply_schema(&mut obj);
    assert_eq!(
        (outcome.pruned, messages(&outcome.causes)),
        (vec![], vec![])
    );
    assert_eq!(obj, before);
}

/// A `/status` write processes `status` alone, exactly as the whole-object pass does there.
#[test]
fn status_writes_process_only_the_status() {
    let status = json!({
        "observedGeneration": "one",
        "unknownField": 1,
        "conditions": [{"type": "Ready", "status": "True"}],
    });
    let mut whole = service(json!({"template": {"spec": {"containers": [{"image": "x"}]}}}));
    whole["status"] = status.clone();
    let mut status_only = whole.clone();
    let full = ksvc().schema.apply(&mut whole);
    let partial = ksvc().schema.apply_status(&mut status_only, false);
    assert_eq!(partial, full);
    assert_eq!(status_only, whole);
    assert_eq!(partial.pruned, ["status.unknownField"]);
    assert_eq!(
        messages(&partial.causes),
        [
            "FieldValueTypeInvalid | status.observedGeneration | Invalid value: \"string\": status.observedGeneration in body must be of type integer: \"string\""
        ]
    );
    // What is outside `status` is the stored object's: not pruned or checked again.
    let mut stored_spec = service(json!({"template": {"spec": {"containers": "not a list"}}}));
    stored_spec["spec"]["unknown"] = json!(true);
    stored_spec["status"] = json!({"observedGeneration": 1});
    let before = stored_spec.clone();
    let outcome = ksvc().schema.apply_status(&mut stored_spec, true);
    assert_eq!(outcome.causes, []);
    assert_eq!(outcome.pruned, Vec::<String>::new());
    assert_eq!(stored_spec, before);
}
