//! Real `kubectl` on the built-in kinds: the typed `create` commands (which send protobuf),
//! describe, client- and server-side apply, patch, replace, label, delete, wait, events,
//! api-resources, explain, a bounded `get -w`, and namespace deletion. Skipped, with a
//! message, when kubectl is not installed.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use knit_emulator::Config;

use crate::kubectl::{Kubectl, client_minor};

/// What `kubectl create …` prints for each typed generator, in order.
const CREATES: [(&[&str], &str); 10] = [
    (&["namespace", "team"], "namespace/team created\n"),
    (
        &[
            "configmap",
            "settings",
            "-n",
            "team",
            "--from-literal=mode=fast",
            "--from-literal=level=3",
        ],
        "configmap/settings created\n",
    ),
    (
        &[
            "secret",
            "generic",
            "creds",
            "-n",
            "team",
            "--from-literal=user=admin",
        ],
        "secret/creds created\n",
    ),
    (
        &["serviceaccount", "robot", "-n", "team"],
        "serviceaccount/robot created\n",
    ),
    (
        &[
            "role",
            "reader",
            "-n",
            "team",
            "--verb=get,list",
            "--resource=configmaps,secrets",
        ],
        "role.rbac.authorization.k8s.io/reader created\n",
    ),
    (
        &[
            "rolebinding",
            "robot-reads",
            "-n",
            "team",
            "--role=reader",
            "--serviceaccount=team:robot",
        ],
        "rolebinding.rbac.authorization.k8s.io/robot-reads created\n",
    ),
    (
        &[
            "clusterrole",
            "ns-viewer",
            "--verb=get,list,watch",
            "--resource=namespaces",
        ],
        "clusterrole.rbac.authorization.k8s.io/ns-viewer created\n",
    ),
    (
        &[
            "clusterrolebinding",
            "viewers",
            "--clusterrole=ns-viewer",
            "--group=devs",
        ],
        "clusterrolebinding.rbac.authorization.k8s.io/viewers created\n",
    ),
    (
        &["service", "clusterip", "web", "-n", "team", "--tcp=80:8080"],
        "service/web created\n",
    ),
    (
        &["quota", "pods", "-n", "team", "--hard=pods=3,limits.cpu=2"],
        "resourcequota/pods created\n",
    ),
];

fn create_all(k: &Kubectl) {
    for (args, want) in CREATES {
        assert_eq!(k.ok(&[&["create"], args].concat()), want, "create {args:?}");
    }
}

#[test]
fn typed_create_commands_work() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    if client_minor(&k) >= 32 {
        // This kubectl sends its typed objects in protobuf: the request the emulator used to
        // refuse with 415.
        let out = k.run(&["create", "namespace", "probe", "-v=8"]);
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{log}");
        assert!(
            log.contains("Content-Type: application/vnd.kubernetes.protobuf"),
            "{log}"
        );
    }
    create_all(&k);
    assert_eq!(
        k.ok(&[
            "get",
            "configmap,secret,serviceaccount,role,rolebinding,service",
            "-n",
            "team",
            "-o",
            "name"
        ]),
        "configmap/settings\nsecret/creds\nserviceaccount/default\nserviceaccount/robot\nrole.rbac.authorization.k8s.io/reader\nrolebinding.rbac.authorization.k8s.io/robot-reads\nservice/web\n"
    );
    assert_eq!(
        k.ok(&[
            "get",
            "quota",
            "pods",
            "-n",
            "team",
            "-o",
            "jsonpath={.spec.hard}"
        ]),
        r#"{"limits.cpu":"2","pods":"3"}"#
    );
    let jsonpath =
        |args: &[&str], path: &str| k.ok(&[args, &["-o", &format!("jsonpath={path}")]].concat());
    assert_eq!(
        jsonpath(&["get", "cm", "settings", "-n", "team"], "{.data}"),
        r#"{"level":"3","mode":"fast"}"#
    );
    assert_eq!(
        jsonpath(&["get", "secret", "creds", "-n", "team"], "{.type} {.data}"),
        r#"Opaque {"user":"YWRtaW4="}"#
    );
    assert_eq!(
        jsonpath(&["get", "role", "reader", "-n", "team"], "{.rules}"),
        r#"[{"apiGroups":[""],"resources":["configmaps","secrets"],"verbs":["get","list"]}]"#
    );
    assert_eq!(
        jsonpath(
            &["get", "rolebinding", "robot-reads", "-n", "team"],
            "{.roleRef} {.subjects}"
        ),
        r#"{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"} [{"kind":"ServiceAccount","name":"robot","namespace":"team"}]"#
    );
    assert_eq!(
        jsonpath(&["get", "clusterrole", "ns-viewer"], "{.rules}"),
        r#"[{"apiGroups":[""],"resources":["namespaces"],"verbs":["get","list","watch"]}]"#
    );
    assert_eq!(
        jsonpath(
            &["get", "svc", "web", "-n", "team"],
            "{.spec.ports} {.spec.selector}"
        ),
        r#"[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}] {"app":"web"}"#
    );
    assert_eq!(
        jsonpath(&["get", "ns", "team"], "{.status.phase} {.metadata.labels}"),
        r#"Active {"kubernetes.io/metadata.name":"team"}"#
    );
    assert_eq!(
        k.ok(&[
            "get",
            "clusterrolebinding",
            "viewers",
            "-o",
            "custom-columns=NAME:.metadata.name,ROLE:.roleRef.name,GROUPS:.subjects[*].name"
        ]),
        "NAME      ROLE        GROUPS\nviewers   ns-viewer   devs\n"
    );
    // A second create of the same name is the server's AlreadyExists.
    let out = k.run(&["create", "namespace", "team"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error from server (AlreadyExists): namespaces \"team\" already exists\n"
    );
}

