//! ContainerSource edits: the pod-spec flags on `spec.template.spec` (shared with `service`) and
//! the sink.

use serde_json::Value;

use crate::edit::EditError;
use crate::edit::json;
use crate::edit::podspec::PodSpecEdit;

/// Applies pod-spec flags and the sink to a ContainerSource's `spec`.
pub fn apply(
    spec: &mut Value,
    pod_spec: &PodSpecEdit,
    sink: Option<&Value>,
) -> Result<(), EditError> {
    let pod = json::object_path(spec, &["template", "spec"]);
    pod_spec.apply(pod)?;
    if let Some(sink) = sink {
        json::set(spec, "sink", sink.clone());
    }
    Ok(())
}

/// A new ContainerSource with one container built from the flags.
pub fn new_container_source(
    name: &str,
    namespace: &str,
    pod_spec: &PodSpecEdit,
    sink: &Value,
) -> Result<Value, EditError> {
    let mut source =
        super::new_object("sources.knative.dev/v1", "ContainerSource", name, namespace);
    let spec = super::spec(&mut source);
    // kn starts from a pod spec with one empty container.
    json::set(
        json::object_path(spec, &["template", "spec"]),
        "containers",
        serde_json::json!([{}]),
    );
    apply(spec, pod_spec, Some(sink))?;
    Ok(source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn create_and_update_keep_unknown_fields() {
        let edit = PodSpecEdit {
            image: Some("docker.io/sample/image".into()),
            ..Default::default()
        };
        let source = new_container_source("src", "ns", &edit, &json!({"uri": "http://x"})).unwrap();
        assert_eq!(
            source["spec"],
            json!({"template": {"spec": {"containers": [{"image": "docker.io/sample/image"}]}}, "sink": {"uri": "http://x"}})
        );
        let mut spec = json!({"template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"image": "old", "x": 1}], "y": 2}}, "sink": {"uri": "http://x"}});
        apply(
            &mut spec,
            &PodSpecEdit {
                image: Some("new".into()),
                ..Default::default()
            },
            None,
        )
        .unwrap();
        assert_eq!(
            spec,
            json!({"template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"image": "new", "x": 1}], "y": 2}}, "sink": {"uri": "http://x"}})
        );
    }
}
