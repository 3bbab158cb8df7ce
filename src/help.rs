//! kn-style help texts (kn-reference §2.8) rendered from the clap command tree, and the flag list
//! of `knit options` (§7.4).
//!
//! Layout: description, `Usage:`, `Aliases:`, `Examples:`, the root's command groups or a group's
//! `Available Commands:`, `Plugins:`, `Options:` (the command's own flags in pflag's format),
//! then the `Use "knit … --help"` hints. Piped, the text is kn v1.15.0's byte for byte (cobra's
//! `Aliases: ` with its space and the blank line kn's template leaves before the options
//! included; `tests/differential/cases/help.txt` compares it with kn). On a terminal every
//! section is wrapped to its width (`wrap`).
//!
//! Conventions for command authors (so every command's help reads like kn's):
//! - `about` is the one-line summary; `long_about` the description (defaults to `about`).
//! - Examples go in `after_help` as kn writes them, indentation included (printed verbatim).
//! - A flag's `value_name` is shown as is after the flag (`--namespace string` in kn).
//! - pflag shows a non-zero default as ` (default …)`; a default clap does not hold (a paired
//!   `--wait`, a value Knative defaults) is written at the end of the help text.
//!
//! Over 500 lines: about 130 of them are the tests of the whole layout.

use std::fmt::Write as _;

use clap::{Arg, Command};

use crate::plugin::Plugin;

mod wrap;

use wrap::Style;

/// Root-level groups, in kn's order. Commands not listed under Serving or Eventing are "Other".
const SERVING: [&str; 5] = ["service", "revision", "route", "domain", "container"];
const EVENTING: &[&str] = &[
    "source",
    "broker",
    "trigger",
    "channel",
    "subscription",
    "eventtype",
    "sequence",
    "parallel",
    "jobsink",
    "requestreply",
    "eventpolicy",
    "eventtransform",
    "integrationsink",
];
/// Listed first under "Other Commands", in kn's order; other visible commands follow.
const OTHER_FIRST: [&str; 4] = ["plugin", "secret", "completion", "version"];
/// Present but not listed in the root's groups (as in kn).
const UNLISTED: [&str; 2] = ["options", "help"];

/// Find the command for a path of canonical names or aliases; stops at the deepest match.
pub fn find<'a>(root: &'a Command, path: &[String]) -> (&'a Command, Vec<String>) {
    let mut cmd = root;
    let mut names = Vec::new();
    for word in path {
        match cmd.find_subcommand(word) {
            Some(sub) => {
                names.push(sub.get_name().to_string());
                cmd = sub;
            }
            None => break,
        }
    }
    (cmd, names)
}

/// Render the help of the command at `path` (canonical names, as returned by [`find`]).
/// `bin` is the program name; `plugins` are the plugins directly below this command.
/// On a terminal the text is wrapped to its width; piped, it is kn's layout unchanged.
pub fn render(root: &Command, path: &[String], bin: &str, plugins: &[Plugin]) -> String {
    render_at(root, path, bin, plugins, terminal_width())
}

/// The columns of the terminal on stdout, if stdout is one.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal as _;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
}

