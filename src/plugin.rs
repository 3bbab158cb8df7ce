//! Plugins: discovery, resolution and execution of `knit-NAME` and `kn-NAME` executables
//! (kn-reference §10, with kn's known problems fixed).
//!
//! - A plugin is a file named `knit-…` or `kn-…` (so kn's plugins such as `kn-quickstart` work) in
//!   the plugin directories (config `plugins.directory`, default `~/.config/knit/plugins` then
//!   `~/.config/kn/plugins`) or on `$PATH`. `knit-source-kafka` is the command `knit source kafka`;
//!   underscores in file names are dashes in commands (`knit-log_all` is `knit log-all`).
//! - Search order: plugin directories first, then `$PATH` entries; within one directory `knit-`
//!   before `kn-`. The longest command name wins wherever it is found.
//! - Built-in commands always win and are never slowed down: plugins are only looked up when the
//!   command line names an unknown sub-command of a built-in group (or of the root). A plugin whose
//!   name is a built-in command can therefore never run; `plugin list` reports it as an error
//!   naming the file (a stray `kn-service` on `$PATH` no longer breaks `knit service`, unlike kn).
//! - The plugin gets the original arguments minus its own command words, the environment and the
//!   standard streams; on Unix knit `exec`s it, so its exit code (and signals) are the user's.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use clap::Command;

use crate::config::Config;
use crate::invocation::Invocation;

/// File name prefixes of plugins, in order of preference within one directory.
pub const PREFIXES: [&str; 2] = ["knit-", "kn-"];

/// Extensions that make a file executable on Windows (kn's list).
pub const WINDOWS_EXEC_EXTENSIONS: [&str; 5] = [".bat", ".cmd", ".com", ".exe", ".ps1"];

/// A plugin found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plugin {
    /// File name without a Windows executable extension, e.g. `knit-source-kafka`.
    pub name: String,
    pub path: PathBuf,
    /// Command words leading to it, e.g. `["source", "kafka"]`.
    pub command_parts: Vec<String>,
}

/// The directories plugins are looked up in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// Configured plugin directories, searched first.
    pub plugin_dirs: Vec<PathBuf>,
    /// Whether `$PATH` is searched too.
    pub lookup_in_path: bool,
    /// The `$PATH` entries (empty when not searched).
    pub path_dirs: Vec<PathBuf>,
}

/// Outcome of looking a command line up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(Plugin),
    /// Only files that cannot be executed match; the longest one is reported.
    NotExecutable(PathBuf),
    None,
}

/// A problem found while listing plugins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    OverwritesBuiltin { path: PathBuf, command: String },
    NotExecutable { path: PathBuf },
    Shadowed { path: PathBuf, by: PathBuf },
    NotAFile { path: PathBuf },
}

impl Problem {
    pub fn is_error(&self) -> bool {
        matches!(self, Problem::OverwritesBuiltin { .. })
    }

    /// kn's wording (`pkg/plugin/verify.go`, `pkg/commands/plugin/list.go`).
    pub fn message(&self) -> String {
        match self {
            Problem::OverwritesBuiltin { path, command } => format!(
                "{} overwrites existing built-in command: '{command}'",
                path.display()
            ),
            Problem::NotExecutable { path } if cfg!(windows) => format!(
                "{} is not executable as it does not have a Windows exec extension (one of {})",
                path.display(),
                WINDOWS_EXEC_EXTENSIONS.join(", ")
            ),
            Problem::NotExecutable { path } => {
                format!("{} is not executable by current user", path.display())
            }
            Problem::Shadowed { path, by } => format!(
                "{} is ignored because it is shadowed by an equally named plugin: {}",
                path.display(),
                by.display()
            ),
            Problem::NotAFile { path } => format!("{} is not a file", path.display()),
        }
    }
}

/// Every plugin that can run, plus what is wrong with the other candidates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Runnable plugins (first of each command name), sorted by name.
    pub plugins: Vec<Plugin>,
    pub problems: Vec<Problem>,
}

