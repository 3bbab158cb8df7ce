//! `knit explain` against real `kubectl explain` on the same emulator: every served resource,
//! its `--recursive` tree and its top-level fields, and every field of a Knative Service and a
//! Trigger to depth three (a Service to depth two), must print the same stdout with the same exit status. Where knit
//! differs on purpose the case says why. Also the built-in schemas with no cluster.

use std::collections::BTreeSet;

use crate::common::{Cluster, Outcome, argv, kubectl_bin};

/// `--recursive` output's field paths (`spec`, `spec.template`, …) up to `depth` levels.
fn field_paths(recursive: &str, depth: usize) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut paths = Vec::new();
    for line in recursive.lines() {
        let Some((name, _)) = line.split_once('\t') else {
            continue;
        };
        let level = (name.len() - name.trim_start().len()) / 2;
        if level == 0 || !line.starts_with("  ") {
            continue;
        }
        stack.truncate(level - 1);
        stack.push(name.trim().to_string());
        if level <= depth {
            paths.push(stack.join("."));
        }
    }
    paths
}

/// One explain line through kubectl and through knit; a mismatch as text, if any.
fn compare(c: &Cluster, line: &str) -> Option<String> {
    let args = argv(line);
    let kubectl: Outcome = c.kubectl(&[&["explain"], args.as_slice()].concat(), "")?;
    let knit = c.knit(&[&["explain"], args.as_slice()].concat());
    // Both fail with the same message; kubectl also prints the kind's header before a missing
    // field's error, knit prints nothing on stdout when it fails.
    let same_failure = kubectl.code != 0
        && knit.code == 1
        && kubectl.stderr.trim_end().strip_prefix("error: ")
            == knit
                .stderr
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("Error: "));
    if same_failure || (kubectl.code == knit.code && kubectl.stdout == knit.stdout) {
        return None;
    }
    let diff = similar::TextDiff::from_lines(&kubectl.stdout, &knit.stdout)
        .unified_diff()
        .context_radius(1)
        .to_string();
    Some(format!(
        "explain {line}: kubectl exit {} / knit exit {}\n{diff}kubectl stderr: {}knit stderr: {}",
        kubectl.code, knit.code, kubectl.stderr, knit.stderr
    ))
}

