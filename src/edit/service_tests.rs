//! One test per Service edit flag, plus the proof that unknown fields survive every edit.

use super::*;
use crate::edit::podspec::{self, EnvOp, SecurityContextPreset};
use crate::edit::profile;
use rand::SeedableRng;
use rand::rngs::StdRng;

const NOW: &str = "2026-11-21T10:00:00Z";

fn base() -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": "hello", "namespace": "default", "generation": 2},
        "spec": {"template": {
            "metadata": {"annotations": {USER_IMAGE_ANNOTATION: "img:1"}},
            "spec": {"containers": [{"image": "img:1"}]}
        }}
    })
}

fn run(
    service: &mut Value,
    edit: &ServiceEdit,
    mode: Mode,
    base_revision: Option<&Value>,
) -> Result<Outcome, EditError> {
    let mut rng = StdRng::seed_from_u64(1);
    let profiles = profile::merged(&Profiles::new());
    apply(
        service,
        edit,
        EditEnv {
            mode,
            now: NOW.parse().unwrap(),
            rng: &mut rng,
            profiles: &profiles,
            base_revision,
        },
    )
}

fn update(edit: ServiceEdit) -> Value {
    let mut svc = base();
    run(&mut svc, &edit, Mode::Update, None).unwrap();
    svc
}

fn kvs(items: &[&str]) -> Vec<KeyValueArg> {
    items.iter().map(|s| s.parse().unwrap()).collect()
}

fn template_annotations(svc: &Value) -> &Value {
    &svc["spec"]["template"]["metadata"]["annotations"]
}

#[test]
fn scale_forms() {
    assert_eq!(
        "5".parse::<ScaleRange>(),
        Ok(ScaleRange {
            min: Some(5),
            max: Some(5)
        })
    );
    assert_eq!(
        "1..5".parse::<ScaleRange>(),
        Ok(ScaleRange {
            min: Some(1),
            max: Some(5)
        })
    );
    assert_eq!(
        "1..".parse::<ScaleRange>(),
        Ok(ScaleRange {
            min: Some(1),
            max: None
        })
    );
    assert_eq!(
        "..5".parse::<ScaleRange>(),
        Ok(ScaleRange {
            min: None,
            max: Some(5)
        })
    );
    // A negative number is a number: Knative's check refuses it later, with its own text.
    assert_eq!(
        "0..-1".parse::<ScaleRange>(),
        Ok(ScaleRange {
            min: Some(0),
            max: Some(-1)
        })
    );
    for bad in ["", "..", "a", "1..b", "1...2"] {
        assert!(
            bad.parse::<ScaleRange>()
                .unwrap_err()
                .starts_with("Scale must be of the format x..y or x"),
            "{bad}"
        );
    }
}

#[test]
fn scale_sets_min_and_max_on_the_template_only() {
    let svc = update(ServiceEdit {
        scale: Some("1..3".parse().unwrap()),
        ..Default::default()
    });
    assert_eq!(template_annotations(&svc)[MIN_SCALE], "1");
    assert_eq!(template_annotations(&svc)[MAX_SCALE], "3");
    assert_eq!(svc["metadata"].get("annotations"), None);
}

#[test]
fn scale_conflicts_with_scale_min_and_max() {
    let edit = |min, max| ServiceEdit {
        scale: Some("2".parse().unwrap()),
        scale_min: min,
        scale_max: max,
        ..Default::default()
    };
    assert_eq!(
        edit(Some(1), Some(2)).validate().unwrap_err().to_string(),
        "only --scale or --scale-max can be specified"
    );
    assert_eq!(
        edit(Some(1), None).validate().unwrap_err().to_string(),
        "only --scale or --scale-min can be specified"
    );
}

#[test]
fn scale_family_annotations() {
    let svc = update(ServiceEdit {
        scale_min: Some(1),
        scale_max: Some(10),
        scale_init: Some(2),
        scale_activation: Some(3),
        scale_target: Some(50),
        scale_metric: Some("rps".into()),
        scale_utilization: Some(80),
        scale_window: Some("30s".parse().unwrap()),
        ..Default::default()
    });
    let a = template_annotations(&svc);
    assert_eq!(a[MIN_SCALE], "1");
    assert_eq!(a[MAX_SCALE], "10");
    assert_eq!(a[INITIAL_SCALE], "2");
    assert_eq!(a[ACTIVATION_SCALE], "3");
    assert_eq!(a[TARGET], "50");
    assert_eq!(a[METRIC], "rps");
    assert_eq!(a[TARGET_UTILIZATION], "80");
    assert_eq!(a[WINDOW], "30s");
}

