//! `service rollback`'s pure edit: which revision to go back to, and the service edit that sends
//! all traffic to it and makes the template match it again (so the next update starts from it).

use serde_json::{Map, Value, json};

use crate::api::serving::{CONFIGURATION_GENERATION_LABEL, USER_IMAGE_ANNOTATION};

/// Annotations of a revision that belong to its template (what `--scale-*` and `--image` set).
fn template_owned(key: &str) -> bool {
    key.starts_with("autoscaling.knative.dev/") || key == USER_IMAGE_ANNOTATION
}

/// A revision's `serving.knative.dev/configurationGeneration` label as a number (0 when absent).
pub fn generation(revision: &Value) -> i64 {
    revision["metadata"]["labels"][CONFIGURATION_GENERATION_LABEL]
        .as_str()
        .and_then(|g| g.parse().ok())
        .unwrap_or(0)
}

/// A revision's name.
pub fn name(revision: &Value) -> &str {
    revision["metadata"]["name"].as_str().unwrap_or_default()
}

fn ready(revision: &Value) -> bool {
    revision["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True")
}

/// The revision serving now: the one with the largest share of the traffic, else the latest
/// ready one.
pub fn current(service: &Value) -> Option<String> {
    let mut shares: Vec<(i64, String)> = Vec::new();
    for target in service["status"]["traffic"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let (Some(revision), Some(percent)) =
            (target["revisionName"].as_str(), target["percent"].as_i64())
        else {
            continue;
        };
        match shares.iter_mut().find(|(_, r)| r == revision) {
            Some(entry) => entry.0 += percent,
            None => shares.push((percent, revision.to_string())),
        }
    }
    shares
        .into_iter()
        .filter(|(p, _)| *p > 0)
        .max_by_key(|(p, _)| *p)
        .map(|(_, r)| r)
        .or_else(|| {
            service["status"]["latestReadyRevisionName"]
                .as_str()
                .map(str::to_string)
        })
}

/// The revision to go back to: `wanted` when given (it must be one of `revisions`), else the
/// newest ready revision older than the one serving now. The error is the user's message.
pub fn target<'a>(
    service: &Value,
    revisions: &'a [Value],
    wanted: Option<&str>,
) -> Result<&'a Value, String> {
    let service_name = service["metadata"]["name"].as_str().unwrap_or_default();
    if let Some(wanted) = wanted {
        return revisions.iter().find(|r| name(r) == wanted).ok_or_else(|| {
            format!("revision '{wanted}' is not a revision of service '{service_name}'")
        });
    }
    let Some(current) = current(service) else {
        return Err(format!(
            "service '{service_name}' has no revision serving yet: nothing to roll back from"
        ));
    };
    let current_generation = revisions
        .iter()
        .find(|r| name(r) == current)
        .map(generation)
        .unwrap_or(i64::MAX);
    revisions
        .iter()
        .filter(|r| generation(r) < current_generation && ready(r))
        .max_by_key(|r| generation(r))
        .ok_or_else(|| {
            format!(
                "service '{service_name}' has no ready revision older than '{current}' to roll back to; name one with --to-revision"
            )
        })
}

