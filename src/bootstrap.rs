//! What happens before clap parses a command line (kn-reference §1): load the configuration file
//! (`--config` is read from the raw arguments), run a plugin when the line names one, and print
//! kn-style help for `-h`/`--help`/`help`/a bare `knit`.

use std::ffi::OsString;

use crate::config::{Config, Locations};
use crate::error::{Error, Result};
use crate::invocation::Invocation;
use crate::plugin::{self, Lookup, Search};

/// How the run goes on after the bootstrap.
#[derive(Debug)]
pub enum Bootstrap {
    /// Parse and run a built-in command with this configuration, parsing with this tree
    /// ([`crate::cli::command_for`]: the named noun in full, the other nouns by name only).
    Run(Box<Config>, Box<clap::Command>),
    /// Everything was done (help printed, plugin finished); exit with this code.
    Exit(u8),
}

/// Bootstrap a run of knit invoked as `bin` with `args` (program name first).
pub fn bootstrap(bin: &str, args: &[OsString]) -> Result<Bootstrap> {
    // A line that runs one built-in command needs its noun only; help, a group (its words may
    // name a plugin or be an error that lists the group's commands) and `help` need the whole
    // tree, as their texts show every command.
    let mut root = crate::cli::command_for(args);
    root.build();
    let mut invocation = Invocation::scan(&root, args);
    let runs_one_command = !invocation.help
        && !invocation.selects_group
        && !invocation.command_path.is_empty()
        && invocation.command_path.first().map(String::as_str) != Some("help");
    if !runs_one_command {
        root = crate::cli::command();
        root.build();
        invocation = Invocation::scan(&root, args);
    }

    let config = Config::load(
        &Locations::from_env(),
        invocation.config.as_deref().map(std::path::Path::new),
        invocation.plugins_dir.as_deref().and_then(|d| d.to_str()),
    )
    .map_err(|e| Error::failed(e.to_string()))?;
    let search = Search::new(&config, std::env::var_os("PATH").as_deref());

    match plugin::resolve(&search, &invocation) {
        Lookup::Found(found) => {
            let plugin_args = plugin::plugin_args(args, &invocation, &found);
            let code =
                plugin::run(&found, plugin_args).map_err(|e| Error::failed(e.to_string()))?;
            return Ok(Bootstrap::Exit(u8::try_from(code).unwrap_or(1)));
        }
        Lookup::NotExecutable(path) => {
            return Err(Error::failed(
                plugin::ExecError::NotExecutable(path).to_string(),
            ));
        }
        Lookup::None => {}
    }

    // kn checks a group's leftover words before it looks at `--help`, so `knit --bogus --help`
    // is an error too.
    unknown_group_word(bin, &root, &invocation, args)?;

    if let Some(topic) = unknown_help_topic(&root, &invocation) {
        // cobra: the topic on stderr, then the root's usage (its help without the description).
        eprintln!("Unknown help topic [{topic}]");
        let text = crate::help::render(&root, &[], bin, &search.list_below(&root, &[]));
        let about = root
            .get_long_about()
            .or(root.get_about())
            .map(|s| s.to_string())
            .unwrap_or_default();
        print_stdout(text.strip_prefix(about.trim()).unwrap_or(&text))?;
        return Ok(Bootstrap::Exit(crate::error::EXIT_OK));
    }

    if let Some(path) = help_target(&invocation) {
        let (cmd, path) = crate::help::find(&root, &path);
        if path == ["options"] {
            // kn's `options` command is its own help: `kn options --help` lists the options too.
            let mut built = root.clone();
            built.build();
            print_stdout(&crate::help::render_options(&built))?;
            return Ok(Bootstrap::Exit(crate::error::EXIT_OK));
        }
        let plugins = if cmd.has_subcommands() {
            search.list_below(&root, &path)
        } else {
            Vec::new()
        };
        let text = crate::help::render(&root, &path, bin, &plugins);
        print_stdout(&text)?;
        return Ok(Bootstrap::Exit(crate::error::EXIT_OK));
    }
    Ok(Bootstrap::Run(Box::new(config), Box::new(root)))
}

