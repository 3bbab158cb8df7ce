//! The case files (`tests/differential/cases/*.txt`): their format and its parser.
//!
//! ```text
//! # A comment (a line whose first non-blank character is '#').
//! case service-create-and-list          <- starts a case; names are unique
//! differs: README "…": why              <- optional: every line of this case differs on purpose
//! known: ITEM                           <- optional: a difference another change is fixing
//! file env.txt                          <- writes the lines up to `end` into the case's
//! FOO=bar                                  working directory, on both sides
//! end
//! service create hello --image img      <- a command line, without the program name;
//! service describe hello -o yaml  ## differs: why   <- the same markers, for one line
//! service import - < svc.yaml           <- `< FILE` feeds FILE (in the working directory) to stdin
//! (no arguments)                        <- the program run without arguments
//! kubectl create namespace t            <- real kubectl on each side (setup, compared too)
//! ```
//!
//! Arguments are split at spaces; `'…'` quotes an argument holding spaces (tests/it's `argv`).

use std::path::Path;

/// Why a line (or every line of a case) may differ between kn and knit.
#[derive(Debug, Clone, PartialEq)]
pub enum Marker {
    /// A documented difference (README "Where knit differs from kn on purpose"): the outputs
    /// must differ, otherwise the marker is stale.
    Differs(String),
    /// A difference another change is fixing: reported, not failed.
    Known(String),
}

#[derive(Debug, Clone)]
pub struct Line {
    /// Where the line is, `file:line`, for reports.
    pub at: String,
    pub text: String,
    pub stdin: Option<String>,
    pub marker: Option<Marker>,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub at: String,
    pub marker: Option<Marker>,
    /// Files written into the working directory before the first line: (name, content).
    pub files: Vec<(String, String)>,
    pub lines: Vec<Line>,
}

/// Parses one case file; an error names the file and line.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Case>, String> {
    let file = path.file_name().unwrap_or_default().to_string_lossy();
    let mut cases: Vec<Case> = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, raw)) = lines.next() {
        let at = format!("{file}:{}", i + 1);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix("case ") {
            cases.push(Case {
                name: name.trim().to_string(),
                at,
                marker: None,
                files: Vec::new(),
                lines: Vec::new(),
            });
            continue;
        }
        let Some(case) = cases.last_mut() else {
            return Err(format!("{at}: `{line}` comes before the first `case NAME`"));
        };
        if let Some(marker) = marker(line) {
            if case.marker.is_some() || !case.lines.is_empty() {
                return Err(format!(
                    "{at}: a case marker goes once, before the case's first command line"
                ));
            }
            case.marker = Some(marker);
        } else if let Some(name) = line.strip_prefix("file ") {
            let mut content = String::new();
            loop {
                match lines.next() {
                    Some((_, "end")) => break,
                    Some((_, l)) => {
                        content.push_str(l);
                        content.push('\n');
                    }
                    None => return Err(format!("{at}: `file {name}` has no `end`")),
                }
            }
            case.files.push((name.trim().to_string(), content));
        } else {
            let (command, marker) = match line.split_once("##") {
                Some((command, m)) => (
                    command.trim(),
                    Some(marker(m.trim()).ok_or_else(|| {
                        format!(
                            "{at}: `## {}` is neither `differs: WHY` nor `known: ITEM`",
                            m.trim()
                        )
                    })?),
                ),
                None => (line, None),
            };
            let (command, stdin) = match command.rsplit_once(" < ") {
                Some((command, file)) => (command.trim(), Some(file.trim().to_string())),
                None => (command, None),
            };
            let command = if command == "(no arguments)" {
                ""
            } else {
                command
            };
            case.lines.push(Line {
                at,
                text: command.to_string(),
                stdin,
                marker,
            });
        }
    }
    for case in &cases {
        if case.lines.is_empty() {
            return Err(format!(
                "{}: case {} has no command line",
                case.at, case.name
            ));
        }
    }
    Ok(cases)
}

/// `differs: WHY` or `known: ITEM`.
fn marker(text: &str) -> Option<Marker> {
    if let Some(why) = text.strip_prefix("differs:") {
        Some(Marker::Differs(why.trim().to_string()))
    } else {
        text.strip_prefix("known:")
            .map(|item| Marker::Known(item.trim().to_string()))
    }
}
