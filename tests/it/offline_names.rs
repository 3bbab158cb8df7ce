//! Offline `service create --target` checks the service name the way a cluster does: the API
//! server's DNS-1123 subdomain rule, then Knative's DNS-1035 label rule, with the same errors.

use crate::common;

use common::Cluster;

#[test]
fn offline_create_refuses_the_names_a_cluster_refuses() {
    let cluster = Cluster::start();
    let dir = cluster.home().join("gitops");
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.to_str().unwrap();
    let long = "a".repeat(64);
    let longer = format!("{}.b", "a".repeat(64));
    for name in ["Hello", "é", "hello.world", "1abc", "abc-", &long, &longer] {
        let online = cluster.knit(&["service", "create", name, "--image", "nginx", "--no-wait"]);
        let offline = cluster.knit(&[
            "service", "create", name, "--image", "nginx", "--target", target,
        ]);
        assert_eq!(offline.code, online.code, "{name}: {online:?} {offline:?}");
        // A cluster's webhook sends its warnings along with a denial; with no webhook, the
        // offline check repeats only the error.
        let online_error: String = online
            .stderr
            .lines()
            .filter(|l| !l.starts_with("Warning: "))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(offline.stderr, online_error, "{name}");
        assert_eq!(offline.stdout, "", "{name}");
    }
    insta::assert_snapshot!(
        "offline_create_bad_names",
        ["Hello", "hello.world"]
            .map(|name| cluster
                .knit(&[
                    "service", "create", name, "--image", "nginx", "--target", target
                ])
                .snapshot())
            .join("")
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing was written"
    );
    // A good name is still written.
    cluster
        .knit(&[
            "service", "create", "hello-1", "--image", "nginx", "--target", target,
        ])
        .ok();
}
