//! Revision views: the revision list table, revision describe, and the per-revision attributes
//! that service describe shares (image, replicas, port, env, scale, concurrency, resources).

use jiff::Timestamp;

use crate::api::serving::{Revision, USER_IMAGE_ANNOTATION};
use crate::output::describe::Attrs;

/// `Image:` value: the image, `(at <digest6>)` when resolved, or the user image `(pinned to …)`.
pub fn image_description(revision: &Revision) -> String {
    let Some(container) = revision.spec.main_container() else {
        return "Unknown".to_string();
    };
    let digest = revision
        .status
        .container_statuses
        .iter()
        .find(|s| s.name == container.name && !s.image_digest.is_empty())
        .or_else(|| {
            revision
                .status
                .container_statuses
                .iter()
                .find(|s| !s.image_digest.is_empty())
        })
        .map(|s| s.image_digest.clone())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| revision.status.image_digest.clone());
    if digest.is_empty() {
        return container.image.clone();
    }
    let digest = digest.rsplit_once('@').map(|(_, d)| d).unwrap_or(&digest);
    let short = short_digest(digest);
    let user_image = revision.metadata.annotation(USER_IMAGE_ANNOTATION);
    if !user_image.is_empty() && repository(user_image) == repository(&container.image) {
        format!("{user_image} (pinned to {short})")
    } else {
        format!("{} (at {short})", container.image)
    }
}

/// The first 6 hex characters of a `sha256:…` digest.
fn short_digest(digest: &str) -> String {
    let hex = digest.split_once(':').map(|(_, h)| h).unwrap_or(digest);
    hex.chars().take(6).collect()
}

/// An image reference without its tag or digest.
fn repository(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rfind(':') {
        Some(i) if !without_digest[i..].contains('/') => &without_digest[..i],
        _ => without_digest,
    }
}

/// The attributes kn writes for a revision; `full` adds port, env, scale, concurrency and
/// resources (service describe shows them only with --verbose; revision describe always).
pub fn write_revision_attrs(attrs: &mut Attrs<'_>, revision: &Revision, full: bool, verbose: bool) {
    attrs.attr(0, "Image", &image_description(revision));
    if let (Some(actual), Some(desired)) = (
        revision.status.actual_replicas,
        revision.status.desired_replicas,
    ) {
        attrs.attr(0, "Replicas", &format!("{actual}/{desired}"));
    }
    if !full {
        return;
    }
    let container = revision.spec.main_container();
    if let Some(port) = container.and_then(|c| c.ports.first()) {
        attrs.attr(0, "Port", &port.container_port.to_string());
    }
    if let Some(c) = container {
        let env: Vec<String> = c
            .env
            .iter()
            .map(|e| {
                let value = if e.value_from.is_some() {
                    "[ref]"
                } else {
                    e.value.as_str()
                };
                format!("{}={value}", e.name)
            })
            .collect();
        attrs.list("Env", &env, verbose);
        let env_from: Vec<String> = c
            .env_from
            .iter()
            .filter_map(|s| {
                s.config_map_ref
                    .as_ref()
                    .map(|r| format!("cm:{}", r.name))
                    .or_else(|| s.secret_ref.as_ref().map(|r| format!("secret:{}", r.name)))
            })
            .collect();
        attrs.list("EnvFrom", &env_from, verbose);
    }
    write_scale(attrs, revision);
    write_concurrency(attrs, revision);
    if let Some(c) = container {
        for (label, key) in [("Memory", "memory"), ("CPU", "cpu")] {
            let request = c.resources.requests.get(key).filter(|q| !is_zero(q));
            let limit = c.resources.limits.get(key).filter(|q| !is_zero(q));
            let value = match (request, limit) {
                (Some(r), Some(l)) => format!("{r} ... {l}"),
                (Some(r), None) => r.clone(),
                (None, Some(l)) => l.clone(),
                (None, None) => continue,
            };
            attrs.attr(0, label, &value);
        }
    }
}

fn is_zero(quantity: &str) -> bool {
    quantity
        .trim_start_matches(['0', '.'])
        .chars()
        .all(|c| !c.is_ascii_digit())
        && quantity.starts_with('0')
}

fn scale_annotation<'a>(revision: &'a Revision, key: &str, legacy: &str) -> Option<&'a str> {
    let meta = &revision.metadata;
    meta.annotations
        .get(key)
        .or_else(|| meta.annotations.get(legacy))
        .map(String::as_str)
}