impl Search {
    /// The search for this configuration and the process's `$PATH`.
    pub fn new(config: &Config, path_env: Option<&OsStr>) -> Search {
        let path_dirs = match (config.lookup_plugins_in_path, path_env) {
            (true, Some(p)) => std::env::split_paths(p)
                .filter(|d| !d.as_os_str().is_empty())
                .collect(),
            _ => Vec::new(),
        };
        Search {
            plugin_dirs: config.plugin_dirs.clone(),
            lookup_in_path: config.lookup_plugins_in_path,
            path_dirs,
        }
    }

    /// All directories in search order, duplicates removed.
    pub fn dirs(&self) -> Vec<&Path> {
        let mut seen = Vec::new();
        for d in self.plugin_dirs.iter().chain(&self.path_dirs) {
            if !seen.contains(&d.as_path()) {
                seen.push(d.as_path());
            }
        }
        seen
    }

    /// The most specific plugin for `words` (the command words of the line), trying
    /// `words[..n]` for n from `words.len()` down to `min_len + 1`.
    pub fn find(&self, words: &[&str], min_len: usize) -> Lookup {
        // Words containing a path separator never name a plugin (kn stops there too).
        let usable = words
            .iter()
            .position(|w| w.contains('/') || w.contains(std::path::MAIN_SEPARATOR))
            .unwrap_or(words.len());
        let dirs = self.dirs();
        let mut not_executable = None;
        for n in (min_len + 1..=usable).rev() {
            let stem = words[..n]
                .iter()
                .map(|w| w.replace('-', "_"))
                .collect::<Vec<_>>()
                .join("-");
            for dir in &dirs {
                for prefix in PREFIXES {
                    for name in candidate_file_names(&format!("{prefix}{stem}")) {
                        let path = dir.join(&name);
                        if !path.is_file() {
                            continue;
                        }
                        if is_executable::is_executable(&path) {
                            return Lookup::Found(Plugin {
                                name: strip_exec_extension(&name).to_string(),
                                path,
                                command_parts: words[..n].iter().map(|w| w.to_string()).collect(),
                            });
                        }
                        not_executable.get_or_insert(path);
                    }
                }
            }
        }
        match not_executable {
            Some(path) => Lookup::NotExecutable(path),
            None => Lookup::None,
        }
    }

    /// Every plugin in the search directories, with kn's verification of the rest: files that
    /// are not executable, names shadowed by an earlier directory, entries that are not files,
    /// and plugins named like a built-in command of `root`.
    pub fn list(&self, root: &Command) -> Listing {
        let mut listing = Listing::default();
        // Command name → path of the plugin that owns it.
        let mut owners: BTreeMap<Vec<String>, PathBuf> = BTreeMap::new();
        for dir in self.dirs() {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut found: Vec<(Vec<String>, usize, String, PathBuf)> = entries
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let (rank, parts) = parse_file_name(&name)?;
                    Some((parts, rank, name, e.path()))
                })
                .collect();
            found.sort();
            for (parts, _, name, path) in found {
                if !path.is_file() {
                    listing.problems.push(Problem::NotAFile { path });
                    continue;
                }
                if let Some(by) = owners.get(&parts) {
                    listing.problems.push(Problem::Shadowed {
                        path,
                        by: by.clone(),
                    });
                    continue;
                }
                if !is_executable::is_executable(&path) {
                    listing
                        .problems
                        .push(Problem::NotExecutable { path: path.clone() });
                }
                owners.insert(parts.clone(), path.clone());
                listing.plugins.push(Plugin {
                    name: strip_exec_extension(&name).to_string(),
                    path,
                    command_parts: parts,
                });
            }
        }
        listing.plugins.sort_by(|a, b| a.name.cmp(&b.name));
        let mut errors: Vec<Problem> = listing
            .plugins
            .iter()
            .filter(|p| overwrites_builtin(root, &p.command_parts))
            .map(|p| Problem::OverwritesBuiltin {
                path: p.path.clone(),
                command: p.command_parts.join(" "),
            })
            .collect();
        errors.append(&mut listing.problems);
        listing.problems = errors;
        listing
    }

    /// Plugins directly below the command `group` (e.g. `["source"]`, or `[]` for the root) that
    /// can run, for the `Plugins:` section of help.
    pub fn list_below(&self, root: &Command, group: &[String]) -> Vec<Plugin> {
        self.list(root)
            .plugins
            .into_iter()
            .filter(|p| {
                p.command_parts.len() == group.len() + 1
                    && p.command_parts.starts_with(group)
                    && !overwrites_builtin(root, &p.command_parts)
            })
            .collect()
    }
}