/// What a revision's template was: its spec and the annotations its template set (image and
/// autoscaling), as `revision diff` compares them.
pub fn template_of(revision: &Value) -> Value {
    let annotations: Map<String, Value> = revision["metadata"]["annotations"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| template_owned(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut template = json!({"spec": revision["spec"].clone()});
    if !annotations.is_empty() {
        template["metadata"] = json!({"annotations": annotations});
    }
    template
}

/// Sends 100% of the traffic to `revision` (keeping every tag, at 0%) and sets the template's
/// spec and scale/image annotations to the revision's. Unknown fields elsewhere stay.
pub fn apply(service: &mut Value, revision: &Value) {
    let to = name(revision).to_string();
    let Some(root) = service.as_object_mut() else {
        return;
    };
    let spec = object(root, "spec");
    let template = object(spec, "template");
    template.insert("spec".into(), revision["spec"].clone());
    let metadata = object(template, "metadata");
    // A template name names the next revision; the rollback's must be generated anew.
    metadata.remove("name");
    let annotations = object(metadata, "annotations");
    annotations.retain(|k, _| !template_owned(k));
    for (key, value) in revision["metadata"]["annotations"]
        .as_object()
        .into_iter()
        .flatten()
    {
        if template_owned(key) {
            annotations.insert(key.clone(), value.clone());
        }
    }
    if annotations.is_empty() {
        metadata.remove("annotations");
    }
    let old = spec
        .get("traffic")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut traffic: Vec<Value> = old
        .into_iter()
        .filter(|t| t["tag"].as_str().is_some_and(|tag| !tag.is_empty()))
        .map(|mut t| {
            t["percent"] = json!(0);
            t
        })
        .collect();
    traffic.push(json!({"revisionName": to, "percent": 100}));
    spec.insert("traffic".into(), Value::Array(traffic));
}

/// The object at `key`, made one if it is missing or not an object.
fn object<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let entry = map.entry(key).or_insert_with(|| json!({}));
    if !entry.is_object() {
        *entry = json!({});
    }
    entry.as_object_mut().expect("an object was just put here")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(name: &str, generation: u32, ready: bool, image: &str) -> Value {
        json!({
            "metadata": {
                "name": name,
                "labels": {CONFIGURATION_GENERATION_LABEL: generation.to_string()},
                "annotations": {USER_IMAGE_ANNOTATION: image, "autoscaling.knative.dev/min-scale": "1", "serving.knative.dev/creator": "me"},
            },
            "spec": {"containerConcurrency": 0, "containers": [{"image": format!("{image}@sha256:1")}]},
            "status": {"conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]},
        })
    }

    fn service() -> Value {
        json!({
            "metadata": {"name": "web"},
            "spec": {
                "template": {"metadata": {"name": "web-v3", "annotations": {"autoscaling.knative.dev/max-scale": "5", "team": "a"}},
                             "spec": {"containers": [{"image": "img:3"}]}},
                "traffic": [{"latestRevision": true, "percent": 90}, {"revisionName": "web-00001", "percent": 10, "tag": "old"}],
                "x-unknown": true,
            },
            "status": {"latestReadyRevisionName": "web-00003", "traffic": [
                {"revisionName": "web-00003", "percent": 90},
                {"revisionName": "web-00001", "percent": 10, "tag": "old"},
            ]},
        })
    }

    #[test]
    fn the_default_target_is_the_newest_ready_revision_before_the_serving_one() {
        let revisions = vec![
            revision("web-00001", 1, true, "img:1"),
            revision("web-00002", 2, false, "img:2"),
            revision("web-00003", 3, true, "img:3"),
        ];
        assert_eq!(current(&service()).as_deref(), Some("web-00003"));
        assert_eq!(
            name(target(&service(), &revisions, None).unwrap()),
            "web-00001"
        );
        assert_eq!(
            name(target(&service(), &revisions, Some("web-00002")).unwrap()),
            "web-00002"
        );
        assert_eq!(
            target(&service(), &revisions, Some("other-00001")).unwrap_err(),
            "revision 'other-00001' is not a revision of service 'web'"
        );
        assert_eq!(
            target(&service(), &revisions[2..], None).unwrap_err(),
            "service 'web' has no ready revision older than 'web-00003' to roll back to; name one with --to-revision"
        );
    }

    #[test]
    fn rollback_routes_everything_to_the_revision_and_restores_its_template() {
        let mut svc = service();
        apply(&mut svc, &revision("web-00001", 1, true, "img:1"));
        assert_eq!(
            svc["spec"],
            json!({
                "template": {
                    "metadata": {"annotations": {"team": "a", USER_IMAGE_ANNOTATION: "img:1", "autoscaling.knative.dev/min-scale": "1"}},
                    "spec": {"containerConcurrency": 0, "containers": [{"image": "img:1@sha256:1"}]},
                },
                "traffic": [
                    {"revisionName": "web-00001", "percent": 0, "tag": "old"},
                    {"revisionName": "web-00001", "percent": 100},
                ],
                "x-unknown": true,
            })
        );
    }
}
