//! `service create|update|apply` against the emulator: output (exit code, stdout, stderr) and
//! the stored objects.

use crate::common::{Cluster, Outcome, assert_settled, assert_settled_table, env_of};

use serde_json::{Value, json};

const IMAGE: &str = "gcr.io/knative-samples/helloworld-go";

fn annotations(service: &Value) -> &Value {
    &service["spec"]["template"]["metadata"]["annotations"]
}

#[test]
fn create_waits_and_reports_the_url() {
    let c = Cluster::start();
    let run = c.run(&format!(
        "service create hello --image {IMAGE} --env TARGET=v1"
    ));
    assert_settled!("create_waits", run);
    let svc = c.stored_service("hello");
    assert_eq!(env_of(&svc), vec!["TARGET=v1"]);
    assert_eq!(annotations(&svc)["client.knative.dev/user-image"], IMAGE);
    assert!(annotations(&svc)["client.knative.dev/updateTimestamp"].is_string());
    assert_eq!(c.revisions("hello"), vec!["hello-00001"]);
}

#[test]
fn create_no_wait_existing_and_force() {
    let c = Cluster::start();
    assert_settled_table!(
        c,
        &[
            (
                "create_no_wait",
                &["service", "create", "hello", "--image", IMAGE, "--no-wait"]
            ),
            (
                "create_existing",
                &["service", "create", "hello", "--image", IMAGE]
            ),
        ],
    );
    // --force replaces the whole object: the env var is gone, the creator annotation stays.
    c.knit(&["service", "update", "hello", "-e", "A=1", "--no-wait"])
        .ok();
    assert_settled!(
        "create_force",
        c.run(&format!(
            "service create hello --image {IMAGE} --force --no-wait"
        ))
    );
    let svc = c.stored_service("hello");
    assert_eq!(env_of(&svc), Vec::<String>::new());
    assert!(svc["metadata"]["annotations"]["serving.knative.dev/creator"].is_string());
}

#[test]
fn create_usage_errors_send_nothing() {
    let c = Cluster::start();
    // `service create hello --image IMAGE FLAGS`.
    let with_image = |flags: &str| format!("service create hello --image {IMAGE} {flags}");
    for (name, line) in [
        ("create_no_image", "service create hello".to_string()),
        ("create_no_name", format!("service create --image {IMAGE}")),
        (
            "create_two_images",
            "service create hello --image a --image b".to_string(),
        ),
        ("create_bad_scale", with_image("--scale 1-3")),
        ("create_bad_env", with_image("--env NOVALUE")),
        ("create_bad_limit", with_image("--limit memory=1Gb")),
        ("create_bad_mount", with_image("--mount /d=nfs:share")),
        ("create_bad_port", with_image("--port web")),
        (
            "create_bad_probe",
            with_image("--probe-readiness grpc:8080"),
        ),
        ("create_bad_traffic_tag", with_image("--tag a=b=c")),
        (
            "create_scale_conflict",
            with_image("--scale 2 --scale-min 1"),
        ),
        ("create_unknown_profile", with_image("--profile nope")),
        (
            "create_autoscaling_on_service",
            with_image("--annotation-service autoscaling.knative.dev/min-scale=1"),
        ),
        (
            "create_paired_both",
            with_image("--cluster-local --no-cluster-local"),
        ),
    ] {
        let run = c.run(&line);
        assert_eq!(run.code, 2, "{name}: {}", run.text());
        // Usage errors print nothing that varies: compared unredacted (the age redaction would
        // hide the `100m` of create_bad_limit's message).
        insta::assert_snapshot!(name, run.text());
    }
    assert!(c.revisions("hello").is_empty());
}

#[test]
fn create_from_file_with_flags_on_top() {
    let c = Cluster::start();
    let file = c.write(
        "svc.yaml",
        &format!(
            "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: fromfile\n  namespace: ignored\n  labels:\n    team: a\nspec:\n  template:\n    spec:\n      containers:\n      - image: {IMAGE}\n        env:\n        - name: FILE\n          value: x\n"
        ),
    );
    let path = file.to_str().unwrap();
    assert_settled_table!(
        c,
        &[
            (
                "create_file_name_mismatch",
                &["service", "create", "other", "-f", path]
            ),
            (
                "create_file",
                &[
                    "service",
                    "create",
                    "-f",
                    path,
                    "--env",
                    "FLAG=y",
                    "--no-wait"
                ]
            ),
        ],
    );
    let svc = c.stored_service("fromfile");
    assert_eq!(svc["metadata"]["namespace"], "default");
    assert_eq!(svc["metadata"]["labels"]["team"], "a");
    assert_eq!(env_of(&svc), vec!["FILE=x", "FLAG=y"]);
}

