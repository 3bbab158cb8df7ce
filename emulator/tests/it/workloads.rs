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

/// `text` with every run of characters from `line`'s column `from` up to column `to` of the
/// header blanked (a relative time that changes between runs), keeping the layout.
fn blank_column(text: &str, from: &str, to: &str) -> String {
    let header = text.lines().next().unwrap_or("");
    let (start, end) = (header.find(from).unwrap(), header.find(to).unwrap());
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 || line.len() < end {
                return line.to_string();
            }
            format!(
                "{}{:<w$}{}",
                &line[..start],
                "<age>",
                &line[end..],
                w = end - start
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `kubectl -o yaml` with what changes between runs (event names' suffixes, uids,
/// resourceVersions, timestamps) replaced by placeholders.
fn stable_yaml(yaml: &str) -> String {
    yaml.lines()
        .map(|line| {
            let Some((key, value)) = line.split_once(": ") else {
                return line.to_string();
            };
            let field = key.trim_start_matches([' ', '-']);
            let placeholder = match field {
                "uid" => "<uid>",
                "resourceVersion" if value != "\"\"" => "<rv>",
                f if f.ends_with("Timestamp") => "<time>",
                "name" if value.starts_with("hello.") => "hello.<id>",
                _ => return line.to_string(),
            };
            format!("{key}: {placeholder}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_services_events_read_through_events_k8s_io() {
    let Some((k, _pod)) = ready_hello(Config::default()) else {
        return;
    };
    // The Knative controllers record core/v1 Events; the new API serves the same objects.
    let table = k.ok(&[
        "get",
        "events.events.k8s.io",
        "-A",
        "--field-selector",
        "regarding.kind=Service",
    ]);
    assert_eq!(
        blank_column(&table, "LAST SEEN", "TYPE"),
        "NAMESPACE   LAST SEEN   TYPE     REASON    OBJECT          MESSAGE\n\
         default     <age>       Normal   Created   service/hello   Created Configuration \"hello\"\n\
         default     <age>       Normal   Created   service/hello   Created Route \"hello\""
    );
    let yaml = k.ok(&[
        "get",
        "events.v1.events.k8s.io",
        "--field-selector",
        "regarding.kind=Service,regarding.name=hello",
        "-o",
        "yaml",
    ]);
    let one = "- apiVersion: events.k8s.io/v1
  deprecatedCount: 1
  deprecatedFirstTimestamp: <time>
  deprecatedLastTimestamp: <time>
  deprecatedSource:
    component: service-controller
  eventTime: null
  kind: Event
  metadata:
    creationTimestamp: <time>
    name: hello.<id>
    namespace: default
    resourceVersion: <rv>
    uid: <uid>
  note: Created NOUN \"hello\"
  reason: Created
  regarding:
    apiVersion: serving.knative.dev/v1
    kind: Service
    name: hello
    namespace: default
    resourceVersion: <rv>
    uid: <uid>
  reportingController: service-controller
  type: Normal
";
    assert_eq!(
        stable_yaml(&yaml),
        format!(
            "apiVersion: v1\nitems:\n{}{}kind: List\nmetadata:\n  resourceVersion: \"\"",
            one.replace("NOUN", "Configuration"),
            one.replace("NOUN", "Route")
        )
    );
    // One object under both versions: the same name, uid and resourceVersion.
    let identity = "jsonpath={range .items[*]}{.metadata.name} {.metadata.uid} {.metadata.resourceVersion};{end}";
    let core = k.ok(&[
        "get",
        "events",
        "--field-selector",
        "involvedObject.kind=Service",
        "-o",
        identity,
    ]);
    let new = k.ok(&[
        "get",
        "events.v1.events.k8s.io",
        "--field-selector",
        "regarding.kind=Service",
        "-o",
        identity,
    ]);
    assert_eq!(core.matches(';').count(), 2, "{core}");
    assert_eq!(core, new);
    // events.k8s.io selects on its own field names only.
    let refused = k.run(&[
        "get",
        "events.events.k8s.io",
        "--field-selector",
        "involvedObject.kind=Service",
    ]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert_eq!(
        stderr.trim_end(),
        "Error from server (BadRequest): Unable to find \"events.k8s.io/v1, Resource=events\" that match label selector \"\", field selector \"involvedObject.kind=Service\": field label not supported: involvedObject.kind"
    );
}
