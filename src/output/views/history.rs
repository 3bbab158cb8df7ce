//! `service history`: a service's revisions oldest first, with their traffic and what each one
//! changed from the revision before it (image, env, scale, concurrency, other spec fields).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::api::serving::USER_IMAGE_ANNOTATION;
use crate::edit::rollback::{generation, name};
use crate::output::age::table_age;
use crate::output::table::Table;

/// One revision of the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub revision: String,
    pub generation: i64,
    #[serde(rename = "creationTimestamp")]
    pub created: String,
    pub image: String,
    /// Percent of the service's traffic it takes (all its traffic targets together).
    pub traffic: Option<i64>,
    pub tags: Vec<String>,
    /// What changed from the revision before (`["created"]` for the first).
    pub changes: Vec<String>,
}

/// The history of `service` from its `revisions` (any order).
pub fn entries(service: &Value, revisions: &[Value]) -> Vec<Entry> {
    let mut revisions: Vec<&Value> = revisions.iter().collect();
    revisions.sort_by_key(|r| (generation(r), name(r).to_string()));
    let mut traffic: BTreeMap<&str, (i64, Vec<String>)> = BTreeMap::new();
    for target in service["status"]["traffic"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let Some(revision) = target["revisionName"].as_str() else {
            continue;
        };
        let entry = traffic.entry(revision).or_default();
        entry.0 += target["percent"].as_i64().unwrap_or(0);
        if let Some(tag) = target["tag"].as_str() {
            entry.1.push(tag.to_string());
        }
    }
    let mut out = Vec::new();
    let mut previous: Option<&Value> = None;
    for revision in revisions {
        let (percent, tags) = traffic
            .get(name(revision))
            .map(|(p, t)| (Some(*p), t.clone()))
            .unwrap_or((None, Vec::new()));
        out.push(Entry {
            revision: name(revision).to_string(),
            generation: generation(revision),
            created: revision["metadata"]["creationTimestamp"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            image: image(revision),
            traffic: percent,
            tags,
            changes: match previous {
                None => vec!["created".to_string()],
                Some(before) => changes(before, revision),
            },
        });
        previous = Some(revision);
    }
    out
}

/// The history as a table: REVISION GENERATION AGE TRAFFIC TAGS IMAGE CHANGES.
pub fn table(entries: &[Entry], now: Timestamp) -> Table {
    let mut table = Table::new(&[
        "REVISION",
        "GENERATION",
        "AGE",
        "TRAFFIC",
        "TAGS",
        "IMAGE",
        "CHANGES",
    ]);
    for e in entries {
        table.push(vec![
            e.revision.clone(),
            e.generation.to_string(),
            table_age(e.created.parse().ok(), now),
            e.traffic.map(|p| format!("{p}%")).unwrap_or_default(),
            e.tags.join(","),
            e.image.clone(),
            e.changes.join("; "),
        ]);
    }
    table
}

/// The image as the user gave it (`client.knative.dev/user-image`), else the spec's.
fn image(revision: &Value) -> String {
    revision["metadata"]["annotations"][USER_IMAGE_ANNOTATION]
        .as_str()
        .filter(|i| !i.is_empty())
        .or_else(|| revision["spec"]["containers"][0]["image"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// What `after` changed from `before`, one short item per concern; `no change` for a redeploy.
pub fn changes(before: &Value, after: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let (old_image, new_image) = (image(before), image(after));
    if old_image != new_image {
        out.push(format!("image {new_image}"));
    }
    let env = |r: &Value| -> BTreeMap<String, Value> {
        r["spec"]["containers"][0]["env"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| Some((e["name"].as_str()?.to_string(), e.clone())))
            .collect()
    };
    let (old_env, new_env) = (env(before), env(after));
    let mut env_changes = Vec::new();
    for (key, value) in &new_env {
        match old_env.get(key) {
            None => env_changes.push(format!("+{key}")),
            Some(old) if old != value => env_changes.push(format!("~{key}")),
            Some(_) => {}
        }
    }
    env_changes.extend(
        old_env
            .keys()
            .filter(|k| !new_env.contains_key(*k))
            .map(|k| format!("-{k}")),
    );
    if !env_changes.is_empty() {
        out.push(format!("env {}", env_changes.join(" ")));
    }
    let annotations = |r: &Value| -> BTreeMap<String, String> {
        r["metadata"]["annotations"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.starts_with("autoscaling.knative.dev/"))
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect()
    };
    let (old_scale, new_scale) = (annotations(before), annotations(after));
    let keys: std::collections::BTreeSet<&String> =
        old_scale.keys().chain(new_scale.keys()).collect();
    for key in keys {
        let (old, new) = (old_scale.get(key), new_scale.get(key));
        if old != new {
            let short = key.trim_start_matches("autoscaling.knative.dev/");
            out.push(format!(
                "{short} {}→{}",
                old.map(String::as_str).unwrap_or("-"),
                new.map(String::as_str).unwrap_or("-")
            ));
        }
    }
    let mut fields = Vec::new();
    spec_differences(
        &spec_without_seen(before),
        &spec_without_seen(after),
        "",
        &mut fields,
    );
    out.extend(fields);
    if out.is_empty() {
        out.push("no change".to_string());
    }
    out
}

/// The revision spec without what [`changes`] already reports (the main image and env).
fn spec_without_seen(revision: &Value) -> Value {
    let mut spec = revision["spec"].clone();
    if let Some(main) = spec["containers"].get_mut(0).and_then(Value::as_object_mut) {
        main.remove("image");
        main.remove("env");
    }
    spec
}

/// Where the two specs differ, to two levels below a container: `containerConcurrency 0→10` for
/// a value, the path alone (`containers[0].resources`) for a structure.
fn spec_differences(before: &Value, after: &Value, at: &str, out: &mut Vec<String>) {
    if before == after {
        return;
    }
    let depth = at.matches(['.', '[']).count();
    match (before, after) {
        (Value::Object(a), Value::Object(b)) if depth < 2 => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                let null = Value::Null;
                spec_differences(
                    a.get(key).unwrap_or(&null),
                    b.get(key).unwrap_or(&null),
                    &path,
                    out,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) if at == "containers" && a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                spec_differences(x, y, &format!("{at}[{i}]"), out);
            }
        }
        (a, b) if scalar(a) && scalar(b) => out.push(format!("{at} {}→{}", shown(a), shown(b))),
        _ => out.push(at.to_string()),
    }
}

fn scalar(v: &Value) -> bool {
    !v.is_object() && !v.is_array()
}

/// A scalar as the change column shows it: `-` when absent, strings unquoted.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::serving::CONFIGURATION_GENERATION_LABEL;
    use serde_json::json;

    fn revision(name: &str, generation: u32, image: &str, env: Value, scale: Value) -> Value {
        json!({
            "metadata": {
                "name": name,
                "creationTimestamp": "2026-12-06T10:00:00Z",
                "labels": {CONFIGURATION_GENERATION_LABEL: generation.to_string()},
                "annotations": scale,
            },
            "spec": {"containerConcurrency": 0, "timeoutSeconds": 300, "containers": [{"image": image, "env": env}]},
        })
    }

    #[test]
    fn each_revision_says_what_it_changed() {
        let one = revision(
            "s-00001",
            1,
            "img:1",
            json!([{"name": "A", "value": "1"}]),
            json!({}),
        );
        let two = revision(
            "s-00002",
            2,
            "img:2",
            json!([{"name": "A", "value": "2"}, {"name": "B", "value": "x"}]),
            json!({"autoscaling.knative.dev/min-scale": "1"}),
        );
        let mut three = two.clone();
        three["metadata"]["name"] = json!("s-00003");
        three["metadata"]["labels"][CONFIGURATION_GENERATION_LABEL] = json!("3");
        three["spec"]["containerConcurrency"] = json!(10);
        three["spec"]["containers"][0]["env"] = json!([{"name": "B", "value": "x"}]);
        let mut four = three.clone();
        four["metadata"]["name"] = json!("s-00004");
        four["metadata"]["labels"][CONFIGURATION_GENERATION_LABEL] = json!("4");
        let service = json!({"status": {"traffic": [
            {"revisionName": "s-00004", "percent": 90},
            {"revisionName": "s-00001", "percent": 10, "tag": "old"},
            {"revisionName": "s-00001", "percent": 0, "tag": "first"},
        ]}});
        let history = entries(&service, &[four, two, one, three]);
        type Row = (String, Option<i64>, Vec<String>, Vec<String>);
        let summary: Vec<Row> = history
            .into_iter()
            .map(|e| (e.revision, e.traffic, e.tags, e.changes))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "s-00001".into(),
                    Some(10),
                    vec!["old".into(), "first".into()],
                    vec!["created".into()]
                ),
                (
                    "s-00002".into(),
                    None,
                    vec![],
                    vec![
                        "image img:2".into(),
                        "env ~A +B".into(),
                        "min-scale -→1".into()
                    ]
                ),
                (
                    "s-00003".into(),
                    None,
                    vec![],
                    vec!["env -A".into(), "containerConcurrency 0→10".into()]
                ),
                ("s-00004".into(), Some(90), vec![], vec!["no change".into()]),
            ]
        );
    }

    #[test]
    fn other_container_fields_are_named_by_path() {
        let a = revision("s-00001", 1, "img", json!([]), json!({}));
        let mut b = a.clone();
        b["spec"]["containers"][0]["resources"] = json!({"limits": {"cpu": "1"}});
        b["spec"]["containers"][0]["ports"] = json!([{"containerPort": 8081}]);
        assert_eq!(
            changes(&a, &b),
            vec![
                "containers[0].ports".to_string(),
                "containers[0].resources".to_string()
            ]
        );
    }
}
