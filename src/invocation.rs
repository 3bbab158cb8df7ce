//! What a raw command line asks for, worked out before clap parses it: the command words, how many
//! of them name built-in commands, whether help was asked for, and the bootstrap flags (`--config`,
//! `--plugins-dir`) that must be known before anything else runs (kn-reference §1 steps 1 and 4).
//!
//! The scan walks the clap command tree, so flags that take a value (`--context x`) are skipped
//! together with their value, wherever they appear. Flags the tree does not know (a plugin's own)
//! follow pflag's rule, as kn's flag stripping does: `--flag value` takes the next word as its
//! value unless it starts with `-`.

use std::ffi::{OsStr, OsString};

use clap::Command;

/// One non-flag word of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Index in the full argument list (0 is the program name).
    pub index: usize,
    pub text: String,
}

/// The result of scanning a command line against the built-in command tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invocation {
    /// Non-flag words before any `--`, in order.
    pub words: Vec<Word>,
    /// Canonical names of the built-in (sub)commands the leading words select, e.g. `["service", "list"]`
    /// for `knit ksvc ls`.
    pub command_path: Vec<String>,
    /// Whether the selected command has sub-commands of its own (a group, or the root).
    pub selects_group: bool,
    /// `-h`/`--help` appeared before `--`.
    pub help: bool,
    /// Value of `--config`, if given.
    pub config: Option<OsString>,
    /// Value of the hidden `--plugins-dir`, if given.
    pub plugins_dir: Option<OsString>,
}

impl Invocation {
    /// Scan `args` (program name first) against `root`, which must have been built
    /// (`Command::build`) so that global flags are visible on every sub-command.
    pub fn scan(root: &Command, args: &[OsString]) -> Invocation {
        let mut inv = Invocation {
            selects_group: true,
            ..Invocation::default()
        };
        let mut cmd = root;
        // Once a word is not a sub-command, later words are arguments, not command names.
        let mut descending = true;
        let mut i = 1;
        while i < args.len() {
            let arg = args[i].to_string_lossy();
            if arg == "--" {
                break;
            }
            if let Some(long) = arg.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (long, None),
                };
                let value = match find_long(cmd, name) {
                    Some(a) => {
                        if takes_value(a) && inline.is_none() && !optional_value(a) {
                            i += 1;
                            args.get(i).map(|v| v.to_string_lossy().into_owned())
                        } else {
                            inline
                        }
                    }
                    None => {
                        if inline.is_none() && next_is_value(args, i) {
                            i += 1;
                        }
                        inline
                    }
                };
                match name {
                    "help" => inv.help = true,
                    "config" => inv.config = value.map(OsString::from),
                    "plugins-dir" => inv.plugins_dir = value.map(OsString::from),
                    _ => {}
                }
            } else if arg.len() > 1 && arg.starts_with('-') {
                let shorts: Vec<char> = arg[1..].chars().collect();
                for (pos, c) in shorts.iter().enumerate() {
                    if *c == 'h' {
                        inv.help = true;
                    }
                    let rest_len = shorts.len() - pos - 1;
                    match find_short(cmd, *c) {
                        Some(a) if takes_value(a) => {
                            if rest_len == 0 && !optional_value(a) {
                                i += 1;
                            }
                            break;
                        }
                        Some(_) => {}
                        None => {
                            if rest_len == 0 && shorts.len() == 1 && next_is_value(args, i) {
                                i += 1;
                            }
                            if rest_len == 0 || shorts.len() == 1 {
                                break;
                            }
                        }
                    }
                }
            } else {
                let text = arg.into_owned();
                if descending {
                    match cmd.find_subcommand(&text) {
                        Some(sub) => {
                            inv.command_path.push(sub.get_name().to_string());
                            inv.selects_group = sub.has_subcommands();
                            cmd = sub;
                        }
                        None => descending = false,
                    }
                }
                inv.words.push(Word { index: i, text });
            }
            i += 1;
        }
        inv
    }

    /// The words after the built-in command path: unknown sub-commands or positional arguments.
    pub fn rest(&self) -> &[Word] {
        &self.words[self.command_path.len().min(self.words.len())..]
    }

    /// Whether the line names an unknown sub-command of a built-in group (or of the root):
    /// only then can a plugin be what the user means.
    pub fn has_unknown_subcommand(&self) -> bool {
        self.selects_group && !self.rest().is_empty()
    }
}

fn find_long<'a>(cmd: &'a Command, name: &str) -> Option<&'a clap::Arg> {
    cmd.get_arguments().find(|a| {
        a.get_long() == Some(name)
            || a.get_all_aliases()
                .is_some_and(|aliases| aliases.contains(&name))
    })
}

