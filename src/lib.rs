//! knit: a kn-compatible command-line client for Knative.
//!
//! `main.rs` builds the runtime and calls [`run`]; everything else lives in modules named after
//! what they own (see ARCHITECTURE.md at the repository root): [`cli`] parses, [`commands`] run,
//! [`client`] talks to the API server, [`output`] prints, [`error`] decides messages and exit codes.

pub mod api;
pub mod assets;
pub mod bootstrap;
pub mod cli;
pub mod client;
pub mod commands;
pub mod completion;
pub mod config;
pub mod context;
pub mod diagnose;
pub mod edit;
pub mod error;
pub mod events;
pub mod explain;
pub mod help;
pub mod identity;
pub mod invocation;
pub mod logs;
pub mod manpages;
pub mod ops;
pub mod output;
pub mod plugin;
pub mod terminal;

use std::ffi::OsString;
use std::sync::OnceLock;

pub use error::{Error, Result};

static BIN_NAME: OnceLock<String> = OnceLock::new();

/// [`bin_name`] borrowed for the whole run (clap wants `'static` names).
pub fn bin_name_static() -> &'static str {
    BIN_NAME.get().map(String::as_str).unwrap_or("knit")
}

/// The name knit was invoked as (`basename(argv[0])`), used in help, hints and messages.
pub fn bin_name() -> String {
    BIN_NAME
        .get()
        .cloned()
        .unwrap_or_else(|| "knit".to_string())
}

fn set_bin_name(argv0: Option<&OsString>) -> String {
    let name = argv0
        .map(std::path::Path::new)
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "knit".to_string());
    BIN_NAME.get_or_init(|| name).clone()
}

/// `knit version` and nothing else, answered before any runtime or command tree exists (start-up
/// is all it costs). It takes the same steps as the full path: the configuration file is read
/// (a broken one fails the same way), no plugin can stand in for a built-in command, and the
/// text is the command's own. `None` for every other command line.
pub fn run_version(args: &[OsString]) -> Option<u8> {
    if args.len() != 2 || args[1] != "version" {
        return None;
    }
    let bin = set_bin_name(args.first());
    let result = config::Config::load(&config::Locations::from_env(), None, None)
        .map_err(|e| Error::failed(e.to_string()))
        .and_then(|_| {
            let text = commands::version::VersionInfo::current().plain();
            context::write_or_pipe_closed(&mut std::io::stdout().lock(), &text)
        });
    Some(match result {
        Ok(()) => error::EXIT_OK,
        Err(err) => {
            eprint_error(&err, &bin);
            err.exit_code()
        }
    })
}

/// Runs knit with these arguments (`argv[0]` first); prints errors and returns the exit code.
pub async fn run(args: Vec<OsString>) -> u8 {
    let bin = set_bin_name(args.first());
    match run_inner(&bin, &args).await {
        Ok(code) => code,
        Err(err) => {
            eprint_error(&err, &bin);
            err.exit_code()
        }
    }
}

async fn run_inner(bin: &str, args: &[OsString]) -> Result<u8> {
    // Config file, plugins and help come before clap (kn-reference §1).
    let (config, tree) = match bootstrap::bootstrap(bin, args)? {
        bootstrap::Bootstrap::Run(config, tree) => (config, tree),
        bootstrap::Bootstrap::Exit(code) => return Ok(code),
    };
    let cli = match cli::parse_with(bin, args, *tree)? {
        cli::Parsed::Run(cli) => cli,
        cli::Parsed::Exit(code) => return Ok(code),
    };
    let result = async {
        let connect = cli.global.connect_options()?;
        let ctx = context::Context::new(connect, cli.global.config.clone(), cli::command)
            .with_config(*config);
        match cli::run(*cli, &ctx).await {
            Err(err @ Error::NotInstalled { .. }) => Err(explain_not_installed(&ctx, err).await),
            other => other,
        }
    }
    .await;
    match result {
        Ok(()) => Ok(error::EXIT_OK),
        // Usage errors raised inside a command point at that command's help.
        Err(Error::Usage {
            message,
            command: None,
        }) => {
            let path = cli::command_path(&cli::command(), args).join(" ");
            Err(Error::usage_in(&path, message))
        }
        Err(err) => Err(err),
    }
}

/// A 404 on a Knative resource type: one discovery call tells "not installed" apart from
/// "installed at another version". If that call fails too, kn's combined message stays.
async fn explain_not_installed(ctx: &context::Context, err: Error) -> Error {
    let Error::NotInstalled {
        group,
        api_group,
        version,
        served: None,
        bin,
    } = err
    else {
        return err;
    };
    let served = match ctx.client().await {
        Ok(client) if !api_group.is_empty() => client.served_versions(&api_group).await.ok(),
        _ => None,
    };
    Error::NotInstalled {
        group,
        api_group,
        version,
        served,
        bin,
    }
}

/// Prints an error the way kn does: `Error: …` and the `Run '… --help' for usage` hint, on stderr.
/// `Error:` is red on a colour terminal (anstream drops the styling when stderr is not a
/// terminal or `NO_COLOR` is set).
pub fn eprint_error(err: &Error, bin: &str) {
    use std::io::Write;
    if let Error::Silent(_) = err {
        return;
    }
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Red.into()));
    let mut text = String::new();
    for line in err.render(bin).lines() {
        match line.strip_prefix("Error:") {
            Some(rest) => text.push_str(&format!("{style}Error:{style:#}{rest}\n")),
            None => text.push_str(&format!("{line}\n")),
        }
    }
    let mut stderr = anstream::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}
