//! `domain create/update/describe/list/delete` against the emulator.

use crate::common::{self, assert_snapshot_table};

use common::Cluster;

/// The stored DomainMapping `hello.example.org`.
fn stored_mapping(cluster: &Cluster) -> serde_json::Value {
    cluster
        .get(
            "serving.knative.dev",
            "domainmappings",
            "default",
            "hello.example.org",
        )
        .expect("domain mapping hello.example.org is stored")
}

#[test]
fn lifecycle() {
    let cluster = Cluster::start();
    cluster.namespace("other");
    cluster.autocreate_domain_claims();
    cluster.ready_service("default", "hello", "gcr.io/knative-samples/helloworld-go");
    cluster.ready_service("other", "web", "gcr.io/knative-samples/helloworld-go");
    cluster
        .knit(&["domain", "list"])
        .assert_stdout("No domain mapping found.\n");
    cluster
        .knit(&["domain", "create", "hello.example.org", "--ref", "hello"])
        .assert_stdout("Domain mapping 'hello.example.org' created in namespace 'default'.\n");
    let stored = stored_mapping(&cluster);
    assert_eq!(
        stored["spec"]["ref"],
        serde_json::json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "hello", "namespace": "default"})
    );
    cluster.until_ready(
        "serving.knative.dev",
        "domainmappings",
        "default",
        "hello.example.org",
    );
    assert_snapshot_table!(
        cluster,
        &[
            ("describe", &["domain", "describe", "hello.example.org"]),
            ("list", &["domains", "ls"]),
        ],
    );
    // Knative's webhook refuses a reference to another namespace; its message is passed through.
    insta::assert_snapshot!(
        cluster.knit(&["domain", "update", "hello.example.org", "--ref", "ksvc:web:other"]).snapshot(),
        @r#"
    exit: 1
    --- stdout
    --- stderr
    Error: admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: mismatched namespaces: spec.ref.namespace
    parent namespace: "default" does not match ref: "other"
    Run 'knit --help' for usage
    "#
    );
    insta::assert_snapshot!(
        cluster.knit(&["domain", "update", "hello.example.org", "--ref", "kroute:hello", "--tls", "my-cert"]).snapshot(),
        @r"
    exit: 0
    --- stdout
    Domain mapping 'hello.example.org' updated in namespace 'default'.
    --- stderr
    "
    );
    let stored = stored_mapping(&cluster);
    assert_eq!(stored["spec"]["ref"]["kind"], "Route");
    assert_eq!(stored["spec"]["tls"]["secretName"], "my-cert");
    let out = cluster
        .run("domain describe hello.example.org -o jsonpath={.spec.ref.kind}/{.spec.ref.name}");
    assert_eq!(out.ok().stdout, "Route/hello");
    // A mapping with its own certificate is served over https, as Knative's reconciler sets it.
    let url = cluster.knit(&["domain", "describe", "hello.example.org", "-o", "url"]);
    assert_eq!(url.ok().stdout, "https://hello.example.org\n");
    insta::assert_snapshot!(cluster.knit(&["domain", "delete", "hello.example.org"]).snapshot(), @r"
    exit: 0
    --- stdout
    Domain mapping 'hello.example.org' deleted in namespace 'default'.
    --- stderr
    ");
    // The mapping carries Knative's finalizer: the delete marks it and the controller removes it.
    cluster.until_gone(
        "serving.knative.dev",
        "domainmappings",
        "default",
        "hello.example.org",
    );
}

#[test]
fn errors() {
    let cluster = Cluster::start();
    cluster
        .knit(&["domain", "create", "x.example.org"])
        .assert_stderr(
            2,
            "Error: required flag(s) \"ref\" not set\nRun 'knit domain create --help' for usage\n",
        );
    // kn crashes here (its --ref is not really required on update).
    cluster
        .knit(&["domain", "update", "x.example.org"])
        .assert_stderr(
            2,
            "Error: required flag(s) \"ref\" not set\nRun 'knit domain update --help' for usage\n",
        );
    cluster.knit(&["domain", "update", "--ref", "x"]).assert_stderr(2, "Error: 'knit domain update' requires the domain name given as single argument\nRun 'knit domain update --help' for usage\n");
    cluster.knit(&["domain", "create", "x.example.org", "--ref", "svc:x"]).assert_stderr(2, "Error: invalid argument \"svc:x\" for \"--ref\" flag: unsupported sink prefix: 'svc'\nRun 'knit domain create --help' for usage\n");
    // Named as it was when the checks before it were inline snapshots.
    insta::assert_snapshot!(
        "errors-5",
        cluster
            .run("domain create x.example.org --ref x --tls Bad_Secret")
            .snapshot()
    );
    cluster.knit(&["domain", "create", "x.example.org", "--ref", "missing"]).assert_stderr(1, "Error: services.serving.knative.dev \"missing\" not found\nRun 'knit --help' for usage\n");
    cluster.knit(&["domain", "describe", "nope"]).assert_stderr(1, "Error: domainmappings.serving.knative.dev \"nope\" not found\nRun 'knit --help' for usage\n");
}
