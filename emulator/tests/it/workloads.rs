//! The workloads under a Revision through real `kubectl`: `get deploy,rs,pods` with the
//! server's columns, the pods' events, and `kubectl logs` over the pod log subresource
//! (containers, tail, timestamps, previous, follow). Skipped when kubectl is not installed.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use knit_emulator::Config;

use crate::kubectl::Kubectl;

/// Starts the emulator with `config`, applies the `hello` Service and waits for its pod.
fn ready_hello(config: Config) -> Option<(Kubectl, String)> {
    let k = Kubectl::start(config)?;
    k.ok(&["apply", "-f", k.path("ksvc.yaml").to_str().unwrap()]);
    k.ok(&[
        "wait",
        "--for=condition=Ready",
        "ksvc/hello",
        "--timeout=30s",
    ]);
    k.ok(&[
        "wait",
        "--for=condition=Ready",
        "pod",
        "-l",
        "serving.knative.dev/service=hello",
        "--timeout=30s",
    ]);
    let pod = k.ok(&["get", "pods", "-o", "name"]).trim().to_string();
    Some((k, pod))
}

#[test]
fn get_shows_the_revisions_deployment_replicaset_and_pod() {
    let Some((k, pod)) = ready_hello(Config::default()) else {
        return;
    };
    let deploy = k.ok(&["get", "deploy"]);
    let lines: Vec<&str> = deploy.lines().collect();
    assert_eq!(
        lines[0], "NAME                     READY   UP-TO-DATE   AVAILABLE   AGE",
        "{deploy}"
    );
    assert!(
        lines[1].starts_with("hello-00001-deployment   1/1     1            1           "),
        "{deploy}"
    );
    let rs = k.ok(&["get", "rs", "-o", "wide"]);
    assert!(rs.starts_with("NAME "), "{rs}");
    assert!(rs.contains("   1         1         1       "), "{rs}");
    assert!(rs.contains("user-container,queue-proxy"), "{rs}");
    let pods = k.ok(&["get", "pods", "-o", "wide"]);
    assert!(pods.contains("   2/2     Running   0          "), "{pods}");
    assert!(
        pods.contains("   knit-emulator   <none>           <none>"),
        "{pods}"
    );
    let labels = k.ok(&[
        "get",
        &pod,
        "-o",
        "jsonpath={.metadata.labels.serving\\.knative\\.dev/revision} {.metadata.ownerReferences[0].kind} {.spec.containers[*].name}",
    ]);
    assert_eq!(labels, "hello-00001 ReplicaSet user-container queue-proxy");
    let owner = k.ok(&[
        "get",
        "deploy/hello-00001-deployment",
        "-o",
        "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}",
    ]);
    assert_eq!(owner, "Revision/hello-00001");
    let events = k.ok(&["events", "--for", &pod]);
    for reason in ["Scheduled", "Pulling", "Pulled", "Created", "Started"] {
        assert!(
            events.contains(&format!("   Normal   {reason}  ")),
            "{reason}: {events}"
        );
    }
    let created = k.ok(&[
        "get",
        "events",
        "--field-selector",
        "involvedObject.kind=Service",
        "-o",
        "jsonpath={.items[*].message}",
    ]);
    assert_eq!(
        created,
        "Created Configuration \"hello\" Created Route \"hello\""
    );
}

#[test]
fn kubectl_logs_reads_the_pod_log_subresource() {
    let Some((k, pod)) = ready_hello(Config::default()) else {
        return;
    };
    // The default container is Knative's user container (kubectl.kubernetes.io/default-container).
    let log = k.ok(&["logs", &pod]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(
        lines[0]
            .starts_with("user-container started from image ghcr.io/knative/helloworld-go@sha256:"),
        "{log}"
    );
    assert_eq!(
        lines[1..],
        [
            "Listening on port 8080",
            "Readiness probe succeeded: ready to serve requests"
        ]
    );
    assert_eq!(
        k.ok(&["logs", &pod, "--tail=1"]),
        "Readiness probe succeeded: ready to serve requests\n"
    );
    let stamped = k.ok(&["logs", &pod, "-c", "queue-proxy", "--timestamps"]);
    let second = stamped.lines().nth(1).unwrap_or_default();
    assert!(
        second.ends_with("Z Serving on port 8012, proxying to 127.0.0.1:8080"),
        "{stamped}"
    );
    assert_eq!(
        second.split(' ').next().unwrap_or_default().len(),
        30,
        "{stamped}"
    );
    let previous = k.run(&["logs", &pod, "--previous"]);
    assert!(!previous.status.success());
    let name = pod.trim_start_matches("pod/");
    assert_eq!(
        String::from_utf8_lossy(&previous.stderr),
        format!(
            "Error from server (BadRequest): previous terminated container \"user-container\" in pod \"{name}\" not found\n"
        )
    );
    // Follow: the lines so far, then the stream stays open until kubectl is stopped.
    let mut child = k
        .command(&["logs", "-f", &pod])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubectl logs -f");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    out.read_line(&mut first).expect("a line");
    assert!(first.starts_with("user-container started"), "{first}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        child.try_wait().expect("status").is_none(),
        "a followed log stays open"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn an_unfetchable_image_fails_to_pull_in_its_pods() {
    let Some(k) = Kubectl::start(Config {
        unfetchable_images: vec!["dev.local/*".into()],
        ..Default::default()
    }) else {
        return;
    };
    let manifest = k.path("bad.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: bad}\nspec:\n  template:\n    spec:\n      containers: [{image: dev.local/bad:1}]\n",
    )
    .unwrap();
    k.ok(&["apply", "-f", manifest.to_str().unwrap()]);
    k.ok(&[
        "wait",
        "--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=ImagePullBackOff",
        "pod",
        "-l",
        "serving.knative.dev/service=bad",
        "--timeout=30s",
    ]);
    let pod = k.ok(&["get", "pods", "-o", "name"]).trim().to_string();
    let pods = k.ok(&["get", "pods"]);
    assert!(
        pods.contains("   1/2     ImagePullBackOff   0          "),
        "{pods}"
    );
    let events = k.ok(&["events", "--for", &pod, "--types=Warning"]);
    assert!(
        events.contains("Failed to pull image \"dev.local/bad:1\": "),
        "{events}"
    );
    assert!(events.contains("Error: ErrImagePull"), "{events}");
    assert!(events.contains("Error: ImagePullBackOff"), "{events}");
    let logs = k.run(&["logs", &pod]);
    let name = pod.trim_start_matches("pod/");
    assert_eq!(
        String::from_utf8_lossy(&logs.stderr),
        format!(
            "Error from server (BadRequest): container \"user-container\" in pod \"{name}\" is waiting to start: trying and failing to pull image\n"
        )
    );
    let ready = k.ok(&[
        "get",
        "ksvc",
        "bad",
        "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}",
    ]);
    assert_eq!(
        ready, "Unknown",
        "the revision stays deploying until its progress deadline"
    );
}
