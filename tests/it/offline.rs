//! `--target` offline mode for service list/describe/delete: files, no cluster requests.

use crate::common;

use common::{Cluster, service_object};
use knit::ops::offline::OfflineStore;

#[test]
fn list_describe_and_delete_work_on_files() {
    let cluster = Cluster::start();
    let dir = cluster.home().join("gitops");
    std::fs::create_dir_all(&dir).unwrap();
    let store = OfflineStore::new(&dir);
    store
        .write_service("default", &service_object("default", "web", "nginx"))
        .unwrap();
    store
        .write_service("default", &service_object("default", "api", "nginx"))
        .unwrap();
    store
        .write_service("other", &service_object("other", "batch", "nginx"))
        .unwrap();
    let target = dir.to_str().unwrap();

    let out = cluster.knit(&["service", "list", "--target", target, "--log-http"]);
    assert!(
        !out.stderr.contains("REQUEST"),
        "no request may be sent offline: {}",
        out.stderr
    );
    out.assert_stdout("NAME   URL   LATEST   AGE         CONDITIONS   READY       REASON\napi                   <unknown>   0 OK / 0     <unknown>   <unknown>\nweb                   <unknown>   0 OK / 0     <unknown>   <unknown>\n");
    let out = cluster.knit(&["service", "list", "--target", target, "-A", "-o", "name"]);
    assert_eq!(
        out.ok().stdout,
        "service.serving.knative.dev/api\nservice.serving.knative.dev/web\nservice.serving.knative.dev/batch\n"
    );
    let out = cluster.knit(&["service", "describe", "web", "--target", target, "-v"]);
    insta::assert_snapshot!(out.snapshot(), @r"
    exit: 0
    --- stdout
    Name:       web
    Namespace:  default
    Age:        
    URL:        

    Revisions:  
      100?  @latest (not deployed)
            Image:  nginx

    Conditions:  
      OK TYPE    AGE REASON
    --- stderr
    ");
    let out = cluster.knit(&["service", "delete", "web", "nope", "--target", target]);
    insta::assert_snapshot!(out.snapshot(), @r#"
    exit: 1
    --- stdout
    Service 'web' successfully deleted in namespace 'default'.
    --- stderr
    Error: services.serving.knative.dev "nope" not found
    Run 'knit --help' for usage
    "#);
    assert!(!dir.join("default/ksvc/web.yaml").exists());
    assert!(dir.join("default/ksvc/api.yaml").exists());
}

#[test]
fn describe_shows_the_template_and_the_traffic_of_a_file() {
    let cluster = Cluster::start();
    let dir = cluster.home().join("gitops");
    std::fs::create_dir_all(&dir).unwrap();
    let mut service = service_object("default", "web", "nginx:1.25");
    service["spec"]["template"]["metadata"] = serde_json::json!({"name": "web-v2"});
    service["spec"]["template"]["spec"]["containers"][0]["env"] =
        serde_json::json!([{"name": "TARGET", "value": "v2"}]);
    service["spec"]["traffic"] = serde_json::json!([
        {"revisionName": "web-v1", "percent": 30, "tag": "old"},
        {"latestRevision": true, "percent": 70, "tag": "new"}
    ]);
    OfflineStore::new(&dir)
        .write_service("default", &service)
        .unwrap();
    let target = dir.to_str().unwrap();
    insta::assert_snapshot!(
        "offline_describe_traffic",
        cluster
            .knit(&["service", "describe", "web", "--target", target])
            .snapshot()
    );
    // On a terminal the traffic bars come from the file's spec.
    insta::assert_snapshot!(
        "offline_describe_traffic_tty",
        cluster
            .knit_with(
                &["service", "describe", "web", "--target", target],
                &[("KNIT_FORCE_TTY", "1")],
                None
            )
            .snapshot()
    );
}

#[test]
fn only_a_lower_case_file_suffix_makes_a_file_target() {
    // kn decides by the suffix of the path as typed: `x.YAML` and `x.yaml/` are directories,
    // so a missing one is refused as a directory; `x.yaml` is a file even where none exists.
    let cluster = Cluster::start();
    let create = |target: &str| {
        cluster.knit(&[
            "service", "create", "web", "--image", "nginx", "--target", target,
        ])
    };
    for target in ["svc.YAML", "svc.yaml/"] {
        let path = format!("{}/{target}", cluster.home().display());
        let out = create(&path);
        assert_eq!(out.code, 1, "{target}: {out:?}");
        assert_eq!(
            out.stderr,
            format!(
                "Error: directory '{path}' not present, please create the directory and try again\nRun 'knit --help' for usage\n"
            ),
            "{target}"
        );
    }
    let file = cluster.home().join("svc.yaml");
    let out = create(file.to_str().unwrap());
    assert_eq!(out.code, 0, "{out:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\n  name: web\n"), "{text}");
    // A directory that exists under a file-like name is still taken as the file: never written into.
    let dir_named_file = cluster.home().join("dir.json");
    std::fs::create_dir(&dir_named_file).unwrap();
    let out = create(dir_named_file.to_str().unwrap());
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(std::fs::read_dir(&dir_named_file).unwrap().count(), 0);
}
