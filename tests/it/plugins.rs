//! Plugins end to end: small shell-script plugins written into a temporary directory, run through
//! the real `knit` binary with a controlled PATH, HOME and XDG_CONFIG_HOME.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Sandbox {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        for d in ["bin", "home", "config"] {
            fs::create_dir_all(root.join(d)).unwrap();
        }
        Sandbox { _dir: dir, root }
    }

    fn bin(&self) -> PathBuf {
        self.root.join("bin")
    }

    fn config(&self) -> PathBuf {
        self.root.join("config")
    }

    /// A plugin that prints its name, arguments (one per line) and $PLUGIN_ENV, then exits with $2 of
    /// its body (default 0).
    fn plugin(&self, dir: &Path, name: &str) -> PathBuf {
        self.script(
            dir,
            name,
            &format!(
                "#!/bin/sh\necho \"{name}\"\nfor a in \"$@\"; do echo \"arg:$a\"; done\necho \"env:$PLUGIN_ENV\"\n"
            ),
        )
    }

    fn script(&self, dir: &Path, name: &str, body: &str) -> PathBuf {
        fs::create_dir_all(dir).unwrap();
        let path = dir.join(name);
        fs::write(&path, body).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn knit(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_knit"))
            .args(args)
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", self.bin().display()))
            .env("HOME", self.root.join("home"))
            .env("XDG_CONFIG_HOME", self.config())
            .env("KUBECONFIG", self.root.join("no-kubeconfig"))
            .env("PLUGIN_ENV", "passed")
            .output()
            .unwrap()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn plugin_on_path_gets_arguments_and_environment() {
    let s = Sandbox::new();
    s.plugin(&s.bin(), "knit-hello");
    let out = s.knit(&["hello", "a b", "--flag", "-x"]);
    assert_eq!(stderr(&out), "");
    assert_eq!(
        stdout(&out),
        "knit-hello\narg:a b\narg:--flag\narg:-x\nenv:passed\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn exit_code_is_passed_through_unchanged() {
    let s = Sandbox::new();
    s.script(&s.bin(), "knit-fail", "#!/bin/sh\necho oops >&2\nexit 42\n");
    let out = s.knit(&["fail"]);
    assert_eq!(out.status.code(), Some(42));
    // No `Error: exit status 42` and no usage hint: the plugin's own output only.
    assert_eq!(stderr(&out), "oops\n");
}

#[test]
fn kn_plugins_work_and_global_flags_are_passed_through() {
    let s = Sandbox::new();
    s.plugin(&s.bin(), "kn-quickstart");
    let out = s.knit(&["--context", "ctx", "quickstart", "kind", "--registry"]);
    assert_eq!(
        stdout(&out),
        "kn-quickstart\narg:--context\narg:ctx\narg:kind\narg:--registry\nenv:passed\n"
    );
}

#[test]
fn nested_names_take_the_longest_match() {
    let s = Sandbox::new();
    s.plugin(&s.bin(), "kn-source-kafka");
    s.plugin(&s.bin(), "knit-hello-world");
    s.plugin(&s.bin(), "knit-hello");
    let out = s.knit(&["hello", "world", "x"]);
    assert_eq!(stdout(&out), "knit-hello-world\narg:x\nenv:passed\n");
    let out = s.knit(&["hello", "there"]);
    assert_eq!(stdout(&out), "knit-hello\narg:there\nenv:passed\n");
}

#[test]
fn underscores_in_file_names_are_dashes_in_commands() {
    let s = Sandbox::new();
    s.plugin(&s.bin(), "knit-log_all");
    let out = s.knit(&["log-all", "-f"]);
    assert_eq!(stdout(&out), "knit-log_all\narg:-f\nenv:passed\n");
}

#[test]
fn plugin_directories_come_before_path() {
    let s = Sandbox::new();
    s.plugin(&s.bin(), "knit-hello");
    // kn's plugin directory is searched too (after knit's own).
    let kn_dir = s.config().join("kn").join("plugins");
    let from_kn_dir = s.plugin(&kn_dir, "kn-hello");
    assert!(stdout(&s.knit(&["hello"])).starts_with("kn-hello\n"));
    let knit_dir = s.config().join("knit").join("plugins");
    s.plugin(&knit_dir, "knit-hello");
    assert!(stdout(&s.knit(&["hello"])).starts_with("knit-hello\n"));
    fs::remove_file(from_kn_dir).unwrap();
}

#[test]
fn configured_plugin_directory_via_config_file() {
    let s = Sandbox::new();
    let custom = s.root.join("custom-plugins");
    s.plugin(&custom, "knit-custom");
    let cfg = s.root.join("my-config.yaml");
    fs::write(
        &cfg,
        format!(
            "plugins:\n  directory: {}\n  path-lookup: false\n",
            custom.display()
        ),
    )
    .unwrap();
    s.plugin(&s.bin(), "knit-onpath");
    let out = s.knit(&["--config", cfg.to_str().unwrap(), "custom"]);
    assert_eq!(
        stdout(&out),
        format!(
            "knit-custom\narg:--config\narg:{}\nenv:passed\n",
            cfg.display()
        )
    );
    // PATH lookup is off in that configuration.
    let out = s.knit(&["--config", cfg.to_str().unwrap(), "onpath"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(!stdout(&out).contains("knit-onpath"));
}

#[test]
fn a_plugin_cannot_shadow_a_builtin_command() {
    let s = Sandbox::new();
    let shadow = s.plugin(&s.bin(), "knit-version");
    s.plugin(&s.bin(), "knit-hello");
    let out = s.knit(&["version"]);
    assert!(stdout(&out).starts_with("Version:"), "{}", stdout(&out));

    let out = s.knit(&["plugin", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let bin = s.bin();
    assert_eq!(
        stdout(&out),
        format!(
            "- knit-hello : {b}/knit-hello\n- knit-version : {b}/knit-version\n\nERROR:\n  - {} overwrites existing built-in command: 'version'\n",
            shadow.display(),
            b = bin.display()
        )
    );
    assert!(
        stderr(&out).starts_with("Error: plugin validation errors\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn plugin_list_flags_shadowed_and_non_executable_files() {
    let s = Sandbox::new();
    let knit_dir = s.config().join("knit").join("plugins");
    let first = s.plugin(&knit_dir, "knit-hello");
    let second = s.plugin(&s.bin(), "kn-hello");
    let lazy = s.root.join("bin").join("knit-lazy");
    fs::write(&lazy, "#!/bin/sh\n").unwrap();
    fs::set_permissions(&lazy, fs::Permissions::from_mode(0o644)).unwrap();
    let out = s.knit(&["plugins", "ls", "--verbose"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = format!(
        "The following plugins are available, using options:\n  plugins dir: '{kd}'\n  plugins dir: '{kn}' (does not exist)\n  lookup plugins in $PATH: true\n\n- knit-hello : {f}  ({f})\n- knit-lazy : {l}  ({l})\n\nWARNINGS:\n  - {s} is ignored because it is shadowed by an equally named plugin: {f}\n  - {l} is not executable by current user\n",
        kd = knit_dir.display(),
        kn = s.config().join("kn").join("plugins").display(),
        f = first.display(),
        s = second.display(),
        l = lazy.display(),
    );
    assert_eq!(stdout(&out), expected);

    // Running the non-executable one says why instead of "unknown command".
    let out = s.knit(&["lazy"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "plugin {} is not executable by current user",
            lazy.display()
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn help_lists_plugins_of_each_level() {
    let s = Sandbox::new();
    let hello = s.plugin(&s.bin(), "knit-hello");
    let stats = s.plugin(&s.bin(), "knit-service-stats");
    // The section lists the last name part and the path, padded like the commands above it.
    let plugin_lines = |help: &str| -> Vec<Vec<String>> {
        help.split("Plugins:\n")
            .nth(1)
            .unwrap_or_default()
            .lines()
            .take_while(|l| !l.is_empty())
            .map(|l| l.split_whitespace().map(String::from).collect())
            .collect()
    };
    let root_help = stdout(&s.knit(&["--help"]));
    assert_eq!(
        plugin_lines(&root_help),
        [vec!["hello".to_string(), hello.display().to_string()]],
        "{root_help}"
    );
    let service_help = stdout(&s.knit(&["service", "--help"]));
    assert_eq!(
        plugin_lines(&service_help),
        [vec!["stats".to_string(), stats.display().to_string()]],
        "{service_help}"
    );
    // A plugin extending a built-in group runs.
    assert!(
        stdout(&s.knit(&["service", "stats", "-f"])).starts_with("knit-service-stats\narg:-f\n")
    );
}

#[test]
fn config_errors_name_file_line_and_key_and_nothing_is_written() {
    let s = Sandbox::new();
    let dir = s.config().join("knit");
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.yaml");
    fs::write(&file, "eventing:\n  sink-mappings:\n  - prefix: [svc]\n").unwrap();
    let out = s.knit(&["version"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(&format!(
            "Error: invalid config file '{}' at line 3, column 13, key 'eventing.sink-mappings[0].prefix': ",
            file.display()
        )),
        "{}",
        stderr(&out)
    );

    // No configuration anywhere: knit runs and creates nothing.
    let s = Sandbox::new();
    assert_eq!(s.knit(&["version"]).status.code(), Some(0));
    assert_eq!(fs::read_dir(s.config()).unwrap().count(), 0);
    assert_eq!(fs::read_dir(s.root.join("home")).unwrap().count(), 0);
    // An explicit --config that does not exist is an error, and is not created either.
    let missing = s.root.join("missing.yaml");
    let out = s.knit(&["--config", missing.to_str().unwrap(), "version"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with(&format!(
        "Error: cannot find config file '{}'",
        missing.display()
    )));
    assert!(!missing.exists());
}

#[test]
fn kn_config_file_is_used_when_knit_has_none() {
    let s = Sandbox::new();
    let custom = s.root.join("kn-plugins");
    s.plugin(&custom, "kn-fromkn");
    let dir = s.config().join("kn");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("config.yaml"),
        format!("plugins:\n  directory: {}\n", custom.display()),
    )
    .unwrap();
    assert!(stdout(&s.knit(&["fromkn"])).starts_with("kn-fromkn\n"));
}
