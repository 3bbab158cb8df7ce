//! One test per defaulting or validation rule of reference/knative-api.md §2.2–2.3, checking
//! the exact resulting object or the exact message a client sees.

use serde_json::{Value, json};

use super::*;
use crate::cluster::ClusterApi;
use crate::json::At;
use crate::knative::testing::{FakeCluster, resource_type};
use crate::resource::GroupResource;

const USER: &str = "alice";
const DENIED: &str = "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: ";

fn cluster() -> FakeCluster {
    FakeCluster::new(crate::Config::default())
}

fn gr(plural: &str) -> GroupResource {
    GroupResource::new(GROUP, plural)
}

/// Runs defaulting then validation as the API server does; returns the object and warnings,
/// or the denial message.
fn admit_as(
    c: &FakeCluster,
    plural: &str,
    op: Operation,
    mut obj: Value,
    old: Option<&Value>,
    user: &str,
) -> Result<(Value, Vec<String>), String> {
    let rt = resource_type(&gr(plural));
    let ns = obj
        .at("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("default")
        .to_string();
    let name = obj
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let req = AdmissionRequest {
        operation: op,
        resource: &rt,
        namespace: &ns,
        name: &name,
        user,
        old,
        dry_run: false,
        cluster: c,
    };
    let hook = ServingWebhooks;
    assert!(hook.handles(&rt));
    hook.mutate(&req, &mut obj).map_err(|e| e.message.clone())?;
    let warnings = hook.validate(&req, &obj).map_err(|e| {
        assert_eq!(e.code, 400);
        assert_eq!(e.reason, "BadRequest");
        e.message.clone()
    })?;
    Ok((obj, warnings))
}

fn create(plural: &str, obj: Value) -> Result<(Value, Vec<String>), String> {
    admit_as(&cluster(), plural, Operation::Create, obj, None, USER)
}

fn update(plural: &str, old: &Value, obj: Value) -> Result<(Value, Vec<String>), String> {
    admit_as(&cluster(), plural, Operation::Update, obj, Some(old), USER)
}

fn ksvc(spec_patch: Value) -> Value {
    let mut s = json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": "hello", "namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/knative/helloworld-go:latest"}]}}},
    });
    json_patch::merge(&mut s, &spec_patch);
    s
}

/// The error text after the webhook prefix.
fn denied(plural: &str, obj: Value) -> String {
    let msg = create(plural, obj)
        .map(|_| ())
        .expect_err("request must be denied");
    msg.strip_prefix(DENIED)
        .unwrap_or_else(|| panic!("unexpected prefix: {msg}"))
        .to_string()
}

fn svc_denied(patch: Value) -> String {
    denied("services", ksvc(patch))
}

const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

// ---- defaulting ----

#[test]
fn service_defaulted_as_stored() {
    let (obj, _) = create("services", ksvc(json!({}))).unwrap();
    assert_eq!(
        obj,
        json!({
            "apiVersion": "serving.knative.dev/v1",
            "kind": "Service",
            "metadata": {
                "name": "hello",
                "namespace": "default",
                "annotations": {"serving.knative.dev/creator": USER, "serving.knative.dev/lastModifier": USER},
            },
            "spec": {
                "template": {
                    "metadata": {},
                    "spec": {
                        "containerConcurrency": 0,
                        "containers": [{
                            "image": "ghcr.io/knative/helloworld-go:latest",
                            "name": "user-container",
                            "readinessProbe": {"successThreshold": 1, "tcpSocket": {"port": 0}},
                            "resources": {},
                        }],
                        "enableServiceLinks": false,
                        "timeoutSeconds": 300,
                    },
                },
                "traffic": [{"latestRevision": true, "percent": 100}],
            },
        })
    );
}

#[test]
fn secure_pod_defaults_warning() {
    let (_, warnings) = create("services", ksvc(json!({}))).unwrap();
    assert_eq!(
        warnings,
        vec!["Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile".to_string()]
    );
}