#[test]
fn every_flag_family_lands_on_the_stored_service() {
    let c = Cluster::start();
    c.knit(&[
        "service",
        "create",
        "full",
        "--image",
        IMAGE,
        "--no-wait",
        "--port",
        "h2c:8080",
        "--scale",
        "1..5",
        "--scale-init",
        "2",
        "--scale-target",
        "50",
        "--scale-metric",
        "rps",
        "--scale-utilization",
        "80",
        "--scale-window",
        "30s",
        "--scale-activation",
        "2",
        "--concurrency-limit",
        "10",
        "--timeout",
        "120",
        "--limit",
        "cpu=500m,memory=256Mi",
        "--request",
        "cpu=100m",
        "--label",
        "app=web",
        "--label-service",
        "svc-only=1",
        "--label-revision",
        "rev-only=1",
        "--annotation",
        "note=x",
        "--annotation",
        "autoscaling.knative.dev/panic-window-percentage=20",
        "--env-from",
        "cm:settings",
        "--env-value-from",
        "SECRET=sc:creds:token",
        "--mount",
        "/etc/conf=cm:settings",
        "--volume",
        "cache=ed:c:type=Memory,size=64Mi",
        "--mount",
        "/cache=cache",
        "--cmd",
        "/app/run",
        "--arg",
        "--verbose",
        "--service-account",
        "runner",
        "--pull-secret",
        "regcred",
        "--pull-policy",
        "ifnotpresent",
        "--user",
        "1001",
        "--cluster-local",
        "--probe-liveness",
        "http::8080:/healthz",
        "--probe-liveness-opts",
        "PeriodSeconds=5",
        "--profile",
        "istio",
        "--revision-name",
        "{{.Service}}-v{{.Generation}}",
    ])
    .ok();
    let svc = c.stored_service("full");
    let template = &svc["spec"]["template"];
    let a = annotations(&svc);
    assert_eq!(template["metadata"]["name"], "full-v1");
    assert_eq!(a["autoscaling.knative.dev/min-scale"], "1");
    assert_eq!(a["autoscaling.knative.dev/max-scale"], "5");
    assert_eq!(a["autoscaling.knative.dev/initial-scale"], "2");
    assert_eq!(a["autoscaling.knative.dev/target"], "50");
    assert_eq!(a["autoscaling.knative.dev/metric"], "rps");
    assert_eq!(
        a["autoscaling.knative.dev/target-utilization-percentage"],
        "80"
    );
    assert_eq!(a["autoscaling.knative.dev/window"], "30s");
    assert_eq!(a["autoscaling.knative.dev/activation-scale"], "2");
    assert_eq!(a["autoscaling.knative.dev/panic-window-percentage"], "20");
    assert_eq!(a["note"], "x");
    assert_eq!(a["sidecar.istio.io/rewriteAppHTTPProbers"], "true");
    let meta = &svc["metadata"];
    assert_eq!(meta["annotations"]["note"], "x");
    assert!(
        meta["annotations"]
            .get("autoscaling.knative.dev/panic-window-percentage")
            .is_none()
    );
    assert_eq!(meta["labels"]["app"], "web");
    assert_eq!(meta["labels"]["svc-only"], "1");
    assert_eq!(
        meta["labels"]["networking.knative.dev/visibility"],
        "cluster-local"
    );
    assert_eq!(a["sidecar.istio.io/inject"], "true");
    assert_eq!(
        template["metadata"]["labels"],
        json!({"app": "web", "rev-only": "1"})
    );
    let spec = &template["spec"];
    assert_eq!(spec["containerConcurrency"], 10);
    assert_eq!(spec["timeoutSeconds"], 120);
    assert_eq!(spec["serviceAccountName"], "runner");
    assert_eq!(spec["imagePullSecrets"], json!([{"name": "regcred"}]));
    let container = &spec["containers"][0];
    assert_eq!(
        container["ports"],
        json!([{"containerPort": 8080, "name": "h2c", "protocol": "TCP"}])
    );
    assert_eq!(
        container["resources"],
        json!({"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m"}})
    );
    assert_eq!(
        container["envFrom"],
        json!([{"configMapRef": {"name": "settings"}}])
    );
    assert_eq!(
        container["env"],
        json!([{"name": "SECRET", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "token"}}}])
    );
    assert_eq!(container["command"], json!(["/app/run"]));
    assert_eq!(container["args"], json!(["--verbose"]));
    assert_eq!(container["imagePullPolicy"], "IfNotPresent");
    assert_eq!(container["securityContext"]["runAsUser"], 1001);
    assert_eq!(
        container["livenessProbe"]["httpGet"],
        json!({"port": 8080, "path": "/healthz"})
    );
    assert_eq!(container["livenessProbe"]["periodSeconds"], 5);
    let mounts = container["volumeMounts"].as_array().unwrap();
    assert_eq!(mounts.len(), 2);
    assert_eq!(mounts[0]["mountPath"], "/etc/conf");
    assert_eq!(mounts[0]["readOnly"], true);
    assert_eq!(mounts[1], json!({"mountPath": "/cache", "name": "cache"}));
    let volumes = spec["volumes"].as_array().unwrap();
    assert_eq!(volumes[0]["configMap"], json!({"name": "settings"}));
    assert_eq!(
        volumes[1],
        json!({"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}})
    );
}

#[test]
fn scheduling_flags_need_the_serving_feature_flags() {
    let c = Cluster::start();
    let args = [
        "service",
        "create",
        "sched",
        "--image",
        IMAGE,
        "--no-wait",
        "--node-selector",
        "disk=ssd",
        "--toleration",
        "Key=gpu,Operator=Exists,Effect=NoSchedule",
        "--node-affinity",
        "Type=Required,Key=zone,Operator=In,Values=a b",
    ];
    // Knative refuses these fields unless the features are on; the webhook's words pass through.
    assert_settled!("create_scheduling_disabled", c.knit(&args));
    c.set_features(&[
        ("kubernetes.podspec-nodeselector", "enabled"),
        ("kubernetes.podspec-tolerations", "enabled"),
        ("kubernetes.podspec-affinity", "enabled"),
    ]);
    c.knit(&args).ok();
    let spec = c.stored_service("sched")["spec"]["template"]["spec"].clone();
    assert_eq!(spec["nodeSelector"], json!({"disk": "ssd"}));
    assert_eq!(
        spec["tolerations"],
        json!([{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}])
    );
    assert_eq!(
        spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"],
        json!([{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}]}])
    );
    c.run("service update sched --node-selector disk- --no-wait")
        .ok();
    assert!(
        c.stored_service("sched")["spec"]["template"]["spec"]
            .get("nodeSelector")
            .is_none()
    );
}

