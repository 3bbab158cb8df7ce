//! kn's e2e plugins_test.go (knative/client test/e2e at knative-v1.15.0), restated with its own
//! checks: the scenarios need executable plugin files and a changed `$PATH`, which the
//! differential case files cannot set up. Each scenario runs through knit and, when
//! `KNIT_REFERENCE_KN` names the real kn, through kn too, so both are held to kn's checks.
//! The plugin scripts are kn's, run by /bin/sh instead of bash (same output).
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PLUGIN: &str = "#!/bin/sh
echo \"Hello Knative, I'm a Kn plugin\"
echo \"  My plugin file is $0\"
echo \"  I received arguments: $1 $2 $3 $4\"
";

/// kn's pluginTestConfig: a config dir with an empty config.yaml, `plugins/kn-helloe2e` and
/// `plugins2/kn-hello2e2e`.
struct Setup {
    _dir: tempfile::TempDir,
    config_dir: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().expect("temp dir");
        let config_dir = dir.path().to_path_buf();
        for (sub, name) in [("plugins", "kn-helloe2e"), ("plugins2", "kn-hello2e2e")] {
            executable(&config_dir.join(sub), name, PLUGIN);
        }
        fs::write(config_dir.join("config.yaml"), "").expect("config");
        fs::create_dir_all(config_dir.join("home")).expect("home");
        Setup {
            _dir: dir,
            config_dir,
        }
    }

    fn plugins_dir(&self) -> PathBuf {
        self.config_dir.join("plugins")
    }

    fn plugins_dir_flag(&self) -> String {
        format!("--plugins-dir={}", self.plugins_dir().display())
    }

    /// `program ARGS` with `extra_path` appended to `$PATH` (kn's setupPluginTestConfigWithNewPath).
    fn run(&self, program: &Path, args: &[&str], extra_path: Option<&Path>) -> Output {
        let mut path = std::env::var("PATH").unwrap_or_default();
        if let Some(extra) = extra_path {
            path = format!("{path}:{}", extra.display());
        }
        let mut cmd = Command::new(program);
        cmd.args(args)
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.config_dir.join("home"))
            .env("XDG_CONFIG_HOME", self.config_dir.join("home"))
            .env("KUBECONFIG", self.config_dir.join("no-kubeconfig"));
        // The reference wrapper unpacks kn into a cache below the real $HOME.
        if let Some(cache) = reference_cache() {
            cmd.env("KNIT_REF_CACHE", cache);
        }
        cmd.output().expect("run")
    }
}

