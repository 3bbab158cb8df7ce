//! Integration-test harness: an emulated cluster in-process (`knit_emulator::BackgroundEmulator`),
//! a kubeconfig and home directory in a temp dir, and the built `knit` binary (or real kubectl)
//! run against them. `outcome` holds what a run did and the one set of snapshot redactions;
//! `objects` seeds and reads stored objects.
#![allow(dead_code)]

mod objects;
mod outcome;

pub use objects::*;
pub use outcome::*;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use knit_emulator::cluster::ClusterApi;
use knit_emulator::{BackgroundEmulator, Config};

/// One emulated cluster plus a private home directory for knit.
pub struct Cluster {
    emulator: BackgroundEmulator,
    dir: tempfile::TempDir,
}

impl Cluster {
    /// A cluster with Knative's domain set to `example.com` (as in kn's docs) and no delays.
    pub fn start() -> Cluster {
        Cluster::with(Config {
            domain: "example.com".to_string(),
            ..Config::default()
        })
    }

    /// A cluster with a custom emulator configuration.
    pub fn with(config: Config) -> Cluster {
        let emulator = BackgroundEmulator::start(config);
        let dir = tempfile::tempdir().expect("temp dir");
        emulator
            .write_kubeconfig(&dir.path().join("kubeconfig"), "emulator")
            .expect("write kubeconfig");
        std::fs::create_dir_all(dir.path().join("config")).expect("config dir");
        Cluster { emulator, dir }
    }

    /// Stops the emulator, leaves the port closed for `down`, and starts it again on the same
    /// address with `config` (which must keep its objects, e.g. through `state_file`): an API
    /// server restart as clients see it.
    pub fn restart(&mut self, config: Config, down: std::time::Duration) {
        let addr = self.emulator.addr();
        drop(std::mem::replace(
            &mut self.emulator,
            BackgroundEmulator::start(Config {
                listen: "127.0.0.1:0".parse().expect("address"),
                ..Config::default()
            }),
        ));
        std::thread::sleep(down);
        self.emulator = BackgroundEmulator::start(Config {
            listen: addr,
            ..config
        });
    }

    pub fn emulator(&self) -> &BackgroundEmulator {
        &self.emulator
    }

    /// Direct access to stored objects.
    pub fn api(&self) -> Arc<dyn ClusterApi> {
        self.emulator.cluster()
    }

    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("kubeconfig")
    }

    /// The temp dir used as `$HOME`.
    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the temp home.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file inside the temp home and returns its path.
    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, content).expect("write file");
        path
    }

    /// Runs knit with these arguments.
    pub fn knit(&self, args: &[&str]) -> Outcome {
        self.knit_with(args, &[], None)
    }

    /// Runs knit with a command line written as one types it (see `argv`).
    pub fn run(&self, line: &str) -> Outcome {
        self.knit(&argv(line))
    }

    /// Runs knit with extra environment variables and optional stdin.
    pub fn knit_with(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Outcome {
        let mut cmd = self.knit_command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        run(cmd, stdin)
    }

    /// A `knit ARGS` command against this cluster; stdio is left to the caller. The environment
    /// is cleared first so that the developer's own kubeconfig or knit config never leaks in.
    pub fn knit_command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_knit"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join("config"))
            .env("KUBECONFIG", self.kubeconfig())
            .env("NO_COLOR", "1");
        cmd
    }

    /// Starts `knit ARGS` in the background: stdin from /dev/null, stdout and stderr piped.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.knit_command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start knit")
    }

    /// A knit API client for this cluster, built from its kubeconfig as knit builds its own.
    pub async fn client(&self) -> knit::client::Client {
        let kc = kube::config::Kubeconfig::read_from(self.kubeconfig()).expect("kubeconfig");
        let config = kube::Config::from_custom_kubeconfig(kc, &Default::default())
            .await
            .expect("config");
        knit::client::Client::from_kube(kube::Client::try_from(config).expect("client"))
    }

    /// Runs real kubectl against the cluster with `stdin` piped in, `None` when kubectl is not
    /// installed.
    pub fn kubectl(&self, args: &[&str], stdin: &str) -> Option<Outcome> {
        let mut cmd = Command::new(kubectl_bin()?);
        cmd.args(args)
            .env("KUBECONFIG", self.kubeconfig())
            .env("HOME", self.home());
        Some(run(cmd, Some(stdin)))
    }
}

/// Splits a command line at spaces; `'…'` quotes an argument that holds spaces.
pub fn argv(line: &str) -> Vec<&str> {
    let mut args = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        let (arg, tail) = match rest.strip_prefix('\'') {
            Some(quoted) => quoted.split_once('\'').expect("closing quote"),
            None => rest.split_once(' ').unwrap_or((rest, "")),
        };
        args.push(arg);
        rest = tail.trim_start();
    }
    args
}

/// Where real kubectl is installed, if it is: tests that need it return early without it
/// (see [`tool_available`]).
pub fn kubectl_bin() -> Option<&'static str> {
    let found = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"]
        .into_iter()
        .find(|p| Path::new(p).is_file());
    if tool_available("kubectl", found.is_some()) {
        found
    } else {
        None
    }
}

/// Whether `tool` was `found`. A missing tool skips the test that asked, with one line on the
/// real stderr (libtest captures `println!`, not direct writes, so the line shows in a plain
/// `cargo test`); where `KNIT_REQUIRE_TOOLS` names the tool, as CI's does, it fails instead.
pub fn tool_available(tool: &str, found: bool) -> bool {
    if found {
        return true;
    }
    let required = std::env::var("KNIT_REQUIRE_TOOLS").unwrap_or_default();
    assert!(
        !required.split([',', ' ']).any(|t| t == tool),
        "{tool} is not installed, but KNIT_REQUIRE_TOOLS says this machine has it"
    );
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test}: {tool} is not installed"
    );
    false
}

/// Runs `cmd` to completion with `stdin` piped in (or /dev/null) and captures its output.
pub fn run(mut cmd: Command, stdin: Option<&str>) -> Outcome {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        // A command that fails before reading its input closes the pipe; its outcome says why.
        let _ = pipe.write_all(input.as_bytes());
    }
    Outcome::from(child.wait_with_output().expect("output"))
}

/// A current-thread runtime for tests that talk to the API server directly.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}
