//! Lines of `service logs` / `revision logs`: `[pod/POD/CONTAINER] text` as kubectl's
//! `--prefix` writes them (the prefix coloured per pod on a colour terminal), the runtime's
//! timestamp in front when asked, or one JSON object per line for programs.

use anstyle::{AnsiColor, Style};
use serde_json::json;

use crate::client::pod_log::LogLine;

/// One line and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedLine {
    pub pod: String,
    pub container: String,
    pub revision: String,
    pub line: LogLine,
}

/// How lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineStyle {
    pub prefix: bool,
    pub timestamps: bool,
    pub colour: bool,
    pub json: bool,
}

/// The colours pods take in turn, in the order they first print.
const PALETTE: [AnsiColor; 6] = [
    AnsiColor::Cyan,
    AnsiColor::Yellow,
    AnsiColor::Green,
    AnsiColor::Magenta,
    AnsiColor::Blue,
    AnsiColor::Red,
];

/// Writes lines, remembering which colour each pod has.
#[derive(Debug, Default)]
pub struct LineWriter {
    pods: Vec<String>,
}

impl LineWriter {
    /// One line, ending in a newline.
    pub fn render(&mut self, line: &SourcedLine, style: LineStyle) -> String {
        if style.json {
            // Written field by field so the order is fixed whatever serde_json's map keeps.
            let field = |s: &str| json!(s).to_string();
            return format!(
                "{{\"pod\":{},\"container\":{},\"revision\":{},\"timestamp\":{},\"message\":{}}}\n",
                field(&line.pod),
                field(&line.container),
                field(&line.revision),
                field(&line.line.timestamp),
                field(&line.line.text)
            );
        }
        let mut out = String::new();
        if style.timestamps && !line.line.timestamp.is_empty() {
            out.push_str(&line.line.timestamp);
            out.push(' ');
        }
        if style.prefix {
            let prefix = format!("[pod/{}/{}]", line.pod, line.container);
            if style.colour {
                let index = match self.pods.iter().position(|p| *p == line.pod) {
                    Some(i) => i,
                    None => {
                        self.pods.push(line.pod.clone());
                        self.pods.len() - 1
                    }
                };
                let colour = Style::new().fg_color(Some(PALETTE[index % PALETTE.len()].into()));
                out.push_str(&format!("{colour}{prefix}{colour:#} "));
            } else {
                out.push_str(&prefix);
                out.push(' ');
            }
        }
        out.push_str(&line.line.text);
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(pod: &str) -> SourcedLine {
        SourcedLine {
            pod: pod.into(),
            container: "user-container".into(),
            revision: "r".into(),
            line: LogLine {
                timestamp: "2026-01-01T00:00:00.000000000Z".into(),
                text: "hi".into(),
            },
        }
    }

    #[test]
    fn lines_are_prefixed_stamped_coloured_or_json() {
        let mut w = LineWriter::default();
        let plain = LineStyle {
            prefix: true,
            timestamps: false,
            colour: false,
            json: false,
        };
        assert_eq!(w.render(&line("a"), plain), "[pod/a/user-container] hi\n");
        let bare = LineStyle {
            prefix: false,
            timestamps: true,
            ..plain
        };
        assert_eq!(
            w.render(&line("a"), bare),
            "2026-01-01T00:00:00.000000000Z hi\n"
        );
        let colour = LineStyle {
            colour: true,
            ..plain
        };
        assert_eq!(
            w.render(&line("a"), colour),
            "\u{1b}[36m[pod/a/user-container]\u{1b}[0m hi\n"
        );
        assert_eq!(
            w.render(&line("b"), colour),
            "\u{1b}[33m[pod/b/user-container]\u{1b}[0m hi\n"
        );
        let json = LineStyle {
            json: true,
            ..plain
        };
        assert_eq!(
            w.render(&line("a"), json),
            "{\"pod\":\"a\",\"container\":\"user-container\",\"revision\":\"r\",\"timestamp\":\"2026-01-01T00:00:00.000000000Z\",\"message\":\"hi\"}\n"
        );
    }
}