#[test]
fn no_warning_when_security_context_is_set() {
    let (_, warnings) = create(
        "services",
        ksvc(json!({"spec": {"template": {"spec": {"containers": [{"image": "nginx", "securityContext": {
            "runAsNonRoot": true, "allowPrivilegeEscalation": false,
            "seccompProfile": {"type": "RuntimeDefault"}, "capabilities": {"drop": ["ALL"]}}}]}}}})),
    )
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn secure_pod_defaults_enabled_hardens_containers() {
    let c = cluster();
    c.merge_patch(
        &GroupResource::of("", "configmaps"),
        "knative-serving",
        "config-features",
        &json!({"data": {"secure-pod-defaults": "Enabled"}}),
    )
    .unwrap();
    let obj = ksvc(
        json!({"spec": {"template": {"spec": {"containers": [{"image": "nginx", "ports": [{"containerPort": 80}]}]}}}}),
    );
    let (obj, warnings) = admit_as(&c, "services", Operation::Create, obj, None, USER).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        obj["spec"]["template"]["spec"]["containers"][0]["securityContext"],
        json!({"allowPrivilegeEscalation": false, "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
               "runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}})
    );
}

#[test]
fn multi_container_names_and_probes() {
    let (obj, _) = create(
        "services",
        ksvc(json!({"spec": {"template": {"spec": {"containers": [
            {"image": "a", "ports": [{"containerPort": 8080}]},
            {"image": "b"},
            {"image": "c", "name": "user-container-1"}]}}}})),
    )
    .unwrap();
    let cs = &obj["spec"]["template"]["spec"]["containers"];
    assert_eq!(cs[0]["name"], "user-container-0");
    assert_eq!(cs[1]["name"], "user-container-2");
    assert_eq!(
        cs[0]["readinessProbe"],
        json!({"successThreshold": 1, "tcpSocket": {"port": 0}})
    );
    assert!(cs[1].get("readinessProbe").is_none());
}

#[test]
fn probe_with_period_gets_kubernetes_defaults() {
    let (obj, _) = create(
        "services",
        ksvc(json!({"spec": {"template": {"spec": {"containers": [
            {"image": "a", "readinessProbe": {"httpGet": {"path": "/"}, "periodSeconds": 5}}]}}}})),
    )
    .unwrap();
    assert_eq!(
        obj["spec"]["template"]["spec"]["containers"][0]["readinessProbe"],
        json!({"httpGet": {"path": "/", "port": 0}, "periodSeconds": 5, "successThreshold": 1, "failureThreshold": 3, "timeoutSeconds": 1})
    );
}

#[test]
fn volume_mounts_forced_read_only_except_writable_volumes() {
    let (obj, _) = create(
        "services",
        ksvc(json!({"spec": {"template": {"spec": {
            "containers": [{"image": "a", "volumeMounts": [{"name": "s", "mountPath": "/s"}, {"name": "e", "mountPath": "/e"}]}],
            "volumes": [{"name": "s", "secret": {"secretName": "x"}}, {"name": "e", "emptyDir": {}}]}}}})),
    )
    .unwrap();
    assert_eq!(
        obj["spec"]["template"]["spec"]["containers"][0]["volumeMounts"],
        json!([{"name": "s", "mountPath": "/s", "readOnly": true}, {"name": "e", "mountPath": "/e"}])
    );
}

#[test]
fn traffic_entries_defaulted() {
    let (obj, _) = create(
        "services",
        ksvc(json!({"metadata": {"name": "hello"}, "spec": {"traffic": [
            {"revisionName": "hello-00001", "percent": 100}, {"tag": "latest", "latestRevision": true}]}})),
    )
    .unwrap();
    assert_eq!(
        obj["spec"]["traffic"],
        json!([{"revisionName": "hello-00001", "percent": 100, "latestRevision": false},
               {"tag": "latest", "latestRevision": true, "percent": 0}])
    );
}

#[test]
fn update_sets_last_modifier_only_on_spec_change() {
    let (stored, _) = create("services", ksvc(json!({}))).unwrap();
    let c = cluster();
    // Same spec, another user: annotations untouched.
    let (same, _) = admit_as(
        &c,
        "services",
        Operation::Update,
        stored.clone(),
        Some(&stored),
        "bob",
    )
    .unwrap();
    assert_eq!(
        same["metadata"]["annotations"]["serving.knative.dev/lastModifier"],
        USER
    );
    // Changed spec: lastModifier is bob, creator stays.
    let mut changed = stored.clone();
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx");
    let (changed, _) = admit_as(
        &c,
        "services",
        Operation::Update,
        changed,
        Some(&stored),
        "bob",
    )
    .unwrap();
    assert_eq!(
        changed["metadata"]["annotations"]["serving.knative.dev/lastModifier"],
        "bob"
    );
    assert_eq!(
        changed["metadata"]["annotations"]["serving.knative.dev/creator"],
        USER
    );
    // enableServiceLinks is only defaulted on create.
    let mut no_links = stored.clone();
    no_links["spec"]["template"]["spec"]
        .as_object_mut()
        .unwrap()
        .remove("enableServiceLinks");
    no_links["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx");
    let (no_links, _) = admit_as(
        &c,
        "services",
        Operation::Update,
        no_links,
        Some(&stored),
        "bob",
    )
    .unwrap();
    assert!(
        no_links["spec"]["template"]["spec"]
            .get("enableServiceLinks")
            .is_none()
    );
}

#[test]
fn byo_name_unchanged_skips_template_defaulting_on_update() {
    let old = ksvc(json!({"spec": {"template": {"metadata": {"name": "hello-one"}}}}));
    let (stored, _) = create("services", old).unwrap();
    // An absent `resources` is the same Go value as `{}` (a struct, not a pointer): only the
    // image counts as a change.
    let mut new = stored.clone();
    let container = new["spec"]["template"]["spec"]["containers"][0]
        .as_object_mut()
        .unwrap();
    container.remove("resources");
    container.insert("image".into(), json!("other"));
    let msg = update("services", &stored, new).unwrap_err();
    assert_eq!(
        msg,
        format!(
            "{DENIED}Saw the following changes without a name change (-old +new): spec.template.metadata.name\n{{*v1.RevisionTemplateSpec}}.Spec.PodSpec.Containers[0].Image:\n\t-: \"ghcr.io/knative/helloworld-go:latest\"\n\t+: \"other\"\n"
        )
    );
}

#[test]
fn owned_configuration_and_route_get_no_user_annotations() {
    let owner = json!([{"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "hello", "uid": "u", "controller": true}]);
    let cfg = json!({"metadata": {"name": "hello", "namespace": "default", "ownerReferences": owner,
        "labels": {"serving.knative.dev/service": "hello"}},
        "spec": {"template": {"spec": {"containers": [{"image": "nginx"}]}}}});
    let (cfg, _) = create("configurations", cfg).unwrap();
    assert!(cfg["metadata"].get("annotations").is_none());
    let route = json!({"metadata": {"name": "hello", "namespace": "default", "ownerReferences": owner},
        "spec": {"traffic": [{"configurationName": "hello", "percent": 100}]}});
    let (route, _) = create("routes", route).unwrap();
    assert!(route["metadata"].get("annotations").is_none());
    assert_eq!(
        route["spec"]["traffic"],
        json!([{"configurationName": "hello", "percent": 100, "latestRevision": true}])
    );
}

#[test]
fn standalone_route_gets_user_annotations() {
    let route = json!({"metadata": {"name": "r", "namespace": "default"},
        "spec": {"traffic": [{"configurationName": "hello", "percent": 100}]}});
    let (route, _) = create("routes", route).unwrap();
    assert_eq!(
        route["metadata"]["annotations"]["serving.knative.dev/creator"],
        USER
    );
}

#[test]
fn revision_is_not_redefaulted_on_update() {
    let rev = json!({"metadata": {"name": "r-1", "namespace": "default"}, "spec": {"containers": [{"image": "nginx"}]}});
    let (stored, _) = create("revisions", rev).unwrap();
    assert_eq!(stored["spec"]["timeoutSeconds"], 300);
    let mut new = stored.clone();
    new["metadata"]["labels"] = json!({"x": "y"});
    let (new, _) = update("revisions", &stored, new).unwrap();
    assert_eq!(new["spec"], stored["spec"]);
}

#[test]
fn domain_mapping_ref_namespace_defaulted() {
    let dm = json!({"metadata": {"name": "example.org", "namespace": "default"},
        "spec": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "hello"}}});
    let (dm, _) = create("domainmappings", dm).unwrap();
    assert_eq!(dm["spec"]["ref"]["namespace"], "default");
    assert_eq!(
        dm["metadata"]["annotations"]["serving.knative.dev/creator"],
        USER
    );
}

#[test]
fn config_defaults_are_read_from_the_configmap() {
    let c = cluster();
    c.merge_patch(
        &GroupResource::of("", "configmaps"),
        "knative-serving",
        "config-defaults",
        &json!({"data": {"revision-timeout-seconds": "120", "container-concurrency": "10", "revision-cpu-request": "100m"}}),
    )
    .unwrap();
    let (obj, _) = admit_as(
        &c,
        "services",
        Operation::Create,
        ksvc(json!({})),
        None,
        USER,
    )
    .unwrap();
    let spec = &obj["spec"]["template"]["spec"];
    assert_eq!(spec["timeoutSeconds"], 120);
    assert_eq!(spec["containerConcurrency"], 10);
    assert_eq!(
        spec["containers"][0]["resources"],
        json!({"requests": {"cpu": "100m"}})
    );
}

#[test]
fn wrong_json_types_fail_decoding_in_the_defaulting_webhook() {
    let msg = create(
        "services",
        ksvc(json!({"spec": {"template": {"spec": {"timeoutSeconds": "300"}}}})),
    )
    .unwrap_err();
    assert_eq!(
        msg,
        "admission webhook \"webhook.serving.knative.dev\" denied the request: mutation failed: cannot decode incoming new object: json: cannot unmarshal string into Go struct field RevisionSpec.spec.template.spec.timeoutSeconds of type int64"
    );
    let msg = create(
        "services",
        ksvc(json!({"spec": {"traffic": [{"percent": 1.5}]}})),
    )
    .unwrap_err();
    assert_eq!(
        msg,
        "admission webhook \"webhook.serving.knative.dev\" denied the request: mutation failed: cannot decode incoming new object: json: cannot unmarshal number 1.5 into Go struct field TrafficTarget.spec.traffic.percent of type int64"
    );
}

/// Each typed field names its Go type and full path: containers and env of a template or a
/// Revision's own spec, and a Route's traffic targets.
#[test]
fn decode_errors_name_the_go_type_and_the_path_of_each_field() {
    let template = |rs: Value| json!({"spec": {"template": {"spec": rs}}});
    for (kind, obj, want) in [
        (
            Kind::Service,
            template(json!({"containers": [{"image": 1}]})),
            "number into Go struct field Container.spec.template.spec.containers.image of type string",
        ),
        (
            Kind::Configuration,
            template(json!({"containers": [{"env": [{"name": "A", "value": true}]}]})),
            "bool into Go struct field EnvVar.spec.template.spec.containers.env.value of type string",
        ),
        (
            Kind::Service,
            template(json!({"containers": {}})),
            "object into Go struct field RevisionSpec.spec.template.spec.containers of type []v1.Container",
        ),
        (
            Kind::Revision,
            json!({"spec": {"idleTimeoutSeconds": "1"}}),
            "string into Go struct field RevisionSpec.spec.idleTimeoutSeconds of type int64",
        ),
        (
            Kind::Route,
            json!({"spec": {"traffic": [{"latestRevision": "yes"}]}}),
            "string into Go struct field TrafficTarget.spec.traffic.latestRevision of type bool",
        ),
        (
            Kind::Route,
            json!({"spec": {"traffic": [{"configurationName": 2}]}}),
            "number into Go struct field TrafficTarget.spec.traffic.configurationName of type string",
        ),
        (
            Kind::Route,
            json!({"spec": {"traffic": {}}}),
            "object into Go struct field RouteSpec.spec.traffic of type []v1.TrafficTarget",
        ),
    ] {
        assert_eq!(
            defaults::decode_error(kind, &obj),
            Some(format!(
                "cannot decode incoming new object: json: cannot unmarshal {want}"
            )),
            "{obj}"
        );
    }
    assert_eq!(
        defaults::decode_error(Kind::DomainMapping, &json!({"spec": 1})),
        None
    );
}

// ---- traffic ----

#[test]
fn traffic_sum() {
    assert_eq!(
        svc_denied(json!({"spec": {"traffic": [{"latestRevision": true, "percent": 90}]}})),
        "Traffic targets sum to 90, want 100: spec.traffic"
    );
}

#[test]
fn traffic_percent_out_of_range() {
    assert_eq!(
        svc_denied(
            json!({"spec": {"traffic": [{"latestRevision": true, "percent": 150}, {"revisionName": "hello-1", "percent": -50}]}})
        ),
        "expected 0 <= -50 <= 100: spec.traffic[1].percent\nexpected 0 <= 150 <= 100: spec.traffic[0].percent"
    );
}

#[test]
fn duplicate_tags() {
    assert_eq!(
        svc_denied(json!({"spec": {"traffic": [
            {"tag": "a", "latestRevision": true, "percent": 50},
            {"tag": "a", "revisionName": "hello-00001", "percent": 50}]}})),
        "Multiple definitions for \"a\": spec.traffic[0].tag, spec.traffic[1].tag"
    );
}

#[test]
fn tag_not_dns1035() {
    assert_eq!(
        svc_denied(
            json!({"spec": {"traffic": [{"tag": "A_b", "latestRevision": true, "percent": 100}]}})
        ),
        format!("invalid value: not a DNS 1035 label: [{DNS1035_MSG}]: spec.traffic.tag[0]")
    );
}

#[test]
fn latest_revision_with_revision_name() {
    assert_eq!(
        svc_denied(
            json!({"spec": {"traffic": [{"revisionName": "hello-00001", "latestRevision": true, "percent": 100}]}})
        ),
        "may not set revisionName \"hello-00001\" when latestRevision is true: spec.traffic[0].latestRevision"
    );
}

#[test]
fn latest_revision_false_without_revision_name() {
    assert_eq!(
        svc_denied(json!({"spec": {"traffic": [{"latestRevision": false, "percent": 100}]}})),
        "may not set revisionName \"\" when latestRevision is false: spec.traffic[0].latestRevision"
    );
}

#[test]
fn configuration_name_in_service_traffic() {
    assert_eq!(
        svc_denied(json!({"spec": {"traffic": [{"configurationName": "hello", "percent": 100}]}})),
        "must not set the field(s): spec.traffic[0].configurationName"
    );
}

#[test]
fn route_target_both_and_neither() {
    let route = |traffic: Value| json!({"metadata": {"name": "r", "namespace": "default"}, "spec": {"traffic": traffic}});
    assert_eq!(
        denied(
            "routes",
            route(
                json!([{"configurationName": "c", "revisionName": "r-1", "percent": 100, "latestRevision": false}])
            )
        ),
        "expected exactly one, got both: spec.traffic[0].configurationName, spec.traffic[0].revisionName"
    );
    assert_eq!(
        denied("routes", route(json!([{"percent": 100}]))),
        "expected exactly one, got neither: spec.traffic[0].configurationName, spec.traffic[0].revisionName"
    );
}

#[test]
fn empty_route_traffic() {
    assert_eq!(
        denied(
            "routes",
            json!({"metadata": {"name": "r", "namespace": "default"}, "spec": {}})
        ),
        "Traffic targets sum to 0, want 100: spec.traffic"
    );
}

#[test]
fn url_in_spec_traffic() {
    assert_eq!(
        svc_denied(
            json!({"spec": {"traffic": [{"tag": "x", "url": "http://x", "latestRevision": true, "percent": 100}]}})
        ),
        "must not set the field(s): spec.traffic[0].url"
    );
}

#[test]
fn revision_name_not_qualified() {
    assert_eq!(
        svc_denied(json!({"spec": {"traffic": [{"revisionName": "-bad", "percent": 100}]}})),
        "invalid key name \"-bad\": spec.traffic[0].revisionName\nname part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    );
}

// ---- metadata ----

#[test]
fn object_name_not_dns1035() {
    assert_eq!(
        svc_denied(json!({"metadata": {"name": "hello.world"}})),
        format!("not a DNS 1035 label: [{DNS1035_MSG}]: metadata.name")
    );
    let long = "a".repeat(64);
    assert_eq!(
        svc_denied(json!({"metadata": {"name": long}})),
        "not a DNS 1035 label: [must be no more than 63 characters]: metadata.name"
    );
}

#[test]
fn autoscaling_annotation_on_service_metadata() {
    assert_eq!(
        svc_denied(
            json!({"metadata": {"annotations": {"autoscaling.knative.dev/min-scale": "1"}}})
        ),
        "invalid key name \"autoscaling.knative.dev/min-scale\": metadata.annotations\nautoscaling annotations must be put under \"spec.template.metadata.annotations\" to work"
    );
}

fn with_template_annotations(anns: Value) -> Value {
    json!({"spec": {"template": {"metadata": {"annotations": anns}}}})
}

#[test]
fn min_scale_greater_than_max_scale() {
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/min-scale": "5", "autoscaling.knative.dev/max-scale": "2"})
        )),
        "max-scale=2 is less than min-scale=5: spec.template.metadata.annotations.autoscaling.knative.dev/max-scale, spec.template.metadata.annotations.autoscaling.knative.dev/min-scale"
    );
}

#[test]
fn scale_not_an_integer_or_negative() {
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/max-scale": "x"})
        )),
        "invalid value: x: spec.template.metadata.annotations.autoscaling.knative.dev/max-scale"
    );
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/min-scale": "-1"})
        )),
        "expected 0 <= -1 <= 2147483647: spec.template.metadata.annotations.autoscaling.knative.dev/min-scale"
    );
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/min-scale": "3000000000"})
        )),
        "expected 0 <= 3000000000 <= 2147483647: spec.template.metadata.annotations.autoscaling.knative.dev/min-scale"
    );
}

