//! `container add` chains and the offline `--target` mode of `service create|update`.

use crate::common::{Cluster, assert_settled, assert_settled_table, env_of};

use serde_json::Value;

const IMAGE: &str = "gcr.io/knative-samples/helloworld-go";

#[test]
fn container_add_chains_into_a_multi_container_service() {
    let c = Cluster::start();
    let first = c.run("container add sidecar --image docker.io/example/sidecar:first -e ROLE=side");
    assert_settled!("container_add", first);
    let second = c.knit_with(
        &[
            "container",
            "add",
            "second",
            "--image",
            "docker.io/example/sidecar:second",
        ],
        &[],
        Some(&first.stdout),
    );
    assert_settled!("container_add_piped", second);
    c.knit_with(
        &[
            "service",
            "create",
            "multi",
            "--image",
            IMAGE,
            "--port",
            "8080",
            "--containers",
            "-",
            "--no-wait",
        ],
        &[],
        Some(&second.stdout),
    )
    .ok();
    let containers = c.stored_service("multi")["spec"]["template"]["spec"]["containers"].clone();
    let images: Vec<&str> = containers
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["image"].as_str().unwrap())
        .collect();
    assert_eq!(
        images,
        vec![
            IMAGE,
            "docker.io/example/sidecar:second",
            "docker.io/example/sidecar:first"
        ]
    );
}

#[test]
fn container_add_errors() {
    let c = Cluster::start();
    assert_settled_table!(
        c,
        &[
            (
                "container_add_no_name",
                &["container", "add", "--image", "x"]
            ),
            ("container_add_no_image", &["container", "add", "side"]),
        ],
    );
    assert_settled!(
        "container_add_bad_stdin",
        c.knit_with(
            &["container", "add", "side", "--image", "x"],
            &[],
            Some("containers: [oops")
        )
    );
    assert_settled!("container_group", c.knit(&["container"]));
}

#[test]
fn offline_directory_mode() {
    let c = Cluster::start();
    let root = c.path("gitops");
    std::fs::create_dir(&root).unwrap();
    let target = format!("--target={}", root.display());
    assert_settled_table!(
        c,
        &[
            (
                "offline_create",
                &[
                    "service", "create", "off", "--image", IMAGE, "-n", "team", "--env", "A=1",
                    &target
                ]
            ),
            (
                "offline_create_existing",
                &[
                    "service", "create", "off", "--image", IMAGE, "-n", "team", &target
                ]
            ),
        ],
    );
    // Without --image, kn crashes looking up a revision to pin; knit just edits the file.
    assert_settled_table!(
        c,
        &[
            (
                "offline_update",
                &[
                    "service",
                    "update",
                    "off",
                    "-n",
                    "team",
                    "--env",
                    "B=2",
                    "--tag",
                    "@latest=v1",
                    &target
                ]
            ),
            (
                "offline_update_unchanged",
                &[
                    "service", "update", "off", "-n", "team", "--env", "B=2", &target
                ]
            ),
        ],
    );
    let text = std::fs::read_to_string(root.join("team/ksvc/off.yaml")).unwrap();
    let svc: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(env_of(&svc), vec!["A=1", "B=2"]);
    assert_eq!(svc["metadata"]["namespace"], "team");
    assert_eq!(svc["spec"]["traffic"][0]["tag"], "v1");
    assert_settled!(
        "offline_update_missing",
        c.knit(&[
            "service", "update", "nope", "-n", "team", "--env", "B=2", &target
        ])
    );
    // Nothing reached the cluster.
    assert!(c.revisions("off").is_empty());
}

#[test]
fn offline_file_modes_and_missing_directory() {
    let c = Cluster::start();
    let json_file = c.path("svc.json");
    let target = format!("--target={}", json_file.display());
    c.knit(&["service", "create", "filed", "--image", IMAGE, &target])
        .ok();
    let text = std::fs::read_to_string(&json_file).unwrap();
    assert!(
        text.starts_with("{\n    \"apiVersion\": \"serving.knative.dev/v1\","),
        "{text}"
    );
    let missing = c.path("nowhere");
    let run = c.knit(&[
        "service",
        "create",
        "x",
        "--image",
        IMAGE,
        &format!("--target={}", missing.display()),
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "Error: directory '{}' not present, please create the directory and try again\nRun 'knit --help' for usage\n",
            missing.display()
        )
    );
}
