//! What is normalised before kn's and knit's outputs are compared: only what must differ
//! between two runs against two emulators, or between two programs with different names.
//! Every rule says why it exists; nothing else is touched.

use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("regex"))
}

/// Normalises one output stream of kn (`knit == false`) or knit, run with `home` as `$HOME`.
pub fn normalise(text: &str, knit: bool, home: &Path) -> String {
    // Each side runs in its own temp home (`plugin list` prints the plugins directory in it).
    let mut out = settle_progress(text).replace(&home.display().to_string(), "[home]");
    if knit {
        out = program_name(&out);
    }
    // Two emulators hand out different uids, creation times, resourceVersions and ports.
    static UID: OnceLock<Regex> = OnceLock::new();
    static TIME: OnceLock<Regex> = OnceLock::new();
    static RV: OnceLock<Regex> = OnceLock::new();
    static PORT: OnceLock<Regex> = OnceLock::new();
    out = re(
        &UID,
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    )
    .replace_all(&out, "[uid]")
    .into_owned();
    out = re(&TIME, r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
        .replace_all(&out, "[timestamp]")
        .into_owned();
    out = re(&RV, r#"("resourceVersion": ?|resourceVersion: )"?\d+"?"#)
        .replace_all(&out, "${1}[rv]")
        .into_owned();
    out = re(&PORT, r"127\.0\.0\.1:\d+")
        .replace_all(&out, "127.0.0.1:[port]")
        .into_owned();
    ages(&out)
}

/// The program's own name: knit prints `knit` where kn prints `kn` (usage lines, hints,
/// examples). A word `knit` is always the program's name in knit's output.
fn program_name(text: &str) -> String {
    static KNIT: OnceLock<Regex> = OnceLock::new();
    re(&KNIT, r"\bknit\b").replace_all(text, "kn").into_owned()
}

/// README "Exit codes and hints": where kn's hint is `Run 'kn --help' for usage.`, knit's names
/// the failing command (`Run 'knit service create --help' for usage.`). Applied to knit's
/// normalised stderr only when kn's has the bare hint, so a wrong command in the hint still shows.
pub fn hint(knit_stderr: &str, kn_stderr: &str) -> String {
    const BARE: &str = "Run 'kn --help' for usage";
    if !kn_stderr.contains(BARE) {
        return knit_stderr.to_string();
    }
    static HINT: OnceLock<Regex> = OnceLock::new();
    re(&HINT, r"Run 'kn [^']*--help' for usage")
        .replace_all(knit_stderr, BARE)
        .into_owned()
}

/// Wait progress lines (`  0.031s Ready to serve.`): how many there are and their timings
/// depend on when each watch event arrived. Consecutive ones collapse to the last, whose
/// digits become `X` (the `%7.3f` width is kept, so the format is still compared).
fn settle_progress(text: &str) -> String {
    static TIMING: OnceLock<Regex> = OnceLock::new();
    let timing = re(&TIMING, r"^ *\d+\.\d{3}s ");
    let mut out: Vec<String> = Vec::new();
    let mut previous_was_progress = false;
    for line in text.split_inclusive('\n') {
        match timing.find(line) {
            Some(m) => {
                if previous_was_progress {
                    out.pop();
                }
                let masked: String = m
                    .as_str()
                    .chars()
                    .map(|c| if c.is_ascii_digit() { 'X' } else { c })
                    .collect();
                out.push(format!("{masked}{}", &line[m.end()..]));
                previous_was_progress = true;
            }
            None => {
                out.push(line.to_string());
                previous_was_progress = false;
            }
        }
    }
    out.concat()
}

/// Ages (`4s`, `59s`) in list AGE columns and describe `Age:`/`(4s)`: objects were created a
/// moment apart on the two emulators, so one side may show `9s` where the other shows `10s`,
/// which also moves the padding around it. An age and the spaces around it become ` [age] `;
/// the header lines (no age) still show each column's width. Lines of `-o yaml`/`-o json`
/// (`key: 10s`, `"key": "10s"`) are left alone: there a duration is data, not an age.
fn ages(text: &str) -> String {
    static AGE: OnceLock<Regex> = OnceLock::new();
    static DATA: OnceLock<Regex> = OnceLock::new();
    let age = re(&AGE, r"[ ]*\b\d+s\b[ ]*");
    let data = re(&DATA, r#"^\s*(- )?"?[\w./-]+"?: [^ ]"#);
    text.split_inclusive('\n')
        .map(|line| {
            if data.is_match(line) && !line.trim_start().starts_with("Age:") {
                line.to_string()
            } else {
                age.replace_all(line, " [age] ").into_owned()
            }
        })
        .collect()
}