#[test]
fn initial_scale_zero_not_allowed() {
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/initial-scale": "0"})
        )),
        "invalid value: 0: spec.template.metadata.annotations.autoscaling.knative.dev/initial-scale=0 not allowed by cluster"
    );
}

#[test]
fn target_too_small() {
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/target": "0.001"})
        )),
        "target 0.001 should be at least 0.01: spec.template.metadata.annotations.autoscaling.knative.dev/target"
    );
}

#[test]
fn window_bounds_and_precision() {
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/window": "5s"})
        )),
        "expected 6s <= 5s <= 1h0m0s: spec.template.metadata.annotations.autoscaling.knative.dev/window"
    );
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/window": "10500ms"})
        )),
        "must be specified with at most second precision: spec.template.metadata.annotations.autoscaling.knative.dev/window"
    );
}

#[test]
fn unknown_metric() {
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/metric": "cpu"})
        )),
        "invalid value: cpu: spec.template.metadata.annotations.autoscaling.knative.dev/metric"
    );
}

#[test]
fn activation_scale_rules() {
    let path = "spec.template.metadata.annotations.autoscaling.knative.dev/activation-scale";
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/min-scale": "5", "autoscaling.knative.dev/activation-scale": "3"})
        )),
        format!("min-scale=5 is greater than activation-scale=3: {path}")
    );
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/max-scale": "2", "autoscaling.knative.dev/activation-scale": "3"})
        )),
        format!("max-scale=2 is less than activation-scale=3: {path}")
    );
    assert_eq!(
        svc_denied(with_template_annotations(
            json!({"autoscaling.knative.dev/activation-scale": "1"})
        )),
        format!("activation-scale=1 must be greater than 1: {path}")
    );
}