/// The command whose help the line asks for: `-h`/`--help` anywhere, `knit help [command…]`, or a
/// bare `knit`.
fn help_target(invocation: &Invocation) -> Option<Vec<String>> {
    if invocation.help {
        return Some(invocation.command_path.clone());
    }
    if invocation.command_path.first().map(String::as_str) == Some("help") {
        return Some(
            invocation.words[1..]
                .iter()
                .map(|w| w.text.clone())
                .collect(),
        );
    }
    if invocation.words.is_empty() {
        return Some(Vec::new());
    }
    None
}

/// kn's check of a line that selects a group (the root, `service`, `source ping`, …): the words
/// left after the group's own names must be nothing but root flags (`--log-http`, `--config x`);
/// anything else (an unknown flag, a stray word, `--version`) is an unknown sub-command named by
/// the first leftover word, e.g. `unknown sub-command '--bogus' for 'knit'`. A first word at the
/// root that is no command is left to clap (`unknown command "bogus" for "knit"`).
fn unknown_group_word(
    bin: &str,
    root: &clap::Command,
    invocation: &Invocation,
    args: &[OsString],
) -> Result<()> {
    let path = &invocation.command_path;
    let stray_root_word = path.is_empty() && !invocation.words.is_empty();
    if !invocation.selects_group
        || stray_root_word
        || path.first().map(String::as_str) == Some("help")
    {
        return Ok(());
    }
    let names: Vec<usize> = invocation.words[..path.len()]
        .iter()
        .map(|w| w.index)
        .collect();
    let inner: Vec<String> = args
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(i, _)| !names.contains(i))
        .map(|(_, a)| a.to_string_lossy().into_owned())
        .collect();
    let Some(first) = inner.first() else {
        return Ok(());
    };
    if only_root_flags(root, &inner) {
        return Ok(());
    }
    let mut group = root;
    for name in path {
        if let Some(sub) = group.find_subcommand(name) {
            group = sub;
        }
    }
    let mut subs: Vec<&str> = group
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| c.get_name())
        .collect();
    subs.sort_unstable();
    let joined = path.join(" ");
    let full = if joined.is_empty() {
        bin.to_string()
    } else {
        format!("{bin} {joined}")
    };
    Err(Error::usage_in(
        &joined,
        format!(
            "unknown sub-command '{first}' for '{full}'. Available sub-commands: {}",
            subs.join(", ")
        ),
    ))
}

/// Whether `words` parse as root flags alone, by pflag's rules (`-h`/`--help` are left out, as kn
/// strips them first): no positional word, no unknown flag, no flag missing its value.
fn only_root_flags(root: &clap::Command, words: &[String]) -> bool {
    let flags: Vec<&clap::Arg> = root.get_arguments().filter(|a| a.is_global_set()).collect();
    let takes_value = |a: &clap::Arg| {
        a.get_action().takes_values() && a.get_num_args().is_none_or(|n| n.min_values() > 0)
    };
    let mut words = words.iter().filter(|w| *w != "-h" && *w != "--help");
    while let Some(word) = words.next() {
        if word == "--" {
            return words.next().is_none();
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, _)) => (n, true),
                None => (long, false),
            };
            let Some(flag) = flags.iter().find(|a| a.get_long() == Some(name)) else {
                return false;
            };
            if takes_value(flag) && !inline && words.next().is_none() {
                return false;
            }
            continue;
        }
        let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) else {
            return false;
        };
        let mut chars = shorts.chars();
        while let Some(c) = chars.next() {
            let Some(flag) = flags.iter().find(|a| a.get_short() == Some(c)) else {
                return false;
            };
            if takes_value(flag) {
                if chars.as_str().is_empty() && words.next().is_none() {
                    return false;
                }
                break;
            }
        }
    }
    true
}

/// `knit help WORD…` whose first word is no command: the words as Go's `%#q` prints them.
fn unknown_help_topic(root: &clap::Command, invocation: &Invocation) -> Option<String> {
    if invocation.help || invocation.command_path.first().map(String::as_str) != Some("help") {
        return None;
    }
    let words: Vec<&str> = invocation.words[1..]
        .iter()
        .map(|w| w.text.as_str())
        .collect();
    let first = words.first()?;
    if root.find_subcommand(first).is_some() {
        return None;
    }
    Some(
        words
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn print_stdout(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // A closed pipe (`knit --help | head -1`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    Ok(())
}
