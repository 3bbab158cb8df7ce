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
        // Piped help (no terminal width): kn's layout.
        let text = knit::help::render_at(&root, path, "knit", &[], None);
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
    let expected = knit::help::render_at(
        &root,
        &["service".to_string(), "list".to_string()],
        "knit",
        &[],
        None,
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
        knit::help::render_at(&root, &[], "knit", &[], None)
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

#[test]
fn version_alone_takes_the_short_path_with_the_same_answers() {
    // `knit version` alone is answered before the runtime and the command tree exist; `knit
    // version -o ''` (an empty format is the plain layout) goes the whole way.
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_knit"))
            .args(args)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let short = run(&["version"]);
    assert_eq!(
        short,
        (
            Some(0),
            knit::commands::version::VersionInfo::current().plain(),
            String::new()
        )
    );
    assert_eq!(run(&["version", "-o", ""]), short);
    // A broken configuration file fails both paths alike.
    let dir = home.path().join("kn");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.yaml"), "plugins: [unclosed\n").unwrap();
    let broken = run(&["version"]);
    assert_eq!(broken.0, Some(1), "{broken:?}");
    assert!(broken.2.starts_with("Error: "), "{broken:?}");
    assert!(broken.2.contains("config.yaml"), "{broken:?}");
    assert_eq!(broken.1, "");
    assert_eq!(run(&["version", "-o", ""]), broken);
}

/// `knit ARGS` with its stdout on a real pseudo-terminal `cols` columns wide (issue 17: help fits
/// the terminal). `None` where no pseudo-terminal can be opened.
#[cfg(unix)]
fn on_terminal(args: &[&str], cols: u16) -> Option<String> {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    use rustix::termios::{Winsize, tcsetwinsize};
    use std::io::Read as _;
    use std::process::Stdio;

    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).ok()?;
    grantpt(&master).ok()?;
    unlockpt(&master).ok()?;
    let name = ptsname(&master, Vec::new()).ok()?;
    let terminal = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().ok()?)
        .ok()?;
    let size = Winsize {
        ws_row: 24,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    tcsetwinsize(&terminal, size).expect("set the terminal's size");
    let empty = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_knit"))
        .args(args)
        .env_clear()
        .env("PATH", empty.path())
        .env("XDG_CONFIG_HOME", empty.path())
        .env("HOME", empty.path())
        .stdin(Stdio::null())
        .stdout(terminal)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read while the child writes (the terminal's buffer is small); the read ends with EIO once
    // the child, the last holder of the terminal side, has exited.
    let mut master = std::fs::File::from(master);
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&buf[..n]);
        }
        bytes
    });
    let status = child.wait().unwrap();
    assert!(status.success(), "knit {args:?} exited {status}");
    let bytes = reader.join().unwrap();
    // The terminal turns each newline into CR LF.
    Some(String::from_utf8(bytes).unwrap().replace("\r\n", "\n"))
}

#[cfg(unix)]
#[test]
fn help_on_an_80_column_terminal_fits_it() {
    let Some(text) = on_terminal(&["service", "create", "--help"], 80) else {
        crate::common::tool_available("a pseudo-terminal", false);
        return;
    };
    let wide: Vec<&str> = text.lines().filter(|l| l.chars().count() > 80).collect();
    assert!(wide.is_empty(), "lines wider than 80 columns: {wide:#?}");
    // Every flag and example is still there, only wrapped.
    let (root, _) = all_paths();
    let piped = knit::help::render_at(
        &root,
        &["service".to_string(), "create".to_string()],
        "knit",
        &[],
        None,
    );
    assert_ne!(text, piped);
    insta::assert_snapshot!("service-create-help-80-columns", text);
    // Wrapping only adds line breaks, indentation, `# ` to continued comments and ` \\` to
    // continued commands.
    let joined = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace() && *c != '#' && *c != '\\')
            .collect()
    };
    assert_eq!(joined(&text), joined(&piped));
}

#[test]
fn piped_help_is_not_wrapped() {
    let out = Command::new(env!("CARGO_BIN_EXE_knit"))
        .args(["service", "create", "--help"])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let (root, _) = all_paths();
    let piped = knit::help::render_at(
        &root,
        &["service".to_string(), "create".to_string()],
        "knit",
        &[],
        None,
    );
    assert_eq!(text, piped);
    // kn's layout: one line per flag, however long.
    assert!(
        text.lines()
            .any(|l| l.starts_with("      --node-affinity strings") && l.len() > 300),
        "{text}"
    );
}
