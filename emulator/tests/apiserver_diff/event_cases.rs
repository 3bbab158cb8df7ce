//! Events under both group versions: written as core/v1 and read as events.k8s.io/v1 and the
//! other way round (one object: same name, uid, resourceVersion), each version's create and
//! update validation, events.k8s.io's field selectors, the printer's Table, protobuf, watches,
//! deletecollection and discovery.

use serde_json::{Value, json};

use crate::cases::{Case, Step, case, delete, get, merge, post, step};
use crate::protobuf_cases::{PB, PB_OR_JSON};

const CORE: &str = "/api/v1/namespaces/diff/events";
const NEW: &str = "/apis/events.k8s.io/v1/namespaces/diff/events";

/// Times long past, so the Table's relative times read the same on both servers.
const FIRST: &str = "2015-01-02T03:04:05Z";
const LAST: &str = "2015-01-02T03:04:06Z";
const MICRO: &str = "2015-01-02T03:04:05.123456Z";

fn core_event() -> Value {
    json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "core-ev"},
        "involvedObject": {"kind": "Pod", "name": "p", "namespace": "diff", "apiVersion": "v1", "fieldPath": "spec.containers{c}"},
        "reason": "Pulled", "message": "pulled it", "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": FIRST, "lastTimestamp": LAST, "count": 3, "type": "Normal"})
}

fn new_event() -> Value {
    json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "new-ev"},
        "regarding": {"kind": "Pod", "name": "p", "namespace": "diff"},
        "related": {"kind": "Node", "name": "n"}, "note": "hello", "reason": "Started",
        "type": "Warning", "eventTime": MICRO, "reportingController": "example.com/ctl",
        "reportingInstance": "ctl-1", "action": "Starting",
        "series": {"count": 2, "lastObservedTime": "2015-01-02T03:05:05.000001Z"}})
}

pub fn events() -> Case {
    case(
        "events",
        vec![
            get("/apis/events.k8s.io"),
            get("/apis/events.k8s.io/v1"),
            post(CORE, core_event()),
            get(format!("{NEW}/core-ev")),
            post(NEW, new_event()),
            get(format!("{CORE}/new-ev")),
            get(NEW),
            get(format!("{NEW}?fieldSelector=regarding.name%3Dp")),
            get(format!(
                "{NEW}?fieldSelector=reportingController%3Dexample.com/ctl"
            )),
            get(format!("{NEW}?fieldSelector=involvedObject.name%3Dp")),
            get(format!(
                "{CORE}?fieldSelector=reportingComponent%3Dexample.com/ctl"
            )),
            get(NEW).table(),
            get(CORE).table(),
            // Protobuf, as client-go speaks it: both versions have a message of their own.
            Step {
                accept: PB_OR_JSON,
                ..get(format!("{NEW}/core-ev"))
            },
            Step {
                accept: PB_OR_JSON,
                ..get(NEW)
            },
            Step {
                content_type: Some(PB),
                accept: PB_OR_JSON,
                protobuf: Some(
                    json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "pb-ev"},
                        "regarding": {"kind": "Pod", "name": "p", "namespace": "diff"}, "eventTime": MICRO,
                        "reportingController": "c", "reportingInstance": "i", "action": "A", "reason": "R",
                        "type": "Normal"})
                    .to_string(),
                ),
                ..step("POST", NEW)
            },
            Step {
                accept: PB_OR_JSON,
                ..get(format!("{CORE}/pb-ev"))
            },
            // events.k8s.io/v1 creates need the new fields, and not the deprecated ones.
            post(
                NEW,
                json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "bad"},
                    "regarding": {"kind": "Pod", "name": "p"}, "type": "Odd", "deprecatedCount": 2,
                    "deprecatedSource": {"component": "x"}, "deprecatedFirstTimestamp": FIRST,
                    "series": {"count": 1}}),
            ),
            post(
                NEW,
                json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "bad3"},
                    "regarding": {"kind": "Pod", "name": "p", "namespace": "diff"},
                    "eventTime": MICRO, "reason": "R", "type": "Normal"}),
            ),
            post(
                NEW,
                json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {}}),
            ),
            post(
                NEW,
                json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "Bad_Name"},
                    "regarding": {"namespace": "diff"}, "eventTime": MICRO, "reportingController": "c",
                    "reportingInstance": "i", "action": "A", "reason": "R", "type": "Normal"}),
            ),
            // A core/v1 create with an eventTime is checked as a new-style event, naming
            // reportingComponent.
            post(
                CORE,
                json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "bad2"},
                    "involvedObject": {"kind": "Pod", "name": "p", "namespace": "other"},
                    "eventTime": MICRO, "reportingComponent": "Bad Ctl!"}),
            ),
            post(
                CORE,
                json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "bare"}}),
            ),
            // A core Event's name need only be a path segment; its labels are still checked.
            post(
                CORE,
                json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "Odd_Name", "labels": {"a b": "c"}},
                    "involvedObject": {"namespace": "diff"}}),
            ),
            post(
                CORE,
                json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "Odd_Name"},
                    "involvedObject": {"namespace": "diff"}, "bogus": 1}),
            ),
            post(
                NEW,
                json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "ok-ev"},
                    "regarding": {"namespace": "diff"}, "eventTime": MICRO, "reportingController": "c",
                    "reportingInstance": "i", "action": "A", "reason": "R", "type": "Normal", "bogus": 1}),
            ),
            // Updates: events.k8s.io/v1 keeps what the event says; core/v1 lets it change.
            merge(format!("{NEW}/new-ev"), json!({"note": "changed"})),
            merge(format!("{NEW}/new-ev"), json!({"series": {"count": 3}})),
            merge(
                format!("{NEW}/new-ev"),
                json!({"regarding": {"name": "q"}, "related": null, "deprecatedSource": {"component": "x"},
                    "eventTime": "2016-01-02T03:04:05.000001Z", "deprecatedFirstTimestamp": FIRST,
                    "reportingController": "other", "action": "B", "type": "Normal", "deprecatedCount": 5}),
            ),
            merge(
                format!("{NEW}/new-ev"),
                json!({"related": {"name": "m"}, "reason": "Other"}),
            ),
            merge(
                format!("{CORE}/core-ev"),
                json!({"message": "again", "count": 4}),
            ),
            get(format!("{NEW}/core-ev")),
            delete(format!("{NEW}/core-ev")),
            get(format!("{CORE}/core-ev")),
            get(format!("{NEW}/nope")),
            // Watches see the one storage, selected by the version's names (in protobuf: the
            // suite compares a JSON stream only as text, whose key order is Go's).
            Step {
                accept: PB_OR_JSON,
                ..get(format!(
                    "{NEW}?watch=1&timeoutSeconds=1&fieldSelector=regarding.name%3Dp"
                ))
            },
            Step {
                accept: PB_OR_JSON,
                ..get(format!(
                    "{NEW}?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3Dnew-ev"
                ))
            },
            step("DELETE", format!("{NEW}?fieldSelector=reason%3DR")),
            get(format!("{CORE}?fieldSelector=reason%3DR")),
        ],
    )
}
