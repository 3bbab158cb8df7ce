//! Wait progress as kn prints it: `%7.3fs <message>` lines on stdout (kn prints them there, and
//! scripts capturing kn's stdout keep seeing them), `...` for a repeated message. On a terminal a
//! spinner shows the time ticking between lines; the lines themselves stay identical.

use std::io::Write;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Receives progress from a wait.
pub struct Progress {
    last: Option<String>,
    spinner: Option<ProgressBar>,
    /// Captured lines instead of stdout (tests).
    buffer: Option<String>,
}

impl Progress {
    /// Progress on stdout; with a spinner when `tty`.
    pub fn stdout(tty: bool) -> Self {
        let spinner = tty.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stdout());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed:>3} {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            last: None,
            spinner,
            buffer: None,
        }
    }

    /// Progress collected in memory (see [`Progress::captured`]).
    pub fn capture() -> Self {
        Progress {
            last: None,
            spinner: None,
            buffer: Some(String::new()),
        }
    }

    /// The lines written so far by a capturing progress.
    pub fn captured(&self) -> &str {
        self.buffer.as_deref().unwrap_or_default()
    }

    /// A condition message seen `elapsed` after the wait started.
    pub fn message(&mut self, elapsed: Duration, message: &str) {
        let text = if self.last.as_deref() == Some(message) {
            "...".to_string()
        } else {
            message.to_string()
        };
        self.last = Some(message.to_string());
        if let Some(spinner) = &self.spinner {
            spinner.set_message(message.to_string());
        }
        self.line(&format!("{:7.3}s {text}", elapsed.as_secs_f64()));
    }

    /// Ends the progress block (clears the spinner).
    pub fn finish(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish_and_clear();
        }
    }

    fn line(&mut self, text: &str) {
        if let Some(buffer) = &mut self.buffer {
            buffer.push_str(text);
            buffer.push('\n');
        } else if let Some(spinner) = &self.spinner {
            spinner.println(text);
        } else {
            let mut out = anstream::stdout().lock();
            let _ = writeln!(out, "{text}");
            let _ = out.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_timed_and_repeats_elided() {
        let mut p = Progress::capture();
        p.message(Duration::from_millis(21), "The Route is still working");
        p.message(Duration::from_millis(89), "The Route is still working");
        p.message(Duration::from_millis(5881), "Ready to serve.");
        assert_eq!(
            p.captured(),
            "  0.021s The Route is still working\n  0.089s ...\n  5.881s Ready to serve.\n"
        );
    }
}
