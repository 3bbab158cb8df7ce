//! Structured lists printed item by item as the LIST answer arrives (`-o json|yaml|name`) print
//! exactly what the whole-list printer prints (which `--sort-by` still uses).

use crate::common::{Cluster, service_object};
use serde_json::json;

#[test]
fn streamed_lists_print_what_whole_lists_print() {
    let cluster = Cluster::start();
    // Secrets have no controller, so both listings see the same objects; enough of them, and
    // large enough, for the output to span several 64 KiB write blocks.
    for i in 0..40 {
        let data = json!({"blob": "QUJD".repeat(600), "note": "PGI+ICYgYw=="});
        cluster.create(
            "",
            "secrets",
            json!({"apiVersion": "v1", "kind": "Secret",
                   "metadata": {"name": format!("s-{i:03}"), "namespace": "default",
                                "annotations": {"text": "a<b & c>d\nsecond line\n\n  indented"}},
                   "data": data}),
        );
    }
    for format in ["json", "yaml", "name"] {
        let streamed = cluster.knit(&["secret", "list", "-o", format]);
        let whole = cluster.knit(&[
            "secret",
            "list",
            "-o",
            format,
            "--sort-by",
            "{.metadata.name}",
        ]);
        assert_eq!(streamed.code, 0, "{streamed:?}");
        assert_eq!(whole.code, 0, "{whole:?}");
        if format != "name" {
            assert!(
                streamed.stdout.len() > 64 << 10,
                "{format}: {}",
                streamed.stdout.len()
            );
        }
        assert_eq!(streamed.stdout, whole.stdout, "-o {format}");
    }
    // Services too, once their controllers are done with them; and an empty list.
    for name in ["a", "b"] {
        cluster.create(
            "serving.knative.dev",
            "services",
            service_object("default", name, "gcr.io/knative-samples/helloworld-go"),
        );
        cluster.until_ready("serving.knative.dev", "services", "default", name);
    }
    for args in [
        &["service", "list"][..],
        &["service", "list", "-n", "empty"],
    ] {
        for format in ["json", "yaml"] {
            let mut streamed = args.to_vec();
            streamed.extend(["-o", format]);
            let mut whole = streamed.clone();
            whole.extend(["--sort-by", "{.metadata.name}"]);
            assert_eq!(cluster.knit(&streamed).stdout, cluster.knit(&whole).stdout);
        }
    }
}

#[test]
fn a_list_the_server_refuses_prints_only_the_error() {
    let cluster = Cluster::start();
    let streamed = cluster.knit(&[
        "service",
        "list",
        "-o",
        "json",
        "--field-selector",
        "spec.x=1",
    ]);
    let whole = cluster.knit(&[
        "service",
        "list",
        "-o",
        "json",
        "--field-selector",
        "spec.x=1",
        "--sort-by",
        "{.metadata.name}",
    ]);
    assert_ne!(streamed.code, 0);
    assert_eq!(streamed.stdout, "");
    assert_eq!((streamed.code, streamed.stderr), (whole.code, whole.stderr));
}
