//! Protobuf requests: built-in kinds created from the exact bytes kubectl sends, read back in
//! JSON and in protobuf (objects, lists, Status, watch frames, PartialObjectMetadata), updated
//! and deleted in protobuf; custom resources and Tables refused in protobuf as upstream does.

use serde_json::{Value, json};

use crate::cases::{Case, JSON, NS, Step, case, cm, delete, get, ksvc_image, post, step};
use crate::normalise::View;

pub(crate) const PB: &str = "application/vnd.kubernetes.protobuf";
/// What kubectl and client-go send: protobuf, JSON as the fallback.
pub(crate) const PB_OR_JSON: &str = "application/vnd.kubernetes.protobuf,application/json";
const PB_NS: &str = "/api/v1/namespaces/capns";
const RBAC: &str = "/apis/rbac.authorization.k8s.io/v1";
const PARTIAL: &str =
    "application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";

/// The bodies kubectl v1.32 sends for `kubectl create namespace capns`, `create configmap
/// capcm -n capns --from-literal=a=b --from-literal=empty=`, `create secret generic capsec
/// --from-literal=p=q`, `create serviceaccount capsa`, `create service clusterip capsvc
/// --tcp=80:8080`, `create rolebinding caprb --role=caprole --serviceaccount=capns:capsa
/// --user=jane` and `create clusterrolebinding capcrb --clusterrole=capcr --group=devs`
/// (captured from the wire): Go writes every non-pointer field, zero or not.
const KUBECTL_NAMESPACE: &str = "6b3873000a0f0a02763112094e616d657370616365121d0a150a056361706e7312001a0022002a0032003800420012001a020a001a002200";
const KUBECTL_CONFIGMAP: &str = "6b3873000a0f0a0276311209436f6e6669674d6170122f0a1a0a05636170636d12001a056361706e7322002a0032003800420012060a016112016212090a05656d70747912001a002200";
const KUBECTL_SECRET: &str = "6b3873000a0c0a027631120653656372657412270a1b0a0663617073656312001a056361706e7322002a0032003800420012060a01701201711a001a002200";
const KUBECTL_SERVICEACCOUNT: &str = "6b3873000a140a027631120e536572766963654163636f756e74121c0a1a0a05636170736112001a056361706e7322002a003200380042001a002200";
const KUBECTL_SERVICE: &str = "6b3873000a0d0a02763112075365727669636512770a2a0a0663617073766312001a056361706e7322002a003200380042005a0d0a03617070120663617073766312450a1b0a0738302d38303830120354435018502207080010903f1a002800120d0a0361707012066361707376631a002209436c757374657249503a00420052005a00600068001a020a001a002200";
const KUBECTL_ROLEBINDING: &str = "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b526f6c6542696e64696e671295010a1a0a05636170726212001a056361706e7322002a0032003800420012290a04557365721219726261632e617574686f72697a6174696f6e2e6b38732e696f1a046a616e65220012200a0e536572766963654163636f756e7412001a05636170736122056361706e731a2a0a19726261632e617574686f72697a6174696f6e2e6b38732e696f1204526f6c651a07636170726f6c651a002200";
const KUBECTL_CLUSTERROLEBINDING: &str = "6b3873000a320a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311212436c7573746572526f6c6542696e64696e6712750a160a0663617063726212001a0022002a00320038004200122a0a0547726f75701219726261632e617574686f72697a6174696f6e2e6b38732e696f1a046465767322001a2f0a19726261632e617574686f72697a6174696f6e2e6b38732e696f120b436c7573746572526f6c651a0563617063721a002200";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

fn kubectl_create(path: impl Into<String>, body: &str) -> Step {
    Step {
        content_type: Some(PB),
        accept: PB_OR_JSON,
        bytes: Some(hex(body)),
        ..step("POST", path)
    }
}

/// A request whose body is `object` in protobuf.
fn proto(method: &'static str, path: impl Into<String>, object: Value) -> Step {
    Step {
        content_type: Some(PB),
        accept: PB_OR_JSON,
        protobuf: Some(object.to_string()),
        ..step(method, path)
    }
}

fn accepting(accept: &'static str, step: Step) -> Step {
    Step { accept, ..step }
}

fn pb(step: Step) -> Step {
    accepting(PB, step)
}

