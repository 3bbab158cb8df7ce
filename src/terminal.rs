//! Whether output counts as going to a terminal: `KNIT_FORCE_TTY=1` makes it so (tests render
//! terminal-only views into a pipe with it). Both the context and the client's warning printer
//! ask, so it sits below both.

/// True when `KNIT_FORCE_TTY` is set to anything but empty or `0`.
pub(crate) fn force_tty() -> bool {
    std::env::var_os("KNIT_FORCE_TTY").is_some_and(|v| !v.is_empty() && v != "0")
}
