//! The `events` verbs: the core v1 Events about a Knative object and everything under it, as
//! `kubectl events --for` shows one object's, sorted by time, listed once or followed. Under a
//! Service are its Configuration and Route, its Revisions (by label) and their Deployments,
//! ReplicaSets and Pods (by name); under an Eventing object what it owns (ownerReferences, down
//! the kinds Knative creates: a Trigger's Subscription, a Broker's channel, a ContainerSource's
//! SinkBinding and Deployment …), and under a Broker the Triggers labelled with its name.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::client::Client;
use crate::client::ListOptions;
use crate::client::follow::{Collection, Follower, Observed};
use crate::client::kinds::{
    BROKER, CONTAINER_SOURCE, DEPLOYMENT, EVENT, IN_MEMORY_CHANNEL, REVISION, ResourceKind,
    SINK_BINDING, SUBSCRIPTION, TRIGGER,
};
use crate::context::Context;
use crate::error::Result;
use crate::output::structured::Printer;
use crate::output::views;
use jiff::Timestamp;

const SERVING: &str = "serving.knative.dev";
const SERVICE_LABEL: &str = "serving.knative.dev/service";
/// The label Eventing's webhook puts on a Trigger: the name of its Broker.
const BROKER_LABEL: &str = "eventing.knative.dev/broker";

/// The objects whose events are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Service(String),
    Revision(String),
    /// An Eventing object of `kind` and what it owns (and a Broker's Triggers).
    Owner(ResourceKind, String),
}

/// The kinds Knative's controllers create under an object of `kind` (owned through
/// ownerReferences), listed to find what the object owns.
fn owned_kinds(kind: &ResourceKind) -> &'static [ResourceKind] {
    match kind.kind {
        "Broker" => &[IN_MEMORY_CHANNEL, SUBSCRIPTION],
        "Trigger" => &[SUBSCRIPTION],
        "Channel" => &[IN_MEMORY_CHANNEL],
        "ApiServerSource" => &[DEPLOYMENT],
        "ContainerSource" => &[SINK_BINDING, DEPLOYMENT],
        "IntegrationSource" => &[CONTAINER_SOURCE, SINK_BINDING, DEPLOYMENT],
        _ => &[],
    }
}

/// One object events may be about: its API group, kind and name.
type Object = (String, String, String);

fn object(group: &str, kind: &str, name: &str) -> Object {
    (group.to_string(), kind.to_string(), name.to_string())
}

/// Which events belong to a scope: its objects by group, kind and name, and the ReplicaSets and
/// Pods of its Deployments by name (`DEPLOYMENT-HASH`, `DEPLOYMENT-HASH-ID`).
#[derive(Debug, Clone)]
pub struct EventFilter {
    scope: Scope,
    objects: BTreeSet<Object>,
    deployments: Vec<String>,
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The API group of an `apiVersion` (`""` for the core group).
fn group_of(api_version: &str) -> &str {
    api_version.split_once('/').map_or("", |(g, _)| g)
}

impl EventFilter {
    /// The filter for `scope`, with the objects under it as they are now.
    pub async fn new(client: &Client, namespace: &str, scope: Scope) -> Result<EventFilter> {
        let mut filter = EventFilter {
            scope,
            objects: BTreeSet::new(),
            deployments: Vec::new(),
        };
        filter.refresh(client, namespace).await?;
        Ok(filter)
    }

    /// Reads the objects under the scope again (after one was created).
    pub async fn refresh(&mut self, client: &Client, namespace: &str) -> Result<()> {
        self.objects.clear();
        self.deployments.clear();
        let revisions = match &self.scope {
            Scope::Revision(name) => vec![name.clone()],
            Scope::Service(name) => {
                for kind in ["Service", "Configuration", "Route"] {
                    self.objects.insert(object(SERVING, kind, name));
                }
                client
                    .list(
                        &REVISION,
                        Some(namespace),
                        &ListOptions::labelled(SERVICE_LABEL, name),
                    )
                    .await?
                    .items
                    .iter()
                    .map(|r| str_at(r, "/metadata/name").to_string())
                    .collect()
            }
            Scope::Owner(kind, name) => {
                let (kind, name) = (*kind, name.clone());
                return self.refresh_owned(client, namespace, &kind, &name).await;
            }
        };
        for rev in revisions {
            self.objects.insert(object(SERVING, "Revision", &rev));
            self.deployments.push(format!("{rev}-deployment"));
        }
        Ok(())
    }

