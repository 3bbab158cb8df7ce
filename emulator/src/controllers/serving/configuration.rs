//! The Configuration reconciler: one Revision per configuration generation (`NAME-0000G` or the
//! BYO name), and the latest created / latest ready revision names (reference §2.5).

use std::sync::Arc;

use serde_json::{Value, json};

use super::{
    CONFIGURATION_GENERATION_LABEL, CONFIGURATION_LABEL, CONFIGURATION_UID_LABEL,
    CREATOR_ANNOTATION, ROUTES_ANNOTATION, ROUTING_STATE_LABEL, ROUTING_STATE_MODIFIED_ANNOTATION,
    SERVICE_LABEL, SERVICE_UID_LABEL, UPDATER_ANNOTATION, configurations, revisions,
};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::kube::events::{normal, warning};
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::{ConditionSet, Conditions, READY, now_rfc3339};
use crate::knative::meta::{
    StatusReconcile, annotation, controller_ref, generation, is_controlled_by, is_deleting, label,
    name, namespace, str_at,
};
use crate::knative::names::revision_name;
use crate::resource::ObjectKey;
use crate::status::ApiError;

pub const CONFIGURATION_CONDITIONS: ConditionSet = ConditionSet::living(&[]);
const REVISION_CONDITIONS: ConditionSet = super::revision::REVISION_CONDITIONS;

/// The component name Knative's configuration reconciler records events as.
const COMPONENT: &str = "configuration-controller";

pub struct ConfigurationController;

impl Controller for ConfigurationController {
    fn name(&self) -> &'static str {
        "configuration"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == configurations() {
            super::own_key(event)
        } else if event.key.gr == revisions() {
            super::owner_key(event, "Configuration", configurations())
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let config = match cluster.get_shared(&configurations(), &key.namespace, &key.name) {
            Ok(c) => c,
            Err(e) if e.code == 404 => return Ok(Requeue::Done),
            Err(e) => return Err(e),
        };
        if is_deleting(&config) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&config, CONFIGURATION_CONDITIONS);
        let result = reconcile_configuration(cluster, &config, &mut rec);
        rec.finish(cluster, &configurations())?;
        result.map(|_| Requeue::Done)
    }
}

/// `MakeRevision`: the Revision for the configuration's current generation.
pub fn make_revision(config: &Value) -> Value {
    let template_meta = config
        .at("/spec/template/metadata")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut meta = json!({"namespace": namespace(config)});
    for field in ["name", "generateName", "labels", "annotations"] {
        if let Some(v) = template_meta.get(field).filter(|v| !v.is_null()) {
            meta[field] = v.clone();
        }
    }
    if str_at(&meta, "/name").is_empty() && str_at(&meta, "/generateName").is_empty() {
        meta["name"] = json!(revision_name(name(config), generation(config)));
    }
    let now = now_rfc3339();
    let mut rev = json!({
        "apiVersion": super::API_VERSION,
        "kind": "Revision",
        "metadata": meta,
        "spec": config.at("/spec/template/spec").cloned().unwrap_or_else(|| json!({})),
    });
    use crate::knative::meta::{set_annotation, set_label};
    // Pending tells the labeler that it has not processed this revision yet.
    set_label(&mut rev, ROUTING_STATE_LABEL, "pending");
    set_annotation(&mut rev, ROUTING_STATE_MODIFIED_ANNOTATION, &now);
    set_label(&mut rev, CONFIGURATION_LABEL, name(config));
    if let Some(s) = label(config, SERVICE_LABEL).filter(|s| !s.is_empty()) {
        let s = s.to_string();
        set_label(&mut rev, SERVICE_LABEL, &s);
    }
    set_label(
        &mut rev,
        CONFIGURATION_GENERATION_LABEL,
        &generation(config).to_string(),
    );
    set_label(
        &mut rev,
        CONFIGURATION_UID_LABEL,
        str_at(config, "/metadata/uid"),
    );
    if let Some(s) = label(config, SERVICE_UID_LABEL).filter(|s| !s.is_empty()) {
        let s = s.to_string();
        set_label(&mut rev, SERVICE_UID_LABEL, &s);
    }
    if let Some(updater) = annotation(config, UPDATER_ANNOTATION) {
        let updater = updater.to_string();
        set_annotation(&mut rev, CREATOR_ANNOTATION, &updater);
    }
    if let Some(routes) = annotation(config, ROUTES_ANNOTATION) {
        let routes = routes.to_string();
        set_annotation(&mut rev, ROUTES_ANNOTATION, &routes);
        set_label(&mut rev, ROUTING_STATE_LABEL, "active");
    }
    crate::knative::meta::metadata_mut(&mut rev)
        .insert("ownerReferences".into(), json!([controller_ref(config)]));
    rev
}

enum Lookup {
    Found(Arc<Value>),
    Missing,
    /// The name is used by a Revision that is not this generation's.
    Conflict(String),
}

/// Whether a revision was made by this configuration for its current generation.
fn is_current(rev: &Value, config: &Value) -> bool {
    label(rev, CONFIGURATION_LABEL) == Some(name(config))
        && label(rev, CONFIGURATION_GENERATION_LABEL)
            == Some(generation(config).to_string().as_str())
}

