//! Shell completion: the scripts `knit completion SHELL` prints (checked in under `completions/`),
//! and the dynamic completion they call back into (`COMPLETE=<shell> knit -- <words>`), which
//! completes commands, flags, plugin names and resource names from the cluster.

pub mod line;
pub mod names;
pub mod values;

use std::io::Write;
use std::sync::{Arc, OnceLock};

use clap::Command;
use clap_complete::CompleteEnv;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate, SubcommandCandidates};
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use crate::config::{Config, Locations};
use crate::plugin::Search;

/// Answer a completion request (`COMPLETE=<shell>` in the environment) and exit; return at once
/// otherwise. Must run before any async runtime exists: completers build their own.
///
/// Nothing is ever written to stderr in completion mode: the shell would show it in the middle of
/// the line being edited. A request that cannot be answered exits 1, which the scripts read as
/// "no candidates".
pub fn complete_env(tree: fn() -> Command) {
    if std::env::var_os(ENV_VAR).is_none_or(|v| v.is_empty() || v == "0") {
        return;
    }
    let _ = TREE.set(tree);
    std::panic::set_hook(Box::new(|_| {}));
    let bin = crate::invocation::program_name(std::env::args_os().next().as_deref());
    let current_dir = std::env::current_dir().ok();
    let answered = CompleteEnv::with_factory(|| decorate(tree()))
        .var(ENV_VAR)
        .bin(bin.clone())
        .completer(bin)
        .try_complete(std::env::args_os(), current_dir.as_deref());
    match answered {
        Ok(true) => std::process::exit(0),
        Ok(false) => {}
        Err(_) => std::process::exit(1),
    }
}

/// The builder of the whole command tree, handed in by [`complete_env`]'s caller (the root parser
/// sits above completion).
static TREE: OnceLock<fn() -> Command> = OnceLock::new();

/// The whole command tree; in unit tests, where nobody hands one in, the real one.
fn tree() -> Command {
    match TREE.get() {
        Some(tree) => tree(),
        #[cfg(test)]
        None => crate::cli::command(),
        #[cfg(not(test))]
        None => Command::new(crate::bin_name_static()),
    }
}

/// The clap tree with what only completion needs: resource-name completers on the first argument
/// of the commands in [`names::TARGETS`], value completers on the flags of [`values::for_arg`],
/// path hints on file flags, shell names after `completion`, and plugin names offered next to
/// sub-commands.
pub fn decorate(root: Command) -> Command {
    let mut built = root.clone();
    built.build();
    let built = Arc::new(built);
    decorate_level(root, &[], &built)
}

fn decorate_level(cmd: Command, path: &[String], root: &Arc<Command>) -> Command {
    let mut cmd = cmd;
    if cmd.has_subcommands() {
        let (root2, group) = (Arc::clone(root), path.to_vec());
        cmd = cmd
            .allow_external_subcommands(true)
            .add(SubcommandCandidates::new(move || {
                plugin_candidates(&root2, &group)
            }));
    }
    let path_strs: Vec<&str> = path.iter().map(String::as_str).collect();
    if let Some((verb, parent)) = path_strs.split_last()
        && let Some((_, _, kind)) = names::TARGETS
            .iter()
            .find(|(group, verbs, _)| *group == parent && verbs.contains(verb))
    {
        let first = cmd
            .get_positionals()
            .next()
            .map(|a| a.get_id().as_str().to_string());
        if let Some(first) = first {
            let kind = *kind;
            // `mut_args` keeps the order of arguments (positionals depend on it).
            cmd = cmd.mut_args(|a| {
                if a.get_id().as_str() == first {
                    a.add(ArgValueCompleter::new(names::NameCompleter { kind }))
                } else {
                    a
                }
            });
        }
    }
    if path_strs == ["completion"] {
        cmd = cmd.mut_args(|a| {
            if a.is_positional() {
                a.add(ArgValueCompleter::new(values::FlagCompleter(
                    values::Values::Fixed(SHELLS.iter().map(|s| s.to_string()).collect()),
                )))
            } else {
                a
            }
        });
    }
    cmd = cmd.mut_args(|a| {
        if a.is_positional() {
            return a;
        }
        let a = match values::path_hint(&a) {
            Some(hint) => a.value_hint(hint),
            None => a,
        };
        match values::for_arg(&path_strs, &a) {
            Some(v) => a.add(ArgValueCompleter::new(values::FlagCompleter(v))),
            None => a,
        }
    });
    cmd.mut_subcommands(|sub| {
        let mut sub_path = path.to_vec();
        sub_path.push(sub.get_name().to_string());
        decorate_level(sub, &sub_path, root)
    })
}

