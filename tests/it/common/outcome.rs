//! What one run did (exit code, stdout, stderr) and the one set of redactions applied before
//! snapshotting it: only what truly varies (wait timings, uids, timestamps, resourceVersions,
//! ports, ages) is redacted.

use std::sync::OnceLock;

use regex::Regex;

/// The result of one knit (or kubectl) run.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Outcome {
    fn from(out: std::process::Output) -> Outcome {
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Outcome {
    /// Exit code, stdout and stderr as one text, unredacted.
    pub fn text(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// The whole outcome, redacted, for snapshots: every wait progress line is kept, each
    /// timing shown as `  X.XXXs`.
    pub fn snapshot(&self) -> String {
        redact(&self.text())
    }

    /// The outcome redacted for snapshots of commands whose number of wait progress lines
    /// depends on timing: consecutive progress lines collapse to the last one, whose timing is
    /// shown as `[ELAPSED]`.
    pub fn settled(&self) -> String {
        redact_with(&settle_progress(&self.text()), Timings::Total)
    }

    /// Panics with the whole outcome unless the run exited 0.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "knit failed:\n{}", self.text());
        self
    }
}

/// Snapshots an outcome's settled form (`Outcome::settled`) under `name`. A macro so that the
/// snapshot is named after the calling module, as `insta::assert_snapshot!` names it.
macro_rules! assert_settled {
    ($name:expr, $outcome:expr) => {
        insta::assert_snapshot!($name, $outcome.settled())
    };
}
pub(crate) use assert_settled;

/// Runs knit once per case (`(name, args)`, in order) and snapshots each settled outcome under
/// its name, like `assert_settled!`.
macro_rules! assert_settled_table {
    ($cluster:expr, $cases:expr $(,)?) => {
        let cases: &[(&str, &[&str])] = $cases;
        for (name, args) in cases {
            insta::assert_snapshot!(*name, $cluster.knit(args).settled());
        }
    };
}
pub(crate) use assert_settled_table;

/// How wait progress timings (`%7.3fs` at the start of a line) are redacted.
#[derive(Clone, Copy)]
enum Timings {
    /// Each progress line keeps its place: `  X.XXXs `, same width.
    Each,
    /// Only the last progress line is left (see `settle_progress`): `[ELAPSED] `.
    Total,
}

fn rules() -> &'static [(Regex, &'static str)] {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    RULES.get_or_init(|| {
        [
            (
                r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                "[uid]",
            ),
            (
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z",
                "[timestamp]",
            ),
            (
                r#"("resourceVersion": |resourceVersion: )"?\d+"?"#,
                "${1}[rv]",
            ),
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).expect("regex"), to))
        .collect()
    })
}

fn timing() -> &'static Regex {
    static TIMING: OnceLock<Regex> = OnceLock::new();
    TIMING.get_or_init(|| Regex::new(r"(?m)^ *\d+\.\d{3}s ").expect("regex"))
}

/// Redacts varying values (as `Outcome::snapshot` does). Ages (`0s`, `12s`, `3m`) become `X…` of
/// the same width so that table and describe alignment is kept.
pub fn redact(text: &str) -> String {
    redact_with(text, Timings::Each)
}

fn redact_with(text: &str, timings: Timings) -> String {
    let mut out = timing()
        .replace_all(
            text,
            match timings {
                Timings::Each => "  X.XXXs ",
                Timings::Total => "[ELAPSED] ",
            },
        )
        .into_owned();
    for (re, to) in rules() {
        out = re.replace_all(&out, *to).into_owned();
    }
    static AGE: OnceLock<Regex> = OnceLock::new();
    let age = AGE.get_or_init(|| Regex::new(r"\b\d+(s|m|h|d|y|m\d+s)\b").expect("regex"));
    age.replace_all(&out, |c: &regex::Captures| "X".repeat(c[0].len() - 1) + "s")
        .into_owned()
}

/// Whether a line is a wait progress line (`  1.234s Ready to serve.`).
fn is_progress(line: &str) -> bool {
    line.trim_start()
        .split_once("s ")
        .is_some_and(|(t, _)| t.contains('.') && t.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Drops the intermediate progress lines (their number depends on timing), keeping the last.
fn settle_progress(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.lines() {
        if is_progress(line) && out.last().is_some_and(|last| is_progress(last)) {
            out.pop();
        }
        out.push(line);
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}