/// [`render`] for a given terminal width (`None`: not a terminal, no wrapping).
pub fn render_at(
    root: &Command,
    path: &[String],
    bin: &str,
    plugins: &[Plugin],
    width: Option<usize>,
) -> String {
    let (cmd, path) = find(root, path);
    let is_root = path.is_empty();
    let mut out = String::new();
    // On a terminal each section is fitted to its width; piped, it is left as kn lays it out.
    let fit = |text: String, style: Style| match width {
        Some(width) => wrap::fit(&text, width, style),
        None => text,
    };

    let text = cmd
        .get_long_about()
        .or(cmd.get_about())
        .map(|s| s.to_string())
        .unwrap_or_default();
    out.push_str(&fit(text.trim().to_string(), Style::Prose));
    out.push_str("\n\n");

    if !is_root {
        let usage = fit(format!("  {}", use_line(cmd, bin, &path)), Style::Hanging);
        let _ = write!(out, "Usage:\n{usage}\n\n");
    }

    let aliases: Vec<&str> = cmd.get_visible_aliases().collect();
    if !aliases.is_empty() {
        // cobra's template has a space after `Aliases:`; kept so piped help is kn's byte for byte.
        let _ = write!(
            out,
            "Aliases: \n  {}, {}\n\n",
            cmd.get_name(),
            aliases.join(", ")
        );
    }

    if let Some(examples) = cmd.get_after_help().map(|s| s.to_string()) {
        let examples = example_block(&examples);
        if !examples.is_empty() {
            let examples = fit(examples, Style::Example);
            let _ = write!(out, "Examples:\n\n{examples}\n\n");
        }
    }

    // Sorted by name, as cobra does.
    let mut subs: Vec<&Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect();
    subs.sort_by_key(|s| s.get_name());
    let padding = subs
        .iter()
        .map(|s| s.get_name().len())
        .max()
        .unwrap_or(0)
        .max(11);
    if is_root {
        let groups: Vec<String> = root_groups(&subs)
            .into_iter()
            .filter(|(_, names)| !names.is_empty())
            .map(|(header, names)| {
                let mut group = header.to_string();
                for sub in names {
                    let _ = write!(group, "\n  {:<padding$} {}", sub.get_name(), summary(sub));
                }
                group
            })
            .collect();
        let listing = Style::Listing {
            column: padding + 3,
        };
        let _ = write!(out, "{}\n\n", fit(groups.join("\n\n"), listing));
    } else if !subs.is_empty() {
        let mut listing = String::from("Available Commands:");
        for sub in &subs {
            let _ = write!(listing, "\n  {:<padding$} {}", sub.get_name(), summary(sub));
        }
        let listing = fit(
            listing,
            Style::Listing {
                column: padding + 3,
            },
        );
        let _ = write!(out, "{listing}\n\n");
    }

    if !plugins.is_empty() && (is_root || !subs.is_empty()) {
        // kn pads plugin names with cobra's NamePadding of this command, which comes from its
        // parent's longest subcommand name (11 at least, and 11 for the root), not from the
        // commands listed above.
        let plugin_padding = match path.split_last() {
            None => 11,
            Some((_, parent_path)) => find(root, parent_path)
                .0
                .get_subcommands()
                .map(|s| s.get_name().len())
                .max()
                .unwrap_or(0)
                .max(11),
        };
        let mut listing = String::from("Plugins:");
        for p in plugins {
            let name = p.command_parts.last().map(String::as_str).unwrap_or("");
            let _ = write!(
                listing,
                "\n  {:<plugin_padding$} {}",
                name,
                p.path.display()
            );
        }
        let listing = fit(
            listing,
            Style::Listing {
                column: plugin_padding + 3,
            },
        );
        let _ = write!(out, "{listing}\n\n");
    }
    // kn's template ends its plugin section with a newline outside the section, so a blank
    // line always precedes the options (or the hints).
    out.push('\n');

    let own: Vec<&Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_positional() && !a.is_global_set() && !is_builtin_flag(a))
        .collect();
    let options = flag_usages(&own, width);
    if !options.is_empty() {
        let _ = write!(out, "Options:\n{}\n\n", options.trim_end());
    }

    let mut hints = String::new();
    if !subs.is_empty() {
        let _ = writeln!(
            hints,
            "Use \"{bin} <command> --help\" for more information about a given command."
        );
    }
    let _ = writeln!(
        hints,
        "Use \"{bin} options\" for a list of global command-line options (applies to all commands)."
    );
    out.push_str(&fit(hints, Style::Prose));
    out
}

/// The text of `knit options`: the flags every command accepts.
pub fn render_options(root: &Command) -> String {
    let globals: Vec<&Arg> = root
        .get_arguments()
        .filter(|a| a.is_global_set() && !is_builtin_flag(a))
        .collect();
    format!(
        "The following options can be passed to any command:\n\n{}",
        flag_usages(&globals, None)
    )
}

fn summary(cmd: &Command) -> String {
    cmd.get_about()
        .map(|s| s.to_string())
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn root_groups<'a>(subs: &[&'a Command]) -> Vec<(&'static str, Vec<&'a Command>)> {
    let pick = |names: &[&str]| -> Vec<&'a Command> {
        names
            .iter()
            .filter_map(|n| subs.iter().find(|s| s.get_name() == *n).copied())
            .collect()
    };
    let mut other = pick(&OTHER_FIRST);
    for s in subs {
        let name = s.get_name();
        if !SERVING.contains(&name)
            && !EVENTING.contains(&name)
            && !OTHER_FIRST.contains(&name)
            && !UNLISTED.contains(&name)
        {
            other.push(s);
        }
    }
    vec![
        ("Serving Commands:", pick(&SERVING)),
        ("Eventing Commands:", pick(EVENTING)),
        ("Other Commands:", other),
    ]
}

fn is_builtin_flag(arg: &Arg) -> bool {
    arg.is_hide_set() || matches!(arg.get_id().as_str(), "help" | "version")
}

