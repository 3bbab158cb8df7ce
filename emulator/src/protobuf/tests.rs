use serde_json::json;

use super::*;

fn core_type(plural: &str) -> std::sync::Arc<TypeInfo> {
    let ti = crate::builtin::core_types()
        .into_iter()
        .find(|t| t.rt.plural == plural)
        .expect("a built-in type");
    std::sync::Arc::new(ti)
}

/// JSON → protobuf → JSON gives the object back, field for field.
fn round_trip(plural: &str, object: serde_json::Value) {
    let ti = core_type(plural);
    let bytes = encode_object(&ti, &object).expect("encodes");
    assert_eq!(decode_any(&bytes).expect("decodes"), object);
    assert_eq!(decode_object(&ti, &bytes).expect("decodes"), object);
}

fn meta(name: &str) -> serde_json::Value {
    json!({
        "name": name,
        "namespace": "ns",
        "uid": "0b6f0d33-8a0e-4d1c-9f5f-6d1f0c4c1a01",
        "resourceVersion": "42",
        "creationTimestamp": "2026-12-06T21:28:32Z",
        "deletionTimestamp": "2026-12-06T21:30:00Z",
        "deletionGracePeriodSeconds": 0,
        "labels": {"a": "1", "b": ""},
        "annotations": {"note": "x"},
        "finalizers": ["f/one"],
        "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "o", "uid": "u", "controller": true, "blockOwnerDeletion": false}],
        "managedFields": [{"manager": "kubectl", "operation": "Apply", "apiVersion": "v1", "time": "2026-12-06T21:28:32Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {".": {}, "f:a": {}}}}],
    })
}

#[test]
fn every_kind_round_trips() {
    round_trip(
        "configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("c"), "data": {"a": "b", "e": ""}, "binaryData": {"bin": "AAEC"}, "immutable": false}),
    );
    round_trip(
        "secrets",
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta("s"), "data": {"k": "aGk=", "empty": ""}, "type": "Opaque", "immutable": true}),
    );
    round_trip(
        "namespaces",
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": meta("n"), "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Terminating", "conditions": [{"type": "NamespaceDeletionContentFailure", "status": "False", "lastTransitionTime": "2026-12-06T21:28:32Z", "reason": "ContentDeleted", "message": "All content successfully deleted"}]}}),
    );
    round_trip(
        "serviceaccounts",
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("sa"), "secrets": [{"name": "t"}], "imagePullSecrets": [{"name": "p"}], "automountServiceAccountToken": false}),
    );
    round_trip(
        "services",
        json!({"apiVersion": "v1", "kind": "Service", "metadata": meta("svc"), "spec": {"ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}, {"port": 443, "targetPort": 8443, "nodePort": 30001}], "selector": {"app": "x"}, "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"], "type": "ClusterIP", "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": false}, "status": {"loadBalancer": {}}}),
    );
    round_trip(
        "events",
        json!({"apiVersion": "v1", "kind": "Event", "metadata": meta("e"), "involvedObject": {"kind": "Pod", "name": "p", "namespace": "ns", "fieldPath": "spec.containers{c}"}, "reason": "Pulled", "message": "ok", "source": {"component": "kubelet"}, "firstTimestamp": "2026-12-06T21:28:32Z", "lastTimestamp": "2026-12-06T21:28:33Z", "count": 3, "type": "Normal", "eventTime": "2026-12-06T21:28:32.123456Z", "reportingComponent": "k", "reportingInstance": "i"}),
    );
    round_trip(
        "pods",
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta("p"), "spec": {"containers": [{"name": "c", "image": "i", "args": ["-v"], "env": [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "k", "optional": true}}}], "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}}, "readinessProbe": {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 5}, "securityContext": {"runAsNonRoot": true, "runAsUser": 0}}], "volumes": [{"name": "v", "configMap": {"name": "cm", "defaultMode": 420}}], "terminationGracePeriodSeconds": 30, "enableServiceLinks": false}, "status": {"phase": "Running", "podIP": "10.0.0.1"}}),
    );
}

#[test]
fn events_k8s_io_events_round_trip() {
    let ti = std::sync::Arc::new(crate::events_v1::type_info());
    let object = json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": meta("e"), "eventTime": "2026-12-06T21:28:32.123456Z", "series": {"count": 2, "lastObservedTime": "2026-12-06T21:29:32.000001Z"}, "reportingController": "example.com/c", "reportingInstance": "i", "action": "Pulling", "reason": "Pulled", "regarding": {"kind": "Pod", "name": "p", "namespace": "ns"}, "related": {"kind": "Node", "name": "n"}, "note": "ok", "type": "Normal", "deprecatedSource": {"component": "kubelet"}, "deprecatedFirstTimestamp": "2026-12-06T21:28:32Z", "deprecatedLastTimestamp": "2026-12-06T21:28:33Z", "deprecatedCount": 3});
    let bytes = encode_object(&ti, &object).expect("encodes");
    assert_eq!(decode_any(&bytes).expect("decodes"), object);
    assert_eq!(decode_object(&ti, &bytes).expect("decodes"), object);
}

#[test]
fn rbac_kinds_round_trip() {
    let rbac = |plural: &str| {
        std::sync::Arc::new(
            crate::builtin::core_types()
                .into_iter()
                .find(|t| t.rt.plural == plural && t.rt.group == crate::builtin::RBAC_GROUP)
                .expect("an RBAC type"),
        )
    };
    let rules = json!([{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["a"]}, {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]);
    for (plural, object) in [
        (
            "roles",
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta("r"), "rules": rules}),
        ),
        (
            "clusterroles",
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": meta("cr"), "rules": rules, "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"a": "b"}, "matchExpressions": [{"key": "k", "operator": "In", "values": ["v"]}]}]}}),
        ),
        (
            "rolebindings",
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta("rb"), "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "ns"}, {"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "jane"}], "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"}}),
        ),
        (
            "clusterrolebindings",
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": meta("crb"), "subjects": [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "g"}], "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cr"}}),
        ),
    ] {
        let ti = rbac(plural);
        let bytes = encode_object(&ti, &object).expect("encodes");
        assert_eq!(
            decode_object(&ti, &bytes).expect("decodes"),
            object,
            "{plural}"
        );
    }
}