#[test]
fn rollout_duration_rules() {
    let path = "metadata.annotations.serving.knative.dev/rollout-duration";
    let with =
        |v: &str| json!({"metadata": {"annotations": {"serving.knative.dev/rollout-duration": v}}});
    assert_eq!(
        svc_denied(with("soon")),
        format!("invalid value: soon: {path}")
    );
    assert_eq!(
        svc_denied(with("1.5s")),
        format!("rollout-duration=1.5s is not at second precision: {path}")
    );
    assert_eq!(
        svc_denied(with("-10s")),
        format!("rollout-duration=-10s must be positive: {path}")
    );
}

// Serving (1.15 to 1.23) does not check the visibility label's value: any value is stored
// (serving's route_validation_test "visibility label specified"); the admission differential
// sends one.

// ---- containers ----

fn with_containers(cs: Value) -> Value {
    json!({"spec": {"template": {"spec": {"containers": cs}}}})
}

#[test]
fn no_containers() {
    assert_eq!(
        svc_denied(with_containers(json!([]))),
        "missing field(s): spec.template.spec.containers"
    );
}

#[test]
fn missing_image() {
    assert_eq!(
        svc_denied(with_containers(json!([{"name": "c"}]))),
        "missing field(s): spec.template.spec.containers[0].image"
    );
}