#[test]
fn scale_window_must_be_a_go_duration() {
    let edit = ServiceEdit {
        scale_window: Some("ten".parse().unwrap()),
        ..Default::default()
    };
    assert_eq!(
        edit.validate().unwrap_err().to_string(),
        "invalid duration for 'scale-window': time: invalid duration \"ten\""
    );
}

#[test]
fn scale_init_conflicts_with_the_annotation() {
    let edit = ServiceEdit {
        scale_init: Some(1),
        annotations: kvs(&["autoscaling.knative.dev/initial-scale=2"]),
        ..Default::default()
    };
    assert_eq!(
        edit.validate().unwrap_err().to_string(),
        "only one of the --scale-init or --annotation autoscaling.knative.dev/initial-scale can be specified"
    );
}

#[test]
fn concurrency_limit_and_timeout() {
    let edit = ServiceEdit {
        concurrency_limit: Some("-1".parse().unwrap()),
        ..Default::default()
    };
    assert_eq!(
        edit.validate().unwrap_err().to_string(),
        "invalid concurrency-limit -1 (must not be less than 0)"
    );
    let svc = update(ServiceEdit {
        concurrency_limit: Some(ConcurrencyLimit(10)),
        timeout: Some(60),
        ..Default::default()
    });
    assert_eq!(svc["spec"]["template"]["spec"]["containerConcurrency"], 10);
    assert_eq!(svc["spec"]["template"]["spec"]["timeoutSeconds"], 60);
}

#[test]
fn cluster_local_sets_and_removes_the_visibility_label() {
    let mut svc = update(ServiceEdit {
        cluster_local: Some(true),
        ..Default::default()
    });
    assert_eq!(svc["metadata"]["labels"][VISIBILITY_LABEL], "cluster-local");
    run(
        &mut svc,
        &ServiceEdit {
            cluster_local: Some(false),
            ..Default::default()
        },
        Mode::Update,
        None,
    )
    .unwrap();
    assert_eq!(svc["metadata"].get("labels"), None);
}

#[test]
fn labels_go_to_service_and_revision_with_specific_flags_winning() {
    let svc = update(ServiceEdit {
        labels: kvs(&["both=1", "team=a"]),
        labels_service: kvs(&["team=svc", "only-svc=x"]),
        labels_revision: kvs(&["team-"]),
        ..Default::default()
    });
    assert_eq!(
        svc["metadata"]["labels"],
        json!({"both": "1", "team": "svc", "only-svc": "x"})
    );
    assert_eq!(
        svc["spec"]["template"]["metadata"]["labels"],
        json!({"both": "1"})
    );
}

#[test]
fn label_removal() {
    let mut svc = base();
    svc["metadata"]["labels"] = json!({"a": "1", "b": "2"});
    svc["spec"]["template"]["metadata"]["labels"] = json!({"a": "1"});
    run(
        &mut svc,
        &ServiceEdit {
            labels: kvs(&["a-"]),
            ..Default::default()
        },
        Mode::Update,
        None,
    )
    .unwrap();
    assert_eq!(svc["metadata"]["labels"], json!({"b": "2"}));
    assert_eq!(svc["spec"]["template"]["metadata"].get("labels"), None);
}

#[test]
fn annotations_route_autoscaling_keys_to_the_template_only() {
    let svc = update(ServiceEdit {
        annotations: kvs(&["note=x", "autoscaling.knative.dev/min-scale=1"]),
        ..Default::default()
    });
    assert_eq!(svc["metadata"]["annotations"], json!({"note": "x"}));
    assert_eq!(template_annotations(&svc)["note"], "x");
    assert_eq!(template_annotations(&svc)[MIN_SCALE], "1");
}

