//! Trigger views: the `trigger list` table and the `trigger describe` layout (filters sorted by
//! attribute name, where kn printed Go's random map order).

use jiff::Timestamp;

use super::listing::{default_namespace_first, namespaced_table};
use super::sink::{short_form, write_sink_section};
use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
use crate::api::eventing::{SubscriptionsApiFilter, Trigger};
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// `NAME BROKER SINK AGE CONDITIONS READY REASON`, API order; `-A` puts `default` first.
pub fn list_table(triggers: &[Trigger], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&Trigger> = triggers.iter().collect();
    if all_namespaces {
        default_namespace_first(&mut rows, |t| t.metadata.namespace.as_str());
    }
    namespaced_table(
        &[
            "Name",
            "Broker",
            "Sink",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ],
        rows,
        all_namespaces,
        |t| t.metadata.namespace.as_str(),
        |t| {
            let conditions = &t.status.conditions;
            vec![
                t.metadata.name.clone(),
                t.spec.broker.clone(),
                short_form(&t.spec.subscriber),
                table_age(t.metadata.creation_timestamp, now),
                conditions_ok(conditions),
                ready_cell(conditions),
                reason_cell(conditions),
            ]
        },
    )
}

/// Metadata, Broker, Filter (and the experimental Filters tree), the Sink block, conditions.
pub fn describe(trigger: &Trigger, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &trigger.metadata, verbose, now);
    dw.attr(0, "Broker", &trigger.spec.broker);
    if let Some(attributes) = trigger
        .spec
        .filter
        .as_ref()
        .and_then(|f| f.attributes.as_ref())
    {
        dw.attr(0, "Filter", "");
        for (key, value) in attributes {
            dw.attr(1, key, value);
        }
    }
    if !trigger.spec.filters.is_empty() {
        dw.blank();
        dw.attr(0, "Filters (experimental)", "");
        for filter in &trigger.spec.filters {
            write_filter(&mut dw, 1, filter);
        }
    }
    write_sink_section(
        &mut dw,
        &trigger.metadata.namespace,
        &trigger.spec.subscriber,
        None,
    );
    write_conditions(&mut dw, &trigger.status.conditions, verbose, now);
    dw.finish()
}

fn write_filter(dw: &mut DescribeWriter, level: usize, filter: &SubscriptionsApiFilter) {
    for (label, nested) in [("all", &filter.all), ("any", &filter.any)] {
        if !nested.is_empty() {
            dw.attr(level, label, "");
            for f in nested {
                write_filter(dw, level + 1, f);
            }
        }
    }
    if let Some(not) = &filter.not {
        dw.attr(level, "not", "");
        write_filter(dw, level + 1, not);
    }
    for (label, map) in [
        ("exact", &filter.exact),
        ("prefix", &filter.prefix),
        ("suffix", &filter.suffix),
    ] {
        if !map.is_empty() {
            dw.attr(level, label, "");
            for (key, value) in map {
                dw.attr(level + 1, key, value);
            }
        }
    }
    if !filter.cesql.is_empty() {
        dw.attr(level, "cesql", &filter.cesql);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::from_value;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-01-01T00:10:00Z".parse().unwrap()
    }

    fn trigger(extra_spec: serde_json::Value) -> Trigger {
        let mut object = json!({
            "metadata": {"name": "mytrigger", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z",
                "labels": {"eventing.knative.dev/broker": "default"}},
            "spec": {"broker": "default",
                "subscriber": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "mysvc", "namespace": "default"}}},
            "status": {"conditions": [
                {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"},
                {"type": "BrokerReady", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"},
                {"type": "DeadLetterSinkResolved", "status": "True", "reason": "DeadLetterSinkNotConfigured", "lastTransitionTime": "2026-01-01T00:09:00Z"}
            ]}
        });
        if let (Some(spec), Some(extra)) = (object["spec"].as_object_mut(), extra_spec.as_object())
        {
            for (k, v) in extra {
                spec.insert(k.clone(), v.clone());
            }
        }
        from_value(&object).unwrap()
    }

    #[test]
    fn describe_sorts_filters_and_shows_the_sink() {
        let t =
            trigger(json!({"filter": {"attributes": {"type": "dev.knative.foo", "source": "s"}}}));
        assert_eq!(
            describe(&t, false, now()),
            "Name:       mytrigger\n\
             Namespace:  default\n\
             Labels:     eventing.knative.dev/broker=default\n\
             Age:        1m\n\
             Broker:     default\n\
             Filter:     \n  \
             source:   s\n  \
             type:     dev.knative.foo\n\
             \n\
             Sink:        \n  \
             Name:      mysvc\n  \
             Resource:  Service (serving.knative.dev/v1)\n\
             \n\
             Conditions:  \n  \
             OK TYPE                      AGE REASON\n  \
             ++ Ready                      1m \n  \
             ++ BrokerReady                1m \n  \
             ++ DeadLetterSinkResolved     1m DeadLetterSinkNotConfigured\n"
        );
    }

    #[test]
    fn experimental_filters_tree() {
        let t = trigger(json!({"filter": {}, "filters": [
            {"any": [{"exact": {"type": "a"}}, {"prefix": {"source": "b"}}]},
            {"not": {"cesql": "type = 'x'"}}
        ]}));
        let text = describe(&t, false, now());
        assert!(
            text.contains(
                "Broker:     default\n\
                 \n\
                 Filters (experimental):  \n  \
                 any:                   \n    \
                 exact:               \n      \
                 type:              a\n    \
                 prefix:              \n      \
                 source:            b\n  \
                 not:                   \n    \
                 cesql:               type = 'x'\n\
                 \n\
                 Sink:"
            ),
            "{text}"
        );
    }

    #[test]
    fn list_uses_the_sink_short_form() {
        let mut other = trigger(json!({"subscriber": {"uri": "https://event.receiver"}}));
        other.metadata.namespace = "abc".into();
        other.metadata.name = "t2".into();
        let rows = vec![other, trigger(json!({}))];
        assert_eq!(
            list_table(&rows, false, now()).render(true),
            "NAME        BROKER    SINK                     AGE   CONDITIONS   READY   REASON\n\
             t2          default   https://event.receiver   60s   3 OK / 3     True    \n\
             mytrigger   default   ksvc:mysvc               60s   3 OK / 3     True    \n"
        );
        let all = list_table(&rows, true, now()).render(false);
        assert!(all.starts_with("default   mytrigger"), "{all}");
    }
}