fn write_scale(attrs: &mut Attrs<'_>, revision: &Revision) {
    let min = scale_annotation(
        revision,
        "autoscaling.knative.dev/min-scale",
        "autoscaling.knative.dev/minScale",
    );
    let max = scale_annotation(
        revision,
        "autoscaling.knative.dev/max-scale",
        "autoscaling.knative.dev/maxScale",
    );
    if min.is_none() && max.is_none() {
        return;
    }
    let parse = |v: &str| {
        v.parse::<i64>()
            .map_err(|_| format!("strconv.Atoi: parsing {v:?}: invalid syntax"))
    };
    let min = min.map(parse).transpose();
    let max = max.map(parse).transpose();
    match (min, max) {
        (Ok(min), Ok(max)) => {
            let min = min.map(|m| m.to_string()).unwrap_or_else(|| "0".into());
            let max = max.map(|m| m.to_string()).unwrap_or_else(|| "∞".into());
            attrs.attr(0, "Scale", &format!("{min} ... {max}"));
        }
        (Err(e), _) | (_, Err(e)) => attrs.attr(0, "Scale", &format!("Misformatted: {e}")),
    }
}

fn write_concurrency(attrs: &mut Attrs<'_>, revision: &Revision) {
    let meta = &revision.metadata;
    let limit = revision.spec.container_concurrency.filter(|l| *l != 0);
    let target = meta.annotations.get("autoscaling.knative.dev/target");
    let window = meta
        .annotations
        .get("autoscaling.knative.dev/window")
        .filter(|w| !w.is_empty());
    let utilization = meta
        .annotations
        .get("autoscaling.knative.dev/target-utilization-percentage");
    if limit.is_none() && target.is_none() && window.is_none() && utilization.is_none() {
        return;
    }
    attrs.attr(0, "Concurrency", "");
    if let Some(limit) = limit {
        attrs.attr(1, "Limit", &limit.to_string());
    }
    if let Some(target) = target {
        attrs.attr(1, "Target", target);
    }
    if let Some(window) = window {
        attrs.attr(1, "Window", window);
    }
    if let Some(utilization) = utilization {
        attrs.attr(1, "TargetUtilization", utilization);
    }
}

/// Age helper re-exported for revision headers.
pub fn revision_age(revision: &Revision, now: Timestamp) -> String {
    crate::output::age::short_age(revision.metadata.creation_timestamp, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(image: &str, digest: &str, user_image: &str) -> Revision {
        let mut r: Revision = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "r", "annotations": {}},
            "spec": {"containers": [{"name": "user-container", "image": image}]},
            "status": {"containerStatuses": [{"name": "user-container", "imageDigest": digest}]}
        }))
        .unwrap();
        if !user_image.is_empty() {
            r.metadata
                .annotations
                .insert(USER_IMAGE_ANNOTATION.into(), user_image.into());
        }
        r
    }

    #[test]
    fn image_descriptions() {
        assert_eq!(image_description(&revision("nginx", "", "")), "nginx");
        assert_eq!(
            image_description(&revision(
                "gcr.io/x/hello",
                "gcr.io/x/hello@sha256:5ea96ba4b8",
                ""
            )),
            "gcr.io/x/hello (at 5ea96b)"
        );
        assert_eq!(
            image_description(&revision(
                "gcr.io/x/hello@sha256:5ea96ba4b8",
                "gcr.io/x/hello@sha256:5ea96ba4b8",
                "gcr.io/x/hello:latest"
            )),
            "gcr.io/x/hello:latest (pinned to 5ea96b)"
        );
        assert_eq!(repository("localhost:5000/app:v1"), "localhost:5000/app");
        assert_eq!(repository("localhost:5000/app"), "localhost:5000/app");
        assert!(is_zero("0") && is_zero("0Mi") && !is_zero("100m") && !is_zero("1"));
    }
}

/// Views of whole revisions: list table and describe.
pub mod view {
    use std::collections::BTreeMap;

    use jiff::Timestamp;

    use super::write_revision_attrs;
    use crate::api::duck::{conditions_ok, ready_cell, reason_cell};
    use crate::api::serving::{Revision, SERVICE_LABEL, Service};
    use crate::output::age::table_age;
    use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
    use crate::output::table::{Table, truncate};

    /// `TRAFFIC` and `TAGS` of a revision from its service's status traffic (kn's
    /// `trafficAndTagsForRevision`).
    pub fn traffic_and_tags(revision: &str, service: Option<&Service>) -> (i64, Vec<String>) {
        let mut percent = 0;
        let mut tags = Vec::new();
        for target in service
            .map(|s| s.status.traffic.as_slice())
            .unwrap_or_default()
        {
            if target.revision_name == revision {
                percent += target.percent.unwrap_or(0);
                if !target.tag.is_empty() {
                    tags.push(target.tag.clone());
                }
            }
        }
        (percent, tags)
    }

