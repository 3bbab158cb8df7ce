//! The labeler: keeps `serving.knative.dev/routes` and `routingState` on the Configurations and
//! Revisions a Route sends traffic to, and owns the Route finalizer `routes.serving.knative.dev`
//! that clears that metadata when the Route goes away (reference §1.3, §2.5).

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use serde_json::{Map, Value, json};

use super::{
    ROUTES_ANNOTATION, ROUTING_STATE_LABEL, ROUTING_STATE_MODIFIED_ANNOTATION, configurations,
    revisions, routes,
};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::{Conditions, READY, now_rfc3339};
use crate::knative::meta::{
    add_finalizer, annotation, controller_name_of_kind, generation, is_deleting, label, name,
    namespace, observed_generation, remove_finalizer, str_at,
};
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub const ROUTE_FINALIZER: &str = "routes.serving.knative.dev";

/// What the labeler has put each route on: (namespace, route) → (resource, name) of the
/// revisions and configurations carrying the route in their `routes` annotation. Built once
/// from storage, then kept up to date, so no reconcile scans a whole namespace.
type Index = HashMap<(String, String), BTreeSet<(String, String)>>;

#[derive(Default)]
pub struct Labeler {
    index: Mutex<Option<Index>>,
}

impl Controller for Labeler {
    fn name(&self) -> &'static str {
        "labeler"
    }

    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == routes() {
            super::own_key(event)
        } else if event.key.gr == configurations() {
            // A new latest created revision must be labelled for the routes that follow it.
            let _ = cluster;
            route_names(event.object)
                .iter()
                .map(|r| ObjectKey::new(routes(), &event.key.namespace, r))
                .collect()
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let route = match cluster.get_shared(&routes(), &key.namespace, &key.name) {
            Ok(r) => r,
            Err(e) if e.code == 404 => return Ok(Requeue::Done),
            Err(e) => return Err(e),
        };
        let mut guard = self.index.lock().unwrap_or_else(|e| e.into_inner());
        let index = guard.get_or_insert_with(|| build_index(cluster));
        if is_deleting(&route) {
            clear_routing_meta(cluster, index, &route)?;
            remove_finalizer(cluster, &routes(), &route, ROUTE_FINALIZER)?;
            return Ok(Requeue::Done);
        }
        let route = add_finalizer(cluster, &routes(), route, ROUTE_FINALIZER)?;
        sync_routing_meta(cluster, index, &route)?;
        Ok(Requeue::Done)
    }
}

