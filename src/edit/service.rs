//! The Service-level edit of `service create|update|apply`: pod spec flags on the template,
//! autoscaling annotations, labels and annotations at service/revision level, revision naming,
//! the update timestamp and digest pinning.

mod autoscaling;

use jiff::Timestamp;
use rand::RngCore;
use serde_json::{Value, json};

use super::EditError;
use super::digest::{self, UPDATE_TIMESTAMP_ANNOTATION, USER_IMAGE_ANNOTATION};
use super::json;
use super::kv::{self, KeyValueArg, KvOp, merge_layers};
use super::podspec::{PodSpecEdit, resources};
use super::profile::{ProfileArg, Profiles};
use super::revision_name::RevisionNameTemplate;
use kubetext::duration::check_go_duration;

use self::autoscaling::apply_scaling;
pub use self::autoscaling::*;

/// The label that makes a Service cluster-local.
pub const VISIBILITY_LABEL: &str = "networking.knative.dev/visibility";

/// Which command applies the edit; they differ in naming, timestamps and pinning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    Update,
    Apply,
}

/// Every Service edit flag of one command line, parsed and resolved.
#[derive(Debug, Clone, Default)]
pub struct ServiceEdit {
    pub pod_spec: PodSpecEdit,
    pub scale: Option<ScaleRange>,
    pub scale_min: Option<i64>,
    pub scale_max: Option<i64>,
    pub scale_init: Option<i64>,
    pub scale_activation: Option<i64>,
    pub scale_target: Option<i64>,
    pub scale_metric: Option<String>,
    pub scale_utilization: Option<i64>,
    pub scale_window: Option<ScaleWindow>,
    pub concurrency_limit: Option<ConcurrencyLimit>,
    pub timeout: Option<i64>,
    pub cluster_local: Option<bool>,
    pub labels: Vec<KeyValueArg>,
    pub labels_service: Vec<KeyValueArg>,
    pub labels_revision: Vec<KeyValueArg>,
    pub annotations: Vec<KeyValueArg>,
    pub annotations_service: Vec<KeyValueArg>,
    pub annotations_revision: Vec<KeyValueArg>,
    pub revision_name: Option<RevisionNameTemplate>,
    /// `Some` when `--lock-to-digest` or `--no-lock-to-digest` was given.
    pub lock_to_digest: Option<bool>,
    pub profile: Option<ProfileArg>,
    /// `-f/--filename` was given (it counts as a mutation).
    pub from_file: bool,
    /// `update --redeploy`: a new revision even when nothing else changes, with the image tag
    /// resolved again instead of kept at the pinned digest.
    pub redeploy: bool,
}

/// What the edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The revision template differs from before: a new revision will appear.
    pub template_changed: bool,
}

/// What an edit needs besides the flags; injected so edits stay pure.
pub struct EditEnv<'a> {
    pub mode: Mode,
    pub now: Timestamp,
    pub rng: &'a mut dyn RngCore,
    pub profiles: &'a Profiles,
    /// The revision the template corresponds to, for digest pinning on update.
    pub base_revision: Option<&'a Value>,
}

impl ServiceEdit {
    /// kn's `AnyMutation`: a flag that changes the revision was given.
    pub fn any_mutation(&self) -> bool {
        self.pod_spec.is_mutation()
            || self.scale.is_some()
            || self.scale_min.is_some()
            || self.scale_max.is_some()
            || self.scale_init.is_some()
            || self.scale_activation.is_some()
            || self.scale_target.is_some()
            || self.scale_metric.is_some()
            || self.scale_utilization.is_some()
            || self.scale_window.is_some()
            || self.concurrency_limit.is_some()
            || self.timeout.is_some()
            || !self.labels.is_empty()
            || !self.labels_service.is_empty()
            || !self.labels_revision.is_empty()
            || !self.annotations.is_empty()
            || !self.annotations_service.is_empty()
            || !self.annotations_revision.is_empty()
            || self.revision_name.is_some()
            || self.profile.is_some()
            || self.from_file
    }

    /// True when no edit flag at all was given.
    pub fn is_empty(&self) -> bool {
        !self.any_mutation()
            && self.pod_spec.is_empty()
            && self.cluster_local.is_none()
            && self.lock_to_digest.is_none()
    }

