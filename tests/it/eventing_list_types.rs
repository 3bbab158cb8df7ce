//! `source list-types` and `channel list-types` on their real path: the emulator serves the
//! Knative CRDs, and knit lists those carrying the duck labels.

use crate::common::{self, assert_snapshot_table};

use common::Cluster;

#[test]
fn source_types_come_from_the_labelled_crds() {
    let cluster = Cluster::start();
    // IntegrationSource carries the source duck label too; kn has no description for it.
    assert_snapshot_table!(
        cluster,
        &[
            ("source_list_types", &["source", "list-types"]),
            (
                "source_list_types_name",
                &["source", "list-types", "-o", "name"]
            ),
        ],
    );
    // The CRD path sends one LIST and no probes.
    let out = cluster.knit(&["source", "list-types", "--log-http"]);
    assert_eq!(out.stderr.matches("===== REQUEST =====").count(), 1);
    assert_eq!(
        out.stderr.lines().nth(1),
        Some(
            "GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions?&labelSelector=duck.knative.dev%2Fsource%3Dtrue HTTP/1.1"
        )
    );
}

#[test]
fn channel_types_come_from_the_labelled_crds() {
    let cluster = Cluster::start();
    // The generic Channel kind is subscribable but not a channel type.
    assert_snapshot_table!(
        cluster,
        &[
            ("channel_list_types", &["channel", "list-types"]),
            (
                "channel_list_types_yaml_kind",
                &[
                    "channel",
                    "list-types",
                    "-o",
                    "jsonpath={.kind} {.items[*].metadata.name}"
                ]
            ),
        ],
    );
}