#[test]
fn env_sources_keep_command_line_order() {
    let c = Cluster::start();
    let env_file = c.write("env", "FROM_FILE=1\n# comment\nDROP-\n");
    let file_flag = format!("--env-file={}", env_file.display());
    c.run(&format!(
        "service create order --image {IMAGE} --no-wait -e DROP=x"
    ))
    .ok();
    c.knit(&[
        "service",
        "update",
        "order",
        "--no-wait",
        "-eFIRST=1",
        "--env-value-from",
        "SECOND=cm:c:k",
        &file_flag,
        "--env=THIRD=3",
        "-e",
        "FOURTH=4",
    ])
    .ok();
    let names: Vec<String> = env_of(&c.stored_service("order"))
        .into_iter()
        .map(|e| e.split('=').next().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        vec!["FIRST", "SECOND", "FROM_FILE", "THIRD", "FOURTH"]
    );
}

#[test]
fn update_without_a_change_makes_no_revision() {
    let c = Cluster::start();
    c.run(&format!("service create hello --image {IMAGE} --env A=1"))
        .ok();
    assert_settled_table!(
        c,
        &[
            (
                "update_changed",
                &["service", "update", "hello", "--env", "A=2"]
            ),
            (
                "update_unchanged",
                &["service", "update", "hello", "--env", "A=2"]
            ),
        ],
    );
    assert_eq!(c.revisions("hello"), vec!["hello-00001", "hello-00002"]);
    // The second revision runs the digest the first one resolved.
    let image =
        c.stored_service("hello")["spec"]["template"]["spec"]["containers"][0]["image"].clone();
    assert!(
        image
            .as_str()
            .unwrap()
            .starts_with(&format!("{IMAGE}@sha256:")),
        "{image}"
    );
    assert_settled_table!(
        c,
        &[
            ("update_no_flags", &["service", "update", "hello"]),
            (
                "update_missing",
                &["service", "update", "nope", "--env", "A=1"]
            ),
        ],
    );
}