#[test]
fn unparsable_image() {
    assert_eq!(
        svc_denied(with_containers(json!([{"image": "Not Valid"}]))),
        "Failed to parse image reference: spec.template.spec.containers[0].image\nimage: \"Not Valid\", error: could not parse reference: Not Valid"
    );
}

#[test]
fn reserved_env_var() {
    assert_eq!(
        svc_denied(with_containers(
            json!([{"image": "nginx", "env": [{"name": "A", "value": "1"}, {"name": "PORT", "value": "1"}]}])
        )),
        "\"PORT\" is a reserved environment variable: spec.template.spec.containers[0].env[1].name"
    );
}

#[test]
fn reserved_port() {
    assert_eq!(
        svc_denied(with_containers(
            json!([{"image": "nginx", "ports": [{"containerPort": 8012}]}])
        )),
        "invalid value: 8012 is a reserved port: spec.template.spec.containers[0].ports.containerPort\n8012 is a reserved port, please use a different value"
    );
}

#[test]
fn port_name_not_allowed() {
    assert_eq!(
        svc_denied(with_containers(
            json!([{"image": "nginx", "ports": [{"containerPort": 8080, "name": "grpc"}]}])
        )),
        "Port name grpc is not allowed: spec.template.spec.containers[0].ports\nName must be empty, or one of: 'h2c', 'http1'"
    );
}

