//! `--help` of every command, snapshotted. The command tree is walked, so commands added later are
//! covered automatically: a new command fails here until its snapshot is accepted
//! (`INSTA_UPDATE=always cargo test --test it help::`, then review `git diff tests/it/snapshots`), and a
//! snapshot of a command that no longer exists fails too.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    out.push(prefix.to_vec());
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_string());
        paths(sub, &path, out);
    }
}

fn snapshot_name(path: &[String]) -> String {
    std::iter::once("knit".to_string())
        .chain(path.iter().cloned())
        .collect::<Vec<_>>()
        .join("-")
}

fn all_paths() -> (clap::Command, Vec<Vec<String>>) {
    let mut root = knit::cli::command();
    root.build();
    let mut all = Vec::new();
    paths(&root, &[], &mut all);
    (root, all)
}

#[test]
fn help_of_every_command() {
    let (root, all) = all_paths();
    println!(
        "if a command was added or changed on purpose, accept the new help with: \
         INSTA_UPDATE=always cargo test --test it help:: (then review git diff tests/it/snapshots)"
    );
    for path in &all {
        let text = knit::help::render(&root, path, "knit", &[]);
        insta::assert_snapshot!(snapshot_name(path), text);
    }
}

#[test]
fn every_help_snapshot_belongs_to_a_command() {
    let (_, all) = all_paths();
    let wanted: BTreeSet<String> = all
        .iter()
        .map(|p| format!("it__help__{}.snap", snapshot_name(p)))
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("it__help__knit") && n.ends_with(".snap") && !wanted.contains(n))
        .collect();
    assert!(
        stale.is_empty(),
        "snapshots of commands that no longer exist: {stale:?}; delete them"
    );
}

#[test]
fn the_binary_prints_the_same_help_for_flags_and_help_command() {
    let (root, _) = all_paths();
    let expected = knit::help::render(
        &root,
        &["service".to_string(), "list".to_string()],
        "knit",
        &[],
    );
    let empty = tempfile::tempdir().unwrap();
    for args in [
        &["service", "list", "--help"][..],
        &["ksvc", "ls", "-h"],
        &["help", "service", "list"],
        &["--context", "x", "service", "list", "-o", "json", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_knit"))
            .args(args)
            .env("PATH", empty.path())
            .env("XDG_CONFIG_HOME", empty.path())
            .env("HOME", empty.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected, "{args:?}");
    }
    // A bare `knit` prints the root help.
    let out = Command::new(env!("CARGO_BIN_EXE_knit"))
        .env("PATH", empty.path())
        .env("XDG_CONFIG_HOME", empty.path())
        .env("HOME", empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        knit::help::render(&root, &[], "knit", &[])
    );
}

#[test]
fn options_lists_the_global_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_knit"))
        .args(["options", "--ignored-like-kn"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("options", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn version_as_json_and_yaml() {
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_knit"))
            .args(["version", "-o", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["Version"], format!("v{}", env!("CARGO_PKG_VERSION")));
    assert_eq!(
        json["SupportedAPIs"]["serving"][0],
        "serving.knative.dev/v1"
    );
    let yaml = run("yaml");
    assert!(yaml.starts_with("BuildDate: "), "{yaml}");
    assert!(
        yaml.ends_with(&format!("Version: v{}\n", env!("CARGO_PKG_VERSION"))),
        "{yaml}"
    );
}
