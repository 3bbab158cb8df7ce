//! The resolved global state one command runs with: connection settings, the lazily built API
//! client, namespace resolution, the clock, and where output goes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

use jiff::Timestamp;
use kube::config::Kubeconfig;
use tokio::sync::OnceCell;

use crate::client::{Client, ConnectOptions, config};
use crate::error::{Error, Result};

/// Everything a command needs besides its own arguments.
pub struct Context {
    /// Connection flags (`--kubeconfig`, `--context`, …).
    pub connect: ConnectOptions,
    /// `--config`: knit's own configuration file, when given.
    pub config_file: Option<PathBuf>,
    /// The time "now" for ages, fixed at start so one output is self-consistent.
    pub now: Timestamp,
    /// Whether stdout is a terminal (spinners, colour).
    pub stdout_tty: bool,
    /// Whether stderr is a terminal.
    pub stderr_tty: bool,
    /// knit's configuration (file contents over built-in defaults), loaded before parsing.
    pub config: crate::config::Config,
    /// Builds the whole command tree (help, `options`, plugin conflicts, the sub-commands a
    /// noun offers), handed in by the caller so commands need not reach up to the root parser.
    tree: fn() -> clap::Command,
    client: OnceCell<Client>,
    kubeconfig: OnceLock<std::result::Result<Option<Kubeconfig>, String>>,
}

impl Context {
    pub fn new(
        connect: ConnectOptions,
        config_file: Option<PathBuf>,
        tree: fn() -> clap::Command,
    ) -> Self {
        Context {
            connect,
            config_file,
            tree,
            now: Timestamp::now(),
            // KNIT_FORCE_TTY=1 renders terminal-only views into a pipe (tests, screenshots).
            stdout_tty: std::io::stdout().is_terminal() || crate::terminal::force_tty(),
            stderr_tty: std::io::stderr().is_terminal(),
            config: crate::config::Config::default(),
            client: OnceCell::new(),
            kubeconfig: OnceLock::new(),
        }
    }

    /// The whole command tree, built (with pflag's value rule) and ready to query.
    pub fn command_tree(&self) -> clap::Command {
        let mut root = (self.tree)();
        root.build();
        root
    }

    /// The same context with the configuration loaded at start.
    pub fn with_config(mut self, config: crate::config::Config) -> Self {
        self.config = config;
        self
    }

    /// The API client, connected on first use (commands that fail validation never connect).
    pub async fn client(&self) -> Result<&Client> {
        self.client
            .get_or_try_init(|| async {
                let kubeconfig = self.kubeconfig()?.cloned();
                Client::connect_with(&self.connect, kubeconfig).await
            })
            .await
    }

    /// The loaded kubeconfig (read once), `None` when there is none.
    pub fn kubeconfig(&self) -> Result<Option<&Kubeconfig>> {
        let loaded = self
            .kubeconfig
            .get_or_init(|| config::load_kubeconfig(&self.connect).map_err(|e| e.to_string()));
        match loaded {
            Ok(config) => Ok(config.as_ref()),
            Err(message) => Err(Error::Config(message.clone())),
        }
    }

    /// The namespace to operate in: the explicit `-n`, else the kubeconfig context's, else `default`.
    pub fn namespace(&self, explicit: Option<&str>) -> Result<String> {
        if let Some(ns) = explicit.filter(|ns| !ns.is_empty()) {
            return Ok(ns.to_string());
        }
        Ok(config::context_namespace(&self.connect, self.kubeconfig()?))
    }

    /// Writes data to stdout (colour stripped unless stdout is a colour terminal).
    pub fn print(&self, text: &str) -> Result<()> {
        // Text without an escape sequence (ESC or a C1 control) holds no colour to strip: write
        // it as it is, as kubectl writes a template's output (a `{"\a"}` literal stays a BEL),
        // and skip anstream's per-byte parser, which dominates large outputs (`list -o json`).
        if !has_escape(text) {
            return write_or_pipe_closed(&mut std::io::stdout().lock(), text);
        }
        let mut out = anstream::stdout().lock();
        write_or_pipe_closed(&mut out, text)
    }

    /// Writes a line of data to stdout.
    pub fn println(&self, text: &str) -> Result<()> {
        self.print(&format!("{text}\n"))
    }

    /// Writes to stderr (warnings, diagnostics).
    pub fn eprint(&self, text: &str) -> Result<()> {
        let mut err = anstream::stderr().lock();
        write_or_pipe_closed(&mut err, text)
    }
}

/// Whether `text` holds an ESC or a C1 control (U+0080–U+009F, in UTF-8 `C2 80`–`C2 9F`),
/// checked on bytes: decoding every character cost as much as printing a long list.
pub(crate) fn has_escape(text: &str) -> bool {
    has_escape_bytes(text.as_bytes())
}

/// [`has_escape`] on text that is known to be UTF-8 but is held as bytes.
pub(crate) fn has_escape_bytes(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(0x1b, 0xC2, bytes)
        .any(|at| bytes[at] == 0x1b || bytes.get(at + 1).is_some_and(|b| (0x80..=0x9F).contains(b)))
}

/// A closed pipe (`knit service list | head -1`) ends output quietly instead of failing.
pub(crate) fn write_or_pipe_closed(out: &mut impl Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_are_esc_and_c1_controls_only() {
        for text in ["\u{1b}[31m", "a\u{80}", "\u{9f}b", "x\u{85}y"] {
            assert!(super::has_escape(text), "{text:?}");
        }
        for text in [
            "",
            "plain",
            "é ü \u{7f} \u{a0} \u{100} \u{2028} 日本",
            "\u{c2}\u{7f}",
        ] {
            assert!(!super::has_escape(text), "{text:?}");
        }
    }
}
