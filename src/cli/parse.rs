//! Parsing the command line: clap's matches into `Cli`, and clap's errors into kn's messages
//! (kn-reference §2.9), with "did you mean" suggestions.

use super::{Cli, command};
use crate::error::Result;

/// What parsing the command line produced.
pub enum Parsed {
    /// A command to run.
    Run(Box<Cli>),
    /// Help or similar was printed; exit with this code.
    Exit(u8),
}

/// Parses the command line, translating clap's errors into kn's messages (kn-reference §2.9).
pub fn parse(bin: &str, args: &[std::ffi::OsString]) -> Result<Parsed> {
    use clap::FromArgMatches;
    use clap::error::ErrorKind;

    let cmd = command();
    match cmd.clone().try_get_matches_from(args) {
        Ok(matches) => Cli::from_arg_matches(&matches)
            .map(|cli| Parsed::Run(Box::new(cli)))
            .map_err(|e| crate::error::Error::usage(clean_clap_message(&e))),
        Err(err) => match err.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                let _ = err.print();
                Ok(Parsed::Exit(crate::error::EXIT_OK))
            }
            _ => Err(translate_clap_error(bin, &cmd, args, &err)),
        },
    }
}

/// [`parse`] with the tree bootstrap built for this line (often [`command_for`]'s): a line it
/// parses runs as it would with the whole tree; anything else (help, an error) is parsed again
/// with the whole tree, so messages and help stay exactly the same.
pub fn parse_with(
    bin: &str,
    args: &[std::ffi::OsString],
    mut tree: clap::Command,
) -> Result<Parsed> {
    use clap::FromArgMatches;
    match tree.try_get_matches_from_mut(args) {
        Ok(matches) => match Cli::from_arg_matches(&matches) {
            Ok(cli) => Ok(Parsed::Run(Box::new(cli))),
            Err(_) => parse(bin, args),
        },
        Err(_) => parse(bin, args),
    }
}

/// The canonical names of the sub-commands selected by `args` (flags and their values skipped).
pub fn command_path(cmd: &clap::Command, args: &[std::ffi::OsString]) -> Vec<String> {
    let mut cmd = cmd.clone();
    cmd.build();
    let mut path = Vec::new();
    let mut current = &cmd;
    let mut words = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if let Some(flag) = word.strip_prefix("--") {
            if !flag.contains('=') && takes_value(current, |a| a.get_long() == Some(flag)) {
                words.next();
            }
            continue;
        }
        if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            if let Some(c) = shorts.chars().next()
                && shorts.len() == 1
                && takes_value(current, |a| a.get_short() == Some(c))
            {
                words.next();
            }
            continue;
        }
        match current.find_subcommand(&word) {
            Some(sub) => {
                path.push(sub.get_name().to_string());
                current = sub;
            }
            None => break,
        }
    }
    path
}

fn takes_value(cmd: &clap::Command, matcher: impl Fn(&clap::Arg) -> bool) -> bool {
    cmd.get_arguments().find(|a| matcher(a)).is_some_and(|a| {
        a.get_action().takes_values() && a.get_num_args().is_some_and(|n| n.min_values() > 0)
    })
}

fn clean_clap_message(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}

fn context_string(err: &clap::Error, kind: clap::error::ContextKind) -> Option<String> {
    use clap::error::ContextValue;
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        other => Some(other.to_string()),
    }
}

