//! Service views: the `service list` table and the `service describe` layout.

use jiff::Timestamp;

use super::revision::{revision_age, write_revision_attrs};
use crate::api::duck::{self, conditions_ok, ready_cell, reason_cell};
use crate::api::serving::{Revision, Service};
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// The `service list` table, sorted by namespace then name; `-A` adds NAMESPACE.
pub fn list_table(services: &[Service], all_namespaces: bool, now: Timestamp) -> Table {
    let mut sorted: Vec<&Service> = services.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    let mut table = Table::new(&[
        "Name",
        "URL",
        "Latest",
        "Age",
        "Conditions",
        "Ready",
        "Reason",
    ]);
    if all_namespaces {
        table = table.with_leading_column("Namespace");
    }
    for s in sorted {
        let conditions = &s.status.conditions;
        let mut row = vec![
            s.metadata.name.clone(),
            s.status.url.clone(),
            s.status.latest_ready_revision_name.clone(),
            table_age(s.metadata.creation_timestamp, now),
            conditions_ok(conditions),
            ready_cell(conditions),
            reason_cell(conditions),
        ];
        if all_namespaces {
            row.insert(0, s.metadata.namespace.clone());
        }
        table.push(row);
    }
    table
}

/// One revision line of `service describe`: the revision and how the service routes to it.
#[derive(Debug, Clone)]
pub struct RevisionDesc {
    pub revision: Revision,
    /// Traffic percent of the target (0 for untargeted revisions).
    pub percent: i64,
    pub tag: String,
    /// `latestRevision` of the traffic target, if the revision came from one.
    pub latest_traffic: Option<bool>,
    pub latest_created: bool,
    pub latest_ready: bool,
    /// What is known of the revision (offline files hold no revisions).
    pub known: Known,
}

/// How much of a described revision exists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Known {
    /// A revision read from the cluster.
    #[default]
    Revision,
    /// Offline: the service's template, the revision it will become once deployed.
    Template,
    /// Offline: a revision named by the traffic, nothing more.
    Name,
}

impl RevisionDesc {
    /// The offline view of a service file: its template as the revision-to-be, with the
    /// traffic it will get, then the other revisions its traffic names (kn shows nothing).
    pub fn offline(service: &Service, template: Revision) -> Vec<RevisionDesc> {
        let traffic = &service.spec.traffic;
        let template_name = template.metadata.name.clone();
        let to_template = |t: &&crate::api::serving::TrafficTarget| {
            t.latest_revision == Some(true)
                || (!template_name.is_empty() && t.revision_name == template_name)
        };
        let desc = |revision: Revision, percent: i64, tag: &str, known: Known| RevisionDesc {
            revision,
            percent,
            tag: tag.to_string(),
            latest_traffic: None,
            latest_created: false,
            latest_ready: false,
            known,
        };
        let mut descs = Vec::new();
        // Without spec.traffic Knative routes everything to the latest revision.
        let template_targets: Vec<_> = traffic.iter().filter(to_template).collect();
        if traffic.is_empty() {
            descs.push(desc(template.clone(), 100, "", Known::Template));
        } else if template_targets.is_empty() {
            descs.push(desc(template.clone(), 0, "", Known::Template));
        }
        for t in traffic {
            let percent = t.percent.unwrap_or(0);
            if to_template(&t) {
                descs.push(desc(template.clone(), percent, &t.tag, Known::Template));
            } else {
                let mut named = Revision::default();
                named.metadata.name = t.revision_name.clone();
                descs.push(desc(named, percent, &t.tag, Known::Name));
            }
        }
        // Newest first, as online: the template is the revision to come.
        descs.sort_by_key(|d| d.known != Known::Template);
        descs
    }

    fn bullet(&self) -> String {
        let status = duck::ready(&self.revision.status.conditions).map(|c| c.status.as_str());
        let symbol = match status {
            Some("True") if self.percent > 0 => "%",
            Some("True") => "+",
            Some("False") => "!",
            _ => "?",
        };
        if self.percent == 0 {
            format!("   {symbol}")
        } else {
            format!("{:>3}{symbol}", self.percent)
        }
    }

    fn header(&self, now: Timestamp) -> String {
        let name = &self.revision.metadata.name;
        if self.known != Known::Revision {
            let mut header = match (self.known, name.is_empty()) {
                (Known::Template, true) => "@latest (not deployed)".to_string(),
                (Known::Template, false) => format!("{name} (not deployed)"),
                _ => name.clone(),
            };
            if !self.tag.is_empty() {
                header = format!("{header} #{}", self.tag);
            }
            return header;
        }
        let mut header = if self.latest_traffic == Some(true) {
            format!("@latest ({name})")
        } else if self.latest_ready {
            format!("{name} (current @latest)")
        } else if self.latest_created {
            format!("{name} (latest created)")
        } else {
            name.clone()
        };
        if !self.tag.is_empty() {
            header = format!("{header} #{}", self.tag);
        }
        format!(
            "{header} [{}] ({})",
            self.revision.configuration_generation(),
            revision_age(&self.revision, now)
        )
    }
}