    /// kn's revision order (`sortRevisions`): namespace, service, newest generation first, name.
    fn kn_order<'a>(
        (namespace, service): (&'a str, &'a str),
        generation: i64,
        name: &'a str,
    ) -> (&'a str, &'a str, std::cmp::Reverse<i64>, &'a str) {
        (namespace, service, std::cmp::Reverse(generation), name)
    }

    /// Puts raw revision objects in kn's order. kn sorts the list itself before any printer, so
    /// `-o json|yaml|name|jsonpath` see the table's order (`.items[0]` is the newest revision).
    pub fn sort_objects(items: &mut [serde_json::Value]) {
        let key = |item: &serde_json::Value| {
            let text = |pointer: &str| {
                item.pointer(pointer)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            (
                text("/metadata/namespace"),
                text("/metadata/labels/serving.knative.dev~1service"),
                std::cmp::Reverse(
                    text("/metadata/labels/serving.knative.dev~1configurationGeneration")
                        .parse::<i64>()
                        .unwrap_or(0),
                ),
                text("/metadata/name"),
            )
        };
        items.sort_by_cached_key(key);
    }

    /// The `revision list` table. `services` maps (namespace, name) to the owning service, so
    /// same-named services in different namespaces never mix (kn's cache bug).
    pub fn list_table(
        revisions: &[Revision],
        services: &BTreeMap<(String, String), Service>,
        all_namespaces: bool,
        now: Timestamp,
    ) -> Table {
        let mut sorted: Vec<&Revision> = revisions.iter().collect();
        sorted.sort_by(|a, b| {
            kn_order(
                (&a.metadata.namespace, a.metadata.label(SERVICE_LABEL)),
                a.configuration_generation(),
                &a.metadata.name,
            )
            .cmp(&kn_order(
                (&b.metadata.namespace, b.metadata.label(SERVICE_LABEL)),
                b.configuration_generation(),
                &b.metadata.name,
            ))
        });
        let mut table = Table::new(&[
            "Name",
            "Service",
            "Traffic",
            "Tags",
            "Generation",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ]);
        if all_namespaces {
            table = table.with_leading_column("Namespace");
        }
        for r in sorted {
            let service_name = r.metadata.label(SERVICE_LABEL);
            let service = services.get(&(r.metadata.namespace.clone(), service_name.to_string()));
            let (percent, tags) = traffic_and_tags(&r.metadata.name, service);
            let conditions = &r.status.conditions;
            let mut row = vec![
                r.metadata.name.clone(),
                service_name.to_string(),
                if percent > 0 {
                    format!("{percent}%")
                } else {
                    String::new()
                },
                tags.join(","),
                r.metadata
                    .label(crate::api::serving::CONFIGURATION_GENERATION_LABEL)
                    .to_string(),
                table_age(r.metadata.creation_timestamp, now),
                conditions_ok(conditions),
                ready_cell(conditions),
                reason_cell(conditions),
            ];
            if all_namespaces {
                row.insert(0, r.metadata.namespace.clone());
            }
            table.push(row.iter().map(|c| truncate(c, 50)).collect());
        }
        table
    }

    /// The `revision describe` text; `service` is needed for the verbose Service details.
    pub fn describe(
        revision: &Revision,
        service: Option<&Service>,
        verbose: bool,
        now: Timestamp,
    ) -> String {
        let mut dw = DescribeWriter::new();
        write_metadata(&mut dw, &revision.metadata, verbose, now);
        write_revision_attrs(&mut dw.at(0, 0), revision, true, verbose);
        if let Some(service_name) = revision.metadata.labels.get(SERVICE_LABEL) {
            dw.attr(0, "Service", service_name);
            if verbose && let Some(service) = service {
                let mut section = dw.at(1, 0);
                let status = &service.status;
                let name = &revision.metadata.name;
                section.attr(
                    0,
                    "Configuration Generation",
                    revision
                        .metadata
                        .label(crate::api::serving::CONFIGURATION_GENERATION_LABEL),
                );
                section.attr(
                    0,
                    "Latest Created",
                    &(status.latest_created_revision_name == *name).to_string(),
                );
                section.attr(
                    0,
                    "Latest Ready",
                    &(status.latest_ready_revision_name == *name).to_string(),
                );
                let (percent, tags) = traffic_and_tags(name, Some(service));
                if percent != 0 {
                    section.attr(0, "Traffic", &format!("{percent}%"));
                }
                section.list("Tags", &tags, true);
            }
        }
        dw.blank();
        write_conditions(&mut dw, &revision.status.conditions, verbose, now);
        dw.finish()
    }
}
