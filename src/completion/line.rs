//! The command line being completed, read with knit's own clap tree: which sub-command it is in,
//! its positional arguments and the values of the flags typed so far (`-n team`, `--context=x`,
//! `-nteam`), so completers can follow the namespace, kubeconfig and service already on the line.

use clap::{Arg, Command};

/// What the words before the one being completed say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Line {
    /// Canonical names of the sub-commands, outermost first (`["service", "update"]`).
    pub path: Vec<String>,
    /// Positional arguments of the innermost command.
    pub positionals: Vec<String>,
    /// `(arg id, value)` of every flag value, in order.
    pub values: Vec<(String, String)>,
}

impl Line {
    /// The last value given for the arg with this id.
    pub fn value(&self, id: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(i, _)| i == id)
            .map(|(_, v)| v.as_str())
    }

    /// Every value given for the arg with this id, in order.
    pub fn all(&self, id: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(i, _)| i == id)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Whether `arg` consumes a value (the next word when none is attached). Flags with an optional
/// value (`--wait[=bool]`) never take the next word, as in pflag.
fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values() && arg.get_num_args().is_none_or(|n| n.min_values() > 0)
}

/// Reads `words` (program name first; the word being completed, which is last, is left out)
/// against the built clap tree `root`.
pub fn parse(root: &Command, words: &[String]) -> Line {
    let mut line = Line::default();
    let mut cmd = root;
    let before = words.len().saturating_sub(1);
    let mut i = 1;
    let mut escaped = false;
    while i < before {
        let word = &words[i];
        i += 1;
        if escaped {
            line.positionals.push(word.clone());
            continue;
        }
        if word == "--" {
            escaped = true;
            continue;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let found = cmd.get_arguments().find(|a| {
                a.get_long_and_visible_aliases()
                    .is_some_and(|l| l.contains(&name))
            });
            // `--namespace` where this command has none (before the noun) still says which
            // namespace the user means: completion is lenient.
            let (id, wants_value) = match found {
                Some(arg) => (arg.get_id().to_string(), takes_value(arg)),
                None if name == "namespace" => (name.to_string(), true),
                None => continue,
            };
            let value = match inline {
                Some(v) => Some(v),
                None if wants_value && i < before => {
                    i += 1;
                    Some(words[i - 1].clone())
                }
                None => None,
            };
            if let Some(value) = value {
                line.values.push((id, value));
            }
            continue;
        }
        if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            for (at, c) in shorts.char_indices() {
                let id = match cmd.get_arguments().find(|a| a.get_short() == Some(c)) {
                    Some(arg) if takes_value(arg) => arg.get_id().to_string(),
                    Some(_) => continue,
                    None if c == 'n' && at == 0 => "namespace".to_string(),
                    None => continue,
                };
                let rest = &shorts[at + c.len_utf8()..];
                let rest = rest.strip_prefix('=').unwrap_or(rest);
                let value = if !rest.is_empty() {
                    Some(rest.to_string())
                } else if i < before {
                    i += 1;
                    Some(words[i - 1].clone())
                } else {
                    None
                };
                if let Some(value) = value {
                    line.values.push((id, value));
                }
                break;
            }
            continue;
        }
        if line.positionals.is_empty()
            && let Some(sub) = cmd.find_subcommand(word)
        {
            cmd = sub;
            line.path.push(sub.get_name().to_string());
            continue;
        }
        line.positionals.push(word.clone());
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line {
        let mut root = crate::cli::command();
        root.build();
        let mut words: Vec<String> = text.split_whitespace().map(String::from).collect();
        words.push(String::new());
        parse(&root, &words)
    }

    #[test]
    fn sub_commands_positionals_and_flag_values() {
        let l = line("knit ksvc update hello --tag a=b -n team --wait --context=ctx");
        assert_eq!(l.path, ["service", "update"]);
        assert_eq!(l.positionals, ["hello"]);
        assert_eq!(l.value("namespace"), Some("team"));
        assert_eq!(l.value("context"), Some("ctx"));
        assert_eq!(l.all("tag"), ["a=b"]);
    }

    #[test]
    fn short_flags_with_attached_values_and_globals_before_the_noun() {
        let l = line("knit --kubeconfig /k service describe -nteam x");
        assert_eq!(l.path, ["service", "describe"]);
        assert_eq!(l.value("kubeconfig"), Some("/k"));
        assert_eq!(l.value("namespace"), Some("team"));
        assert_eq!(l.positionals, ["x"]);
        assert_eq!(
            line("knit service list -n=ns").value("namespace"),
            Some("ns")
        );
        // Before the noun, where knit would reject it, it still names the namespace.
        assert_eq!(
            line("knit --namespace=t service list").value("namespace"),
            Some("t")
        );
        assert_eq!(line("knit -n t service list").value("namespace"), Some("t"));
    }

    #[test]
    fn the_word_being_completed_is_not_read() {
        // `-n` is last before the current word: its value is what is being completed.
        let l = line("knit service list -n");
        assert_eq!(l.value("namespace"), None);
        assert_eq!(l.path, ["service", "list"]);
    }
}