fn translate_clap_error(
    bin: &str,
    cmd: &clap::Command,
    args: &[std::ffi::OsString],
    err: &clap::Error,
) -> crate::error::Error {
    use crate::error::Error;
    use clap::error::{ContextKind, ErrorKind};

    let path = command_path(cmd, args);
    let joined = path.join(" ");
    let full = if joined.is_empty() {
        bin.to_string()
    } else {
        format!("{bin} {joined}")
    };
    let message = match err.kind() {
        ErrorKind::UnknownArgument => {
            let arg = context_string(err, ContextKind::InvalidArg).unwrap_or_default();
            let arg = arg.split('=').next().unwrap_or_default().to_string();
            let group = selected(cmd, &path).filter(|g| g.has_subcommands());
            if let Some(group) = group.filter(|_| !path.is_empty()) {
                // kn checks a group's first word before its flags: any word is a sub-command.
                format!(
                    "unknown sub-command '{arg}' for '{full}'. Available sub-commands: {}",
                    sub_command_names(group).join(", ")
                )
            } else if arg.starts_with('-') {
                format!("unknown flag: {arg} for '{full}'")
            } else {
                format!("accepts no arguments, got \"{arg}\" for '{full}'")
            }
        }
        ErrorKind::InvalidSubcommand => {
            let sub = context_string(err, ContextKind::InvalidSubcommand).unwrap_or_default();
            if path.is_empty() {
                let mut text = format!("unknown command \"{sub}\" for \"{bin}\"");
                let suggested = suggestions(cmd, &sub);
                if !suggested.is_empty() {
                    text.push_str("\n\nDid you mean this?\n");
                    for name in suggested {
                        text.push_str(&format!("\t{name}\n"));
                    }
                }
                text
            } else {
                let current = selected(cmd, &path).unwrap_or(cmd);
                format!(
                    "unknown sub-command '{sub}' for '{full}'. Available sub-commands: {}",
                    sub_command_names(current).join(", ")
                )
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let names = context_string(err, ContextKind::InvalidArg).unwrap_or_default();
            let mut flags: Vec<String> = names
                .split(", ")
                .map(|n| {
                    n.trim_start_matches('-')
                        .split([' ', '=', '<', '['])
                        .next()
                        .unwrap_or_default()
                        .to_string()
                })
                .map(|n| format!("\"{n}\""))
                .collect();
            // cobra names the missing flags in its sorted flag order.
            flags.sort();
            format!("required flag(s) {} not set", flags.join(", "))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = context_string(err, ContextKind::InvalidArg).unwrap_or_default();
            let flag = arg
                .split([' ', '=', '<', '['])
                .next()
                .unwrap_or_default()
                .to_string();
            let value = context_string(err, ContextKind::InvalidValue).unwrap_or_default();
            let valid = context_string(err, ContextKind::ValidValue).filter(|v| !v.is_empty());
            // clap reports a flag given without its value (`--image` at the end of the line) as an
            // invalid empty value; cobra, and so kn, says the flag needs an argument.
            // pflag names a shorthand as `'o' in -o`, and cobra adds the command.
            if value.is_empty() && valid.is_none() && std::error::Error::source(err).is_none() {
                let last = args.last().map(|a| a.to_string_lossy().into_owned());
                let named = match last.as_deref() {
                    Some(word) if !word.starts_with("--") && word.starts_with('-') => {
                        let c = word.chars().last().unwrap_or('-');
                        format!("'{c}' in -{c}")
                    }
                    _ => flag,
                };
                return Error::usage_in(
                    &joined,
                    format!("flag needs an argument: {named} for '{full}'"),
                );
            }
            let reason = match std::error::Error::source(err) {
                // pflag's integer flags fail in strconv, and cobra adds the command (kn §2.9).
                Some(source) if source.downcast_ref::<std::num::ParseIntError>().is_some() => {
                    let why = match source
                        .downcast_ref::<std::num::ParseIntError>()
                        .map(|e| e.kind())
                    {
                        Some(
                            std::num::IntErrorKind::PosOverflow
                            | std::num::IntErrorKind::NegOverflow,
                        ) => "value out of range",
                        _ => "invalid syntax",
                    };
                    format!("strconv.ParseInt: parsing \"{value}\": {why} for '{full}'")
                }
                Some(source) => source.to_string(),
                None => match valid {
                    Some(valid) => format!("accepted values: {valid}"),
                    None => clean_clap_message(err),
                },
            };
            format!("invalid argument \"{value}\" for \"{flag}\" flag: {reason}")
        }
        _ => clean_clap_message(err),
    };
    Error::usage_in(&joined, message)
}

/// The command `path` selects below `cmd`.
fn selected<'a>(cmd: &'a clap::Command, path: &[String]) -> Option<&'a clap::Command> {
    let mut current = cmd;
    for name in path {
        current = current.find_subcommand(name)?;
    }
    Some(current)
}

/// A group's visible sub-commands, sorted, as kn lists them in its errors.
fn sub_command_names(group: &clap::Command) -> Vec<&str> {
    let mut names: Vec<&str> = group
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| c.get_name())
        .collect();
    names.sort_unstable();
    names
}

/// cobra's "Did you mean this?" for an unknown command: the visible commands whose name is at
/// most 2 edits away from `typed` or starts with it (case-insensitive), in name order. clap's
/// own suggestions use another measure and also offer aliases.
pub(super) fn suggestions(cmd: &clap::Command, typed: &str) -> Vec<String> {
    let typed = typed.to_lowercase();
    let mut names: Vec<String> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| c.get_name().to_string())
        .filter(|name| {
            let name = name.to_lowercase();
            levenshtein(&typed, &name) <= 2 || name.starts_with(&typed)
        })
        .collect();
    names.sort();
    names
}

/// The edit distance between two strings (insertions, deletions, substitutions).
pub(super) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}
