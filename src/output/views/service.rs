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
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-01-01T00:05:00Z".parse().unwrap()
    }

    fn ready(time: &str) -> serde_json::Value {
        json!([
            {"type": "Ready", "status": "True", "lastTransitionTime": time},
            {"type": "ConfigurationsReady", "status": "True", "lastTransitionTime": time},
            {"type": "RoutesReady", "status": "True", "lastTransitionTime": time}
        ])
    }

    fn service(verbose_fields: bool) -> Service {
        let mut value = json!({
            "metadata": {"name": "hello", "namespace": "default",
                         "labels": {"app": "web", "team": "a"},
                         "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"template": {"spec": {"containers": [{"image": "x"}]}}},
            "status": {"url": "http://hello.default.example.com",
                       "conditions": ready("2026-01-01T00:04:00Z"),
                       "latestReadyRevisionName": "hello-00002",
                       "latestCreatedRevisionName": "hello-00002"}
        });
        if verbose_fields {
            value["metadata"]["labels"] = json!(null);
            value["metadata"]["annotations"] = json!({
                "serving.knative.dev/creator": "kube:admin",
                "serving.knative.dev/lastModifier": "kube:admin"
            });
            value["status"]["address"] = json!({"url": "http://hello.default.svc.cluster.local"});
            value["spec"]["template"]["spec"]["serviceAccountName"] = json!("default-sa");
        }
        serde_json::from_value(value).unwrap()
    }

    fn revision(name: &str, generation: &str, created: &str, verbose_fields: bool) -> Revision {
        let mut value = json!({
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": created,
                         "labels": {"serving.knative.dev/configurationGeneration": generation},
                         "annotations": {"client.knative.dev/user-image": "gcr.io/knative-samples/helloworld-go"}},
            "spec": {"containers": [{"name": "user-container",
                                     "image": "gcr.io/knative-samples/helloworld-go@sha256:5ea96ba4b8"}]},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                       "containerStatuses": [{"name": "user-container", "imageDigest": "gcr.io/knative-samples/helloworld-go@sha256:5ea96ba4b8"}],
                       "actualReplicas": 1, "desiredReplicas": 1}
        });
        if name.ends_with('1') {
            value["status"]["actualReplicas"] = json!(0);
            value["status"]["desiredReplicas"] = json!(0);
        }
        if verbose_fields {
            let c = &mut value["spec"]["containers"][0];
            c["ports"] = json!([{"containerPort": 8080}]);
            if name.ends_with('2') {
                c["env"] = json!([{"name": "TARGET", "value": "Knative"}, {"name": "FOO", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]);
                c["envFrom"] = json!([{"configMapRef": {"name": "myconfig"}}]);
                c["resources"] = json!({"requests": {"memory": "64Mi", "cpu": "100m"}, "limits": {"memory": "256Mi"}});
                value["spec"]["containerConcurrency"] = json!(100);
                let a = &mut value["metadata"]["annotations"];
                a["autoscaling.knative.dev/min-scale"] = json!("1");
                a["autoscaling.knative.dev/target"] = json!("10");
            }
        }
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn describe_matches_kns_sample() {
        let revisions = vec![
            RevisionDesc {
                revision: revision("hello-00002", "2", "2026-01-01T00:04:00Z", false),
                percent: 100,
                tag: String::new(),
                latest_traffic: Some(true),
                latest_created: true,
                latest_ready: true,
                known: Known::Revision,
            },
            RevisionDesc {
                revision: revision("hello-00001", "1", "2026-01-01T00:00:00Z", false),
                percent: 0,
                tag: "old".into(),
                latest_traffic: Some(false),
                latest_created: false,
                latest_ready: false,
                known: Known::Revision,
            },
        ];
        assert_eq!(
            describe(&service(false), &revisions, false, now()),
            "Name:       hello\n\
             Namespace:  default\n\
             Labels:     app=web, team=a\n\
             Age:        5m\n\
             URL:        http://hello.default.example.com\n\
             \n\
             Revisions:  \n  \
             100%  @latest (hello-00002) [2] (1m)\n        \
             Image:     gcr.io/knative-samples/helloworld-go (pinned to 5ea96b)\n        \
             Replicas:  1/1\n     \
             +  hello-00001 #old [1] (5m)\n        \
             Image:     gcr.io/knative-samples/helloworld-go (pinned to 5ea96b)\n        \
             Replicas:  0/0\n\
             \n\
             Conditions:  \n  \
             OK TYPE                   AGE REASON\n  \
             ++ Ready                   1m \n  \
             ++ ConfigurationsReady     1m \n  \
             ++ RoutesReady             1m \n"
        );
    }

    #[test]
    fn verbose_describe_matches_kns_sample() {
        let revisions = vec![
            RevisionDesc {
                revision: revision("hello-00002", "2", "2026-01-01T00:04:00Z", true),
                percent: 100,
                tag: String::new(),
                latest_traffic: Some(true),
                latest_created: true,
                latest_ready: true,
                known: Known::Revision,
            },
            RevisionDesc {
                revision: revision("hello-00001", "1", "2026-01-01T00:00:00Z", true),
                percent: 0,
                tag: String::new(),
                latest_traffic: None,
                latest_created: false,
                latest_ready: false,
                known: Known::Revision,
            },
        ];
        assert_eq!(
            describe(&service(true), &revisions, true, now()),
            "Name:             hello\n\
             Namespace:        default\n\
             Annotations:      serving.knative.dev/creator=kube:admin\n                  \
             serving.knative.dev/lastModifier=kube:admin\n\
             Age:              5m\n\
             URL:              http://hello.default.example.com\n\
             Cluster:          http://hello.default.svc.cluster.local\n\
             Service Account:  default-sa\n\
             \n\
             Revisions:  \n  \
             100%  @latest (hello-00002) [2] (1m)\n        \
             Image:        gcr.io/knative-samples/helloworld-go (pinned to 5ea96b)\n        \
             Replicas:     1/1\n        \
             Port:         8080\n        \
             Env:          TARGET=Knative\n                      \
             FOO=[ref]\n        \
             EnvFrom:      cm:myconfig\n        \
             Scale:        1 ... ∞\n        \
             Concurrency:  \n          \
             Limit:      100\n          \
             Target:     10\n        \
             Memory:       64Mi ... 256Mi\n        \
             CPU:          100m\n     \
             +  hello-00001 [1] (5m)\n        \
             Image:     gcr.io/knative-samples/helloworld-go (pinned to 5ea96b)\n        \
             Replicas:  0/0\n        \
             Port:      8080\n\
             \n\
             Conditions:  \n  \
             OK TYPE                   AGE REASON\n  \
             ++ Ready                   1m \n  \
             ++ ConfigurationsReady     1m \n  \
             ++ RoutesReady             1m \n"
        );
    }

    #[test]
    fn bars_round_but_never_hide_a_share() {
        let cells: Vec<usize> = [0, 1, 2, 3, 50, 97, 99, 100].map(bar_cells).to_vec();
        assert_eq!(cells, vec![0, 1, 1, 1, 10, 19, 19, 20]);
    }

    #[test]
    fn traffic_bars_are_coloured() {
        let mut s = service(false);
        s.status.traffic = vec![crate::api::serving::TrafficTarget {
            revision_name: "hello-00001".into(),
            latest_revision: Some(false),
            percent: Some(100),
            tag: "v1".into(),
            url: "http://v1-hello.default.example.com".into(),
            ..Default::default()
        }];
        assert_eq!(
            traffic_bars(&s),
            "  \u{1b}[32m████████████████████\u{1b}[0m  \u{1b}[1m100%\u{1b}[0m  \
             \u{1b}[36m#v1\u{1b}[0m  hello-00001  http://v1-hello.default.example.com\n"
        );
    }

    #[test]
    fn list_table_with_namespaces() {
        let a = service(false);
        let mut b = service(false);
        b.metadata.namespace = "abc".into();
        b.metadata.name = "zeta".into();
        let table = list_table(&[a, b], true, now());
        assert_eq!(
            table.render(true),
            "NAMESPACE   NAME    URL                                LATEST        AGE   CONDITIONS   READY   REASON\n\
             abc         zeta    http://hello.default.example.com   hello-00002   5m    3 OK / 3     True    \n\
             default     hello   http://hello.default.example.com   hello-00002   5m    3 OK / 3     True    \n"
        );
    }
}