    pub fn lock_to_digest(&self) -> bool {
        self.lock_to_digest.unwrap_or(true)
    }

    /// Checks flag values and combinations kn rejects, before anything is sent, in the order kn
    /// applies the flags (so the same error wins). kn checks the autoscaling annotations it sets
    /// with Knative Serving's own `ValidateAnnotations`, so those errors are Knative's texts.
    pub fn validate(&self) -> Result<(), EditError> {
        let check = |pairs: &[(&str, String)]| -> Result<(), EditError> {
            let map = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            match kuberules::autoscaling::kn_check(&map) {
                Some(error) => Err(EditError::new(error)),
                None => Ok(()),
            }
        };
        if let Some(min) = self.scale_min {
            check(&[(MIN_SCALE, min.to_string())])?;
        }
        if let Some(max) = self.scale_max {
            check(&[(MAX_SCALE, max.to_string())])?;
        }
        if let Some(range) = self.scale {
            if self.scale_max.is_some() {
                return Err("only --scale or --scale-max can be specified".into());
            }
            if self.scale_min.is_some() {
                return Err("only --scale or --scale-min can be specified".into());
            }
            let (first, second) = if range.min == range.max {
                ((MAX_SCALE, range.max), (MIN_SCALE, range.min))
            } else {
                ((MIN_SCALE, range.min), (MAX_SCALE, range.max))
            };
            for (key, value) in [first, second] {
                if let Some(value) = value {
                    check(&[(key, value.to_string())])?;
                }
            }
        }
        if let Some(window) = &self.scale_window {
            check_go_duration(&window.0)
                .map_err(|e| EditError::new(format!("invalid duration for 'scale-window': {e}")))?;
            check(&[(WINDOW, window.0.clone())])?;
        }
        if let Some(target) = self.scale_target {
            check(&[(TARGET, target.to_string())])?;
        }
        if let Some(ConcurrencyLimit(limit)) = self.concurrency_limit
            && limit < 0
        {
            return Err(EditError::new(format!(
                "invalid concurrency-limit {limit} (must not be less than 0)"
            )));
        }
        if let Some(utilization) = self.scale_utilization {
            check(&[(TARGET_UTILIZATION, utilization.to_string())])?;
        }
        let revision_annotations: Vec<(&str, String)> = self
            .annotations
            .iter()
            .chain(&self.annotations_revision)
            .filter_map(|a| match &a.op {
                KvOp::Set(value) => Some((a.key.as_str(), value.clone())),
                _ => None,
            })
            .collect();
        check(&revision_annotations)?;
        if self.scale_init.is_some() && self.annotations.iter().any(|a| a.key == INITIAL_SCALE) {
            return Err(EditError::new(format!(
                "only one of the --scale-init or --annotation {INITIAL_SCALE} can be specified"
            )));
        }
        if let Some(initial) = self.scale_init {
            check(&[(INITIAL_SCALE, initial.to_string())])?;
        }
        if let Some(arg) = self
            .annotations_service
            .iter()
            .find(|a| a.key.starts_with(AUTOSCALING_PREFIX) && matches!(a.op, KvOp::Set(_)))
        {
            return Err(EditError::new(format!(
                "service can not have auto-scaling related annotation: {} , please update using '--annotation-revision'",
                arg.key
            )));
        }
        for (flag, args) in [
            ("--label", &self.labels),
            ("--label-service", &self.labels_service),
            ("--label-revision", &self.labels_revision),
            ("--annotation", &self.annotations),
            ("--annotation-service", &self.annotations_service),
            ("--annotation-revision", &self.annotations_revision),
            ("--node-selector", &self.pod_spec.node_selector),
        ] {
            kv::check_duplicates(flag, args)?;
        }
        resources::check_duplicates("--limit", &self.pod_spec.limits)?;
        resources::check_duplicates("--request", &self.pod_spec.requests)?;
        Ok(())
    }

    /// Whether an update must look up the base revision to pin the image to its digest.
    pub fn may_pin_digest(&self, service: &Value) -> bool {
        if self.pod_spec.image.is_some()
            || !self.lock_to_digest()
            || !self.any_mutation()
            || self.redeploy
        {
            return false;
        }
        let annotated = json::get(service, &["spec", "template", "metadata"])
            .and_then(|meta| json::map_entry(meta, "annotations", USER_IMAGE_ANNOTATION))
            .is_some();
        annotated || self.lock_to_digest.is_some()
    }
}