#[test]
fn explain_matches_kubectl_for_every_resource_and_field() {
    if kubectl_bin().is_none() {
        return;
    }
    let c = Cluster::start();
    let resources = c
        .kubectl(&["api-resources", "--no-headers", "-o", "name"], "")
        .expect("kubectl");
    assert_eq!(resources.code, 0, "{}", resources.stderr);
    let mut lines: BTreeSet<String> = BTreeSet::new();
    for resource in resources.stdout.lines() {
        lines.insert(resource.to_string());
        lines.insert(format!("{resource} --recursive"));
        let tree = c.knit(&["explain", resource, "--recursive"]);
        for path in field_paths(&tree.stdout, 1) {
            lines.insert(format!("{resource}.{path}"));
        }
    }
    for (kind, depth) in [("ksvc", 2), ("trigger", 3), ("broker", 3)] {
        let tree = c.knit(&["explain", kind, "--recursive"]);
        for path in field_paths(&tree.stdout, depth) {
            lines.insert(format!("{kind}.{path}"));
        }
    }
    for extra in [
        "ksvc.spec.template.spec --recursive",
        "ksvc.spec.template.metadata.annotations",
        "ksvc.spec.template.spec.containers.resources.limits",
        "revision.status.conditions",
        "Service",
        "service --api-version serving.knative.dev/v1",
        "ksvc --api-version serving.knative.dev/v1beta1",
        "eventtype --api-version eventing.knative.dev/v1beta2",
        "domainmapping",
        "imc.spec",
        "ksvc.spec.nosuch",
        "ksvc.spec.traffic.nosuch",
        "nosuch",
        "ksvc.",
    ] {
        lines.insert(extra.to_string());
    }
    assert!(lines.len() >= 300, "only {} explain lines", lines.len());
    // kubectl maps `plural.group` to the first resource whose group-resource is a prefix of
    // it: for `services.serving.knative.dev…` the core Service (and for `events.events.k8s.io…`
    // the core Event, as against a real cluster), so it fails where knit (the longest prefix)
    // explains the other group's kind (see the next test). Those lines must differ.
    let (differs, lines): (Vec<String>, Vec<String>) = lines.into_iter().partition(|l| {
        l.starts_with("services.serving.knative.dev") || l.starts_with("events.events.k8s.io")
    });
    for line in &differs {
        assert!(
            compare(&c, line).is_some(),
            "kubectl and knit agree now on explain {line}"
        );
    }
    let mismatches: Vec<String> = std::thread::scope(|scope| {
        let chunks: Vec<_> = lines
            .chunks(lines.len().div_ceil(4))
            .map(|chunk| {
                scope.spawn(|| {
                    chunk
                        .iter()
                        .filter_map(|l| compare(&c, l))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        chunks
            .into_iter()
            .flat_map(|h| h.join().expect("explain thread"))
            .collect()
    });
    assert!(
        mismatches.is_empty(),
        "{} of {} explain lines differ from kubectl:\n{}",
        mismatches.len(),
        lines.len(),
        mismatches.join("\n")
    );
}

#[test]
fn explain_differs_from_kubectl_where_kubectl_guesses_wrong() {
    let c = Cluster::start();
    // kubectl reads `services.serving.knative.dev.spec` as the core Service's field path
    // `serving.knative.dev.spec` (its first prefix match) and fails; knit takes the longest
    // `plural.group` prefix, the Knative Service.
    let out = c.knit(&["explain", "services.serving.knative.dev.spec"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with(
        "GROUP:      serving.knative.dev\nKIND:       Service\nVERSION:    v1\n\nFIELD: spec <Object>\n"
    ));
    // Resource words are matched in any case (kubectl: short names only in lower case).
    assert_eq!(c.knit(&["explain", "KSVC.spec"]).stdout, out.stdout);
    // A bad --api-version or --output is a usage error that names the flag.
    let bad = c.knit(&["explain", "ksvc", "--api-version", "a/b/c"]);
    assert_eq!(bad.code, 2);
    assert_eq!(
        bad.stderr,
        "Error: invalid --api-version \"a/b/c\": expected GROUP/VERSION (e.g. serving.knative.dev/v1) or VERSION\nRun 'knit explain --help' for usage\n"
    );
    let bad = c.knit(&["explain", "ksvc", "-o", "json"]);
    assert_eq!(bad.code, 2);
    assert_eq!(
        bad.stderr,
        "Error: invalid --output \"json\": the accepted format is plaintext\nRun 'knit explain --help' for usage\n"
    );
}

#[test]
fn explain_without_a_cluster_uses_the_built_in_schemas() {
    let c = Cluster::start();
    let online = c.knit(&["explain", "trigger.spec.filter"]);
    assert_eq!(online.code, 0, "{}", online.stderr);
    let missing = c.path("no-such-kubeconfig");
    let offline = c.knit_with(
        &["explain", "trigger.spec.filter"],
        &[("KUBECONFIG", missing.to_str().expect("utf-8 path"))],
        None,
    );
    assert_eq!(offline.code, 0, "{}", offline.stderr);
    assert_eq!(offline.stdout, online.stdout);
    assert_eq!(
        offline.stderr,
        "Warning: no cluster to ask (no kubeconfig has been provided, please use a valid configuration to connect to the cluster); explaining the Knative kinds built into knit instead\n"
    );
    // A cluster that does not answer is no cluster either.
    let gone = c.path("gone.kubeconfig");
    std::fs::write(
        &gone,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster:\n    server: http://127.0.0.1:9\ncontexts:\n- name: gone\n  context:\n    cluster: gone\n    user: gone\nusers:\n- name: gone\n  user: {}\ncurrent-context: gone\n",
    )
    .expect("kubeconfig");
    let unreachable = c.knit_with(
        &["explain", "trigger.spec.filter"],
        &[("KUBECONFIG", gone.to_str().expect("utf-8 path"))],
        None,
    );
    assert_eq!(unreachable.code, 0, "{}", unreachable.stderr);
    assert_eq!(unreachable.stdout, online.stdout);
    assert!(
        unreachable
            .stderr
            .starts_with("Warning: no cluster to ask ("),
        "{}",
        unreachable.stderr
    );
}