#[test]
fn describe_built_in_kinds() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    // A namespace with neither quotas nor limit ranges says so.
    k.ok(&["create", "namespace", "empty"]);
    assert_eq!(
        k.ok(&["describe", "namespace", "empty"]),
        "Name:         empty\nLabels:       kubernetes.io/metadata.name=empty\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n"
    );
    create_all(&k);
    // kubectl walks the data map in Go's random map order, so either key may come first.
    let described = k.ok(&["describe", "configmap", "settings", "-n", "team"]);
    let head = "Name:         settings\nNamespace:    team\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\n";
    let tail = "\nBinaryData\n====\n\nEvents:  <none>\n";
    let (level, mode) = ("level:\n----\n3\n\n", "mode:\n----\nfast\n\n");
    assert!(
        [
            format!("{head}{level}{mode}{tail}"),
            format!("{head}{mode}{level}{tail}")
        ]
        .contains(&described),
        "unexpected describe output:\n{described}"
    );
    assert_eq!(
        k.ok(&["describe", "secret", "creds", "-n", "team"]),
        "Name:         creds\nNamespace:    team\nLabels:       <none>\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\nuser:  5 bytes\n"
    );
    assert_eq!(
        k.ok(&["describe", "role", "reader", "-n", "team"]),
        "Name:         reader\nLabels:       <none>\nAnnotations:  <none>\nPolicyRule:\n  Resources   Non-Resource URLs  Resource Names  Verbs\n  ---------   -----------------  --------------  -----\n  configmaps  []                 []              [get list]\n  secrets     []                 []              [get list]\n"
    );
    assert_eq!(
        k.ok(&["describe", "rolebinding", "robot-reads", "-n", "team"]),
        "Name:         robot-reads\nLabels:       <none>\nAnnotations:  <none>\nRole:\n  Kind:  Role\n  Name:  reader\nSubjects:\n  Kind            Name   Namespace\n  ----            ----   ---------\n  ServiceAccount  robot  team\n"
    );
    assert_eq!(
        k.ok(&["describe", "serviceaccount", "robot", "-n", "team"]),
        "Name:                robot\nNamespace:           team\nLabels:              <none>\nAnnotations:         <none>\nImage pull secrets:  <none>\nMountable secrets:   <none>\nTokens:              <none>\nEvents:              <none>\n"
    );
}

