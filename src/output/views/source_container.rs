//! ContainerSource views: `source container list` and `source container describe`.

use jiff::Timestamp;
use serde_json::Value;

use super::listing::{kn_order, namespaced_table};
use super::sink::{short_form, write_sink_section};
use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
use crate::api::eventing::ContainerSource;
use crate::output::age::table_age;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

fn image(source: &ContainerSource) -> &str {
    source
        .spec
        .container()
        .and_then(|c| c.get("image"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// `NAME IMAGE SINK AGE CONDITIONS READY REASON`, by name (`-A`: `default` first).
pub fn list_table(sources: &[ContainerSource], all_namespaces: bool, now: Timestamp) -> Table {
    let mut rows: Vec<&ContainerSource> = sources.iter().collect();
    kn_order(
        &mut rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| s.metadata.name.as_str(),
    );
    namespaced_table(
        &[
            "Name",
            "Image",
            "Sink",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ],
        rows,
        all_namespaces,
        |s| s.metadata.namespace.as_str(),
        |s| {
            let conditions = &s.status.conditions;
            vec![
                s.metadata.name.clone(),
                image(s).to_string(),
                short_form(&s.spec.sink),
                table_age(s.metadata.creation_timestamp, now),
                conditions_ok(conditions),
                ready_cell(conditions),
                reason_cell(conditions).trim().to_string(),
            ]
        },
    )
}

/// Metadata and the first container (Image, Env with `[ref]` for references, Args as kn prints
/// them), the Sink block, overrides and conditions.
pub fn describe(source: &ContainerSource, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &source.metadata, verbose, now);
    if let Some(container) = source.spec.container() {
        dw.attr(0, "Container", "");
        dw.attr(1, "Image", image(source));
        if let Some(env) = container
            .get("env")
            .and_then(Value::as_array)
            .filter(|e| !e.is_empty())
        {
            dw.attr(1, "Env", "");
            for var in env {
                let name = var.get("name").and_then(Value::as_str).unwrap_or_default();
                let value = if var.get("valueFrom").is_some_and(|v| !v.is_null()) {
                    "[ref]"
                } else {
                    var.get("value").and_then(Value::as_str).unwrap_or_default()
                };
                dw.attr(2, name, value);
            }
        }
        if let Some(args) = container
            .get("args")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        {
            dw.attr(1, "Args", "");
            for arg in args {
                dw.attr(2, arg.as_str().unwrap_or_default(), "");
            }
        }
    }
    write_sink_section(
        &mut dw,
        &source.metadata.namespace,
        &source.spec.sink,
        source.spec.ce_overrides.as_ref(),
    );
    dw.blank();
    write_conditions(&mut dw, &source.status.conditions, verbose, now);
    dw.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::from_value;
    use serde_json::json;

    #[test]
    fn describe_and_list() {
        let now: Timestamp = "2026-01-01T00:10:00Z".parse().unwrap();
        let source: ContainerSource = from_value(&json!({
            "metadata": {"name": "src", "namespace": "default", "creationTimestamp": "2026-01-01T00:09:00Z"},
            "spec": {"template": {"spec": {"containers": [{"image": "docker.io/sample/image",
                    "env": [{"name": "K", "value": "V"}, {"name": "S", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
                    "args": ["--foo"]}]}},
                "sink": {"uri": "http://x.y"}},
            "status": {"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:09:00Z"}]}
        }))
        .unwrap();
        assert_eq!(
            describe(&source, false, now),
            "Name:       src\n\
             Namespace:  default\n\
             Age:        1m\n\
             Container:  \n  \
             Image:    docker.io/sample/image\n  \
             Env:      \n    \
             K:      V\n    \
             S:      [ref]\n  \
             Args:     \n    \
             --foo:  \n\
             \n\
             Sink:   \n  \
             URI:  http://x.y\n\
             \n\
             \n\
             Conditions:  \n  \
             OK TYPE     AGE REASON\n  \
             ++ Ready     1m \n"
        );
        assert_eq!(
            list_table(&[source], false, now).render(true),
            "NAME   IMAGE                    SINK         AGE   CONDITIONS   READY   REASON\n\
             src    docker.io/sample/image   http://x.y   60s   1 OK / 1     True    \n"
        );
    }
}