pub fn protobuf() -> Case {
    let cms = format!("{PB_NS}/configmaps");
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "caprole", "namespace": "capns"}, "rules": [{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["configmaps", "secrets"]}]});
    let cluster_role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "capcr", "labels": {"pb": "yes"}}, "rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}, {"verbs": ["get"], "nonResourceURLs": ["/x"]}], "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"agg": "yes"}}]}});
    case(
        "protobuf",
        vec![
            // 0: kubectl create namespace / configmap / secret / serviceaccount / service.
            kubectl_create(NS, KUBECTL_NAMESPACE),
            get(PB_NS),
            pb(get(PB_NS)),
            kubectl_create(&cms, KUBECTL_CONFIGMAP),
            get(format!("{cms}/capcm")),
            // 5
            pb(get(format!("{cms}/capcm"))),
            kubectl_create(format!("{PB_NS}/secrets"), KUBECTL_SECRET),
            get(format!("{PB_NS}/secrets/capsec")),
            kubectl_create(format!("{PB_NS}/serviceaccounts"), KUBECTL_SERVICEACCOUNT),
            get(format!("{PB_NS}/serviceaccounts/capsa")),
            // 10
            kubectl_create(format!("{PB_NS}/services"), KUBECTL_SERVICE),
            get(format!("{PB_NS}/services/capsvc")),
            // RBAC: objects encoded by the emulator's codec, read back by the real server.
            proto(
                "POST",
                format!("{RBAC}/namespaces/capns/roles"),
                role.clone(),
            ),
            get(format!("{RBAC}/namespaces/capns/roles/caprole")),
            kubectl_create(
                format!("{RBAC}/namespaces/capns/rolebindings"),
                KUBECTL_ROLEBINDING,
            ),
            // 15
            pb(get(format!("{RBAC}/namespaces/capns/rolebindings/caprb"))),
            proto("POST", format!("{RBAC}/clusterroles"), cluster_role.clone()),
            get(format!("{RBAC}/clusterroles/capcr")),
            kubectl_create(
                format!("{RBAC}/clusterrolebindings"),
                KUBECTL_CLUSTERROLEBINDING,
            ),
            get(format!("{RBAC}/clusterrolebindings/capcrb")),
            // 20: lists, paging, selectors, PartialObjectMetadata.
            pb(get(&cms)),
            pb(get(format!("{cms}?limit=1"))),
            pb(get(format!("{RBAC}/clusterroles?labelSelector=pb%3Dyes"))),
            pb(get(format!("{NS}?fieldSelector=metadata.name%3Dcapns"))),
            accepting(
                "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
                get(&cms),
            ),
            // 25
            accepting(
                "application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1",
                get(format!("{cms}/capcm")),
            ),
            // Errors come back as protobuf Status.
            pb(get(format!("{cms}/nope"))),
            kubectl_create(&cms, KUBECTL_CONFIGMAP),
            proto(
                "POST",
                &cms,
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Bad_Name"}}),
            ),
            proto(
                "POST",
                &cms,
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "data": {"a": "b"}, "binaryData": {"a": "AAE="}}),
            ),
            // 30: updates in protobuf, with and without the resourceVersion.
            get(format!("{cms}/capcm")),
            proto(
                "PUT",
                format!("{cms}/capcm"),
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "capcm", "namespace": "capns", "resourceVersion": "$RV", "labels": {"x": "y"}}, "data": {"a": "c"}, "immutable": false}),
            ),
            proto(
                "PUT",
                format!("{cms}/capcm"),
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "capcm", "namespace": "capns", "resourceVersion": "1"}, "data": {"a": "d"}}),
            ),
            proto(
                "PUT",
                format!("{cms}/capcm"),
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "capcm", "namespace": "capns"}, "data": {"a": "e"}, "binaryData": {"bin": "AAEC/w=="}}),
            ),
            get(format!("{cms}/capcm")),
            // 35: server-side dry run, the protobuf answer of a JSON write.
            Step {
                accept: PB_OR_JSON,
                ..post(format!("{cms}?dryRun=All"), cm("dry", json!({"k": "v"})))
            },
            proto(
                "POST",
                format!("{PB_NS}/secrets"),
                json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "typed"}, "type": "kubernetes.io/basic-auth", "stringData": {"username": "u", "password": "p"}}),
            ),
            get(format!("{PB_NS}/secrets/typed")),
            proto(
                "POST",
                format!("{PB_NS}/secrets"),
                json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "badtype"}, "type": "kubernetes.io/basic-auth", "data": {}}),
            ),
            // Deletion: the Status of a delete, a protobuf DeleteOptions body, deletecollection.
            pb(delete(format!("{cms}/capcm"))),
            // 40
            proto(
                "DELETE",
                format!("{PB_NS}/secrets/capsec"),
                json!({"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background", "gracePeriodSeconds": 0}),
            ),
            proto(
                "DELETE",
                format!("{PB_NS}/secrets/typed"),
                json!({"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Sideways"}),
            ),
            pb(delete(format!("{PB_NS}/serviceaccounts/nope"))),
            pb(delete(format!("{RBAC}/clusterrolebindings/capcrb"))),
            pb(delete(format!(
                "{RBAC}/clusterroles?labelSelector=pb%3Dyes"
            ))),
        ],
    )
}