#[test]
fn apply_patch_replace_label_delete_and_wait() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    k.ok(&["create", "namespace", "team"]);
    let file = k.path("cm.yaml");
    let file = file.to_str().unwrap();
    let write = |color: &str| {
        std::fs::write(
            file,
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: team\ndata:\n  color: {color}\n"
            ),
        )
        .unwrap()
    };
    write("blue");
    assert_eq!(k.ok(&["apply", "-f", file]), "configmap/app created\n");
    assert_eq!(k.ok(&["apply", "-f", file]), "configmap/app unchanged\n");
    write("green");
    assert_eq!(k.ok(&["apply", "-f", file]), "configmap/app configured\n");
    assert_eq!(
        k.ok(&["apply", "--server-side", "-f", file]),
        "configmap/app serverside-applied\n"
    );
    // Another manager changing kubectl's field conflicts, and changes nothing.
    write("red");
    let out = k.run(&[
        "apply",
        "--server-side",
        "--field-manager=other",
        "-f",
        file,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "error: Apply failed with 1 conflict: conflict with \"kubectl\": .data.color\n"
        ),
        "{err}"
    );
    assert_eq!(
        k.ok(&[
            "apply",
            "--server-side",
            "--field-manager=other",
            "--force-conflicts",
            "-f",
            file
        ]),
        "configmap/app serverside-applied\n"
    );
    assert_eq!(
        k.ok(&[
            "patch",
            "cm",
            "app",
            "-n",
            "team",
            "-p",
            r#"{"data":{"size":"L"}}"#
        ]),
        "configmap/app patched\n"
    );
    assert_eq!(
        k.ok(&[
            "patch",
            "cm",
            "app",
            "-n",
            "team",
            "--type=merge",
            "-p",
            r#"{"data":{"size":"XL"}}"#
        ]),
        "configmap/app patched\n"
    );
    assert_eq!(
        k.ok(&["get", "cm", "app", "-n", "team", "-o", "jsonpath={.data}"]),
        r#"{"color":"red","size":"XL"}"#
    );
    assert_eq!(
        k.ok(&[
            "patch",
            "cm",
            "app",
            "-n",
            "team",
            "--type=json",
            "-p",
            r#"[{"op":"remove","path":"/data/size"}]"#
        ]),
        "configmap/app patched\n"
    );
    write("yellow");
    assert_eq!(k.ok(&["replace", "-f", file]), "configmap/app replaced\n");
    assert_eq!(
        k.ok(&["label", "cm", "app", "-n", "team", "tier=web"]),
        "configmap/app labeled\n"
    );
    assert_eq!(
        k.ok(&["annotate", "cm", "app", "-n", "team", "note=hi"]),
        "configmap/app annotated\n"
    );
    assert_eq!(
        k.ok(&["get", "cm", "-n", "team", "-l", "tier=web", "-o", "name"]),
        "configmap/app\n"
    );
    assert_eq!(
        k.ok(&[
            "wait",
            "--for=jsonpath={.data.color}=yellow",
            "cm/app",
            "-n",
            "team"
        ]),
        "configmap/app condition met\n"
    );
    assert_eq!(
        k.ok(&["wait", "--for=jsonpath={.status.phase}=Active", "ns/team"]),
        "namespace/team condition met\n"
    );
    assert_eq!(
        k.ok(&["delete", "cm", "app", "-n", "team"]),
        "configmap \"app\" deleted\n"
    );
    let out = k.run(&["get", "cm", "app", "-n", "team"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error from server (NotFound): configmaps \"app\" not found\n"
    );
}

