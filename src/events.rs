//! `service events` and `revision events`: the core v1 Events about a Knative object and
//! everything under it (a Service's Configuration and Route, its Revisions, their Deployments,
//! ReplicaSets and Pods), as `kubectl events --for` shows one object's: sorted by time, listed
//! once or followed.

use serde_json::Value;

use crate::client::Client;
use crate::client::ListOptions;
use crate::client::follow::{Collection, Follower, Observed};
use crate::client::kinds::{EVENT, REVISION};
use crate::context::Context;
use crate::error::Result;
use crate::output::structured::Printer;
use crate::output::views;
use jiff::Timestamp;

const SERVING_GROUP: &str = "serving.knative.dev/";
const SERVICE_LABEL: &str = "serving.knative.dev/service";

/// The objects whose events are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Service(String),
    Revision(String),
}

/// Which events belong to a scope: its Knative objects by kind and name, the workloads under
/// its revisions by name (`REV-deployment`, `REV-deployment-HASH`, `REV-deployment-HASH-ID`).
#[derive(Debug, Clone)]
pub struct EventFilter {
    scope: Scope,
    revisions: Vec<String>,
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

impl EventFilter {
    /// The filter for `scope`, with the service's revisions as they are now.
    pub async fn new(client: &Client, namespace: &str, scope: Scope) -> Result<EventFilter> {
        let mut filter = EventFilter {
            scope,
            revisions: Vec::new(),
        };
        filter.refresh(client, namespace).await?;
        Ok(filter)
    }

    /// Reads the service's revisions again (after one was created).
    pub async fn refresh(&mut self, client: &Client, namespace: &str) -> Result<()> {
        self.revisions = match &self.scope {
            Scope::Revision(name) => vec![name.clone()],
            Scope::Service(name) => client
                .list(
                    &REVISION,
                    Some(namespace),
                    &ListOptions::labelled(SERVICE_LABEL, name),
                )
                .await?
                .items
                .iter()
                .map(|r| str_at(r, "/metadata/name").to_string())
                .collect(),
        };
        Ok(())
    }

    /// Whether an event is about an object of the scope.
    pub fn matches(&self, event: &Value) -> bool {
        let kind = str_at(event, "/involvedObject/kind");
        let name = str_at(event, "/involvedObject/name");
        let api_version = str_at(event, "/involvedObject/apiVersion");
        let knative = api_version.starts_with(SERVING_GROUP);
        let under_revision = |rev: &String| {
            let deployment = format!("{rev}-deployment");
            match kind {
                "Revision" => knative && name == rev,
                "Deployment" => name == deployment,
                "ReplicaSet" | "Pod" => name.starts_with(&format!("{deployment}-")),
                _ => false,
            }
        };
        match &self.scope {
            Scope::Service(service)
                if knative
                    && matches!(kind, "Service" | "Configuration" | "Route")
                    && name == service =>
            {
                true
            }
            _ => self.revisions.iter().any(under_revision),
        }
    }