/// The `service describe` text (kn-reference §4.6).
pub fn describe(
    service: &Service,
    revisions: &[RevisionDesc],
    verbose: bool,
    now: Timestamp,
) -> String {
    describe_with(service, revisions, verbose, false, now)
}

/// `service describe` on a terminal: kn's layout plus a Traffic section that draws each target's
/// share as a bar (knit's own; plain output stays kn's byte for byte).
pub fn describe_tty(
    service: &Service,
    revisions: &[RevisionDesc],
    verbose: bool,
    now: Timestamp,
) -> String {
    describe_with(service, revisions, verbose, true, now)
}

fn describe_with(
    service: &Service,
    revisions: &[RevisionDesc],
    verbose: bool,
    traffic: bool,
    now: Timestamp,
) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &service.metadata, verbose, now);
    dw.attr(0, "URL", &service.status.url);
    if verbose && !service.status.address.url.is_empty() {
        dw.attr(0, "Cluster", &service.status.address.url);
    }
    let spec = &service.spec.template.spec;
    if !spec.service_account_name.is_empty() {
        dw.attr(0, "Service Account", &spec.service_account_name);
    }
    if let Some(secret) = spec.image_pull_secrets.first() {
        dw.attr(0, "Image Pull Secret", &secret.name);
    }
    dw.blank();
    dw.flush();
    dw.attr(0, "Revisions", "");
    dw.flush();
    for desc in revisions {
        dw.cells(1, &[&desc.bullet(), &desc.header(now)]);
        let mut attrs = dw.at(1, 1);
        if let Some(ready) = duck::ready(&desc.revision.status.conditions).filter(|c| c.is_false())
        {
            attrs.attr(0, "Error", &ready.reason);
        }
        if desc.known != Known::Name {
            write_revision_attrs(&mut attrs, &desc.revision, verbose, verbose);
        }
    }
    dw.blank();
    if traffic {
        let section = traffic_bars(service);
        if !section.is_empty() {
            dw.attr(0, "Traffic", "");
            dw.flush();
            // Lines without tabs: the bars align themselves.
            for line in section.lines() {
                dw.line(0, line);
            }
            dw.blank();
        }
    }
    write_conditions(&mut dw, &service.status.conditions, verbose, now);
    dw.finish()
}

/// Cells of a traffic bar.
const BAR_CELLS: usize = 20;

/// One line per traffic target: a bar proportional to its percent, the percent, `#tag`, the
/// revision (`@latest (NAME)` when it follows the latest) and the tag's URL. The routed status
/// is shown when the service has one, else the spec (offline files carry no status). Styles are
/// ANSI; the caller's writer drops them where colour is off.
pub fn traffic_bars(service: &Service) -> String {
    let targets = if service.status.traffic.is_empty() {
        &service.spec.traffic
    } else {
        &service.status.traffic
    };
    let rows: Vec<(i64, String, String, &str)> = targets
        .iter()
        .map(|t| {
            let percent = t.percent.unwrap_or(0).clamp(0, 100);
            let tag = if t.tag.is_empty() {
                String::new()
            } else {
                format!("#{}", t.tag)
            };
            let revision = match (t.latest_revision == Some(true), t.revision_name.as_str()) {
                (true, "") => "@latest".to_string(),
                (true, name) => format!("@latest ({name})"),
                (false, name) => name.to_string(),
            };
            (percent, tag, revision, t.url.as_str())
        })
        .collect();
    let width =
        |f: fn(&(i64, String, String, &str)) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let tag_width = width(|r| r.1.chars().count());
    let revision_width = width(|r| r.2.chars().count());
    let filled_style = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Green.into()));
    let empty_style = anstyle::Style::new().dimmed();
    let tag_style = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Cyan.into()));
    let bold = anstyle::Style::new().bold();
    let mut out = String::new();
    for (percent, tag, revision, url) in &rows {
        let filled = bar_cells(*percent);
        let mut line = format!(
            "  {}{}  {}",
            paint(filled_style, &"█".repeat(filled)),
            paint(empty_style, &"░".repeat(BAR_CELLS - filled)),
            paint(bold, &format!("{percent:>3}%")),
        );
        if tag_width > 0 {
            let pad = " ".repeat(tag_width - tag.chars().count());
            line.push_str(&format!("  {}{pad}", paint(tag_style, tag)));
        }
        line.push_str(&format!("  {revision}"));
        if !url.is_empty() {
            let pad = " ".repeat(revision_width - revision.chars().count());
            line.push_str(&format!("{pad}  {url}"));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `text` in `style` (nothing at all for empty text).
fn paint(style: anstyle::Style, text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{style}{text}{style:#}")
    }
}

/// Filled cells for a percent (already clamped to 0..=100): rounded, but a share strictly
/// between 0 and 100 never looks empty or full.
fn bar_cells(percent: i64) -> usize {
    match percent {
        ..=0 => 0,
        100.. => BAR_CELLS,
        _ => ((percent as usize * BAR_CELLS + 50) / 100).clamp(1, BAR_CELLS - 1),
    }
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;
