//! The human layouts of `diagnose` (a tree of objects, each with what is wrong with it, then
//! the verdict) and of `knit doctor` (one line per check). Colour marks health on a terminal;
//! `Context::print` strips it elsewhere.

use anstyle::{AnsiColor, Style};

use crate::diagnose::doctor::{Level, Report};
use crate::diagnose::{Diagnosis, Finding, Health, Node};

fn paint(color: AnsiColor, text: &str) -> String {
    let style = Style::new().fg_color(Some(color.into())).bold();
    format!("{style}{text}{style:#}")
}

fn health_word(h: Health) -> String {
    match h {
        Health::Ok => paint(AnsiColor::Green, "OK"),
        Health::Pending => paint(AnsiColor::Yellow, "pending"),
        Health::Failed => paint(AnsiColor::Red, "failed"),
        Health::Missing => paint(AnsiColor::Red, "missing"),
    }
}

fn finding_text(f: &Finding) -> String {
    let head = match f.source.as_str() {
        "condition" => format!("{}={}", f.subject, f.status),
        "event" if f.subject.is_empty() => "event".to_string(),
        "event" => format!("event {}", f.subject),
        "container" => format!("container {} {}", f.subject, f.status),
        _ => f.subject.clone(),
    };
    let mut text = head;
    if !f.reason.is_empty() {
        text.push(' ');
        text.push_str(&f.reason);
    }
    if !f.message.is_empty() {
        text.push_str(": ");
        text.push_str(&f.message.replace('\n', " "));
    }
    text
}

fn node_lines(node: &Node, lead: &str, branch: &str, child_lead: &str, out: &mut String) {
    let detail = if node.detail.is_empty() {
        String::new()
    } else {
        format!("  {}", node.detail)
    };
    out.push_str(&format!(
        "{lead}{branch}{} {}  {}{detail}\n",
        node.kind,
        node.name,
        health_word(node.health)
    ));
    let under = format!("{lead}{child_lead}");
    let bar = if node.children.is_empty() {
        "  "
    } else {
        "│ "
    };
    for f in &node.findings {
        out.push_str(&format!("{under}{bar} ! {}\n", finding_text(f)));
    }
    for (i, c) in node.children.iter().enumerate() {
        let last = i + 1 == node.children.len();
        let (b, l) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        node_lines(c, &under, b, l, out);
    }
}

/// The tree, a blank line, and the verdict.
pub fn diagnosis(d: &Diagnosis) -> String {
    let mut out = String::new();
    node_lines(&d.tree, "", "", "", &mut out);
    let label = if d.healthy {
        paint(AnsiColor::Green, "Verdict:")
    } else {
        paint(AnsiColor::Red, "Verdict:")
    };
    out.push_str(&format!("\n{label} {}\n", d.verdict));
    out
}

/// One line per check (level, name, message) and the hint below a WARN or FAIL.
pub fn doctor(report: &Report) -> String {
    let width = report
        .checks
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for c in &report.checks {
        let (word, color) = match c.level {
            Level::Ok => ("OK", AnsiColor::Green),
            Level::Warn => ("WARN", AnsiColor::Yellow),
            Level::Fail => ("FAIL", AnsiColor::Red),
        };
        let pad = " ".repeat(5 - word.len());
        out.push_str(&format!(
            "{}{pad}{:<width$}  {}\n",
            paint(color, word),
            c.name,
            c.message
        ));
        if !c.hint.is_empty() {
            out.push_str(&format!("{}  hint: {}\n", " ".repeat(5 + width), c.hint));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::doctor::Check;

    fn plain(s: &str) -> String {
        anstream::adapter::strip_str(s).to_string()
    }

    #[test]
    fn a_tree_shows_findings_under_their_object() {
        let mut rev = Node::new("Revision", "s-1");
        rev.health = Health::Failed;
        rev.findings.push(Finding {
            source: "condition".into(),
            subject: "Ready".into(),
            status: "False".into(),
            reason: "ContainerMissing".into(),
            message: "no image".into(),
            image: String::new(),
        });
        let mut config = Node::new("Configuration", "s");
        config.children.push(rev);
        let mut svc = Node::new("Service", "s");
        svc.detail = "http://s.ns.example.com".into();
        svc.children.push(config);
        svc.children.push(Node::missing("Route", "s"));
        let d = Diagnosis {
            namespace: "ns".into(),
            healthy: false,
            verdict: "v".into(),
            tree: svc,
        };
        assert_eq!(
            plain(&diagnosis(&d)),
            "Service s  OK  http://s.ns.example.com\n\
             ├─ Configuration s  OK\n\
             │  └─ Revision s-1  failed\n\
             │        ! Ready=False ContainerMissing: no image\n\
             └─ Route s  missing  not found\n\
             \n\
             Verdict: v\n"
        );
    }

    #[test]
    fn doctor_lines_align_and_carry_hints() {
        let report = Report {
            ok: false,
            checks: vec![
                Check {
                    name: "user".into(),
                    level: Level::Ok,
                    message: "me".into(),
                    hint: String::new(),
                },
                Check {
                    name: "domain".into(),
                    level: Level::Warn,
                    message: "none".into(),
                    hint: "set one".into(),
                },
            ],
        };
        assert_eq!(
            plain(&doctor(&report)),
            "OK   user    me\nWARN domain  none\n             hint: set one\n"
        );
    }
}