#[test]
fn more_than_one_port() {
    assert_eq!(
        svc_denied(with_containers(json!([
            {"image": "a", "ports": [{"containerPort": 8080}]},
            {"image": "b", "ports": [{"containerPort": 8081}]}]))),
        "more than one container port is set: spec.template.spec.containers[*].ports\nOnly a single port is allowed across all containers"
    );
}

#[test]
fn multi_container_without_port() {
    assert_eq!(
        svc_denied(with_containers(json!([{"image": "a"}, {"image": "b"}]))),
        "missing field(s): spec.template.spec.containers[*].ports"
    );
}

#[test]
fn queue_proxy_container_name() {
    assert_eq!(
        svc_denied(with_containers(
            json!([{"image": "a", "name": "queue-proxy"}])
        )),
        "\"queue-proxy\" is a reserved container name: spec.template.spec.containers[0].name"
    );
}

#[test]
fn duplicate_container_name() {
    assert_eq!(
        svc_denied(with_containers(
            json!([{"image": "a", "name": "x", "ports": [{"containerPort": 8080}]}, {"image": "b", "name": "x"}])
        )),
        "duplicate container name \"x\": spec.template.spec.containers[1].name"
    );
}

#[test]
fn reserved_mount_path() {
    assert_eq!(
        svc_denied(json!({"spec": {"template": {"spec": {
            "containers": [{"image": "a", "volumeMounts": [{"name": "v", "mountPath": "/dev/"}]}],
            "volumes": [{"name": "v", "secret": {"secretName": "s"}}]}}}})),
        "mountPath \"/dev\" is a reserved path: spec.template.spec.containers[0].volumeMounts[0].mountPath"
    );
}