fn executable(dir: &Path, name: &str, body: &str) -> PathBuf {
    fs::create_dir_all(dir).expect("plugin dir");
    let path = dir.join(name);
    fs::write(&path, body).expect("plugin");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

fn reference_cache() -> Option<std::ffi::OsString> {
    std::env::var_os("KNIT_REF_CACHE").or_else(|| {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
        Some(base.join("knit-reference").into_os_string())
    })
}

/// knit, and the real kn when `KNIT_REFERENCE_KN` names it.
fn programs() -> Vec<PathBuf> {
    let mut programs = vec![PathBuf::from(env!("CARGO_BIN_EXE_knit"))];
    if let Some(kn) = std::env::var_os("KNIT_REFERENCE_KN").filter(|v| !v.is_empty()) {
        programs.push(PathBuf::from(kn));
    }
    programs
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// kn's listPlugin: `plugin list` succeeds, names every expected file and none of the others.
fn list_plugin(s: &Setup, program: &Path, extra_path: Option<&Path>, want: &[&str], not: &[&str]) {
    let flag = s.plugins_dir_flag();
    let out = s.run(program, &[&flag, "plugin", "list"], extra_path);
    let text = stdout(&out);
    assert!(out.status.success(), "{}: {out:?}", program.display());
    for name in want {
        assert!(
            text.contains(name),
            "{}: {name} missing in {text}",
            program.display()
        );
    }
    for name in not {
        assert!(
            !text.contains(name),
            "{}: {name} listed in {text}",
            program.display()
        );
    }
}

/// kn's runPlugin: `--plugins-dir=DIR NAME ARGS` succeeds and prints every expected piece.
fn run_plugin(
    s: &Setup,
    program: &Path,
    extra_path: Option<&Path>,
    name: &str,
    args: &[&str],
    want: &[&str],
) {
    let flag = s.plugins_dir_flag();
    let mut all = vec![flag.as_str(), name];
    all.extend_from_slice(args);
    let out = s.run(program, &all, extra_path);
    let text = stdout(&out);
    assert!(out.status.success(), "{}: {out:?}", program.display());
    for piece in want {
        assert!(
            text.contains(piece),
            "{}: {piece:?} missing in {text}",
            program.display()
        );
    }
}

#[test]
fn plugin_without_lookup() {
    for program in programs() {
        let s = Setup::new();
        let path2 = s.config_dir.join("plugins2");
        list_plugin(&s, &program, Some(&path2), &["kn-helloe2e"], &[]);
        run_plugin(
            &s,
            &program,
            Some(&path2),
            "helloe2e",
            &["e2e", "test"],
            &[
                "Hello Knative, I'm a Kn plugin",
                "I received arguments",
                "e2e",
            ],
        );
    }
}

#[test]
fn plugin_in_help_message() {
    for program in programs() {
        let s = Setup::new();
        let dir = s.plugins_dir().display().to_string();
        let out = s.run(&program, &["--plugins-dir", &dir, "--help"], None);
        assert!(out.status.success(), "{out:?}");
        let text = stdout(&out);
        for piece in ["Plugins:", "helloe2e", "kn-helloe2e"] {
            assert!(
                text.contains(piece),
                "{}: {piece} in {text}",
                program.display()
            );
        }
        // kn pads a root plugin's name to cobra's minimum name padding, 11.
        assert!(
            text.contains(&format!("\n  helloe2e    {dir}/kn-helloe2e\n")),
            "{}: {text}",
            program.display()
        );
        let out = s.run(
            &program,
            &["--plugins-dir", &dir, "service", "--help"],
            None,
        );
        assert!(out.status.success(), "{out:?}");
        let text = stdout(&out);
        for piece in ["Plugins:", "helloe2e", "kn-helloe2e"] {
            assert!(
                !text.contains(piece),
                "{}: {piece} in {text}",
                program.display()
            );
        }
    }
}

#[test]
fn plugin_with_lookup() {
    for program in programs() {
        let s = Setup::new();
        list_plugin(&s, &program, None, &["kn-helloe2e"], &["kn-hello2e2e"]);
        run_plugin(
            &s,
            &program,
            None,
            "helloe2e",
            &[],
            &["Hello Knative, I'm a Kn plugin"],
        );
    }
}

#[test]
fn list_plugin_in_path() {
    for program in programs() {
        let s = Setup::new();
        let path2 = s.config_dir.join("plugins2");
        list_plugin(
            &s,
            &program,
            Some(&path2),
            &["kn-helloe2e", "kn-hello2e2e"],
            &[],
        );
    }
}

#[test]
fn execute_plugin_in_path() {
    for program in programs() {
        let s = Setup::new();
        let path2 = s.config_dir.join("plugins2");
        run_plugin(
            &s,
            &program,
            Some(&path2),
            "hello2e2e",
            &[],
            &["Hello Knative, I'm a Kn plugin"],
        );
    }
}

/// kn's TestExecutePluginInPathWithError only sets up a failing `kn-hello3e2e` on `$PATH` and
/// runs nothing; running it here checks what the setup is for: the plugin's exit code comes back.
#[test]
fn execute_plugin_in_path_with_error() {
    for program in programs() {
        let s = Setup::new();
        let dir3 = s.config_dir.join("plugins3");
        executable(&dir3, "kn-hello3e2e", "#!/bin/sh\nexit 1");
        let out = s.run(&program, &["hello3e2e"], Some(&dir3));
        assert_eq!(out.status.code(), Some(1), "{}: {out:?}", program.display());
    }
}
