//! `knit emulator` end to end: it starts, writes a usable `knit-emulator` context, stops cleanly on
//! Ctrl-C (removing the context), and with `--state` keeps the objects across restarts.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct Running {
    child: Child,
    banner: String,
    stdout: BufReader<std::process::ChildStdout>,
}

fn start(home: &Path, args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_knit"))
        .arg("emulator")
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("KUBECONFIG", home.join("user-kubeconfig"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            panic!("knit emulator ended early:\n{banner}");
        }
        banner.push_str(&line);
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    Running {
        child,
        banner,
        stdout,
    }
}

fn interrupt(mut running: Running) -> String {
    let status = Command::new("kill")
        .args(["-INT", &running.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut running.stdout, &mut rest).unwrap();
    assert_eq!(running.child.wait().unwrap().code(), Some(0));
    rest
}

fn knit(home: &Path, kubeconfig: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_knit"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("KUBECONFIG", kubeconfig)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn create_service(kubeconfig: &Path, name: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let kc = kube::config::Kubeconfig::read_from(kubeconfig).unwrap();
        let config = kube::Config::from_custom_kubeconfig(kc, &Default::default())
            .await
            .unwrap();
        let client = kube::Client::try_from(config).unwrap();
        let ar = kube::discovery::ApiResource {
            group: "serving.knative.dev".into(),
            version: "v1".into(),
            api_version: "serving.knative.dev/v1".into(),
            kind: "Service".into(),
            plural: "services".into(),
        };
        let api: kube::Api<kube::api::DynamicObject> =
            kube::Api::namespaced_with(client, "default", &ar);
        let object: kube::api::DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "serving.knative.dev/v1",
            "kind": "Service",
            "metadata": {"name": name},
            "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/knative/helloworld-go"}]}}}
        }))
        .unwrap();
        api.create(&Default::default(), &object).await.unwrap();
    });
}

#[test]
fn sandbox_lifecycle_with_state() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let kubeconfig = home.join("state/knit/emulator/kubeconfig");
    let state = home.join("sandbox.json");
    let state_arg = state.to_str().unwrap();

    let running = start(home, &["--state", state_arg]);
    assert!(
        running
            .banner
            .starts_with("Knative emulator listening on http://127.0.0.1:"),
        "{}",
        running.banner
    );
    assert!(
        running.banner.contains(&format!(
            "Context 'knit-emulator' written to {}\n\nTo use it, in another terminal:\n  export KUBECONFIG={}\n",
            kubeconfig.display(),
            kubeconfig.display()
        )),
        "{}",
        running.banner
    );
    // The user's own kubeconfig is not touched.
    assert!(!home.join("user-kubeconfig").exists());

    assert_eq!(
        knit(home, &kubeconfig, &["service", "list"]),
        "No services found.\n"
    );
    create_service(&kubeconfig, "hello");
    assert!(knit(home, &kubeconfig, &["service", "list"]).contains("\nhello "));

    let bye = interrupt(running);
    assert_eq!(
        bye,
        format!(
            "Emulator stopped; context 'knit-emulator' removed from {}.\n",
            kubeconfig.display()
        )
    );
    assert!(!kubeconfig.exists());
    assert!(state.exists());

    // Restarted on the same state: the service is still there.
    let running = start(home, &["--state", state_arg]);
    assert!(knit(home, &kubeconfig, &["service", "list"]).contains("\nhello "));
    interrupt(running);
}

#[test]
fn update_kubeconfig_merges_into_the_users_file_and_restores_it() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let user = home.join("user-kubeconfig");
    let original = "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n    server: https://prod.example.com\nusers:\n- name: admin\n  user:\n    token: t\ncontexts:\n- name: prod\n  context:\n    cluster: prod\n    user: admin\ncurrent-context: prod\n";
    std::fs::write(&user, original).unwrap();
    let running = start(home, &["--update-kubeconfig"]);
    assert!(
        running.banner.contains("--context knit-emulator"),
        "{}",
        running.banner
    );
    let merged = kube::config::Kubeconfig::read_from(&user).unwrap();
    assert_eq!(merged.current_context.as_deref(), Some("prod"));
    assert_eq!(merged.contexts.len(), 2);
    assert_eq!(
        knit(
            home,
            &user,
            &["--context", "knit-emulator", "service", "list"]
        ),
        "No services found.\n"
    );
    interrupt(running);
    let restored = kube::config::Kubeconfig::read_from(&user).unwrap();
    assert_eq!(restored.contexts.len(), 1);
    assert_eq!(restored.current_context.as_deref(), Some("prod"));
}