/// A namespace as the real kube-apiserver v1.28.7 answered it in protobuf: decoded to the JSON
/// it serves.
#[test]
fn reads_and_writes_the_real_servers_bytes() {
    let hex = "6b3873000a0f0a02763112094e616d65737061636512ff010ae4010a02707412001a0022002a2431356237353033652d313564622d343962342d613833322d6239313337643734386335613203323933380042080880a7d7d80610005a210a1b6b756265726e657465732e696f2f6d657461646174612e6e616d65120270748a017d0a0e6b75626563746c2d63726561746512065570646174651a02763122080880a7d7d806100032084669656c647356313a490a477b22663a6d65746164617461223a7b22663a6c6162656c73223a7b222e223a7b7d2c22663a6b756265726e657465732e696f2f6d657461646174612e6e616d65223a7b7d7d7d7d4200120c0a0a6b756265726e657465731a080a064163746976651a002200";
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let object = decode_any(&bytes).expect("decodes");
    assert_eq!(
        object,
        json!({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": "pt",
                "uid": "15b7503e-15db-49b4-a832-b9137d748c5a",
                "resourceVersion": "293",
                "creationTimestamp": "2026-12-06T21:28:32Z",
                "labels": {"kubernetes.io/metadata.name": "pt"},
                "managedFields": [{
                    "manager": "kubectl-create",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": "2026-12-06T21:28:32Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:kubernetes.io/metadata.name": {}}}},
                }],
            },
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"},
        })
    );
}

#[test]
fn status_and_watch_frames() {
    let status = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": "namespaces \"nope\" not found", "reason": "NotFound", "details": {"name": "nope", "kind": "namespaces"}, "code": 404});
    let bytes = encode_meta(&status).expect("encodes");
    assert_eq!(decode_any(&bytes).expect("decodes"), status);
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "resourceVersion": "7"}});
    let object = encode_object(&core_type("configmaps"), &cm).expect("encodes");
    let mut stream = watch_frame("ADDED", &object);
    stream.extend(watch_frame("DELETED", &object));
    assert_eq!(
        decode_watch(&stream).expect("decodes"),
        vec![
            json!({"type": "ADDED", "object": cm}),
            json!({"type": "DELETED", "object": cm})
        ]
    );
}

#[test]
fn hostile_bodies_are_errors_not_panics() {
    let ti = core_type("configmaps");
    for body in [
        &b""[..],
        b"k8s",
        b"k8s\0\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
        b"k8s\0\x12\x05\x0a\x03\x0a\x01",
        b"{\"kind\":\"ConfigMap\"}",
    ] {
        assert!(decode_object(&ti, body).is_err(), "{body:?}");
    }
    // Deep nesting is refused, not recursed into.
    let mut raw = Vec::new();
    for _ in 0..200 {
        let mut outer = vec![0x0a];
        wire::varint(&mut outer, raw.len() as u64);
        outer.extend(raw);
        raw = outer;
    }
    let _ = wire::decode("api.core.v1.Pod", &raw);
}