/// `knit service create NAME [options]`: the path, positional arguments and required flags.
fn use_line(cmd: &Command, bin: &str, path: &[String]) -> String {
    // cobra counts the global flags too, so every usage line ends in `[options]`.
    let has_flags = true;
    // An explicit `override_usage` is the part after the command path, e.g. `NAME --image IMAGE`.
    if let Some(usage) = cmd.get_overridden_usage() {
        let usage = usage.to_string();
        let mut line = format!("{bin} {}", path.join(" "));
        if !usage.trim().is_empty() {
            line.push(' ');
            line.push_str(usage.trim());
        }
        if has_flags && !line.contains("[options]") {
            line.push_str(" [options]");
        }
        return line;
    }
    let mut line = bin.to_string();
    for p in path {
        line.push(' ');
        line.push_str(p);
    }
    for arg in cmd.get_arguments() {
        if arg.is_hide_set() {
            continue;
        }
        let value = value_name(arg).unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
        let multiple = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        if arg.is_positional() {
            let dots = if multiple { " ..." } else { "" };
            if arg.is_required_set() {
                let _ = write!(line, " {value}{dots}");
            } else {
                let _ = write!(line, " [{value}{dots}]");
            }
        } else if arg.is_required_set()
            && let Some(long) = arg.get_long()
        {
            let _ = write!(line, " --{long} {value}");
        }
    }
    if has_flags {
        line.push_str(" [options]");
    }
    line
}

fn value_name(arg: &Arg) -> Option<String> {
    arg.get_value_names()
        .and_then(|names| names.first())
        .map(|n| n.to_string())
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values() && arg.get_num_args().is_none_or(|n| n.takes_values())
}

/// Flags in pflag's `FlagUsages` layout: sorted by name, `  -n, --namespace string   usage`,
/// usage column at the longest flag + 3, non-zero defaults as ` (default …)`. With a `width`
/// (a terminal's), descriptions wrap to it with continuation lines under the usage column.
pub fn flag_usages(args: &[&Arg], width: Option<usize>) -> String {
    let mut rows: Vec<(String, String, String)> = args
        .iter()
        .map(|arg| {
            let long = arg.get_long().unwrap_or_default().to_string();
            let mut left = match (arg.get_short(), arg.get_long()) {
                (Some(s), Some(l)) => format!("  -{s}, --{l}"),
                (Some(s), None) => format!("  -{s}"),
                (None, Some(l)) => format!("      --{l}"),
                (None, None) => format!("      {}", arg.get_id()),
            };
            if takes_value(arg) {
                let name = value_name(arg).unwrap_or_else(|| "string".to_string());
                if arg.get_num_args().is_some_and(|n| n.min_values() == 0) {
                    // pflag shows optional-value booleans (`--flag[=false]`) as plain flags.
                    if name != "bool" {
                        let _ = write!(left, "[={name}]");
                    }
                } else {
                    let _ = write!(left, " {name}");
                }
            }
            let mut usage = arg
                .get_long_help()
                .or(arg.get_help())
                .map(|s| s.to_string())
                .unwrap_or_default()
                .trim()
                .to_string();
            if let Some(default) = shown_default(arg) {
                let _ = write!(usage, " (default {default})");
            }
            let sort_key = if long.is_empty() {
                arg.get_short().map(String::from).unwrap_or_default()
            } else {
                long
            };
            (sort_key, left, usage)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let column = rows.iter().map(|r| r.1.len()).max().unwrap_or(0) + 3;
    let mut out = String::new();
    for (_, left, usage) in rows {
        let lines = match width {
            Some(width) => wrap::flag_lines(&left, &usage, column, width),
            None => {
                let mut lines = Vec::new();
                for (i, part) in usage.split('\n').enumerate() {
                    let head = if i == 0 { left.as_str() } else { "" };
                    lines.push(format!("{head:<column$}{part}"));
                }
                lines
            }
        };
        for line in lines {
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    out
}

// pflag shows a default only when it is not the type's zero value; strings are quoted.
fn shown_default(arg: &Arg) -> Option<String> {
    if arg.is_hide_default_value_set() || !takes_value(arg) {
        return None;
    }
    let values: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if values.is_empty() {
        return None;
    }
    let joined = values.join(",");
    if matches!(joined.as_str(), "" | "0" | "false" | "[]") {
        return None;
    }
    let plain = joined.parse::<f64>().is_ok() || joined == "true";
    Some(if plain || values.len() > 1 {
        if values.len() > 1 {
            format!("[{joined}]")
        } else {
            joined
        }
    } else {
        format!("\"{joined}\"")
    })
}

/// Example text without a leading `Examples:` heading (some commands include it in `after_help`).
pub fn examples_text(after_help: &str) -> &str {
    match after_help.trim_start().strip_prefix("Examples:") {
        Some(rest) => rest,
        None => after_help,
    }
}

// The examples as written (kn prints them verbatim): leading blank lines and trailing
// whitespace dropped.
fn example_block(text: &str) -> String {
    let text = examples_text(text).trim_end();
    let start = text
        .char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .filter(|(_, c)| *c == '\n')
        .last()
        .map_or(0, |(i, _)| i + 1);
    text[start..].to_string()
}

#[cfg(test)]
#[path = "help_tests.rs"]
mod tests;