/// A new Service as `service create` starts it: one empty container and a placeholder
/// `user-image` annotation that the edit fills or drops.
pub fn skeleton(name: &str, namespace: &str) -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"template": {
            "metadata": {"annotations": {USER_IMAGE_ANNOTATION: ""}},
            "spec": {"containers": [{}]}
        }}
    })
}

/// Prepares a Service read with `-f/--filename`: reconciles its name with the argument and
/// forces the namespace.
pub fn from_file(
    mut service: Value,
    name: Option<&str>,
    namespace: &str,
) -> Result<Value, EditError> {
    if !service.is_object() {
        return Err("the file does not hold a Service object".into());
    }
    let file_name = json::get_str(&service, &["metadata", "name"])
        .unwrap_or("")
        .to_string();
    let name = match (name, file_name.as_str()) {
        (None, "") => return Err("no service name provided in command parameter or file".into()),
        (None, file) => file.to_string(),
        (Some(arg), "") => arg.to_string(),
        (Some(arg), file) if arg != file => {
            return Err(EditError::new(format!(
                "provided service name '{arg}' doesn't match name from file '{file}'"
            )));
        }
        (Some(arg), _) => arg.to_string(),
    };
    let meta = json::object(&mut service, "metadata");
    json::set(meta, "name", json!(name));
    json::set(meta, "namespace", json!(namespace));
    let object = json::as_object(&mut service);
    object
        .entry("apiVersion")
        .or_insert_with(|| json!("serving.knative.dev/v1"));
    object.entry("kind").or_insert_with(|| json!("Service"));
    Ok(service)
}

fn set_template_annotation(template: &mut Value, key: &str, value: String) {
    json::set_map_entry(
        json::object(template, "metadata"),
        "annotations",
        key,
        &value,
    );
}

/// Applies the edit to a Service in place.
pub fn apply(
    service: &mut Value,
    edit: &ServiceEdit,
    env: EditEnv<'_>,
) -> Result<Outcome, EditError> {
    edit.validate()?;
    let service_name = json::get_str(service, &["metadata", "name"])
        .unwrap_or("")
        .to_string();
    let generation = json::get(service, &["metadata", "generation"])
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let original_template = json::get(service, &["spec", "template"]).cloned();

    {
        let template = json::object_path(service, &["spec", "template"]);
        edit.pod_spec.apply(json::object(template, "spec"))?;
        apply_scaling(template, edit);
        if let Some(limit) = edit.concurrency_limit {
            json::set(
                json::object(template, "spec"),
                "containerConcurrency",
                json!(limit.0),
            );
        }
    }
    if let Some(local) = edit.cluster_local {
        let meta = json::object(service, "metadata");
        if local {
            json::set_map_entry(meta, "labels", VISIBILITY_LABEL, "cluster-local");
        } else {
            json::remove_map_entry(meta, "labels", VISIBILITY_LABEL);
        }
    }
    apply_labels_and_annotations(service, edit);
    {
        let template = json::object_path(service, &["spec", "template"]);
        if let Some(initial) = edit.scale_init {
            set_template_annotation(template, INITIAL_SCALE, initial.to_string());
        }
        if let Some(timeout) = edit.timeout {
            json::set(
                json::object(template, "spec"),
                "timeoutSeconds",
                json!(timeout),
            );
        }
    }
    if let Some(profile) = &edit.profile {
        apply_profile(service, profile, env.profiles)?;
    }

    let any_mutation = edit.any_mutation();
    let template = json::object_path(service, &["spec", "template"]);
    if let Some(name_template) = &edit.revision_name
        && any_mutation
        && env.mode != Mode::Apply
    {
        let name = name_template.render(&service_name, generation + 1, env.rng);
        let meta = json::object(template, "metadata");
        if name.is_empty() {
            json::remove(meta, "name");
        } else {
            json::set(meta, "name", json!(name));
        }
    }

    // kn stamps every mutation, so an update that changes nothing still made a revision;
    // knit stamps only when the template really changes.
    drop_created_empties(template, original_template.as_ref());
    let changed_by_user = original_template.as_ref() != Some(&*template);
    let effective = any_mutation && (env.mode != Mode::Update || changed_by_user);
    let redeploy = edit.redeploy && env.mode == Mode::Update;
    if redeploy {
        // Sub-second precision: a redeploy within the second of the last stamp still changes
        // the template, so it still makes a revision.
        set_template_annotation(template, UPDATE_TIMESTAMP_ANNOTATION, env.now.to_string());
        if edit.pod_spec.image.is_none() {
            digest::unpin_to_user_image(template);
        }
    } else if effective && env.mode != Mode::Apply {
        let stamp = env.now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        set_template_annotation(template, UPDATE_TIMESTAMP_ANNOTATION, stamp);
    }
    let effective = effective || redeploy;
    let annotated = json::get(template, &["metadata"])
        .and_then(|meta| json::map_entry(meta, "annotations", USER_IMAGE_ANNOTATION))
        .is_some();
    if effective && edit.lock_to_digest() && (annotated || edit.lock_to_digest.is_some()) {
        digest::update_user_image_annotation(template);
        let image_given = edit.pod_spec.image.is_some() && env.mode != Mode::Apply;
        if !image_given
            && !redeploy
            && let Some(base) = env.base_revision
        {
            digest::pin_to_digest(template, base)?;
        }
    }
    if !edit.lock_to_digest() {
        let meta = json::object(template, "metadata");
        json::remove_map_entry(meta, "annotations", USER_IMAGE_ANNOTATION);
    }
    drop_created_empties(template, original_template.as_ref());

    let template_changed = original_template.as_ref() != Some(&*template);
    Ok(Outcome { template_changed })
}

