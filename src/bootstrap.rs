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
    /// Parse and run a built-in command with this configuration.
    Run(Box<Config>),
    /// Everything was done (help printed, plugin finished); exit with this code.
    Exit(u8),
}

/// Bootstrap a run of knit invoked as `bin` with `args` (program name first).
pub fn bootstrap(bin: &str, args: &[OsString]) -> Result<Bootstrap> {
    let mut root = crate::cli::command();
    root.build();
    let invocation = Invocation::scan(&root, args);

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
    Ok(Bootstrap::Run(Box::new(config)))
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