#[test]
fn ten_concurrent_updates_all_land() {
    let c = Cluster::start();
    c.knit(&["service", "create", "busy", "--image", IMAGE])
        .ok();
    let runs: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..10)
            .map(|i| {
                let c = &c;
                scope.spawn(move || {
                    c.knit(&[
                        "service",
                        "update",
                        "busy",
                        "--env",
                        &format!("Kn{i}={i}"),
                        "--no-wait",
                    ])
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for run in &runs {
        assert_eq!(run.code, 0, "{}", run.text());
        assert_eq!(
            run.stdout,
            "Service 'busy' updated in namespace 'default'.\n"
        );
    }
    let svc = c.stored_service("busy");
    let mut env = env_of(&svc);
    env.sort();
    let mut expected: Vec<String> = (0..10).map(|i| format!("Kn{i}={i}")).collect();
    expected.sort();
    assert_eq!(env, expected);
    assert_eq!(svc["metadata"]["generation"], 11);
}

#[test]
fn apply_creates_then_patches_declaratively() {
    let c = Cluster::start();
    assert_settled!(
        "apply_create",
        c.run(&format!(
            "service apply decl --image {IMAGE} --env A=1 --no-wait"
        ))
    );
    // Server-side apply: no last-applied annotation, knit's Apply entry owns the declaration.
    let svc = c.stored_service("decl");
    assert!(
        svc["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .is_null()
    );
    let applied = svc["metadata"]["managedFields"]
        .as_array()
        .and_then(|m| m.iter().find(|e| e["manager"] == "knit"))
        .expect("knit's entry");
    assert_eq!(applied["operation"], "Apply");
    assert_eq!(
        applied["fieldsV1"]["f:spec"]["f:template"]["f:spec"],
        json!({"f:containers": {}})
    );
    // The create did not wait: the message names the latest revision once it exists.
    c.until_ready("serving.knative.dev", "services", "default", "decl");
    assert_settled!(
        "apply_unchanged",
        c.knit(&["service", "apply", "decl", "--image", IMAGE, "--env", "A=1"])
    );
    // A field set by someone else survives; a field dropped from the declaration goes.
    c.run("service update decl --label-service owner=ops --no-wait")
        .ok();
    assert_settled!(
        "apply_changed",
        c.knit(&["service", "apply", "decl", "--image", IMAGE, "--env", "B=2"])
    );
    let svc = c.stored_service("decl");
    assert_eq!(env_of(&svc), vec!["B=2"]);
    assert_eq!(svc["metadata"]["labels"]["owner"], "ops");
    assert_settled!(
        "apply_no_image",
        c.knit(&["service", "apply", "decl", "--env", "B=2"])
    );
}

#[test]
fn apply_on_a_service_created_by_create_conflicts_until_forced() {
    // `service create` owns the (atomic) container list as an update; the stored list also
    // holds the webhook's defaults, so applying it differently is a conflict, not a warning.
    let c = Cluster::start();
    c.knit(&["service", "create", "plain", "--image", IMAGE])
        .ok();
    assert_settled!(
        "apply_foreign",
        c.run(&format!("service apply plain --image {IMAGE} --env A=1"))
    );
    assert_eq!(env_of(&c.stored_service("plain")), Vec::<String>::new());
    assert_settled!(
        "apply_foreign_forced",
        c.run(&format!(
            "service apply plain --image {IMAGE} --env A=1 --force-conflicts"
        ))
    );
    assert_eq!(env_of(&c.stored_service("plain")), vec!["A=1"]);
}

#[test]
fn unknown_fields_survive_an_update() {
    let c = Cluster::start();
    c.knit(&["service", "create", "keep", "--image", IMAGE])
        .ok();
    // Add fields knit has no type for, straight into the store.
    let gr = knit_emulator::resource::GroupResource::new("serving.knative.dev", "services");
    let cluster = c.api();
    let mut svc = c.stored_service("keep");
    svc["metadata"]["annotations"]["x-unknown/annotation"] = json!("a");
    svc["spec"]["template"]["spec"]["containers"][0]["terminationMessagePath"] =
        json!("/dev/custom");
    svc["spec"]["template"]["spec"]["automountServiceAccountToken"] = json!(false);
    svc["spec"]["template"]["metadata"]["x-unknown-template-field"] = json!({"kept": true});
    cluster.update(&gr, svc).expect("store update");
    c.knit(&["service", "update", "keep", "--env", "A=1", "--no-wait"])
        .ok();
    let svc = c.stored_service("keep");
    assert_eq!(svc["metadata"]["annotations"]["x-unknown/annotation"], "a");
    assert_eq!(
        svc["spec"]["template"]["spec"]["containers"][0]["terminationMessagePath"],
        "/dev/custom"
    );
    assert_eq!(
        svc["spec"]["template"]["spec"]["automountServiceAccountToken"],
        false
    );
    assert_eq!(
        svc["spec"]["template"]["metadata"]["x-unknown-template-field"],
        json!({"kept": true})
    );
    assert_eq!(env_of(&svc), vec!["A=1"]);
}

#[test]
fn profiles_come_from_the_config_file_too() {
    let c = Cluster::start();
    let config = c.write(
        "knit-config.yaml",
        "profiles:\n  team:\n    annotations:\n    - name: team.example.com/owner\n      value: web\n    labels:\n    - name: team\n      value: web\n",
    );
    let config = config.to_str().unwrap();
    // knit --config FILE ARGS…, waiting for nothing.
    let with_config = |args: &[&str]| {
        c.knit(&[&["--config", config][..], args, &["--no-wait"]].concat())
            .ok();
    };
    with_config(&[
        "service",
        "create",
        "prof",
        "--image",
        IMAGE,
        "--profile",
        "team",
    ]);
    let svc = c.stored_service("prof");
    assert_eq!(svc["metadata"]["labels"]["team"], "web");
    assert_eq!(annotations(&svc)["team.example.com/owner"], "web");
    // The built-in istio profile is still there next to the file's.
    with_config(&["service", "update", "prof", "--profile", "istio"]);
    assert_eq!(
        annotations(&c.stored_service("prof"))["sidecar.istio.io/inject"],
        "true"
    );
    with_config(&["service", "update", "prof", "--profile", "team-"]);
    let svc = c.stored_service("prof");
    assert!(svc["metadata"]["labels"].get("team").is_none());
    assert!(annotations(&svc).get("team.example.com/owner").is_none());
}

#[test]
fn a_revision_kubernetes_refuses_is_named_in_the_failed_wait() {
    // Knative's webhook accepts a revision label Kubernetes refuses; the revision is then never
    // created, and the Service's Ready only says RevisionMissing. knit adds the cause.
    let c = Cluster::start();
    let out = c.run("service create s --image img --label-revision x=-1 --wait-timeout 10");
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.ends_with(
            "Error: RevisionMissing: Configuration \"s\" does not have any ready Revision.\nRevisionFailed: Revision creation failed with message: Revision.serving.knative.dev \"s-00001\" is invalid: metadata.labels: Invalid value: \"-1\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?').\nRun 'knit --help' for usage\n"
        ),
        "{out:?}"
    );
    // Taking the label off again makes a revision that becomes ready.
    c.run("service update s --label-revision x- --wait-timeout 10")
        .ok();
}

#[test]
fn server_warnings_are_compact_on_a_terminal_and_kept_whole_in_a_pipe() {
    let c = Cluster::start();
    let full = "Warning: Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile\n";
    let out = c.run("service create piped --image img --no-wait");
    assert!(out.stderr.starts_with(full), "{out:?}");
    let out = c.knit_with(
        &["service", "create", "tty", "--image", "img", "--no-wait"],
        &[("KNIT_FORCE_TTY", "1")],
        None,
    );
    assert!(
        out.stderr.starts_with("Warning: Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.{allowPrivilegeEscalation, capabilities, runAsNonRoot, seccompProfile}\n"),
        "{out:?}"
    );
}
