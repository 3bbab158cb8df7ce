//! Export cleaning, both modes, mixed `@latest`/named traffic, and reading an export back.

use super::*;

fn service() -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {
            "name": "hello", "namespace": "default", "uid": "u", "resourceVersion": "9", "generation": 3,
            "labels": {"app": "web", "serving.knative.dev/serviceUID": "u"},
            "annotations": {"serving.knative.dev/creator": "me", "note": "n", LAST_APPLIED_ANNOTATION: "{}"}
        },
        "spec": {
            "template": {
                "metadata": {"annotations": {UPDATE_TIMESTAMP_ANNOTATION: "t", "keep": "k"}, "creationTimestamp": null},
                "spec": {"containers": [{"image": "img:3"}], "x-podspec": 1}
            },
            "traffic": [
                {"revisionName": "hello-00001", "tag": "old", "percent": 10},
                {"latestRevision": true, "percent": 90}
            ]
        },
        "status": {"latestCreatedRevisionName": "hello-00003", "latestReadyRevisionName": "hello-00003"}
    })
}

fn revision(name: &str, generation: i64) -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Revision",
        "metadata": {
            "name": name, "namespace": "default", "uid": format!("uid-{name}"),
            "labels": {"serving.knative.dev/configurationGeneration": generation.to_string(), "serving.knative.dev/configurationUID": "c"},
            "annotations": {"serving.knative.dev/creator": "me", "serving.knative.dev/routingStateModified": "x", "rev-note": name}
        },
        "spec": {"containers": [{"image": format!("img:{generation}")}]},
        "status": {"x": 1}
    })
}

fn revisions() -> Vec<Value> {
    vec![
        revision("hello-00003", 3),
        revision("hello-00001", 1),
        revision("hello-00002", 2),
    ]
}

fn cleaned_service(template_name: Option<&str>, traffic: bool) -> Value {
    let mut template_meta = json!({"annotations": {"keep": "k"}});
    if let Some(name) = template_name {
        template_meta["name"] = json!(name);
    }
    let mut svc = json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": "hello", "labels": {"app": "web"}, "annotations": {"note": "n"}},
        "spec": {"template": {
            "metadata": template_meta,
            "spec": {"containers": [{"image": "img:3"}], "x-podspec": 1}
        }}
    });
    if traffic {
        svc["spec"]["traffic"] = service()["spec"]["traffic"].clone();
    }
    svc
}

#[test]
fn export_without_revisions() {
    assert_eq!(
        export(&service(), &[], false, ExportMode::Export).unwrap(),
        json!({"apiVersion": "client.knative.dev/v1alpha1", "kind": "Export", "spec": {"service": cleaned_service(None, false)}})
    );
    assert_eq!(
        export(&service(), &[], false, ExportMode::Replay).unwrap(),
        cleaned_service(None, false)
    );
}

#[test]
fn export_mode_with_mixed_latest_and_named_traffic() {
    let out = export(&service(), &revisions(), true, ExportMode::Export).unwrap();
    assert_eq!(
        out,
        json!({
            "apiVersion": "client.knative.dev/v1alpha1",
            "kind": "Export",
            "spec": {
                "service": cleaned_service(Some("hello-00003"), true),
                "revisions": [{
                    "apiVersion": "serving.knative.dev/v1",
                    "kind": "Revision",
                    "metadata": {
                        "name": "hello-00001",
                        "labels": {"serving.knative.dev/configurationGeneration": "1"},
                        "annotations": {"rev-note": "hello-00001"}
                    },
                    "spec": {"containers": [{"image": "img:1"}]}
                }]
            }
        })
    );
}

#[test]
fn replay_mode_lists_one_service_per_routed_revision() {
    let out = export(&service(), &revisions(), true, ExportMode::Replay).unwrap();
    let mut older = cleaned_service(Some("hello-00001"), false);
    older["spec"]["template"] = json!({
        "metadata": {"name": "hello-00001", "annotations": {"rev-note": "hello-00001"}},
        "spec": {"containers": [{"image": "img:1"}]}
    });
    assert_eq!(
        out,
        json!({"apiVersion": "v1", "kind": "List", "items": [older, cleaned_service(Some("hello-00003"), true)]})
    );
}

#[test]
fn export_needs_revisions_when_asked_for_them() {
    assert_eq!(
        export(&service(), &[], true, ExportMode::Export)
            .unwrap_err()
            .to_string(),
        "no revisions found for the service hello"
    );
}

#[test]
fn a_single_revision_exports_no_traffic() {
    let out = export(
        &service(),
        &[revision("hello-00003", 3)],
        true,
        ExportMode::Export,
    )
    .unwrap();
    assert_eq!(
        out["spec"]["service"],
        cleaned_service(Some("hello-00003"), false)
    );
    assert_eq!(out["spec"].get("revisions"), None);
}

#[test]
fn import_plan_reads_an_export_back() {
    let exported = export(&service(), &revisions(), true, ExportMode::Export).unwrap();
    let plan = import_plan(&exported, "other").unwrap();
    assert_eq!(plan.service["metadata"]["namespace"], "other");
    assert_eq!(
        plan.service["spec"]["template"]["metadata"]["name"],
        "hello-00003"
    );
    assert_eq!(plan.revisions.len(), 1);
    assert_eq!(plan.revisions[0]["metadata"]["namespace"], "other");
    assert_eq!(
        import_plan(&json!({"spec": {"service": {"metadata": {}}}}), "x")
            .unwrap_err()
            .to_string(),
        "provided import file doesn't contain service name, please note that only kn's custom export format is supported"
    );
}

#[test]
fn owner_reference_points_at_the_configuration() {
    let mut rev = revision("hello-00001", 1);
    let config = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Configuration", "metadata": {"name": "hello", "uid": "cfg-uid"}});
    set_owner(&mut rev, &config);
    assert_eq!(
        rev["metadata"]["ownerReferences"],
        json!([{"apiVersion": "serving.knative.dev/v1", "kind": "Configuration", "name": "hello", "uid": "cfg-uid", "controller": true, "blockOwnerDeletion": true}])
    );
}
