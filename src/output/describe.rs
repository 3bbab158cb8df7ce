//! kn's describe layout: a "prefix writer" over Go `text/tabwriter` (minwidth 0, padding 2):
//! `Label:<TAB>value` lines aligned per group, nested attributes indented two spaces per level,
//! and the shared metadata and Conditions blocks (kn-reference §2.7).

use std::collections::BTreeMap;
use std::io::Write;

use jiff::Timestamp;
use tabwriter::TabWriter;

use super::age::short_age;
use crate::api::duck::Condition;
use crate::api::meta::ObjectMeta;

/// Width at which non-verbose values are cut (kn's `TruncateAt`).
const TRUNCATE_AT: usize = 100;

/// Accumulates a describe view. Labels in one contiguous group are aligned; a line without a tab,
/// a blank line or [`flush`](Self::flush) ends a group.
pub struct DescribeWriter {
    tw: TabWriter<Vec<u8>>,
}

impl Default for DescribeWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl DescribeWriter {
    pub fn new() -> Self {
        DescribeWriter {
            tw: TabWriter::new(Vec::new()).minwidth(0).padding(2).ansi(true),
        }
    }

    /// Tab-separated cells after `level` indents of two spaces.
    pub fn cells(&mut self, level: usize, cells: &[&str]) {
        let _ = writeln!(self.tw, "{}{}", "  ".repeat(level), cells.join("\t"));
    }

    /// `Label:<TAB>value` at an indent level (values may be empty: section headers).
    pub fn attr(&mut self, level: usize, label: &str, value: &str) {
        self.cells(level, &[&format!("{label}:"), value]);
    }

    /// A plain line (no cells), indented.
    pub fn line(&mut self, level: usize, text: &str) {
        let _ = writeln!(self.tw, "{}{}", "  ".repeat(level), text);
    }

    /// An empty line (ends the alignment group).
    pub fn blank(&mut self) {
        let _ = writeln!(self.tw);
    }

    /// Ends the current alignment group.
    pub fn flush(&mut self) {
        let _ = self.tw.flush();
    }

    /// The rendered text.
    pub fn finish(mut self) -> String {
        self.flush();
        let bytes = self.tw.into_inner().unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// An attribute sink at `level`, optionally behind `lead` empty cells (the revision bullets).
    pub fn at(&mut self, level: usize, lead: usize) -> Attrs<'_> {
        Attrs {
            dw: self,
            level,
            lead,
        }
    }
}

/// Writes attributes at a fixed position: under a section (`level`) and behind `lead` empty
/// cells, with sub-attributes indented inside the label cell so they align with their parent.
pub struct Attrs<'a> {
    dw: &'a mut DescribeWriter,
    level: usize,
    lead: usize,
}

impl Attrs<'_> {
    /// `Label:<TAB>value`, `sub` levels deeper than this sink.
    pub fn attr(&mut self, sub: usize, label: &str, value: &str) {
        let label = format!("{}{label}:", "  ".repeat(sub));
        self.cells(&[&label, value]);
    }

    /// A line whose label cell is empty (continuation of a multi-line value).
    pub fn continuation(&mut self, value: &str) {
        self.cells(&["", value]);
    }

    fn cells(&mut self, cells: &[&str]) {
        let mut all: Vec<&str> = vec![""; self.lead];
        all.extend_from_slice(cells);
        self.dw.cells(self.level, &all);
    }

    /// A map as `k=v` pairs: all keys one per line when verbose, else the non-builtin keys sorted
    /// on one line, cut to fit (kn's `WriteMapDesc`).
    pub fn map(&mut self, label: &str, map: &BTreeMap<String, String>, verbose: bool) {
        let keys: Vec<&String> = map
            .keys()
            .filter(|k| verbose || !is_builtin_key(k))
            .collect();
        if keys.is_empty() {
            return;
        }
        if verbose {
            for (i, key) in keys.iter().enumerate() {
                let pair = format!("{key}={}", map[*key]);
                if i == 0 {
                    self.attr(0, label, &pair);
                } else {
                    self.continuation(&pair);
                }
            }
            return;
        }
        // kn's joinAndTruncate: pairs are added until the text passes the width, so a pair
        // that ends just past it is dropped whole rather than cut.
        let width = TRUNCATE_AT.saturating_sub(label.len() + 2);
        let mut joined = String::new();
        for key in &keys {
            joined.push_str(&format!("{key}={}, ", map[*key]));
            if joined.len() > width {
                break;
            }
        }
        let joined = joined.trim_end_matches([',', ' ']);
        self.attr(0, label, &cut(joined, width));
    }

    /// A list of values: one per line when verbose, else joined with `, ` and cut at 100
    /// (kn's `WriteSliceDesc`).
    pub fn list(&mut self, label: &str, values: &[String], verbose: bool) {
        if values.is_empty() {
            return;
        }
        if verbose {
            for (i, value) in values.iter().enumerate() {
                if i == 0 {
                    self.attr(0, label, value);
                } else {
                    self.continuation(value);
                }
            }
            return;
        }
        self.attr(0, label, &cut(&values.join(", "), TRUNCATE_AT));
    }
}