    /// An Eventing object, its Triggers when it is a Broker, and what they own, transitively.
    async fn refresh_owned(
        &mut self,
        client: &Client,
        namespace: &str,
        kind: &ResourceKind,
        name: &str,
    ) -> Result<()> {
        let mut owners = BTreeSet::new();
        let mut roots = Vec::new();
        if let Some(root) = client.get_opt(kind, namespace, name).await? {
            roots.push(root);
        }
        self.objects.insert(object(kind.group, kind.kind, name));
        let mut kinds: Vec<ResourceKind> = owned_kinds(kind).to_vec();
        if kind.kind == BROKER.kind {
            let triggers = client
                .list(
                    &TRIGGER,
                    Some(namespace),
                    &ListOptions::labelled(BROKER_LABEL, name),
                )
                .await?;
            roots.extend(triggers.items);
        }
        for root in &roots {
            owners.insert(str_at(root, "/metadata/uid").to_string());
            let group = group_of(str_at(root, "/apiVersion"));
            let kind = str_at(root, "/kind");
            self.objects
                .insert(object(group, kind, str_at(root, "/metadata/name")));
        }
        // Everything that may be owned, then the closure over ownerReferences.
        let mut candidates = Vec::new();
        while let Some(k) = kinds.pop() {
            match client
                .list(&k, Some(namespace), &ListOptions::default())
                .await
            {
                Ok(list) => candidates.extend(list.items.into_iter().map(|o| (k, o))),
                // A kind this cluster does not serve owns nothing.
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
        }
        loop {
            let before = owners.len();
            for (k, o) in &candidates {
                let owned = o
                    .pointer("/metadata/ownerReferences")
                    .and_then(Value::as_array)
                    .is_some_and(|refs| refs.iter().any(|r| owners.contains(str_at(r, "/uid"))));
                let uid = str_at(o, "/metadata/uid");
                if owned && owners.insert(uid.to_string()) {
                    let name = str_at(o, "/metadata/name");
                    self.objects.insert(object(k.group, k.kind, name));
                    if k.kind == DEPLOYMENT.kind {
                        self.deployments.push(name.to_string());
                    }
                }
            }
            if owners.len() == before {
                return Ok(());
            }
        }
    }

    /// Whether an event is about an object of the scope.
    pub fn matches(&self, event: &Value) -> bool {
        let kind = str_at(event, "/involvedObject/kind");
        let name = str_at(event, "/involvedObject/name");
        let group = group_of(str_at(event, "/involvedObject/apiVersion"));
        if self.objects.contains(&object(group, kind, name)) {
            return true;
        }
        self.deployments.iter().any(|deployment| match kind {
            "Deployment" => name == deployment,
            "ReplicaSet" | "Pod" => name
                .strip_prefix(deployment.as_str())
                .is_some_and(|rest| rest.starts_with('-')),
            _ => false,
        })
    }

    /// Whether an event is about a kind of object this filter may not know yet (created since
    /// it was built).
    pub fn may_be_new(&self, event: &Value) -> bool {
        let kind = str_at(event, "/involvedObject/kind");
        let possible = match &self.scope {
            Scope::Revision(_) => false,
            Scope::Service(_) => matches!(kind, "Revision" | "Deployment" | "ReplicaSet" | "Pod"),
            Scope::Owner(owner, _) => {
                owned_kinds(owner).iter().any(|k| k.kind == kind)
                    || (owner.kind == BROKER.kind && kind == TRIGGER.kind)
            }
        };
        possible && !self.matches(event)
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
            objects: [
                object(SERVING, "Service", "hello"),
                object(SERVING, "Configuration", "hello"),
                object(SERVING, "Revision", "hello-00001"),
            ]
            .into(),
            deployments: vec!["hello-00001-deployment".into()],
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
    fn an_owner_scope_covers_its_objects_by_group_and_their_workloads() {
        let filter = EventFilter {
            scope: Scope::Owner(CONTAINER_SOURCE, "src".into()),
            objects: [
                object("sources.knative.dev", "ContainerSource", "src"),
                object("sources.knative.dev", "SinkBinding", "src-sinkbinding"),
            ]
            .into(),
            deployments: vec!["src-deployment".into()],
        };
        let sources = "sources.knative.dev/v1";
        assert!(filter.matches(&event("ContainerSource", "src", sources)));
        assert!(filter.matches(&event("SinkBinding", "src-sinkbinding", sources)));
        assert!(filter.matches(&event("Pod", "src-deployment-abc-x1", "v1")));
        assert!(!filter.matches(&event("ContainerSource", "src", "example.com/v1")));
        assert!(!filter.matches(&event("Pod", "src-deploymentx-abc", "v1")));
        assert!(filter.may_be_new(&event("SinkBinding", "other", sources)));
        assert!(!filter.may_be_new(&event("Pod", "unrelated", "v1")));
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
