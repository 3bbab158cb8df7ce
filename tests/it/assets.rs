//! The checked-in generated files (completions/, man/) match what the current command tree
//! produces, the man pages render without warnings, and the completion scripts load in real
//! shells. Regenerate with `cargo run --example gen-assets`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether `tool` is on PATH (a missing one skips the test, or fails it in CI).
fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    crate::common::tool_available(tool, found)
}

#[test]
fn generated_files_are_up_to_date() {
    let root = repo();
    let expected = knit::assets::expected();
    let mut problems = Vec::new();
    for (rel, text) in &expected {
        match std::fs::read_to_string(root.join(rel)) {
            Ok(on_disk) if on_disk == *text => {}
            Ok(_) => problems.push(format!("{} is out of date", rel.display())),
            Err(_) => problems.push(format!("{} is missing", rel.display())),
        }
    }
    let wanted: BTreeSet<&Path> = expected.iter().map(|(p, _)| p.as_path()).collect();
    for dir in [knit::assets::COMPLETIONS_DIR, knit::assets::MAN_DIR] {
        for entry in std::fs::read_dir(root.join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let rel = Path::new(dir).join(entry.file_name());
            if !wanted.contains(rel.as_path()) {
                problems.push(format!("{} is stale (no such command)", rel.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "generated files differ from the command tree:\n  {}\nregenerate them with `{}`",
        problems.join("\n  "),
        knit::assets::REGENERATE
    );
}

#[test]
fn man_pages_render_without_warnings() {
    if !have("man") {
        return;
    }
    let pages: Vec<PathBuf> = std::fs::read_dir(repo().join("man"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(pages.len() > 5, "expected one page per command");
    for page in pages {
        let out = Command::new("man")
            .args(["--warnings", "-E", "UTF-8", "-l"])
            .arg(&page)
            .env("MANWIDTH", "80")
            .env_remove("MAN_KEEP_FORMATTING")
            .env("MANPAGER", "cat")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", page.display());
        assert_eq!(stderr, "", "{}", page.display());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("NAME"), "{}", page.display());
    }
}

#[test]
fn bash_loads_the_script_and_completes_through_knit() {
    if !have("bash") {
        return;
    }
    let script = repo().join("completions/knit.bash");
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("source {}; complete -p knit", script.display()))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "complete -o bashdefault -o nosort -o nospace -F _clap_complete_knit knit\n"
    );

    // Drive the completion function the way bash does for `knit ser<TAB>` and `knit service l<TAB>`,
    // with the built binary first on PATH.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_knit"))
        .parent()
        .unwrap()
        .to_path_buf();
    let complete = |words: &[&str]| -> String {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let cword = words.len() - 1;
        let program = format!(
            "source {script}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; \
             COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_TYPE=9; \
             _clap_complete_knit knit '{cur}' '{prev}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script = script.display(),
            line = words.join(" "),
            words = quoted.join(" "),
            cur = words[cword],
            prev = words[cword - 1],
        );
        let out = Command::new("bash")
            .arg("-c")
            .arg(program)
            .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
            .env("HOME", std::env::temp_dir())
            .env(
                "XDG_CONFIG_HOME",
                std::env::temp_dir().join("knit-no-config"),
            )
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(complete(&["knit", "ser"]), "service\n");
    assert_eq!(complete(&["knit", "service", "l"]), "list\nlogs\n");
    assert!(complete(&["knit", "version", "--o"]).contains("--output"));
}

#[test]
fn zsh_loads_the_script_when_sourced_directly() {
    if !have("zsh") {
        return;
    }
    let script = repo().join("completions/_knit");
    let out = Command::new("zsh")
        .args(["-f", "-c"])
        .arg(format!(
            "autoload -U compinit && compinit -u -D && source {} && print -r -- ${{_comps[knit]}}",
            script.display()
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "_clap_dynamic_completer_knit\n"
    );
}

#[test]
fn completion_command_prints_the_checked_in_scripts() {
    for shell in knit::completion::SHELLS {
        let out = Command::new(env!("CARGO_BIN_EXE_knit"))
            .args(["completion", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        let file = knit::completion::script_file_name(shell).unwrap();
        let on_disk = std::fs::read_to_string(repo().join("completions").join(file)).unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), on_disk, "{shell}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_knit"))
        .args(["completion", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(
        "Error: 'bash', 'elvish', 'fish', 'powershell' or 'zsh' shell completion is supported\n"
    ));
}
