//! The generated files checked into the repository: shell completion scripts (`completions/`) and
//! man pages (`man/`), both derived from the clap command tree. `cargo run --example gen-assets`
//! rewrites them; `tests/it/assets.rs` fails when they are out of date.

use std::path::{Path, PathBuf};

/// Directory of the completion scripts, relative to the repository root.
pub const COMPLETIONS_DIR: &str = "completions";
/// Directory of the man pages, relative to the repository root.
pub const MAN_DIR: &str = "man";
/// The command that regenerates both.
pub const REGENERATE: &str = "cargo run --example gen-assets";

/// Every generated file: (path relative to the repository root, contents).
pub fn expected() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for shell in crate::completion::SHELLS {
        if let (Some(name), Some(script)) = (
            crate::completion::script_file_name(shell),
            crate::completion::registration_script(shell, "knit"),
        ) {
            files.push((Path::new(COMPLETIONS_DIR).join(name), script));
        }
    }
    for (name, page) in crate::manpages::render_all(&crate::cli::command()) {
        files.push((Path::new(MAN_DIR).join(name), page));
    }
    files
}

/// Rewrite the generated files under `root`, removing stale ones; returns the paths written.
pub fn write_all(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let files = expected();
    for dir in [COMPLETIONS_DIR, MAN_DIR] {
        let dir = root.join(dir);
        if dir.exists() {
            for entry in std::fs::read_dir(&dir)? {
                let path = entry?.path();
                if path.is_file() {
                    std::fs::remove_file(path)?;
                }
            }
        }
        std::fs::create_dir_all(dir)?;
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = root.join(&rel);
        std::fs::write(&path, text)?;
        written.push(rel);
    }
    Ok(written)
}