/// ResourceQuota and LimitRange, which `kubectl describe namespace` lists (no quota controller
/// runs in either server, so a quota's status stays empty).
pub fn quotas_and_limit_ranges() -> Case {
    let quotas = format!("{PB_NS}/resourcequotas");
    let limits = format!("{PB_NS}/limitranges");
    let table = "application/json;as=Table;v=v1;g=meta.k8s.io";
    case(
        "quotas_and_limit_ranges",
        vec![
            post(
                &quotas,
                json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"}, "spec": {"hard": {"pods": "10", "requests.cpu": "2", "limits.memory": "4Gi", "configmaps": "5"}}}),
            ),
            accepting(table, get(&quotas)),
            pb(get(format!("{quotas}/q"))),
            proto(
                "POST",
                &quotas,
                json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "scoped"}, "spec": {"hard": {"pods": "1"}, "scopes": ["BestEffort"]}}),
            ),
            get(format!("{quotas}/scoped")),
            // 5
            post(
                &limits,
                json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "l"}, "spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}}, {"type": "Pod", "max": {"cpu": "4"}}]}}),
            ),
            accepting(table, get(format!("{limits}/l"))),
            pb(get(&limits)),
            proto(
                "POST",
                &limits,
                json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "d"}, "spec": {"limits": [{"type": "Container", "default": {"memory": "1Gi"}}]}}),
            ),
            get(format!("{limits}/d")),
            // 10
            delete(format!("{quotas}/q")),
            pb(delete(format!("{limits}/l"))),
        ],
    )
}

pub fn protobuf_negotiation() -> Case {
    let cms = format!("{PB_NS}/configmaps");
    let services = "/apis/serving.knative.dev/v1/namespaces/capns/services";
    case(
        "protobuf_negotiation",
        vec![
            post(&cms, cm("watched", json!({"a": "b"}))),
            // Watch: one length-prefixed WatchEvent per event.
            pb(get(format!(
                "{cms}?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3Dwatched"
            ))),
            accepting(PB_OR_JSON, get(format!("{cms}?watch=1&timeoutSeconds=1"))),
            pb(get(format!(
                "{NS}?watch=1&timeoutSeconds=1&labelSelector=kubernetes.io%2Fmetadata.name%3Dcapns"
            ))),
            // Custom resources have no protobuf form: 406 (its Status in protobuf) unless JSON
            // is acceptable too.
            post(services, ksvc_image("web", "img")),
            // 5
            pb(get(services)),
            pb(get(format!("{services}/web"))),
            accepting(PB_OR_JSON, get(services)),
            accepting(PB_OR_JSON, get(format!("{services}/web"))),
            accepting(
                "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
                get(services),
            ),
            // 10: Tables have no protobuf form either (the 406 is in JSON).
            accepting(
                "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io",
                get(&cms),
            ),
            accepting(
                "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io",
                get(&cms),
            ),
            accepting(
                "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json",
                get(format!("{cms}/watched")),
            ),
            accepting(
                "application/json,application/vnd.kubernetes.protobuf",
                get(format!("{cms}/watched")),
            ),
            // A JSON body answered in protobuf; a protobuf body answered in JSON.
            Step {
                accept: PB,
                ..post(&cms, cm("jsonin", json!({})))
            },
            // 15
            Step {
                accept: JSON,
                ..proto(
                    "POST",
                    &cms,
                    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "pbin"}}),
                )
            },
            // Malformed protobuf bodies.
            Step {
                bytes: Some(b"k8s\0\x0a\x02\x0a".to_vec()),
                ..proto("POST", &cms, Value::Null)
            },
            Step {
                bytes: Some(b"not protobuf".to_vec()),
                ..proto("POST", &cms, Value::Null)
            },
            Step {
                bytes: Some(hex(KUBECTL_SECRET)),
                ..proto("POST", &cms, Value::Null)
            },
            // Metadata-only watches (client-go's metadata informers): PartialObjectMetadata
            // frames, for built-in kinds and custom resources alike.
            accepting(
                PARTIAL,
                get(format!(
                    "{cms}?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3Dwatched"
                )),
            ),
            // 20
            accepting(PARTIAL, get(format!("{services}?watch=1&timeoutSeconds=1"))),
            pb(delete(PB_NS)),
        ],
    )
}

/// The review APIs `kubectl auth whoami`/`can-i` and `knit doctor` ask, in JSON and (as kubectl
/// sends them) in protobuf. Both servers' callers are in `system:masters`.
pub fn reviews() -> Case {
    let ssr = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    let ssar = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    let review = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"});
    let access = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {"resourceAttributes": {"namespace": "diff", "verb": "create", "group": "serving.knative.dev", "resource": "services"}}});
    let non_resource = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {"nonResourceAttributes": {"path": "/healthz", "verb": "get"}}});
    case(
        "reviews",
        vec![
            post(ssr, review.clone()).view(View::WithoutUid),
            proto("POST", ssr, review).view(View::WithoutUid),
            post(ssar, access.clone()),
            proto("POST", ssar, access),
            post(ssar, non_resource),
            post(
                ssar,
                json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {}}),
            ),
        ],
    )
}