    /// Whether an event is about a workload kind this filter may not know yet (a revision
    /// created since it was built).
    pub fn may_be_new(&self, event: &Value) -> bool {
        matches!(self.scope, Scope::Service(_))
            && matches!(
                str_at(event, "/involvedObject/kind"),
                "Revision" | "Deployment" | "ReplicaSet" | "Pod"
            )
            && !self.matches(event)
    }
}

/// kubectl's sort key of an event: its last time (`lastTimestamp`, else `eventTime`).
pub fn event_time(event: &Value) -> String {
    let last = str_at(event, "/series/lastObservedTime");
    if !last.is_empty() {
        return last.to_string();
    }
    let last = str_at(event, "/lastTimestamp");
    if !last.is_empty() {
        return last.to_string();
    }
    str_at(event, "/eventTime").to_string()
}

/// The events of the scope now, oldest first.
pub async fn list(client: &Client, namespace: &str, filter: &EventFilter) -> Result<Vec<Value>> {
    let all = client
        .list(&EVENT, Some(namespace), &ListOptions::default())
        .await?
        .items;
    Ok(sorted(
        all.into_iter().filter(|e| filter.matches(e)).collect(),
    ))
}

/// Events sorted by time. Times have only seconds, so ties go by the creation time that
/// client-go's recorder writes into event names (`OBJECT.HEXNANOS`), then the server's order.
pub fn sorted(mut events: Vec<Value>) -> Vec<Value> {
    let nanos = |e: &Value| {
        str_at(e, "/metadata/name")
            .rsplit_once('.')
            .and_then(|(_, hex)| u64::from_str_radix(hex, 16).ok())
            .unwrap_or(0)
    };
    events.sort_by_cached_key(|e| (event_time(e), nanos(e)));
    events
}

/// What a follow of events reports.
pub enum Seen {
    /// The events there at the start, sorted.
    Initial(Vec<Value>),
    /// An event recorded (or counted again) since.
    Event(Value),
}

/// Follows the scope's events until Ctrl-C (or `each` returns false).
pub async fn follow(
    client: &Client,
    namespace: &str,
    mut filter: EventFilter,
    each: &mut dyn FnMut(Seen) -> Result<bool>,
) -> Result<()> {
    let mut events = Follower::new(
        client,
        Collection::Kind(&EVENT),
        Some(namespace),
        ListOptions::default(),
    );
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut listed = false;
    loop {
        let observed = tokio::select! {
            _ = &mut ctrl_c => return Ok(()),
            observed = events.next() => observed?,
        };
        let seen = match observed {
            // A list after the first (the watch expired) repeats what was already shown.
            Observed::Listed(_) if listed => continue,
            Observed::Listed(items) => {
                listed = true;
                Seen::Initial(sorted(
                    items.into_iter().filter(|e| filter.matches(e)).collect(),
                ))
            }
            Observed::Added(event) | Observed::Modified(event) => {
                if filter.may_be_new(&event) {
                    filter.refresh(client, namespace).await?;
                }
                if !filter.matches(&event) {
                    continue;
                }
                Seen::Event(event)
            }
            Observed::Deleted(_) => continue,
        };
        if !each(seen)? {
            return Ok(());
        }
    }
}

/// Lists (and with `watch` follows) the scope's events: kubectl's events table, or the
/// structured printer's EventList (then one object per followed event).
pub async fn print(
    client: &Client,
    namespace: &str,
    scope: Scope,
    watch: bool,
    printer: Option<&Printer>,
    ctx: &Context,
) -> Result<()> {
    let filter = EventFilter::new(client, namespace, scope).await?;
    let render_all = |events: &[Value]| -> Result<String> {
        match printer {
            Some(p) => p.print_list(&EVENT, events),
            None if events.is_empty() => Ok(String::new()),
            None => Ok(views::events::table(events, Timestamp::now())),
        }
    };
    if !watch {
        let events = list(client, namespace, &filter).await?;
        if events.is_empty() && printer.is_none() {
            return ctx.eprint(&format!("No events found in {namespace} namespace.\n"));
        }
        return ctx.print(&render_all(&events)?);
    }
    let mut each = |seen: Seen| -> Result<bool> {
        let text = match (seen, printer) {
            (Seen::Initial(events), None) if events.is_empty() => {
                views::events::table(&[], Timestamp::now())
            }
            (Seen::Initial(events), _) => render_all(&events)?,
            (Seen::Event(event), Some(p)) => p.print(&event)?,
            (Seen::Event(event), None) => views::events::line(&event, Timestamp::now()),
        };
        ctx.print(&text)?;
        Ok(true)
    };
    follow(client, namespace, filter, &mut each).await
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(kind: &str, name: &str, api_version: &str) -> Value {
        json!({"involvedObject": {"kind": kind, "name": name, "apiVersion": api_version}})
    }

    #[test]
    fn a_service_scope_covers_its_objects_and_workloads_only() {
        let filter = EventFilter {
            scope: Scope::Service("hello".into()),
            revisions: vec!["hello-00001".into()],
        };
        let serving = "serving.knative.dev/v1";
        assert!(filter.matches(&event("Service", "hello", serving)));
        assert!(filter.matches(&event("Configuration", "hello", serving)));
        assert!(filter.matches(&event("Revision", "hello-00001", serving)));
        assert!(filter.matches(&event("Deployment", "hello-00001-deployment", "apps/v1")));
        assert!(filter.matches(&event("Pod", "hello-00001-deployment-abc-x1", "v1")));
        assert!(!filter.matches(&event("Service", "hello", "v1")));
        assert!(!filter.matches(&event("Service", "hello-world", serving)));
        assert!(!filter.matches(&event("Pod", "hello-world-00001-deployment-abc-x1", "v1")));
        assert!(filter.may_be_new(&event("Revision", "hello-00002", serving)));
    }

    #[test]
    fn events_sort_by_their_last_time_then_their_recorded_nanoseconds() {
        let a = json!({"lastTimestamp": "2026-01-01T00:00:02Z"});
        let b = json!({"eventTime": "2026-01-01T00:00:01.000000Z"});
        assert_eq!(
            sorted(vec![a.clone(), b.clone()]),
            vec![b.clone(), a.clone()]
        );
        let late =
            json!({"metadata": {"name": "p.18eecfb1df"}, "lastTimestamp": "2026-01-01T00:00:02Z"});
        let early =
            json!({"metadata": {"name": "q.18eecfb1de"}, "lastTimestamp": "2026-01-01T00:00:02Z"});
        assert_eq!(sorted(vec![late.clone(), early.clone()]), vec![early, late]);
    }
}
