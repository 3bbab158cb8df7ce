//! Tests of plugin discovery, resolution and exec.

use super::*;
use std::fs;

fn root() -> Command {
    let mut cmd = Command::new("knit")
        .subcommand(
            Command::new("service")
                .visible_alias("ksvc")
                .subcommand(Command::new("create"))
                .subcommand(Command::new("list").alias("ls")),
        )
        .subcommand(Command::new("source").subcommand(Command::new("ping")))
        .subcommand(Command::new("version"));
    cmd.build();
    cmd
}

#[cfg(unix)]
fn write(dir: &Path, name: &str, executable: bool) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, "#!/bin/sh\n").unwrap();
    let mode = if executable { 0o755 } else { 0o644 };
    fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    path
}

fn search(plugin_dir: &Path, path_dirs: &[&Path]) -> Search {
    Search {
        plugin_dirs: vec![plugin_dir.to_path_buf()],
        lookup_in_path: true,
        path_dirs: path_dirs.iter().map(|p| p.to_path_buf()).collect(),
    }
}

#[test]
fn file_names_map_to_commands() {
    assert_eq!(
        parse_file_name("knit-source-kafka"),
        Some((0, vec!["source".to_string(), "kafka".to_string()]))
    );
    assert_eq!(
        parse_file_name("kn-log_all"),
        Some((1, vec!["log-all".to_string()]))
    );
    assert_eq!(parse_file_name("kn-"), None);
    assert_eq!(parse_file_name("knitting"), None);
    assert_eq!(parse_file_name("kubectl-foo"), None);
}

#[test]
fn builtin_overwrite_rules() {
    let root = root();
    let p = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    assert!(overwrites_builtin(&root, &p("service")));
    assert!(overwrites_builtin(&root, &p("ksvc")));
    assert!(overwrites_builtin(&root, &p("service create")));
    assert!(overwrites_builtin(&root, &p("service create extra")));
    assert!(overwrites_builtin(&root, &p("version")));
    assert!(!overwrites_builtin(&root, &p("service log")));
    assert!(!overwrites_builtin(&root, &p("source kafka")));
    assert!(!overwrites_builtin(&root, &p("hello")));
}

#[cfg(unix)]
#[test]
fn longest_name_wins_over_directory_order() {
    let tmp = tempfile::tempdir().unwrap();
    let (pdir, bin) = (tmp.path().join("plugins"), tmp.path().join("bin"));
    write(&pdir, "knit-source", true);
    let long = write(&bin, "kn-source-kafka", true);
    let s = search(&pdir, &[&bin]);
    let Lookup::Found(p) = s.find(&["source", "kafka", "create"], 1) else {
        panic!()
    };
    assert_eq!(p.path, long);
    assert_eq!(p.command_parts, ["source", "kafka"]);
    assert_eq!(p.name, "kn-source-kafka");
}

#[cfg(unix)]
#[test]
fn plugin_dir_before_path_and_knit_before_kn() {
    let tmp = tempfile::tempdir().unwrap();
    let (pdir, bin) = (tmp.path().join("plugins"), tmp.path().join("bin"));
    write(&bin, "knit-hello", true);
    let in_dir = write(&pdir, "kn-hello", true);
    let s = search(&pdir, &[&bin]);
    assert!(matches!(s.find(&["hello"], 0), Lookup::Found(p) if p.path == in_dir));
    let knit = write(&pdir, "knit-hello", true);
    assert!(matches!(s.find(&["hello"], 0), Lookup::Found(p) if p.path == knit));
}

#[cfg(unix)]
#[test]
fn dashes_in_commands_are_underscores_in_files() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "knit-log_all", true);
    let s = search(tmp.path(), &[]);
    assert!(matches!(s.find(&["log-all"], 0), Lookup::Found(p) if p.path == f));
}

#[cfg(unix)]
#[test]
fn minimum_length_and_path_separators_limit_the_search() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "knit-source", true);
    let s = search(tmp.path(), &[]);
    // `source` is a built-in group: only longer names may be plugins.
    assert_eq!(s.find(&["source", "kafka"], 1), Lookup::None);
    assert_eq!(s.find(&["a/b"], 0), Lookup::None);
}

#[cfg(unix)]
#[test]
fn non_executable_matches_are_reported_not_run() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "knit-hello", false);
    let s = search(tmp.path(), &[]);
    assert_eq!(s.find(&["hello"], 0), Lookup::NotExecutable(f));
}

#[cfg(unix)]
#[test]
fn listing_verifies_like_kn() {
    let tmp = tempfile::tempdir().unwrap();
    let (pdir, bin) = (tmp.path().join("plugins"), tmp.path().join("bin"));
    let hello = write(&pdir, "knit-hello", true);
    let shadowed = write(&bin, "kn-hello", true);
    let svc = write(&bin, "kn-service", true);
    let lazy = write(&bin, "knit-lazy", false);
    let kafka = write(&bin, "knit-source-kafka", true);
    fs::create_dir_all(bin.join("kn-dir")).unwrap();
    write(&bin, "other-tool", true);
    let s = search(&pdir, &[&bin, &pdir]);
    let listing = s.list(&root());
    let names: Vec<_> = listing.plugins.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["kn-service", "knit-hello", "knit-lazy", "knit-source-kafka"]
    );
    assert_eq!(
        listing.problems,
        vec![
            Problem::OverwritesBuiltin {
                path: svc.clone(),
                command: "service".into()
            },
            Problem::NotAFile {
                path: bin.join("kn-dir")
            },
            Problem::Shadowed {
                path: shadowed,
                by: hello.clone()
            },
            Problem::NotExecutable { path: lazy },
        ]
    );
    let below_root: Vec<_> = s
        .list_below(&root(), &[])
        .into_iter()
        .map(|p| p.path)
        .collect();
    assert_eq!(below_root, [hello, bin.join("knit-lazy")]);
    let below_source: Vec<_> = s
        .list_below(&root(), &["source".to_string()])
        .into_iter()
        .map(|p| p.path)
        .collect();
    assert_eq!(below_source, [kafka]);
}

#[test]
fn plugin_args_drop_exactly_the_command_words() {
    let mut cmd = Command::new("knit")
        .arg(clap::Arg::new("context").long("context").global(true))
        .subcommand(Command::new("source").subcommand(Command::new("ping")));
    cmd.build();
    let args: Vec<OsString> = "knit --context source source kafka create source"
        .split(' ')
        .map(OsString::from)
        .collect();
    let inv = Invocation::scan(&cmd, &args);
    let plugin = Plugin {
        name: "knit-source-kafka".into(),
        path: PathBuf::from("/p"),
        command_parts: vec!["source".into(), "kafka".into()],
    };
    assert_eq!(
        plugin_args(&args, &inv, &plugin),
        ["--context", "source", "create", "source"]
    );
}
