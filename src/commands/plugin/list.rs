//! `knit plugin list` [alias `ls`]: the plugins knit can run, and what is wrong with the others
//! (kn-reference §10.3).

use std::fmt::Write as _;

use clap::Args;

use crate::plugin::{Listing, Problem, Search};

/// List plugins
#[derive(Args, Debug, Clone, Default)]
#[command(
    about = "List plugins",
    long_about = "List all installed plugins.\n\nAvailable plugins are those that are:\n- executable\n- begin with \"knit-\" or \"kn-\"\n- Knit's or kn's plugin directory\n- Anywhere in the execution $PATH"
)]
pub struct ListArgs {
    /// verbose output
    #[arg(long)]
    pub verbose: bool,
}

/// The text `plugin list` prints, and whether verification found errors (the command then fails
/// with `plugin validation errors`).
pub fn render(listing: &Listing, search: &Search, verbose: bool) -> (String, bool) {
    let mut out = String::new();
    if verbose {
        out.push_str("The following plugins are available, using options:\n");
        for dir in &search.plugin_dirs {
            let missing = if dir.exists() {
                ""
            } else {
                " (does not exist)"
            };
            let _ = writeln!(out, "  plugins dir: '{}'{missing}", dir.display());
        }
        let _ = writeln!(
            out,
            "  lookup plugins in $PATH: {}\n",
            search.lookup_in_path
        );
    }
    if listing.plugins.is_empty() {
        if verbose {
            let dirs: Vec<String> = search
                .plugin_dirs
                .iter()
                .map(|d| format!("'{}'", d.display()))
                .collect();
            let _ = writeln!(out, "No plugins found in path {}.", dirs.join(", "));
        } else {
            out.push_str("No plugins found.\n");
        }
        return (out, false);
    }
    for plugin in &listing.plugins {
        let _ = write!(out, "- {} : {}", plugin.name, plugin.path.display());
        if verbose {
            let _ = write!(out, "  ({})", plugin.path.display());
        }
        out.push('\n');
    }
    let errors: Vec<&Problem> = listing.problems.iter().filter(|p| p.is_error()).collect();
    let warnings: Vec<&Problem> = listing.problems.iter().filter(|p| !p.is_error()).collect();
    if !errors.is_empty() || !warnings.is_empty() {
        out.push('\n');
    }
    for (items, one, many) in [
        (&errors, "ERROR:", "ERRORS:"),
        (&warnings, "WARNING:", "WARNINGS:"),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", if items.len() == 1 { one } else { many });
        for p in items {
            let _ = writeln!(out, "  - {}", p.message());
        }
    }
    (out, !errors.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::Plugin;
    use std::path::PathBuf;

    fn search() -> Search {
        Search {
            plugin_dirs: vec![PathBuf::from("/nonexistent/knit/plugins")],
            lookup_in_path: true,
            path_dirs: vec![PathBuf::from("/usr/bin")],
        }
    }

    fn listing() -> Listing {
        Listing {
            plugins: vec![
                Plugin {
                    name: "kn-service".into(),
                    path: PathBuf::from("/usr/bin/kn-service"),
                    command_parts: vec!["service".into()],
                },
                Plugin {
                    name: "knit-hello".into(),
                    path: PathBuf::from("/usr/bin/knit-hello"),
                    command_parts: vec!["hello".into()],
                },
            ],
            problems: vec![
                Problem::OverwritesBuiltin {
                    path: PathBuf::from("/usr/bin/kn-service"),
                    command: "service".into(),
                },
                Problem::Shadowed {
                    path: PathBuf::from("/usr/local/bin/knit-hello"),
                    by: PathBuf::from("/usr/bin/knit-hello"),
                },
                Problem::NotExecutable {
                    path: PathBuf::from("/usr/bin/knit-lazy"),
                },
            ],
        }
    }

    #[test]
    fn plain_list_with_verification() {
        let (text, failed) = render(&listing(), &search(), false);
        assert!(failed);
        insta::assert_snapshot!(text, @r"
        - kn-service : /usr/bin/kn-service
        - knit-hello : /usr/bin/knit-hello

        ERROR:
          - /usr/bin/kn-service overwrites existing built-in command: 'service'
        WARNINGS:
          - /usr/local/bin/knit-hello is ignored because it is shadowed by an equally named plugin: /usr/bin/knit-hello
          - /usr/bin/knit-lazy is not executable by current user
        ");
    }

    #[test]
    fn verbose_list() {
        let mut l = listing();
        l.plugins.remove(0);
        l.problems.clear();
        let (text, failed) = render(&l, &search(), true);
        assert!(!failed);
        insta::assert_snapshot!(text, @r"
        The following plugins are available, using options:
          plugins dir: '/nonexistent/knit/plugins' (does not exist)
          lookup plugins in $PATH: true

        - knit-hello : /usr/bin/knit-hello  (/usr/bin/knit-hello)
        ");
    }

    #[test]
    fn nothing_found() {
        let (text, _) = render(&Listing::default(), &search(), false);
        assert_eq!(text, "No plugins found.\n");
        let (text, _) = render(&Listing::default(), &search(), true);
        assert!(text.ends_with("No plugins found in path '/nonexistent/knit/plugins'.\n"));
    }
}
