//! JobSink edits: the Job template's one container (`main`): image, environment, command and
//! arguments. Everything else in a Job written by hand (`kubectl apply`) is kept.

use serde_json::{Value, json};

use crate::edit::json;
use crate::edit::kv::{KeyValueArg, KvOp};

/// The container name a JobSink created by knit runs (as Knative's examples name it).
pub const CONTAINER_NAME: &str = "main";

/// The changes of one `jobsink create|update`; empty/`None` = not given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobSinkEdit {
    pub image: Option<String>,
    /// `KEY=VALUE` sets, `KEY-` removes, in the order given.
    pub env: Vec<KeyValueArg>,
    /// Replaces the container's command when given.
    pub command: Option<Vec<String>>,
    /// Replaces the container's arguments when given.
    pub args: Option<Vec<String>>,
}

impl JobSinkEdit {
    /// Applies the edit to the JobSink's first container (created, named `main`, when the Job
    /// has none).
    pub fn apply(&self, spec: &mut Value) {
        let pod = json::object_path(spec, &["job", "spec", "template", "spec"]);
        if json::get(pod, &["restartPolicy"]).is_none() {
            json::set(pod, "restartPolicy", json!("Never"));
        }
        let containers = json::array(pod, "containers");
        if containers.is_empty() {
            containers.push(json!({"name": CONTAINER_NAME}));
        }
        let container = &mut containers[0];
        if let Some(image) = &self.image {
            json::set(container, "image", json!(image));
        }
        if let Some(command) = &self.command {
            json::set(container, "command", json!(command));
        }
        if let Some(args) = &self.args {
            json::set(container, "args", json!(args));
        }
        if !self.env.is_empty() {
            let env = json::array(container, "env");
            for arg in &self.env {
                let at = env
                    .iter()
                    .position(|e| e.get("name").and_then(Value::as_str) == Some(&arg.key));
                match (&arg.op, at) {
                    (KvOp::Set(v), Some(i)) => env[i] = json!({"name": arg.key, "value": v}),
                    (KvOp::Set(v), None) => env.push(json!({"name": arg.key, "value": v})),
                    (KvOp::Remove, Some(i)) => {
                        env.remove(i);
                    }
                    (KvOp::Remove, None) => {}
                }
            }
            json::prune_empty(container, "env");
        }
    }
}

/// A new JobSink running one container.
pub fn new_jobsink(name: &str, namespace: &str, edit: &JobSinkEdit) -> Value {
    let mut js = super::new_object("sinks.knative.dev/v1alpha1", "JobSink", name, namespace);
    edit.apply(super::spec(&mut js));
    js
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_and_update() {
        let js = new_jobsink(
            "j",
            "ns",
            &JobSinkEdit {
                image: Some("bash:5".into()),
                env: vec!["A=1".parse().unwrap(), "B=2".parse().unwrap()],
                command: Some(vec!["cat".into()]),
                args: Some(vec!["/etc/jobsink-event/event".into()]),
            },
        );
        assert_eq!(
            js["spec"],
            json!({"job": {"spec": {"template": {"spec": {
                "restartPolicy": "Never",
                "containers": [{"name": "main", "image": "bash:5", "command": ["cat"],
                    "args": ["/etc/jobsink-event/event"],
                    "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}]
            }}}}})
        );
        let mut spec = js["spec"].clone();
        spec["job"]["spec"]["completions"] = json!(1);
        JobSinkEdit {
            image: Some("bash:6".into()),
            env: vec!["A-".parse().unwrap(), "B=3".parse().unwrap()],
            ..Default::default()
        }
        .apply(&mut spec);
        assert_eq!(spec["job"]["spec"]["completions"], 1);
        let c = &spec["job"]["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(c["image"], "bash:6");
        assert_eq!(c["env"], json!([{"name": "B", "value": "3"}]));
        assert_eq!(c["command"], json!(["cat"]));
        // Removing the last variable drops `env`.
        JobSinkEdit {
            env: vec!["B-".parse().unwrap()],
            ..Default::default()
        }
        .apply(&mut spec);
        assert!(
            spec["job"]["spec"]["template"]["spec"]["containers"][0]
                .get("env")
                .is_none()
        );
    }
}