/// The revisions and configurations a route sends (or is about to send) traffic to.
fn targets(cluster: &dyn ClusterApi, route: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let ns = namespace(route);
    let mut revs = BTreeSet::new();
    let mut configs = BTreeSet::new();
    let entries = ["/status/traffic", "/spec/traffic"]
        .iter()
        .flat_map(|p| {
            route
                .at(p)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .collect::<Vec<_>>();
    for tt in &entries {
        let mut config_name = tt
            .get("configurationName")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let rev_name = tt.get("revisionName").and_then(Value::as_str).unwrap_or("");
        if !rev_name.is_empty() {
            let Ok(rev) = cluster.get_shared(&revisions(), ns, rev_name) else {
                continue;
            };
            revs.insert(rev_name.to_string());
            if let Some(owner) = controller_name_of_kind(&rev, "Configuration") {
                config_name = owner.to_string();
            }
        }
        if !config_name.is_empty() {
            let Ok(config) = cluster.get_shared(&configurations(), ns, &config_name) else {
                continue;
            };
            configs.insert(config_name.clone());
            let lcr = str_at(&config, "/status/latestCreatedRevisionName");
            if !lcr.is_empty() && tt.get("latestRevision").and_then(Value::as_bool) == Some(true) {
                revs.insert(lcr.to_string());
            }
        }
    }
    (revs, configs)
}

fn route_names(obj: &Value) -> BTreeSet<String> {
    annotation(obj, ROUTES_ANNOTATION)
        .map(|s| {
            s.split(',')
                .filter(|n| !n.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Adds or removes the route on one object with a merge patch (no-op when already so).
fn patch_routes(
    cluster: &dyn ClusterApi,
    gr: &GroupResource,
    obj: &Value,
    route_name: &str,
    remove: bool,
) -> Result<(), ApiError> {
    let mut names = route_names(obj);
    let changed = if remove {
        names.remove(route_name)
    } else {
        names.insert(route_name.to_string())
    };
    let is_revision = gr == &revisions();
    let state = if names.is_empty() {
        "reserve"
    } else {
        "active"
    };
    let state_changed = is_revision && label(obj, ROUTING_STATE_LABEL) != Some(state);
    if !changed && !state_changed {
        return Ok(());
    }
    let mut anns = Map::new();
    let mut labels = Map::new();
    anns.insert(
        ROUTES_ANNOTATION.into(),
        if names.is_empty() {
            Value::Null
        } else {
            json!(names.into_iter().collect::<Vec<_>>().join(","))
        },
    );
    if state_changed {
        labels.insert(ROUTING_STATE_LABEL.into(), json!(state));
        anns.insert(
            ROUTING_STATE_MODIFIED_ANNOTATION.into(),
            json!(now_rfc3339()),
        );
    }
    let mut meta = json!({"annotations": anns});
    if !labels.is_empty() {
        meta["labels"] = Value::Object(labels);
    }
    match cluster.merge_patch(gr, namespace(obj), name(obj), &json!({"metadata": meta})) {
        Ok(_) => Ok(()),
        Err(e) if e.code == 404 => Ok(()),
        Err(e) => Err(e),
    }
}

fn route_ready_or_failed(route: &Value) -> bool {
    generation(route) == observed_generation(route)
        && Conditions::from_status(super::route::ROUTE_CONDITIONS, route.get("status"))
            .get(READY)
            .is_some_and(|c| c.is_true() || c.is_false())
}

fn build_index(cluster: &dyn ClusterApi) -> Index {
    let mut index = Index::new();
    for gr in [revisions(), configurations()] {
        for obj in cluster.list(&gr, "") {
            for route in route_names(&obj) {
                index
                    .entry((namespace(&obj).to_string(), route))
                    .or_default()
                    .insert((gr.resource.to_string(), name(&obj).to_string()));
            }
        }
    }
    index
}

fn gr_of(resource: &str) -> GroupResource {
    if resource == "revisions" {
        revisions()
    } else {
        configurations()
    }
}

fn sync_routing_meta(
    cluster: &dyn ClusterApi,
    index: &mut Index,
    route: &Value,
) -> Result<(), ApiError> {
    let ns = namespace(route);
    let route_name = name(route);
    let (revs, configs) = targets(cluster, route);
    let wanted: BTreeSet<(String, String)> = revs
        .iter()
        .map(|n| ("revisions".to_string(), n.clone()))
        .chain(
            configs
                .iter()
                .map(|n| ("configurations".to_string(), n.clone())),
        )
        .collect();
    let labelled = index
        .entry((ns.to_string(), route_name.to_string()))
        .or_default();
    for (resource, n) in &wanted {
        let gr = gr_of(resource);
        if let Ok(obj) = cluster.get_shared(&gr, ns, n) {
            patch_routes(cluster, &gr, &obj, route_name, false)?;
            labelled.insert((resource.clone(), n.clone()));
        }
    }
    if route_ready_or_failed(route) {
        let stale: Vec<(String, String)> = labelled.difference(&wanted).cloned().collect();
        for (resource, n) in stale {
            let gr = gr_of(&resource);
            if let Ok(obj) = cluster.get_shared(&gr, ns, &n) {
                patch_routes(cluster, &gr, &obj, route_name, true)?;
            }
            labelled.remove(&(resource, n));
        }
    }
    Ok(())
}

fn clear_routing_meta(
    cluster: &dyn ClusterApi,
    index: &mut Index,
    route: &Value,
) -> Result<(), ApiError> {
    let route_name = name(route);
    let ns = namespace(route);
    let labelled = index
        .remove(&(ns.to_string(), route_name.to_string()))
        .unwrap_or_default();
    for (resource, n) in labelled {
        let gr = gr_of(&resource);
        if let Ok(obj) = cluster.get_shared(&gr, ns, &n) {
            patch_routes(cluster, &gr, &obj, route_name, true)?;
        }
    }
    Ok(())
}