fn find_short(cmd: &Command, c: char) -> Option<&clap::Arg> {
    cmd.get_arguments().find(|a| {
        a.get_short() == Some(c)
            || a.get_all_short_aliases()
                .is_some_and(|aliases| aliases.contains(&c))
    })
}

fn takes_value(arg: &clap::Arg) -> bool {
    arg.get_action().takes_values() && arg.get_num_args().is_none_or(|n| n.takes_values())
}

// `--flag[=value]`: the value, when present, must be attached.
fn optional_value(arg: &clap::Arg) -> bool {
    arg.get_num_args().is_some_and(|n| n.min_values() == 0)
}

// pflag's rule for unknown flags: the next argument is their value unless it looks like a flag.
fn next_is_value(args: &[OsString], i: usize) -> bool {
    args.get(i + 1)
        .is_some_and(|next| !next.to_string_lossy().starts_with('-'))
}

/// The program name as invoked (`basename(argv[0])`), used in help texts and hints.
pub fn program_name(argv0: Option<&OsStr>) -> String {
    argv0
        .and_then(|a| std::path::Path::new(a).file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "knit".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, ArgAction};

    fn tree() -> Command {
        let mut cmd = Command::new("knit")
            .arg(Arg::new("context").long("context").global(true))
            .arg(Arg::new("config").long("config").global(true))
            .arg(
                Arg::new("plugins-dir")
                    .long("plugins-dir")
                    .global(true)
                    .hide(true),
            )
            .subcommand(
                Command::new("service").visible_alias("ksvc").subcommand(
                    Command::new("list")
                        .alias("ls")
                        .arg(Arg::new("namespace").short('n').long("namespace"))
                        .arg(Arg::new("all").short('A').action(ArgAction::SetTrue))
                        .arg(Arg::new("name")),
                ),
            )
            .subcommand(Command::new("source").subcommand(Command::new("ping")));
        cmd.build();
        cmd
    }

    fn scan(line: &str) -> Invocation {
        let args: Vec<OsString> = line.split_whitespace().map(OsString::from).collect();
        Invocation::scan(&tree(), &args)
    }

    fn words(inv: &Invocation) -> Vec<&str> {
        inv.words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn global_flags_and_their_values_are_skipped_anywhere() {
        let inv = scan("knit --context x ksvc ls -n ns foo --config=/c.yaml -A");
        assert_eq!(words(&inv), ["ksvc", "ls", "foo"]);
        assert_eq!(inv.command_path, ["service", "list"]);
        assert!(!inv.selects_group);
        assert!(!inv.has_unknown_subcommand());
        assert_eq!(inv.config, Some(OsString::from("/c.yaml")));
        assert_eq!(inv.words[2].index, 7);
    }

    #[test]
    fn attached_short_values_and_clusters() {
        let inv = scan("knit service list -Anns foo");
        assert_eq!(words(&inv), ["service", "list", "foo"]);
        let inv = scan("knit service list -nns foo");
        assert_eq!(words(&inv), ["service", "list", "foo"]);
    }

    #[test]
    fn unknown_subcommands_are_reported_for_plugin_lookup() {
        let inv = scan("knit source kafka --bootstrap b create k1");
        assert_eq!(words(&inv), ["source", "kafka", "create", "k1"]);
        assert_eq!(inv.command_path, ["source"]);
        assert!(inv.has_unknown_subcommand());
        assert_eq!(
            inv.rest()
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>(),
            ["kafka", "create", "k1"]
        );
        let inv = scan("knit hello --plugins-dir /p world");
        assert_eq!(inv.command_path, Vec::<String>::new());
        assert!(inv.has_unknown_subcommand());
        assert_eq!(inv.plugins_dir, Some(OsString::from("/p")));
    }

    #[test]
    fn unknown_flags_take_a_following_word_like_pflag() {
        let inv = scan("knit hello --verbose --name x world -- after");
        assert_eq!(words(&inv), ["hello", "world"]);
    }

    #[test]
    fn help_is_detected_before_the_separator_only() {
        assert!(scan("knit service -h").help);
        assert!(scan("knit service list --help").help);
        assert!(scan("knit service list -Ah").help);
        assert!(!scan("knit hello -- --help").help);
    }

    #[test]
    fn program_name_is_the_basename() {
        assert_eq!(program_name(Some(OsStr::new("/usr/bin/kn"))), "kn");
        assert_eq!(program_name(None), "knit");
    }
}