#[test]
fn namespace_deletion_empties_the_namespace_first() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    k.ok(&["create", "namespace", "slow"]);
    k.ok(&["create", "configmap", "free", "-n", "slow"]);
    let held = k.path("held.yaml");
    std::fs::write(
        &held,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  namespace: slow\n  finalizers: [example.com/hold]\n",
    )
    .unwrap();
    k.ok(&["apply", "-f", held.to_str().unwrap()]);
    assert_eq!(
        k.ok(&["delete", "namespace", "slow", "--wait=false"]),
        "namespace \"slow\" deleted\n"
    );
    // The namespace controller deletes what it can and reports what holds the namespace.
    let conditions =
        "{range .status.conditions[*]}{.type} {.status} {.reason}: {.message}{\"\\n\"}{end}";
    let want = "NamespaceDeletionDiscoveryFailure False ResourcesDiscovered: All resources successfully discovered\nNamespaceDeletionGroupVersionParsingFailure False ParsedGroupVersions: All legacy kube types successfully parsed\nNamespaceDeletionContentFailure False ContentDeleted: All content successfully deleted, may be waiting on finalization\nNamespaceContentRemaining True SomeResourcesRemain: Some resources are remaining: configmaps. has 1 resource instances\nNamespaceFinalizersRemaining True SomeFinalizersRemain: Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances\n";
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = k.ok(&["get", "ns", "slow", "-o", &format!("jsonpath={conditions}")]);
        if got == want {
            break;
        }
        assert!(Instant::now() < deadline, "conditions never settled: {got}");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        k.ok(&["get", "ns", "slow", "-o", "jsonpath={.status.phase}"]),
        "Terminating"
    );
    assert_eq!(
        k.ok(&["get", "cm", "-n", "slow", "-o", "name"]),
        "configmap/held\n"
    );
    let out = k.run(&["create", "configmap", "late", "-n", "slow"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: failed to create configmap: configmaps \"late\" is forbidden: unable to create new content in namespace slow because it is being terminated\n"
    );
    // Releasing the last finalizer lets the namespace go.
    k.ok(&[
        "patch",
        "cm",
        "held",
        "-n",
        "slow",
        "--type=json",
        "-p",
        r#"[{"op":"remove","path":"/metadata/finalizers"}]"#,
    ]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while k.run(&["get", "ns", "slow"]).status.success() {
        assert!(Instant::now() < deadline, "the namespace was never removed");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Without finalizers, kubectl's own wait for the deletion returns once it is gone.
    k.ok(&["create", "namespace", "quick"]);
    k.ok(&["create", "configmap", "c", "-n", "quick"]);
    assert_eq!(
        k.ok(&["delete", "namespace", "quick"]),
        "namespace \"quick\" deleted\n"
    );
    let out = k.run(&["get", "namespace", "quick"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error from server (NotFound): namespaces \"quick\" not found\n"
    );
}

#[test]
fn events_api_resources_explain_and_a_bounded_watch() {
    let Some(k) = Kubectl::start(Config::default()) else {
        return;
    };
    k.ok(&["create", "namespace", "team"]);
    let out = k.run(&["events", "-n", "team"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "No events found in team namespace.\n"
    );
    let event = k.path("event.yaml");
    std::fs::write(
        &event,
        "apiVersion: v1\nkind: Event\nmetadata: {name: robot.1, namespace: team}\ninvolvedObject: {kind: ServiceAccount, name: robot, namespace: team, apiVersion: v1}\nreason: Rotated\nmessage: token rotated\ntype: Normal\ncount: 2\nfirstTimestamp: \"2026-01-01T00:00:00Z\"\nlastTimestamp: \"2026-01-01T00:00:05Z\"\nsource: {component: tester}\n",
    )
    .unwrap();
    assert_eq!(
        k.ok(&["create", "-f", event.to_str().unwrap()]),
        "event/robot.1 created\n"
    );
    let events = k.ok(&["events", "-n", "team"]);
    let lines: Vec<&str> = events.lines().collect();
    assert_eq!(lines.len(), 2, "{events}");
    assert!(
        lines[0].starts_with("LAST SEEN") && lines[0].ends_with("MESSAGE"),
        "{events}"
    );
    assert!(
        lines[1].ends_with("   Normal   Rotated   ServiceAccount/robot   token rotated"),
        "{events}"
    );
    assert_eq!(
        k.ok(&[
            "events",
            "-n",
            "team",
            "--for",
            "serviceaccount/robot",
            "-o",
            "jsonpath={.items[*].reason}"
        ]),
        "Rotated"
    );
    assert_eq!(
        k.ok(&["api-resources", "--api-group=rbac.authorization.k8s.io"]),
        "NAME                  SHORTNAMES   APIVERSION                     NAMESPACED   KIND\nclusterrolebindings                rbac.authorization.k8s.io/v1   false        ClusterRoleBinding\nclusterroles                       rbac.authorization.k8s.io/v1   false        ClusterRole\nrolebindings                       rbac.authorization.k8s.io/v1   true         RoleBinding\nroles                              rbac.authorization.k8s.io/v1   true         Role\n"
    );
    let core = k.ok(&["api-resources", "--api-group=", "-o", "name"]);
    for name in [
        "configmaps",
        "events",
        "namespaces",
        "secrets",
        "serviceaccounts",
        "services",
    ] {
        assert!(core.lines().any(|l| l == name), "{name} in {core}");
    }
    let explain = k.ok(&["explain", "role.metadata.name"]);
    assert!(
        explain.starts_with(
            "GROUP:      rbac.authorization.k8s.io\nKIND:       Role\nVERSION:    v1\n\nFIELD: name <string>\n"
        ),
        "{explain}"
    );

    // `get -w`, bounded by kubectl's own request timeout: the list, then each change.
    k.ok(&["create", "configmap", "first", "-n", "team"]);
    let mut child = k
        .command(&[
            "get",
            "configmaps",
            "-n",
            "team",
            "--watch",
            "--output-watch-events",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubectl starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        // EVENT, NAME, DATA (AGE varies).
        let fields: Vec<String> = line
            .split_whitespace()
            .take(3)
            .map(str::to_string)
            .collect();
        if fields.first().map(String::as_str) == Some("ADDED") && fields[1] == "first" {
            k.ok(&[
                "create",
                "configmap",
                "second",
                "-n",
                "team",
                "--from-literal=k=1",
            ]);
            k.ok(&[
                "patch",
                "cm",
                "second",
                "-n",
                "team",
                "-p",
                r#"{"data":{"k":"2"}}"#,
            ]);
            k.ok(&["delete", "cm", "second", "-n", "team"]);
        }
        let done = fields.first().map(String::as_str) == Some("DELETED");
        seen.push(fields.join(" "));
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        seen,
        [
            "EVENT NAME DATA",
            "ADDED first 0",
            "ADDED second 1",
            "MODIFIED second 1",
            "DELETED second 1",
        ]
    );
}