/// Keeps the first `width - 4` characters and appends ` ...` when `text` is longer than `width`.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(4)).collect();
    format!("{kept} ...")
}

/// Keys kn hides in non-verbose mode (Knative's and kubectl's own bookkeeping).
fn is_builtin_key(key: &str) -> bool {
    match key.split_once('/') {
        Some((prefix, _)) => matches!(
            prefix,
            "serving.knative.dev" | "client.knative.dev" | "kubectl.kubernetes.io"
        ),
        None => false,
    }
}

/// The common metadata block: Name, Namespace, Labels, Annotations, Age.
pub fn write_metadata(dw: &mut DescribeWriter, meta: &ObjectMeta, verbose: bool, now: Timestamp) {
    dw.attr(0, "Name", &meta.name);
    dw.attr(0, "Namespace", &meta.namespace);
    let mut attrs = dw.at(0, 0);
    attrs.map("Labels", &meta.labels, verbose);
    attrs.map("Annotations", &meta.annotations, verbose);
    dw.attr(0, "Age", &short_age(meta.creation_timestamp, now));
}

/// The Conditions block: `Conditions:` then `OK TYPE AGE REASON` rows, Ready first, then by
/// severity (Error, Warning, Info) and type. Verbose adds the message to the reason.
pub fn write_conditions(
    dw: &mut DescribeWriter,
    conditions: &[Condition],
    verbose: bool,
    now: Timestamp,
) {
    dw.attr(0, "Conditions", "");
    let mut sorted: Vec<&Condition> = conditions.iter().collect();
    sorted.sort_by(|a, b| {
        let rank = |c: &Condition| (c.type_ != "Ready", severity_rank(&c.severity));
        rank(a).cmp(&rank(b)).then_with(|| a.type_.cmp(&b.type_))
    });
    let width = sorted
        .iter()
        .map(|c| c.type_.chars().count())
        .max()
        .unwrap_or(0);
    dw.line(
        1,
        &format!("{:<2} {:<width$} {:>6} {}", "OK", "TYPE", "AGE", "REASON"),
    );
    for c in sorted {
        let reason = if verbose && !c.reason.is_empty() {
            format!("{} ({})", c.reason, c.message)
        } else {
            c.reason.clone()
        };
        let age = short_age(c.last_transition_time, now);
        dw.line(
            1,
            &format!(
                "{:<2} {:<width$} {:>6} {}",
                status_symbol(c),
                c.type_,
                age,
                reason
            ),
        );
    }
}

fn severity_rank(severity: &str) -> u8 {
    match severity {
        "" | "Error" => 0,
        "Warning" => 1,
        "Info" => 2,
        _ => 3,
    }
}