#[test]
fn service_and_revision_annotation_flags_support_removal() {
    let mut svc = base();
    svc["metadata"]["annotations"] = json!({"svc-only": "1", "keep": "k"});
    svc["spec"]["template"]["metadata"]["annotations"]["rev-only"] = json!("2");
    run(
        &mut svc,
        &ServiceEdit {
            annotations_service: kvs(&["svc-only-", "added=s"]),
            annotations_revision: kvs(&["rev-only-", "added=r"]),
            ..Default::default()
        },
        Mode::Update,
        None,
    )
    .unwrap();
    assert_eq!(
        svc["metadata"]["annotations"],
        json!({"keep": "k", "added": "s"})
    );
    assert_eq!(template_annotations(&svc).get("rev-only"), None);
    assert_eq!(template_annotations(&svc)["added"], "r");
}

#[test]
fn autoscaling_annotation_on_the_service_is_rejected() {
    let edit = ServiceEdit {
        annotations_service: kvs(&["autoscaling.knative.dev/target=10"]),
        ..Default::default()
    };
    assert_eq!(
        edit.validate().unwrap_err().to_string(),
        "service can not have auto-scaling related annotation: autoscaling.knative.dev/target , please update using '--annotation-revision'"
    );
}

#[test]
fn duplicate_keys_are_rejected() {
    let edit = ServiceEdit {
        annotations: kvs(&["a=1", "a=2"]),
        ..Default::default()
    };
    assert_eq!(
        edit.validate().unwrap_err().to_string(),
        "Invalid --annotation: The key \"a\" has been duplicate in [a=1 a=2]"
    );
}

#[test]
fn revision_name_template_uses_next_generation() {
    let svc = update(ServiceEdit {
        revision_name: Some("{{.Service}}-v{{.Generation}}".parse().unwrap()),
        ..Default::default()
    });
    assert_eq!(svc["spec"]["template"]["metadata"]["name"], "hello-v3");
}

#[test]
fn revision_name_is_ignored_by_apply() {
    let mut svc = skeleton("hello", "default");
    run(
        &mut svc,
        &ServiceEdit {
            pod_spec: PodSpecEdit {
                image: Some("img".into()),
                ..Default::default()
            },
            revision_name: Some("v1".parse().unwrap()),
            ..Default::default()
        },
        Mode::Apply,
        None,
    )
    .unwrap();
    assert_eq!(svc["spec"]["template"]["metadata"].get("name"), None);
}

#[test]
fn profile_applies_and_removes() {
    let mut svc = update(ServiceEdit {
        profile: Some("istio".parse().unwrap()),
        ..Default::default()
    });
    assert_eq!(svc["metadata"].get("labels"), None);
    assert_eq!(
        template_annotations(&svc)["sidecar.istio.io/inject"],
        "true"
    );
    assert_eq!(
        template_annotations(&svc)["sidecar.istio.io/rewriteAppHTTPProbers"],
        "true"
    );
    run(
        &mut svc,
        &ServiceEdit {
            profile: Some("istio-".parse().unwrap()),
            ..Default::default()
        },
        Mode::Update,
        None,
    )
    .unwrap();
    assert_eq!(
        template_annotations(&svc).get("sidecar.istio.io/rewriteAppHTTPProbers"),
        None
    );
    assert_eq!(
        template_annotations(&svc).get("sidecar.istio.io/inject"),
        None
    );
}

#[test]
fn unknown_profile_is_an_error() {
    let mut svc = base();
    let err = run(
        &mut svc,
        &ServiceEdit {
            profile: Some("nope".parse().unwrap()),
            ..Default::default()
        },
        Mode::Update,
        None,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "profile nope doesn't exist");
}