/// Whether a plugin for `parts` would name a built-in command: a leaf command (with or without
/// arguments after it) or a group itself. Adding a new sub-command to a group is allowed.
pub fn overwrites_builtin(root: &Command, parts: &[String]) -> bool {
    let mut cmd = root;
    let mut matched = 0;
    for part in parts {
        match cmd.find_subcommand(part) {
            Some(sub) => {
                cmd = sub;
                matched += 1;
            }
            None => break,
        }
    }
    matched > 0 && (!cmd.has_subcommands() || matched == parts.len())
}

/// Prefix rank and command parts of a plugin file name, or None if it is not one.
fn parse_file_name(name: &str) -> Option<(usize, Vec<String>)> {
    let stem = strip_exec_extension(name);
    PREFIXES.iter().enumerate().find_map(|(rank, prefix)| {
        let rest = stem.strip_prefix(prefix)?;
        if rest.is_empty() {
            return None;
        }
        Some((rank, rest.split('-').map(|p| p.replace('_', "-")).collect()))
    })
}

fn candidate_file_names(base: &str) -> Vec<String> {
    let mut names = vec![base.to_string()];
    if cfg!(windows) {
        names.extend(WINDOWS_EXEC_EXTENSIONS.iter().map(|e| format!("{base}{e}")));
    }
    names
}

fn strip_exec_extension(name: &str) -> &str {
    if cfg!(windows) {
        for ext in WINDOWS_EXEC_EXTENSIONS {
            if let Some(stem) = name.strip_suffix(ext) {
                return stem;
            }
        }
    }
    name
}

/// Why a plugin could not be started.
#[derive(Debug)]
pub enum ExecError {
    NotExecutable(PathBuf),
    Spawn(PathBuf, std::io::Error),
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExecError::NotExecutable(path) => write!(
                f,
                "plugin {} is not executable by current user",
                path.display()
            ),
            ExecError::Spawn(path, err) => {
                write!(f, "cannot run plugin {}: {err}", path.display())
            }
        }
    }
}

impl std::error::Error for ExecError {}

/// The plugin the command line asks for, if any (see the module docs for when plugins are looked up).
pub fn resolve(search: &Search, invocation: &Invocation) -> Lookup {
    if !invocation.has_unknown_subcommand() {
        return Lookup::None;
    }
    let words: Vec<&str> = invocation.words.iter().map(|w| w.text.as_str()).collect();
    search.find(&words, invocation.command_path.len())
}

/// The arguments a plugin receives: the original ones without the program name and without the
/// words that named the plugin (by position, so a flag value equal to a word is kept).
pub fn plugin_args(args: &[OsString], invocation: &Invocation, plugin: &Plugin) -> Vec<OsString> {
    let drop: Vec<usize> = invocation
        .words
        .iter()
        .take(plugin.command_parts.len())
        .map(|w| w.index)
        .collect();
    args.iter()
        .enumerate()
        .skip(1)
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, a)| a.clone())
        .collect()
}

/// Run the plugin in place of knit. On Unix this only returns if the exec failed; elsewhere it
/// returns the plugin's exit code.
pub fn run(plugin: &Plugin, args: Vec<OsString>) -> Result<i32, ExecError> {
    let mut command = std::process::Command::new(&plugin.path);
    command.args(args);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let err = command.exec();
        Err(ExecError::Spawn(plugin.path.clone(), err))
    }
    #[cfg(not(unix))]
    {
        let status = command
            .status()
            .map_err(|e| ExecError::Spawn(plugin.path.clone(), e))?;
        Ok(status.code().unwrap_or(1))
    }
}

#[cfg(test)]
#[path = "plugin_tests.rs"]
mod tests;