fn plugin_candidates(root: &Command, group: &[String]) -> Vec<CompletionCandidate> {
    let words = names::completion_words(std::env::args_os());
    let config_flag = words
        .iter()
        .position(|w| w == "--config")
        .and_then(|i| words.get(i + 1).cloned())
        .or_else(|| {
            words
                .iter()
                .find_map(|w| w.strip_prefix("--config=").map(str::to_string))
        });
    let Ok(config) = Config::load(
        &Locations::from_env(),
        config_flag.as_deref().map(std::path::Path::new),
        None,
    ) else {
        return Vec::new();
    };
    Search::new(&config, std::env::var_os("PATH").as_deref())
        .list_below(root, group)
        .into_iter()
        .filter_map(|p| {
            let name = p.command_parts.last()?.clone();
            Some(
                CompletionCandidate::new(name)
                    .help(Some(format!("plugin {}", p.path.display()).into())),
            )
        })
        .collect()
}

/// The environment variable that switches knit into completion mode.
pub const ENV_VAR: &str = "COMPLETE";

/// Shells knit completes for, in the order they are listed in messages.
pub const SHELLS: [&str; 5] = ["bash", "elvish", "fish", "powershell", "zsh"];

fn completer_for(shell: &str) -> Option<&'static dyn EnvCompleter> {
    Some(match shell {
        "bash" => &Bash,
        "elvish" => &Elvish,
        "fish" => &Fish,
        "powershell" => &Powershell,
        "zsh" => &Zsh,
        _ => return None,
    })
}

/// The script that registers completion for `bin` in `shell`; it calls `bin` (looked up on
/// `$PATH`) to compute candidates, so it never goes stale when knit's commands change.
pub fn registration_script(shell: &str, bin: &str) -> Option<String> {
    let completer = completer_for(shell)?;
    let mut buf = Vec::new();
    completer
        .write_registration(ENV_VAR, bin, bin, bin, &mut buf)
        .ok()?;
    let mut text = String::from_utf8(buf).ok()?;
    // clap starts some scripts with a blank line; the checked-in files should not.
    text = text.trim_start_matches('\n').to_string();
    if shell == "bash" {
        text = whole_bash_words(&text)?;
    }
    Some(text)
}

/// clap's bash words, as bash split them.
const BASH_WORDS: &str = r#"    local words=("${COMP_WORDS[@]}")
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        words[COMP_CWORD]="$2"
    fi
"#;

