//! `knit apply -f` beyond the Knative kinds knit knows: any kind and version the cluster's
//! discovery serves (core kinds, cluster-scoped ones first in their place, another version of a
//! Knative kind), the errors for kinds it does not serve or cannot apply, and a file of 5,000
//! documents.

use knit_emulator::resource::GroupResource;
use serde_json::json;

use crate::common::Cluster;

const MIXED: &str = "\
apiVersion: v1
kind: Namespace
metadata:
  name: team
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: team
data:
  mode: fast
---
# EventType at v1beta3, a version knit itself never reads or writes.
apiVersion: eventing.knative.dev/v1beta3
kind: EventType
metadata:
  name: created
  namespace: team
spec:
  attributes:
  - name: type
    value: dev.knative.created
    required: true
";

#[test]
fn any_kind_and_version_the_cluster_serves_applies() {
    let c = Cluster::start();
    let file = c.write("mixed.yaml", MIXED);
    let file = file.to_string_lossy();
    insta::assert_snapshot!(c.knit(&["apply", "-f", &file]).snapshot(), @r"
    exit: 0
    --- stdout
    namespace/team serverside-applied
    configmap/settings serverside-applied
    eventtype.eventing.knative.dev/created serverside-applied
    --- stderr
    ");
    assert!(c.get("", "namespaces", "", "team").is_some());
    let cm = c
        .get("", "configmaps", "team", "settings")
        .expect("configmap");
    assert_eq!(cm["data"], json!({"mode": "fast"}));
    assert_eq!(cm["metadata"]["managedFields"][0]["manager"], "knit");
    // Waited for: the EventType (a Knative kind) is Ready when knit returns.
    let et = c
        .get("eventing.knative.dev", "eventtypes", "team", "created")
        .expect("eventtype");
    let ready = et["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True");
    assert!(ready, "{et:#}");

    let again = c.knit(&["apply", "-f", &file]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(
        again.stdout,
        "namespace/team unchanged\nconfigmap/settings unchanged\neventtype.eventing.knative.dev/created unchanged\n"
    );
}

#[test]
fn kinds_the_cluster_does_not_serve_or_let_apply_are_refused_before_any_write() {
    let c = Cluster::start();
    let mut all = String::new();
    for (name, document) in [
        (
            "unknown_group",
            "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
        ),
        (
            "unknown_kind",
            "apiVersion: serving.knative.dev/v1\nkind: Widget\nmetadata:\n  name: w\n",
        ),
        (
            "unknown_version",
            "apiVersion: serving.knative.dev/v2\nkind: Service\nmetadata:\n  name: w\n",
        ),
        (
            "read_only",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n",
        ),
    ] {
        let input =
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n---\n{document}");
        let out = c.knit_with(&["apply", "-f", "-"], &[], Some(&input));
        assert_eq!(out.code, 1, "{name}: {out:?}");
        all.push_str(&format!("{name}\n{}\n", out.snapshot()));
    }
    insta::assert_snapshot!(all);
    // The valid document before the bad one was not applied either.
    assert!(c.get("", "configmaps", "default", "first").is_none());
}

#[test]
fn a_file_of_5000_documents_applies() {
    const COUNT: usize = 5000;
    let c = Cluster::start();
    let text: String = (0..COUNT)
        .map(|i| {
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:04}\n  labels:\n    bulk: \"yes\"\ndata:\n  index: \"{i}\"\n---\n"
            )
        })
        .collect();
    let file = c.write("bulk.yaml", &text);
    let out = c.knit(&["apply", "-f", &file.to_string_lossy()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    // One line per object, in file order although they are sent several at a time.
    let expected: String = (0..COUNT)
        .map(|i| format!("configmap/cm-{i:04} serverside-applied\n"))
        .collect();
    assert!(
        out.stdout == expected,
        "the output is not one line per object in file order"
    );
    let stored = c
        .api()
        .list(&GroupResource::new("", "configmaps"), "default");
    let bulk: Vec<_> = stored
        .iter()
        .filter(|cm| cm["metadata"]["labels"]["bulk"] == "yes")
        .collect();
    assert_eq!(bulk.len(), COUNT);
    let last = c.get("", "configmaps", "default", "cm-4999").expect("last");
    assert_eq!(last["data"], json!({"index": "4999"}));
}