/// Removes empty maps the edit created on the template where the original had none, so an
/// edit that changes nothing leaves the template byte-identical.
fn drop_created_empties(template: &mut Value, original: Option<&Value>) {
    let had = |path: &[&str]| original.and_then(|o| json::get(o, path)).is_some();
    if let Some(meta) = template.get_mut("metadata") {
        for key in ["annotations", "labels"] {
            if !had(&["metadata", key]) {
                json::prune_empty(meta, key);
            }
        }
    }
    if !had(&["metadata"]) {
        json::prune_empty(template, "metadata");
    }
}

fn apply_labels_and_annotations(service: &mut Value, edit: &ServiceEdit) {
    let service_labels = merge_layers(&[&edit.labels, &edit.labels_service]);
    let revision_labels = merge_layers(&[&edit.labels, &edit.labels_revision]);
    // Autoscaling annotations given with --annotation belong to the revision only.
    let general_for_service: Vec<KeyValueArg> = edit
        .annotations
        .iter()
        .filter(|a| !(a.key.starts_with(AUTOSCALING_PREFIX) && matches!(a.op, KvOp::Set(_))))
        .cloned()
        .collect();
    let service_annotations = merge_layers(&[&general_for_service, &edit.annotations_service]);
    let revision_annotations = merge_layers(&[&edit.annotations, &edit.annotations_revision]);

    let meta = json::object(service, "metadata");
    kv::apply_to_map(meta, "labels", &service_labels);
    kv::apply_to_map(meta, "annotations", &service_annotations);
    if revision_labels.is_empty() && revision_annotations.is_empty() {
        return;
    }
    let template_meta = json::object_path(service, &["spec", "template", "metadata"]);
    kv::apply_to_map(template_meta, "labels", &revision_labels);
    kv::apply_to_map(template_meta, "annotations", &revision_annotations);
}

fn apply_profile(
    service: &mut Value,
    arg: &ProfileArg,
    profiles: &Profiles,
) -> Result<(), EditError> {
    let profile = profiles
        .get(&arg.name)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| EditError::new(format!("profile {} doesn't exist", arg.name)))?;
    let op = |value: &str| {
        if arg.remove {
            KvOp::Remove
        } else {
            KvOp::Set(value.to_string())
        }
    };
    let annotations: Vec<(String, KvOp)> = profile
        .annotations
        .iter()
        .map(|nv| (nv.name.clone(), op(&nv.value)))
        .collect();
    let labels: Vec<(String, KvOp)> = profile
        .labels
        .iter()
        .map(|nv| (nv.name.clone(), op(&nv.value)))
        .collect();
    kv::apply_to_map(
        json::object_path(service, &["spec", "template", "metadata"]),
        "annotations",
        &annotations,
    );
    kv::apply_to_map(json::object(service, "metadata"), "labels", &labels);
    Ok(())
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;