#[test]
fn timeout_out_of_range() {
    assert_eq!(
        svc_denied(json!({"spec": {"template": {"spec": {"timeoutSeconds": 601}}}})),
        "expected 0 <= 601 <= 600: spec.template.spec.timeoutSeconds"
    );
}

#[test]
fn container_concurrency_out_of_range() {
    assert_eq!(
        svc_denied(json!({"spec": {"template": {"spec": {"containerConcurrency": 1001}}}})),
        "expected 0 <= 1001 <= 1000: spec.template.spec.containerConcurrency"
    );
}

#[test]
fn disabled_pod_spec_field_then_enabled_by_config_features() {
    let patch = json!({"spec": {"template": {"spec": {"nodeSelector": {"disk": "ssd"}}}}});
    assert_eq!(
        svc_denied(patch.clone()),
        "must not set the field(s): spec.template.spec.nodeSelector"
    );
    let c = cluster();
    c.merge_patch(
        &GroupResource::of("", "configmaps"),
        "knative-serving",
        "config-features",
        &json!({"data": {"kubernetes.podspec-nodeselector": "enabled"}}),
    )
    .unwrap();
    assert!(admit_as(&c, "services", Operation::Create, ksvc(patch), None, USER).is_ok());
}

#[test]
fn init_containers_disabled() {
    assert_eq!(
        svc_denied(
            json!({"spec": {"template": {"spec": {"initContainers": [{"image": "busybox"}]}}}})
        ),
        "must not set the field(s): spec.template.spec.initContainers\npod spec support for init-containers is off, but found 1 init containers: "
    );
}

#[test]
fn several_errors_are_merged_and_sorted() {
    assert_eq!(
        svc_denied(
            json!({"spec": {"template": {"spec": {"timeoutSeconds": 700, "containers": [{"name": "a"}]}},
            "traffic": [{"latestRevision": true, "percent": 50}]}})
        ),
        "Traffic targets sum to 50, want 100: spec.traffic\nexpected 0 <= 700 <= 600: spec.template.spec.timeoutSeconds\nmissing field(s): spec.template.spec.containers[0].image"
    );
}

// ---- BYO revision names ----

#[test]
fn byo_name_without_prefix() {
    assert_eq!(
        svc_denied(json!({"spec": {"template": {"metadata": {"name": "other-1"}}}})),
        "invalid value: \"other-1\" must have prefix \"hello-\": spec.template.metadata.name"
    );
}

#[test]
fn byo_name_not_dns1035() {
    assert_eq!(
        svc_denied(json!({"spec": {"template": {"metadata": {"name": "hello-V1"}}}})),
        format!(
            "invalid value: not a DNS 1035 label: [{DNS1035_MSG}]: spec.template.metadata.name"
        )
    );
}

#[test]
fn byo_name_with_generate_name_parent() {
    let mut s = ksvc(
        json!({"metadata": {"generateName": "hello-"}, "spec": {"template": {"metadata": {"name": "hello-1"}}}}),
    );
    s["metadata"].as_object_mut().unwrap().remove("name");
    assert_eq!(
        denied("services", s),
        "must not set the field(s): spec.template.metadata.name"
    );
}

#[test]
fn template_change_without_name_change() {
    let (stored, _) = create(
        "services",
        ksvc(json!({"spec": {"template": {"metadata": {"name": "hello-one"}}}})),
    )
    .unwrap();
    let mut new = stored.clone();
    new["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx");
    assert_eq!(
        update("services", &stored, new).unwrap_err(),
        format!(
            "{DENIED}Saw the following changes without a name change (-old +new): spec.template.metadata.name\n{{*v1.RevisionTemplateSpec}}.Spec.PodSpec.Containers[0].Image:\n\t-: \"ghcr.io/knative/helloworld-go:latest\"\n\t+: \"nginx\"\n"
        )
    );
}

