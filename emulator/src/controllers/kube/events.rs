//! core/v1 Events as client-go's event recorder writes them: `NAME.HEX` names, the involved
//! object's reference, `source` and `reportingComponent`, first/last timestamps and a count.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

use crate::cluster::ClusterApi;
use crate::knative::meta::{name, namespace, str_at, uid};
use crate::resource::GroupResource;

pub fn events() -> GroupResource {
    GroupResource::of("", "events")
}

/// Who reports an event: a controller, or a kubelet on a host.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub component: &'a str,
    pub host: Option<&'a str>,
}

impl<'a> Source<'a> {
    pub const fn controller(component: &'a str) -> Self {
        Source {
            component,
            host: None,
        }
    }
}

/// Keeps event names unique when two are recorded in the same nanosecond.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// The event object (not yet stored) about `object`, or about one container of it with
/// `field_path` (`spec.containers{NAME}`).
pub fn event(
    object: &Value,
    field_path: Option<&str>,
    source: Source,
    type_: &str,
    reason: &str,
    message: &str,
) -> Value {
    let now = jiff::Timestamp::now();
    let nanos = now.as_nanosecond() as u64 + SEQUENCE.fetch_add(1, Ordering::Relaxed);
    let stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut event = json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": format!("{}.{nanos:x}", name(object)), "namespace": namespace(object)},
        "involvedObject": {
            "kind": str_at(object, "/kind"),
            "namespace": namespace(object),
            "name": name(object),
            "uid": uid(object),
            "apiVersion": str_at(object, "/apiVersion"),
            "resourceVersion": str_at(object, "/metadata/resourceVersion"),
        },
        "reason": reason,
        "message": message,
        "source": {"component": source.component},
        "firstTimestamp": stamp,
        "lastTimestamp": stamp,
        "count": 1,
        "type": type_,
        "eventTime": null,
        "reportingComponent": source.component,
        "reportingInstance": source.host.unwrap_or(""),
    });
    if let Some(path) = field_path {
        event["involvedObject"]["fieldPath"] = json!(path);
    }
    if let Some(host) = source.host {
        event["source"]["host"] = json!(host);
    }
    event
}

/// Records an event; a failure to record is dropped, as client-go's recorder does.
pub fn record(
    cluster: &dyn ClusterApi,
    object: &Value,
    field_path: Option<&str>,
    source: Source,
    type_: &str,
    reason: &str,
    message: &str,
) {
    let _ = cluster.create(
        &events(),
        event(object, field_path, source, type_, reason, message),
    );
}

/// A Normal event from a controller.
pub fn normal(
    cluster: &dyn ClusterApi,
    object: &Value,
    component: &str,
    reason: &str,
    message: &str,
) {
    record(
        cluster,
        object,
        None,
        Source::controller(component),
        "Normal",
        reason,
        message,
    );
}

/// A Warning event from a controller.
pub fn warning(
    cluster: &dyn ClusterApi,
    object: &Value,
    component: &str,
    reason: &str,
    message: &str,
) {
    record(
        cluster,
        object,
        None,
        Source::controller(component),
        "Warning",
        reason,
        message,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_reference_their_object_and_container() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ns", "uid": "u", "resourceVersion": "7"}});
        let source = Source {
            component: "kubelet",
            host: Some("node"),
        };
        let e = event(
            &pod,
            Some("spec.containers{c}"),
            source,
            "Normal",
            "Pulling",
            "m",
        );
        assert!(str_at(&e, "/metadata/name").starts_with("p."));
        assert_eq!(
            e["involvedObject"],
            json!({"kind": "Pod", "namespace": "ns", "name": "p", "uid": "u", "apiVersion": "v1", "resourceVersion": "7", "fieldPath": "spec.containers{c}"})
        );
        assert_eq!(e["source"], json!({"component": "kubelet", "host": "node"}));
        assert_eq!(e["reportingInstance"], "node");
    }
}