/// The line up to the cursor split at blanks only, and the part of the current word bash will
/// not replace.
const BASH_WHOLE_WORDS: &str = r#"    # Bash splits words at COMP_WORDBREAKS (`=`, `:` ...), but values such as `--sink broker:b`
    # and `--tag @latest=` are one word to knit: split the line up to the cursor at blanks only.
    local _KNIT_LINE="${COMP_LINE:0:COMP_POINT}"
    local words
    IFS=$' \t\n' read -ra words <<< "$_KNIT_LINE"
    [[ -z $_KNIT_LINE || $_KNIT_LINE =~ [[:space:]]$ ]] && words+=("")
    _CLAP_COMPLETE_INDEX=$(( ${#words[@]} - 1 ))
    # Bash replaces only what follows the current word's last `=` or `:`.
    local _KNIT_CUR="${words[_CLAP_COMPLETE_INDEX]}"
    local _KNIT_KEEP="${_KNIT_CUR%"${_KNIT_CUR##*[=:]}"}"
"#;

/// clap's handling of the answer.
const BASH_ANSWER: &str = r#"    if [[ $? != 0 ]]; then
        unset COMPREPLY
    elif [[ $_CLAP_COMPLETE_SPACE == false ]] && [[ "${COMPREPLY-}" =~ [=/:]$ ]]; then
        compopt -o nospace
    fi
"#;

/// The same, with bash's kept part cut off the candidates first.
const BASH_ANSWER_TRIMMED: &str = r#"    if [[ $? != 0 ]]; then
        unset COMPREPLY
        return
    fi
    [[ -n $_KNIT_KEEP ]] && COMPREPLY=("${COMPREPLY[@]#"$_KNIT_KEEP"}")
    if [[ $_CLAP_COMPLETE_SPACE == false ]] && [[ "${COMPREPLY-}" =~ [=/:]$ ]]; then
        compopt -o nospace
    fi
"#;

/// knit's bash script: clap's, reading whole words (see [`BASH_WHOLE_WORDS`]). `None` if clap's
/// script no longer has the lines this rewrites (a test then fails).
fn whole_bash_words(script: &str) -> Option<String> {
    if !script.contains(BASH_WORDS) || !script.contains(BASH_ANSWER) {
        return None;
    }
    Some(
        script
            .replace(BASH_WORDS, BASH_WHOLE_WORDS)
            .replace(BASH_ANSWER, BASH_ANSWER_TRIMMED),
    )
}

/// Conventional file name of each shell's script (as installed by packagers).
pub fn script_file_name(shell: &str) -> Option<&'static str> {
    Some(match shell {
        "bash" => "knit.bash",
        "elvish" => "knit.elv",
        "fish" => "knit.fish",
        "powershell" => "_knit.ps1",
        "zsh" => "_knit",
        _ => return None,
    })
}

/// Write the script for `shell` to `out`.
pub fn write_script(shell: &str, bin: &str, out: &mut dyn Write) -> std::io::Result<()> {
    match registration_script(shell, bin) {
        Some(script) => out.write_all(script.as_bytes()),
        None => Err(std::io::Error::other(format!("unknown shell {shell}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Arg;

    #[test]
    fn every_shell_has_a_script_and_a_file_name() {
        for shell in SHELLS {
            let script = registration_script(shell, "knit").unwrap();
            assert!(script.contains("knit"), "{shell}");
            assert!(script_file_name(shell).is_some());
        }
        assert!(registration_script("tcsh", "knit").is_none());
    }

    #[test]
    fn decorate_attaches_name_completers_to_the_listed_commands_only() {
        let leaf = |name: &'static str| {
            Command::new(name)
                .arg(Arg::new("name"))
                .arg(Arg::new("extra"))
        };
        let root = Command::new("knit")
            .subcommand(
                Command::new("service")
                    .subcommand(leaf("describe"))
                    .subcommand(leaf("list")),
            )
            .subcommand(
                Command::new("source").subcommand(Command::new("ping").subcommand(leaf("delete"))),
            );
        let decorated = decorate(root);
        let arg = |path: &[&str], id: &str| -> bool {
            let mut cmd = &decorated;
            for p in path {
                cmd = cmd.find_subcommand(p).unwrap();
            }
            let arg = cmd.get_arguments().find(|a| a.get_id() == id).unwrap();
            arg.get::<ArgValueCompleter>().is_some()
        };
        assert!(arg(&["service", "describe"], "name"));
        assert!(!arg(&["service", "describe"], "extra"));
        assert!(!arg(&["service", "list"], "name"));
        assert!(arg(&["source", "ping", "delete"], "name"));
        // Positional order is unchanged.
        let describe = decorated
            .find_subcommand("service")
            .unwrap()
            .find_subcommand("describe")
            .unwrap();
        let ids: Vec<_> = describe
            .get_positionals()
            .map(|a| a.get_id().as_str())
            .collect();
        assert_eq!(ids, ["name", "extra"]);
        // Plugins are offered next to sub-commands.
        assert!(decorated.get::<SubcommandCandidates>().is_some());
    }

    #[test]
    fn the_real_tree_gets_value_completers_and_path_hints() {
        let mut tree = decorate(crate::cli::command());
        tree.build();
        let arg = |path: &[&str], long: &str| -> Arg {
            let mut cmd = &tree;
            for p in path {
                cmd = cmd.find_subcommand(p).unwrap();
            }
            cmd.get_arguments()
                .find(|a| a.get_long() == Some(long))
                .unwrap()
                .clone()
        };
        for (path, long) in [
            (&["service", "list"][..], "namespace"),
            (&["service", "list"], "output"),
            (&["service", "list"], "context"),
            (&["trigger", "create"], "broker"),
            (&["trigger", "create"], "sink"),
            (&["service", "update"], "tag"),
            (&["service", "update"], "traffic"),
            (&["service", "update"], "untag"),
            (&["service", "update"], "pull-policy"),
        ] {
            assert!(
                arg(path, long).get::<ArgValueCompleter>().is_some(),
                "{path:?} --{long}"
            );
        }
        assert!(
            arg(&["service", "update"], "image")
                .get::<ArgValueCompleter>()
                .is_none()
        );
        assert_eq!(
            arg(&["service", "list"], "kubeconfig").get_value_hint(),
            clap::ValueHint::FilePath
        );
        let completion = tree.find_subcommand("completion").unwrap();
        let shell = completion.get_positionals().next().unwrap();
        assert!(shell.get::<ArgValueCompleter>().is_some());
    }

    #[test]
    fn zsh_script_registers_itself_when_sourced() {
        // kn's zsh script needed an extra `compdef _kn kn` (knative/client#839); this one does it.
        let script = registration_script("zsh", "knit").unwrap();
        assert!(script.starts_with("#compdef knit\n"));
        assert!(
            script
                .trim_end()
                .ends_with("compdef _clap_dynamic_completer_knit knit")
        );
    }
}
