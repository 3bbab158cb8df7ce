//! `knit emulator` end to end: it starts, writes a usable `knit-emulator-PORT` context, stops
//! cleanly on Ctrl-C (removing the context), with `--state` keeps the objects across restarts, and
//! two emulators share one kubeconfig without shadowing each other.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct Running {
    child: Child,
    banner: String,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Running {
    /// The port of the banner's `listening on http://127.0.0.1:PORT`.
    fn port(&self) -> u16 {
        let rest = self.banner.split("http://127.0.0.1:").nth(1).unwrap();
        rest[..rest.find('\n').unwrap()].parse().unwrap()
    }

    /// The context name derived from the port.
    fn context(&self) -> String {
        format!("knit-emulator-{}", self.port())
    }
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
    let context = running.context();
    assert!(
        running.banner.contains(&format!(
            "Context '{context}' written to {}\n\nTo use it, in another terminal:\n  export KUBECONFIG={}\n",
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
            "Emulator stopped; context '{context}' removed from {}.\n",
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
    let running = start(home, &["--update-kubeconfig", "--name", "sandbox"]);
    assert!(
        running.banner.contains("--context sandbox service create"),
        "{}",
        running.banner
    );
    let merged = kube::config::Kubeconfig::read_from(&user).unwrap();
    assert_eq!(merged.current_context.as_deref(), Some("prod"));
    assert_eq!(merged.contexts.len(), 2);
    assert_eq!(
        knit(home, &user, &["--context", "sandbox", "service", "list"]),
        "No services found.\n"
    );
    interrupt(running);
    let restored = kube::config::Kubeconfig::read_from(&user).unwrap();
    assert_eq!(restored.contexts.len(), 1);
    assert_eq!(restored.current_context.as_deref(), Some("prod"));
}

#[test]
fn two_emulators_share_one_kubeconfig() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let shared = home.join("shared-kubeconfig");
    let shared_arg = shared.to_str().unwrap();
    let first = start(home, &["--write-kubeconfig", shared_arg]);
    let second = start(home, &["--write-kubeconfig", shared_arg]);
    assert_ne!(first.context(), second.context());
    let merged = kube::config::Kubeconfig::read_from(&shared).unwrap();
    let mut names: Vec<_> = merged.contexts.iter().map(|c| c.name.clone()).collect();
    names.sort();
    let mut want = vec![first.context(), second.context()];
    want.sort();
    assert_eq!(names, want);
    // The last one started is current; each context reaches its own emulator.
    assert_eq!(merged.current_context, Some(second.context()));
    create_service(&shared, "only-in-second");
    assert_eq!(
        knit(
            home,
            &shared,
            &["--context", &first.context(), "service", "list"]
        ),
        "No services found.\n"
    );
    assert!(
        knit(
            home,
            &shared,
            &["--context", &second.context(), "service", "list"]
        )
        .contains("\nonly-in-second ")
    );
    // Stopping one removes only its own context.
    let first_context = first.context();
    interrupt(first);
    let left = kube::config::Kubeconfig::read_from(&shared).unwrap();
    let names: Vec<_> = left.contexts.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, [second.context()]);
    assert_ne!(names[0], first_context);
    interrupt(second);
    assert!(!shared.exists());
}

#[test]
fn an_empty_name_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_knit"))
        .args(["emulator", "--name", ""])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: invalid argument \"\" for \"--name\" flag: a context name cannot be empty\nRun 'knit emulator --help' for usage\n"
    );
}