#[test]
fn revision_spec_is_immutable() {
    let rev = json!({"metadata": {"name": "r-1", "namespace": "default"}, "spec": {"containers": [{"image": "nginx"}]}});
    let (stored, _) = create("revisions", rev).unwrap();
    let mut new = stored.clone();
    new["spec"]["containers"][0]["image"] = json!("httpd");
    assert_eq!(
        update("revisions", &stored, new).unwrap_err(),
        format!(
            "{DENIED}Immutable fields changed (-old +new): spec\n{{v1.RevisionSpec}}.PodSpec.Containers[0].Image:\n\t-: \"nginx\"\n\t+: \"httpd\"\n"
        )
    );
}

#[test]
fn creator_is_immutable() {
    let (stored, _) = create("services", ksvc(json!({}))).unwrap();
    let mut new = stored.clone();
    new["metadata"]["annotations"]["serving.knative.dev/creator"] = json!("mallory");
    assert_eq!(
        update("services", &stored, new).unwrap_err(),
        format!(
            "{DENIED}annotation value is immutable: metadata.annotations.serving.knative.dev/creator"
        )
    );
}

#[test]
fn last_modifier_changed_without_spec_change() {
    let (stored, _) = create("services", ksvc(json!({}))).unwrap();
    let mut new = stored.clone();
    new["metadata"]["annotations"]["serving.knative.dev/lastModifier"] = json!("mallory");
    assert_eq!(
        update("services", &stored, new).unwrap_err(),
        format!(
            "{DENIED}invalid value: mallory: metadata.annotations.serving.knative.dev/lastModifier"
        )
    );
}

#[test]
fn service_label_without_owner() {
    let cfg = json!({"metadata": {"name": "c", "namespace": "default", "labels": {"serving.knative.dev/service": "hello"}},
        "spec": {"template": {"spec": {"containers": [{"image": "nginx"}]}}}});
    assert_eq!(
        denied("configurations", cfg),
        "missing field(s): metadata.labels.serving.knative.dev/service"
    );
    let route = json!({"metadata": {"name": "r", "namespace": "default", "labels": {"serving.knative.dev/service": "hello"}},
        "spec": {"traffic": [{"configurationName": "c", "percent": 100}]}});
    assert_eq!(
        denied("routes", route),
        "missing field(s): metadata.labels.serving.knative.dev/service"
    );
}

// ---- DomainMapping ----

#[test]
fn domain_mapping_rules() {
    let dm = |name: &str, r: Value| json!({"metadata": {"name": name, "namespace": "default"}, "spec": {"ref": r}});
    let ksvc_ref =
        json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "hello"});
    assert!(create("domainmappings", dm("example.org", ksvc_ref.clone())).is_ok());
    assert_eq!(
        denied("domainmappings", dm("example", ksvc_ref.clone())),
        "invalid name \"example\": name: Invalid value: \"example\": should be a domain with at least two segments separated by dots: metadata.name"
    );
    assert_eq!(
        denied(
            "domainmappings",
            dm("a.svc.cluster.local", ksvc_ref.clone())
        ),
        "invalid name \"a.svc.cluster.local\": must not be a subdomain of cluster local domain \"cluster.local\": metadata.name"
    );
    assert_eq!(
        denied("domainmappings", dm("example.org", json!({"name": "x"}))),
        "missing field(s): spec.ref.apiVersion, spec.ref.kind"
    );
    let mut other_ns = ksvc_ref;
    other_ns["namespace"] = json!("other");
    assert_eq!(
        denied("domainmappings", dm("example.org", other_ns)),
        "mismatched namespaces: spec.ref.namespace\nparent namespace: \"default\" does not match ref: \"other\""
    );
}

#[test]
fn delete_is_always_allowed() {
    let c = cluster();
    let rt = resource_type(&gr("services"));
    let obj = json!({"metadata": {"name": "Bad.Name"}});
    let req = AdmissionRequest {
        operation: Operation::Delete,
        resource: &rt,
        namespace: "default",
        name: "x",
        user: USER,
        old: Some(&obj),
        dry_run: false,
        cluster: &c,
    };
    assert_eq!(ServingWebhooks.validate(&req, &obj), Ok(vec![]));
}

#[test]
fn other_resources_are_not_handled() {
    let rt = resource_type(&GroupResource::of("", "configmaps"));
    assert!(!ServingWebhooks.handles(&rt));
    let rt = resource_type(&GroupResource::of("eventing.knative.dev", "brokers"));
    assert!(!ServingWebhooks.handles(&rt));
}
