//! Digest pinning on `service update` when there is no base revision to pin to: kn means to
//! warn and go on unpinned (its check never fires; knit's does, on stderr).

use crate::common;

use common::Cluster;
use serde_json::json;

const IMAGE: &str = "gcr.io/knative-samples/helloworld-go";

#[test]
fn an_update_without_a_base_revision_warns_and_keeps_the_tag() {
    let c = Cluster::start();
    // A foreign revision holds the name the service's first revision would get, so the
    // Configuration never creates one: latestCreatedRevisionName stays empty.
    c.create(
        "serving.knative.dev",
        "revisions",
        json!({
            "apiVersion": "serving.knative.dev/v1", "kind": "Revision",
            "metadata": {"name": "hello-00001", "namespace": "default"},
            "spec": {"containers": [{"image": "nginx"}]}
        }),
    );
    c.knit(&["service", "create", "hello", "--image", IMAGE, "--no-wait"])
        .ok();
    let out = c.knit(&["service", "update", "hello", "--env", "A=1", "--no-wait"]);
    insta::assert_snapshot!(out.snapshot(), @r"
    exit: 0
    --- stdout
    Service 'hello' updated in namespace 'default'.
    --- stderr
    Warning: No revision found to update image digest
    Warning: Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile
    ");
    let service = c
        .get("serving.knative.dev", "services", "default", "hello")
        .expect("service");
    // Not pinned: the template still names the tag.
    let template = &service["spec"]["template"];
    assert_eq!(template["spec"]["containers"][0]["image"], IMAGE);
    assert_eq!(
        template["spec"]["containers"][0]["env"],
        json!([{"name": "A", "value": "1"}])
    );
}
