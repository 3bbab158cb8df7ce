//! RequestReply views: the `requestreply list` table and the `requestreply describe` layout.

use jiff::Timestamp;

use super::listing::{kn_order, namespaced_table};
use super::sink::write_sink;
use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
use crate::api::flows::RequestReply;
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// `NAME BROKER TIMEOUT URL AGE CONDITIONS READY REASON`, by name (`-A`: `default` first).
pub fn list_table(items: &[RequestReply], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&RequestReply> = items.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |r| r.metadata.namespace.as_str(),
        |r| r.metadata.name.as_str(),
    );
    namespaced_table(
        &[
            "Name",
            "Broker",
            "Timeout",
            "URL",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ],
        rows,
        all_namespaces,
        |r| r.metadata.namespace.as_str(),
        |r| {
            let conditions = &r.status.conditions;
            vec![
                r.metadata.name.clone(),
                r.spec.broker_ref.name.clone(),
                r.spec.timeout.clone().unwrap_or_default(),
                r.status.url().to_string(),
                table_age(r.metadata.creation_timestamp, now),
                conditions_ok(conditions),
                ready_cell(conditions),
                reason_cell(conditions),
            ]
        },
    )
}

/// Metadata, address, broker, timeout, the two attributes, the dead letter sink, conditions.
pub fn describe(rr: &RequestReply, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &rr.metadata, verbose, now);
    dw.blank();
    dw.attr(0, "Address", "");
    dw.attr(1, "URL", rr.status.url());
    dw.attr(0, "Broker", &rr.spec.broker_ref.name);
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    dw.attr(0, "Timeout", &opt(&rr.spec.timeout));
    dw.attr(
        0,
        "Correlation Attribute",
        &opt(&rr.spec.correlation_attribute),
    );
    dw.attr(0, "Reply Attribute", &opt(&rr.spec.reply_attribute));
    if let Some(dls) = rr
        .spec
        .delivery
        .as_ref()
        .and_then(|d| d.dead_letter_sink.as_ref())
    {
        write_sink(&mut dw, "DeadLetterSink", &rr.metadata.namespace, dls);
    }
    dw.blank();
    write_conditions(&mut dw, &rr.status.conditions, verbose, now);
    dw.finish()
}