/// `latestCreatedRevision`: the revision for the current generation, looked up by its name
/// (generated or BYO); only templates with a `generateName` need a search by labels.
fn latest_created_revision(cluster: &dyn ClusterApi, config: &Value) -> Result<Lookup, ApiError> {
    let byo = str_at(config, "/spec/template/metadata/name");
    if byo.is_empty() && !str_at(config, "/spec/template/metadata/generateName").is_empty() {
        let found = cluster
            .list(&revisions(), namespace(config))
            .into_iter()
            .find(|r| is_current(r, config));
        return Ok(found
            .map(|r| Lookup::Found(Arc::new(r)))
            .unwrap_or(Lookup::Missing));
    }
    let rev_name = if byo.is_empty() {
        revision_name(name(config), generation(config))
    } else {
        byo.to_string()
    };
    match cluster.get_shared(&revisions(), namespace(config), &rev_name) {
        Ok(rev) => {
            let same_spec = is_controlled_by(&rev, config)
                && config.at("/spec/template/spec") == rev.get("spec");
            if is_current(&rev, config) || same_spec {
                Ok(Lookup::Found(rev))
            } else {
                Ok(Lookup::Conflict(
                    ApiError::already_exists(&revisions(), &rev_name).message,
                ))
            }
        }
        Err(e) if e.code == 404 => Ok(Lookup::Missing),
        Err(e) => Err(e),
    }
}

fn mark_revision_creation_failed(conditions: &mut Conditions, message: &str) {
    conditions.mark_false(
        READY,
        "RevisionFailed",
        &format!("Revision creation failed with message: {message}."),
    );
}

fn set_latest_created(rec: &mut StatusReconcile, rev_name: &str) {
    rec.status()
        .insert("latestCreatedRevisionName".into(), json!(rev_name));
    let lrr = rec
        .object
        .at("/status/latestReadyRevisionName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if lrr != rev_name {
        rec.conditions.mark_unknown(READY, "", "");
    }
}

fn set_latest_ready(rec: &mut StatusReconcile, rev_name: &str) {
    rec.status()
        .insert("latestReadyRevisionName".into(), json!(rev_name));
    let lcr = rec
        .object
        .at("/status/latestCreatedRevisionName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if lcr == rev_name {
        rec.conditions.mark_true(READY);
    }
}

fn revision_ready_condition(rev: &Value) -> Option<crate::knative::conditions::Condition<'_>> {
    Conditions::from_status(REVISION_CONDITIONS, rev.get("status"))
        .get(READY)
        .cloned()
}

fn reconcile_configuration(
    cluster: &dyn ClusterApi,
    config: &Value,
    rec: &mut StatusReconcile,
) -> Result<(), ApiError> {
    let lcr = match latest_created_revision(cluster, config)? {
        Lookup::Found(rev) => rev,
        Lookup::Conflict(message) => {
            mark_revision_creation_failed(&mut rec.conditions, &message);
            return Ok(());
        }
        Lookup::Missing => match cluster.create(&revisions(), make_revision(config)) {
            Ok(rev) => {
                let message = format!("Created Revision \"{}\"", name(&rev));
                normal(cluster, config, COMPONENT, "Created", &message);
                rev
            }
            Err(e) => {
                let message = format!("Failed to create Revision: {}", e.message);
                warning(cluster, config, COMPONENT, "CreationFailed", &message);
                mark_revision_creation_failed(&mut rec.conditions, &e.message);
                if e.code == 409 {
                    return Ok(());
                }
                return Err(e);
            }
        },
    };
    let rev_name = name(&lcr).to_string();
    set_latest_created(rec, &rev_name);

    if let Some(ready) = revision_ready_condition(&lcr)
        && ready.is_false()
    {
        rec.conditions.mark_false(
            READY,
            "RevisionFailed",
            &format!(
                "Revision \"{rev_name}\" failed with message: {}.",
                ready.message
            ),
        );
    }

    // The newest ready revision between the last ready one and this generation: the latest
    // created one, then the generated names of the generations in between, then the last
    // ready one.
    let lrr_name = str_at(config, "/status/latestReadyRevisionName").to_string();
    let ns = namespace(config);
    let gen_of =
        |r: &Value| label(r, CONFIGURATION_GENERATION_LABEL).and_then(|g| g.parse::<i64>().ok());
    let lrr = if lrr_name.is_empty() {
        None
    } else {
        cluster.get_shared(&revisions(), ns, &lrr_name).ok()
    };
    let floor = lrr.as_deref().and_then(gen_of).unwrap_or(0);
    let mut candidates = vec![lcr.clone()];
    for g in (floor + 1..generation(config)).rev() {
        if let Ok(r) = cluster.get_shared(&revisions(), ns, &revision_name(name(config), g))
            && label(&r, CONFIGURATION_LABEL) == Some(name(config))
        {
            candidates.push(r);
        }
    }
    candidates.extend(lrr);
    if let Some(ready) = candidates
        .iter()
        .find(|r| revision_ready_condition(r).is_some_and(|c| c.is_true()))
    {
        let ready_name = name(ready).to_string();
        set_latest_ready(rec, &ready_name);
    }
    Ok(())
}