#[test]
fn create_stamps_and_records_the_user_image() {
    let mut svc = skeleton("hello", "default");
    let outcome = run(
        &mut svc,
        &ServiceEdit {
            pod_spec: PodSpecEdit {
                image: Some("img:2".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        Mode::Create,
        None,
    )
    .unwrap();
    assert!(outcome.template_changed);
    assert_eq!(
        svc,
        json!({
            "apiVersion": "serving.knative.dev/v1",
            "kind": "Service",
            "metadata": {"name": "hello", "namespace": "default"},
            "spec": {"template": {
                "metadata": {"annotations": {
                    USER_IMAGE_ANNOTATION: "img:2",
                    UPDATE_TIMESTAMP_ANNOTATION: NOW
                }},
                "spec": {"containers": [{"image": "img:2"}]}
            }}
        })
    );
}

#[test]
fn no_lock_to_digest_drops_the_user_image_annotation() {
    let mut svc = skeleton("hello", "default");
    run(
        &mut svc,
        &ServiceEdit {
            pod_spec: PodSpecEdit {
                image: Some("img".into()),
                ..Default::default()
            },
            lock_to_digest: Some(false),
            ..Default::default()
        },
        Mode::Create,
        None,
    )
    .unwrap();
    assert_eq!(template_annotations(&svc).get(USER_IMAGE_ANNOTATION), None);
}

#[test]
fn apply_never_stamps() {
    let mut svc = skeleton("hello", "default");
    run(
        &mut svc,
        &ServiceEdit {
            pod_spec: PodSpecEdit {
                image: Some("img".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        Mode::Apply,
        None,
    )
    .unwrap();
    assert_eq!(
        template_annotations(&svc),
        &json!({USER_IMAGE_ANNOTATION: "img"})
    );
}

fn base_revision() -> Value {
    json!({
        "metadata": {"name": "hello-00001"},
        "spec": {"containers": [{"name": "user-container", "image": "img:1"}]},
        "status": {"containerStatuses": [{"name": "user-container", "imageDigest": "img@sha256:111"}]}
    })
}

#[test]
fn update_pins_the_image_to_the_base_digest() {
    let mut svc = base();
    let edit = ServiceEdit {
        pod_spec: PodSpecEdit {
            env: vec![EnvOp::Env("A=1".parse().unwrap())],
            ..Default::default()
        },
        ..Default::default()
    };
    assert!(edit.may_pin_digest(&svc));
    let outcome = run(&mut svc, &edit, Mode::Update, Some(&base_revision())).unwrap();
    assert!(outcome.template_changed);
    let container = &svc["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "img@sha256:111");
    assert_eq!(container["env"], json!([{"name": "A", "value": "1"}]));
    assert_eq!(template_annotations(&svc)[USER_IMAGE_ANNOTATION], "img:1");
    assert_eq!(template_annotations(&svc)[UPDATE_TIMESTAMP_ANNOTATION], NOW);
}

#[test]
fn update_with_image_does_not_pin() {
    let mut svc = base();
    let edit = ServiceEdit {
        pod_spec: PodSpecEdit {
            image: Some("img:2".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    assert!(!edit.may_pin_digest(&svc));
    run(&mut svc, &edit, Mode::Update, Some(&base_revision())).unwrap();
    assert_eq!(
        svc["spec"]["template"]["spec"]["containers"][0]["image"],
        "img:2"
    );
    assert_eq!(template_annotations(&svc)[USER_IMAGE_ANNOTATION], "img:2");
}

#[test]
fn without_the_annotation_pinning_needs_the_explicit_flag() {
    let mut svc = base();
    svc["spec"]["template"]["metadata"] = json!({});
    let edit = ServiceEdit {
        scale_min: Some(1),
        ..Default::default()
    };
    assert!(!edit.may_pin_digest(&svc));
    let explicit = ServiceEdit {
        lock_to_digest: Some(true),
        ..edit
    };
    assert!(explicit.may_pin_digest(&svc));
}

#[test]
fn an_update_that_changes_nothing_leaves_the_template_alone() {
    let mut svc = base();
    svc["spec"]["template"]["spec"]["containers"][0]["env"] = json!([{"name": "A", "value": "1"}]);
    let before = svc.clone();
    let outcome = run(
        &mut svc,
        &ServiceEdit {
            pod_spec: PodSpecEdit {
                env: vec![EnvOp::Env("A=1".parse().unwrap())],
                ..Default::default()
            },
            ..Default::default()
        },
        Mode::Update,
        Some(&base_revision()),
    )
    .unwrap();
    assert!(!outcome.template_changed);
    assert_eq!(svc, before);
}

#[test]
fn redeploy_changes_the_template_and_unpins_the_digest() {
    let mut svc = base();
    svc["spec"]["template"]["spec"]["containers"][0]["image"] = json!("img@sha256:111");
    let edit = ServiceEdit {
        redeploy: true,
        ..Default::default()
    };
    assert!(!edit.may_pin_digest(&svc));
    let outcome = run(&mut svc, &edit, Mode::Update, Some(&base_revision())).unwrap();
    assert!(outcome.template_changed);
    assert_eq!(
        svc["spec"]["template"]["spec"]["containers"][0]["image"],
        "img:1"
    );
    assert_eq!(template_annotations(&svc)[USER_IMAGE_ANNOTATION], "img:1");
    assert_eq!(template_annotations(&svc)[UPDATE_TIMESTAMP_ANNOTATION], NOW);
}

#[test]
fn pinning_a_mismatched_base_is_an_error() {
    let mut svc = base();
    let mut revision = base_revision();
    revision["spec"]["containers"][0]["image"] = json!("other:1");
    let err = run(
        &mut svc,
        &ServiceEdit {
            scale_min: Some(1),
            ..Default::default()
        },
        Mode::Update,
        Some(&revision),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("can not pin image to digest: current revision"),
        "{err}"
    );
}

#[test]
fn from_file_reconciles_names() {
    let file = json!({"metadata": {"name": "from-file", "namespace": "elsewhere"}, "spec": {}});
    let svc = from_file(file.clone(), None, "default").unwrap();
    assert_eq!(
        svc["metadata"],
        json!({"name": "from-file", "namespace": "default"})
    );
    assert_eq!(svc["kind"], "Service");
    assert_eq!(
        from_file(file.clone(), Some("other"), "default")
            .unwrap_err()
            .to_string(),
        "provided service name 'other' doesn't match name from file 'from-file'"
    );
    assert_eq!(
        from_file(json!({"spec": {}}), None, "default")
            .unwrap_err()
            .to_string(),
        "no service name provided in command parameter or file"
    );
    assert_eq!(
        from_file(json!({"spec": {}}), Some("x"), "ns").unwrap()["metadata"]["name"],
        "x"
    );
}

#[test]
fn mutation_marking_follows_kn() {
    assert!(!ServiceEdit::default().any_mutation());
    assert!(ServiceEdit::default().is_empty());
    let not_r = ServiceEdit {
        cluster_local: Some(true),
        lock_to_digest: Some(false),
        ..Default::default()
    };
    assert!(!not_r.any_mutation());
    assert!(!not_r.is_empty());
    assert!(
        ServiceEdit {
            from_file: true,
            ..Default::default()
        }
        .any_mutation()
    );
}

/// A Service with a field knit does not know at every level.
fn service_with_unknown_fields() -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "x-object": {"deep": [1, 2]},
        "metadata": {
            "name": "hello", "namespace": "default", "generation": 4,
            "x-metadata": "m",
            "labels": {"keep": "l"},
            "annotations": {"keep": "a"}
        },
        "spec": {
            "x-spec": true,
            "template": {
                "x-template": 1,
                "metadata": {"x-template-metadata": "tm", "annotations": {USER_IMAGE_ANNOTATION: "img:1"}},
                "spec": {
                    "x-podspec": {"a": "b"},
                    "containers": [{
                        "image": "img:1",
                        "x-container": "c",
                        "env": [{"name": "A", "value": "1", "x-env": "e"}],
                        "ports": [{"containerPort": 8080, "x-port": "p"}]
                    }]
                }
            },
            "traffic": [{"latestRevision": true, "percent": 100, "x-target": "t"}]
        },
        "status": {"x-status": "s"}
    })
}

fn assert_unknown_fields_survive(svc: &Value) {
    assert_eq!(svc["x-object"], json!({"deep": [1, 2]}));
    assert_eq!(svc["metadata"]["x-metadata"], "m");
    assert_eq!(svc["spec"]["x-spec"], true);
    assert_eq!(svc["spec"]["template"]["x-template"], 1);
    assert_eq!(
        svc["spec"]["template"]["metadata"]["x-template-metadata"],
        "tm"
    );
    assert_eq!(
        svc["spec"]["template"]["spec"]["x-podspec"],
        json!({"a": "b"})
    );
    let container = &svc["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["x-container"], "c");
    let env = container["env"].as_array().unwrap();
    let a = env.iter().find(|e| e["name"] == "A").unwrap();
    assert_eq!(a["x-env"], "e");
    assert_eq!(container["ports"][0]["x-port"], "p");
    assert_eq!(svc["spec"]["traffic"][0]["x-target"], "t");
    assert_eq!(svc["status"]["x-status"], "s");
}

#[test]
fn unknown_fields_survive_every_edit() {
    let strict_pairs = |s: &str| -> Vec<crate::edit::kv::StrictKeyValue> {
        s.split(',').map(|p| p.parse().unwrap()).collect()
    };
    let edits: Vec<(&str, ServiceEdit)> = vec![
        (
            "image",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    image: Some("img:2".into()),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "pull-policy",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    pull_policy: Some("always".parse().unwrap()),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "env",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    env: vec![
                        EnvOp::Env("A=2".parse().unwrap()),
                        EnvOp::Env("B=1".parse().unwrap()),
                    ],
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "env-value-from",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    env: vec![EnvOp::ValueFrom("A=cm:c:k".parse().unwrap())],
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "env-file",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    env: vec![EnvOp::File(podspec::parse_env_file("A=3\nC=4").unwrap())],
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "env-from",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    env_from: vec!["cm:conf".parse().unwrap()],
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "mount",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    mounts: vec!["/etc/x=cm:x".parse().unwrap()],
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "volume",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    volumes: vec!["v=ed:v".parse().unwrap()],
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "cmd",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    command: Some(vec!["run".into()]),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "arg",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    args: Some(vec!["--x".into()]),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "containers",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    extra_containers: Some(vec![json!({"name": "side", "image": "s"})]),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "probe-liveness",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    liveness: Some("tcp::8080".parse().unwrap()),
                    liveness_opts: Some("PeriodSeconds=3".parse().unwrap()),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "probe-readiness",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    readiness: Some("exec:true".parse().unwrap()),
                    readiness_opts: Some("FailureThreshold=2".parse().unwrap()),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "limit/request",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    limits: vec!["cpu=1".parse().unwrap()],
                    requests: vec!["memory=64Mi".parse().unwrap()],
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "port",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    port: Some("h2c:9090".parse().unwrap()),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "service-account",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    service_account: Some("sa".into()),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "pull-secret",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    pull_secret: Some("reg".into()),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "user",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    user: Some(1001),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "security-context",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    security_context: Some(SecurityContextPreset::Strict),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "node-selector",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    node_selector: kvs(&["disk=ssd"]),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "toleration",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    toleration: Some(
                        podspec::Toleration::from_pairs(&strict_pairs("Key=k,Operator=Exists"))
                            .unwrap(),
                    ),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "node-affinity",
            ServiceEdit {
                pod_spec: PodSpecEdit {
                    node_affinity: Some(
                        podspec::NodeAffinityTerm::from_pairs(&strict_pairs(
                            "Type=Required,Key=k,Operator=Exists",
                        ))
                        .unwrap(),
                    ),
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "scale",
            ServiceEdit {
                scale: Some("1..2".parse().unwrap()),
                scale_init: Some(1),
                scale_activation: Some(1),
                scale_target: Some(5),
                scale_metric: Some("rps".into()),
                scale_utilization: Some(50),
                scale_window: Some("1m".parse().unwrap()),
                ..Default::default()
            },
        ),
        (
            "concurrency/timeout",
            ServiceEdit {
                concurrency_limit: Some(ConcurrencyLimit(3)),
                timeout: Some(30),
                ..Default::default()
            },
        ),
        (
            "cluster-local",
            ServiceEdit {
                cluster_local: Some(true),
                ..Default::default()
            },
        ),
        (
            "labels",
            ServiceEdit {
                labels: kvs(&["l=1"]),
                labels_service: kvs(&["s=1"]),
                labels_revision: kvs(&["r=1"]),
                ..Default::default()
            },
        ),
        (
            "annotations",
            ServiceEdit {
                annotations: kvs(&["a=1"]),
                annotations_service: kvs(&["s=1"]),
                annotations_revision: kvs(&["r=1"]),
                ..Default::default()
            },
        ),
        (
            "revision-name",
            ServiceEdit {
                revision_name: Some("v{{.Generation}}".parse().unwrap()),
                ..Default::default()
            },
        ),
        (
            "no-lock-to-digest",
            ServiceEdit {
                lock_to_digest: Some(false),
                ..Default::default()
            },
        ),
        (
            "profile",
            ServiceEdit {
                profile: Some("istio".parse().unwrap()),
                ..Default::default()
            },
        ),
    ];
    for (flag, edit) in edits {
        let mut svc = service_with_unknown_fields();
        run(&mut svc, &edit, Mode::Update, Some(&base_revision()))
            .unwrap_or_else(|e| panic!("{flag}: {e}"));
        assert_unknown_fields_survive(&svc);
        assert_eq!(svc["metadata"]["labels"]["keep"], "l", "{flag}");
        assert_eq!(svc["metadata"]["annotations"]["keep"], "a", "{flag}");
    }
}