fn status_symbol(c: &Condition) -> &'static str {
    match c.status.as_str() {
        "True" => "++",
        "False" => match c.severity.as_str() {
            "" | "Error" => "!!",
            "Warning" => " W",
            "Info" => " I",
            _ => " !",
        },
        _ => "??",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Option<Timestamp> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn metadata_and_conditions_match_kn() {
        let now: Timestamp = "2026-01-01T00:05:00Z".parse().unwrap();
        let meta = ObjectMeta {
            name: "hello".into(),
            namespace: "default".into(),
            labels: [("team".into(), "a".into()), ("app".into(), "web".into())].into(),
            annotations: [("serving.knative.dev/creator".into(), "kube:admin".into())].into(),
            creation_timestamp: ts("2026-01-01T00:00:00Z"),
            ..Default::default()
        };
        let conditions = vec![
            Condition {
                type_: "RoutesReady".into(),
                status: "True".into(),
                last_transition_time: ts("2026-01-01T00:04:00Z"),
                ..Default::default()
            },
            Condition {
                type_: "Ready".into(),
                status: "True".into(),
                last_transition_time: ts("2026-01-01T00:04:00Z"),
                ..Default::default()
            },
            Condition {
                type_: "ConfigurationsReady".into(),
                status: "True".into(),
                last_transition_time: ts("2026-01-01T00:04:00Z"),
                ..Default::default()
            },
            Condition {
                type_: "Active".into(),
                status: "False".into(),
                severity: "Info".into(),
                reason: "NoTraffic".into(),
                message: "idle".into(),
                last_transition_time: ts("2026-01-01T00:01:00Z"),
            },
        ];
        let mut dw = DescribeWriter::new();
        write_metadata(&mut dw, &meta, false, now);
        dw.attr(0, "URL", "http://hello.default.example.com");
        dw.blank();
        write_conditions(&mut dw, &conditions, false, now);
        assert_eq!(
            dw.finish(),
            "Name:       hello\n\
             Namespace:  default\n\
             Labels:     app=web, team=a\n\
             Age:        5m\n\
             URL:        http://hello.default.example.com\n\
             \n\
             Conditions:  \n  \
             OK TYPE                   AGE REASON\n  \
             ++ Ready                   1m \n  \
             ++ ConfigurationsReady     1m \n  \
             ++ RoutesReady             1m \n   \
             I Active                  4m NoTraffic\n"
        );
    }

    #[test]
    fn verbose_maps_put_one_pair_per_line() {
        let now: Timestamp = "2026-01-01T00:05:00Z".parse().unwrap();
        let meta = ObjectMeta {
            name: "hello".into(),
            namespace: "default".into(),
            annotations: [
                ("serving.knative.dev/creator".into(), "kube:admin".into()),
                (
                    "serving.knative.dev/lastModifier".into(),
                    "kube:admin".into(),
                ),
            ]
            .into(),
            creation_timestamp: ts("2026-01-01T00:00:00Z"),
            ..Default::default()
        };
        let mut dw = DescribeWriter::new();
        write_metadata(&mut dw, &meta, true, now);
        dw.attr(0, "Service Account", "default-sa");
        assert_eq!(
            dw.finish(),
            "Name:             hello\n\
             Namespace:        default\n\
             Annotations:      serving.knative.dev/creator=kube:admin\n                  \
             serving.knative.dev/lastModifier=kube:admin\n\
             Age:              5m\n\
             Service Account:  default-sa\n"
        );
    }

    #[test]
    fn long_values_are_cut_like_kn() {
        let long: BTreeMap<String, String> = (0..20)
            .map(|i| (format!("key{i:02}"), "value".to_string()))
            .collect();
        let mut dw = DescribeWriter::new();
        dw.at(0, 0).map("Labels", &long, false);
        let text = dw.finish();
        let value = text.trim_end().trim_start_matches("Labels:").trim_start();
        assert_eq!(value.chars().count(), 92);
        assert!(value.ends_with(" ..."));
    }

    #[test]
    fn a_pair_ending_just_past_the_width_is_dropped_whole() {
        // kn's joinAndTruncate stops adding pairs once the text passes the width (87 after
        // `Annotations`), then trims the trailing ", ": two pairs of 86 characters fit.
        let map: BTreeMap<String, String> = [
            ("eventing.knative.dev/broker.class", "Kafka"),
            ("eventing.knative.dev/creator", "kubernetes-admin"),
            ("eventing.knative.dev/lastModifier", "kubernetes-admin"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut dw = DescribeWriter::new();
        dw.at(0, 0).map("Annotations", &map, false);
        assert_eq!(
            dw.finish(),
            "Annotations:  eventing.knative.dev/broker.class=Kafka, \
             eventing.knative.dev/creator=kubernetes-admin\n"
        );
    }
}
