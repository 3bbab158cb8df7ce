//! The Service reconciler: creates and keeps the Configuration and Route named like the
//! Service, and mirrors their status into the Service's (reference §2.4, §2.8).

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock};

use serde_json::{Map, Value, json};

use super::{
    CONFIGURATION_GENERATION_LABEL, LAST_APPLIED_ANNOTATION, ROUTES_ANNOTATION, SERVICE_LABEL,
    SERVICE_UID_LABEL, configurations, revisions, routes, services,
};
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::kube::events::{normal, warning};
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::{ConditionSet, Conditions, FALSE, READY, TRUE, UNKNOWN};
use crate::knative::meta::{
    StatusReconcile, annotations, controller_ref, generation, is_controlled_by, is_deleting,
    labels, name, observed_generation, str_at,
};
use crate::resource::ObjectKey;
use crate::status::ApiError;

pub const CONFIGURATIONS_READY: &str = "ConfigurationsReady";
pub const ROUTES_READY: &str = "RoutesReady";
pub const SERVICE_CONDITIONS: ConditionSet =
    ConditionSet::living(&[CONFIGURATIONS_READY, ROUTES_READY]);

const ROLLOUT_ANNOTATIONS: &[&str] = &[
    "serving.knative.dev/rollout-duration",
    "serving.knative.dev/rolloutDuration",
];

pub struct ServiceController;

impl Controller for ServiceController {
    fn name(&self) -> &'static str {
        "service"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == services() {
            super::own_key(event)
        } else if event.key.gr == configurations() || event.key.gr == routes() {
            super::owner_key(event, "Service", services())
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let service = match cluster.get_shared(&services(), &key.namespace, &key.name) {
            Ok(s) => s,
            Err(e) if e.code == 404 => return Ok(Requeue::Done),
            Err(e) => return Err(e),
        };
        if is_deleting(&service) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&service, SERVICE_CONDITIONS);
        let result = reconcile_service(cluster, &service, &mut rec);
        rec.finish(cluster, &services())?;
        result.map(|_| Requeue::Done)
    }
}

/// Labels of the Service's children.
fn child_labels(service: &Value, with_uid: bool) -> Map<String, Value> {
    let mut l: Map<String, Value> = labels(service)
        .into_iter()
        .map(|(k, v)| (k, json!(v)))
        .collect();
    l.insert(SERVICE_LABEL.into(), json!(name(service)));
    if with_uid {
        l.insert(
            SERVICE_UID_LABEL.into(),
            json!(str_at(service, "/metadata/uid")),
        );
    }
    l
}

/// `MakeConfigurationFromExisting`.
fn desired_configuration(service: &Value) -> Value {
    let mut configuration = configuration_metadata(service, None);
    configuration["spec"]["template"] = service_template(service).clone();
    configuration
}

/// The Service's revision template, `{}` when it has none.
fn service_template(service: &Value) -> &Value {
    static EMPTY: LazyLock<Value> = LazyLock::new(|| json!({}));
    service.at("/spec/template").unwrap_or(&EMPTY)
}

/// [`desired_configuration`] but its spec, which is the Service's template: a Configuration
/// that is as desired is then found so without a copy of the template.
fn configuration_metadata(service: &Value, existing: Option<&Value>) -> Value {
    let mut anns: Map<String, Value> = annotations(service)
        .into_iter()
        .filter(|(k, _)| k != LAST_APPLIED_ANNOTATION && !ROLLOUT_ANNOTATIONS.contains(&k.as_str()))
        .map(|(k, v)| (k, json!(v)))
        .collect();
    let mut routes: BTreeSet<String> = BTreeSet::from([name(service).to_string()]);
    if let Some(existing) =
        existing.and_then(|e| crate::knative::meta::annotation(e, ROUTES_ANNOTATION))
    {
        routes.extend(
            existing
                .split(',')
                .filter(|s| !s.is_empty())
                .map(String::from),
        );
    }
    anns.insert(
        ROUTES_ANNOTATION.into(),
        json!(routes.into_iter().collect::<Vec<_>>().join(",")),
    );
    let mut configuration = child_object(service, "Configuration", true);
    configuration["metadata"]["annotations"] = Value::Object(anns);
    configuration
}

/// A child of the Service (its Configuration or Route) with its name, owner and labels. Values
/// are moved in: `json!` would copy each one through serde's serializer.
fn child_object(service: &Value, kind: &str, with_uid: bool) -> Value {
    let mut child = json!({
        "apiVersion": super::API_VERSION,
        "kind": kind,
        "metadata": {
            "name": name(service),
            "namespace": crate::knative::meta::namespace(service),
        },
    });
    let meta = &mut child["metadata"];
    meta["ownerReferences"] = Value::Array(vec![controller_ref(service)]);
    meta["labels"] = Value::Object(child_labels(service, with_uid));
    child
}

/// `MakeRoute`.
fn desired_route(service: &Value) -> Value {
    let anns: Map<String, Value> = annotations(service)
        .into_iter()
        .filter(|(k, _)| k != LAST_APPLIED_ANNOTATION)
        .map(|(k, v)| (k, json!(v)))
        .collect();
    let mut traffic = service
        .at("/spec/traffic")
        .cloned()
        .unwrap_or_else(|| json!([]));
    if let Some(entries) = traffic.as_array_mut() {
        for tt in entries.iter_mut().filter_map(Value::as_object_mut) {
            if tt
                .get("revisionName")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                tt.insert("configurationName".into(), json!(name(service)));
            }
        }
    }
    let mut route = child_object(service, "Route", false);
    if !anns.is_empty() {
        route["metadata"]["annotations"] = Value::Object(anns);
    }
    route["spec"]["traffic"] = traffic;
    route
}

fn meta_field<'a>(obj: &'a Value, field: &str) -> &'a Value {
    static EMPTY: Value = Value::Null;
    obj.get("metadata")
        .and_then(|m| m.get(field))
        .unwrap_or(&EMPTY)
}

/// A missing map, null or `{}`.
fn no_map(v: &Value) -> bool {
    v.is_null() || v.as_object().is_some_and(Map::is_empty)
}

/// Whether two label or annotation maps are the same, `{}` and a missing map alike.
fn same_map(a: &Value, b: &Value) -> bool {
    (no_map(a) && no_map(b)) || a == b
}

/// Whether `existing` has the labels and annotations of `desired`.
fn same_metadata(existing: &Value, desired: &Value) -> bool {
    ["labels", "annotations"]
        .into_iter()
        .all(|field| same_map(meta_field(existing, field), meta_field(desired, field)))
}

/// Overwrites spec, labels and annotations of `existing` with the desired ones when they differ.
fn reconcile_child(
    cluster: &dyn ClusterApi,
    gr: &crate::resource::GroupResource,
    existing: Arc<Value>,
    desired: &Value,
) -> Result<Arc<Value>, ApiError> {
    if existing.get("spec") == desired.get("spec") && same_metadata(&existing, desired) {
        return Ok(existing);
    }
    let mut updated = Arc::unwrap_or_clone(existing);
    updated["spec"] = desired.get("spec").cloned().unwrap_or(Value::Null);
    let meta = crate::knative::meta::metadata_mut(&mut updated);
    for field in ["labels", "annotations"] {
        match desired.get("metadata").and_then(|m| m.get(field)) {
            Some(v) if !no_map(v) => {
                meta.insert(field.into(), v.clone());
            }
            _ => {
                meta.remove(field);
            }
        }
    }
    cluster.update(gr, updated)
}

/// The service controller's `Created` (or `CreationFailed`) event for a child it created.
fn created_event(
    cluster: &dyn ClusterApi,
    service: &Value,
    kind: &str,
    result: Result<Arc<Value>, ApiError>,
) -> Result<Arc<Value>, ApiError> {
    let child = name(service);
    match &result {
        Ok(_) => normal(
            cluster,
            service,
            COMPONENT,
            "Created",
            &format!("Created {kind} \"{child}\""),
        ),
        Err(e) => warning(
            cluster,
            service,
            COMPONENT,
            "CreationFailed",
            &format!("Failed to create {kind} \"{child}\": {}", e.message),
        ),
    }
    result
}

/// The component name Knative's service reconciler records events as.
const COMPONENT: &str = "service-controller";

fn reconcile_service(
    cluster: &dyn ClusterApi,
    service: &Value,
    rec: &mut StatusReconcile,
) -> Result<(), ApiError> {
    let ns = crate::knative::meta::namespace(service);
    let svc_name = name(service);

    // The Configuration.
    let config = match cluster.get_shared(&configurations(), ns, svc_name) {
        Err(e) if e.code == 404 => created_event(
            cluster,
            service,
            "Configuration",
            cluster.create(&configurations(), desired_configuration(service)),
        )?,
        Err(e) => return Err(e),
        Ok(existing) if !is_controlled_by(&existing, service) => {
            rec.conditions.mark_false(
                CONFIGURATIONS_READY,
                "NotOwned",
                &format!("There is an existing Configuration \"{svc_name}\" that we do not own."),
            );
            return Ok(());
        }
        Ok(existing) => {
            let mut desired = configuration_metadata(service, Some(&existing));
            let template = service_template(service);
            let spec = existing.get("spec").and_then(Value::as_object);
            if spec.is_some_and(|s| s.len() == 1 && s.get("template") == Some(template))
                && same_metadata(&existing, &desired)
            {
                existing
            } else {
                desired["spec"]["template"] = template.clone();
                reconcile_child(cluster, &configurations(), existing, &desired)?
            }
        }
    };

    let byo_name = str_at(&config, "/spec/template/metadata/name").to_string();
    if generation(&config) != observed_generation(&config) {
        rec.conditions.mark_unknown(
            CONFIGURATIONS_READY,
            "OutOfDate",
            "The Configuration is still working to reflect the latest desired specification.",
        );
        if !byo_name.is_empty() {
            return Ok(());
        }
    } else {
        propagate_configuration_status(rec, &config);
    }

    if !byo_name.is_empty() && name_taken(cluster, &config, &byo_name)? {
        rec.conditions.mark_false(
            ROUTES_READY,
            "RevisionNameTaken",
            &format!("The revision name \"{byo_name}\" is taken by a conflicting Revision, so traffic will not be migrated"),
        );
        return Ok(());
    }

    // The Route.
    let route = match cluster.get_shared(&routes(), ns, svc_name) {
        Err(e) if e.code == 404 => created_event(
            cluster,
            service,
            "Route",
            cluster.create(&routes(), desired_route(service)),
        )?,
        Err(e) => return Err(e),
        Ok(existing) if !is_controlled_by(&existing, service) => {
            rec.conditions.mark_false(
                ROUTES_READY,
                "NotOwned",
                &format!("There is an existing Route \"{svc_name}\" that we do not own."),
            );
            return Ok(());
        }
        Ok(existing) => reconcile_child(cluster, &routes(), existing, &desired_route(service))?,
    };

    if generation(&route) != observed_generation(&route) {
        rec.conditions.mark_unknown(
            ROUTES_READY,
            "OutOfDate",
            "The Route is still working to reflect the latest desired specification.",
        );
    } else {
        propagate_route_status(rec, &route);
    }
    check_routes_not_ready(rec, &config, &route);
    Ok(())
}

/// `CheckNameAvailability`: whether a BYO revision name is used by a conflicting Revision.
fn name_taken(cluster: &dyn ClusterApi, config: &Value, byo: &str) -> Result<bool, ApiError> {
    let rev = match cluster.get_shared(&revisions(), crate::knative::meta::namespace(config), byo) {
        Ok(r) => r,
        Err(e) if e.code == 404 => return Ok(false),
        Err(e) => return Err(e),
    };
    if !is_controlled_by(&rev, config) {
        return Ok(true);
    }
    if crate::knative::meta::label(&rev, CONFIGURATION_GENERATION_LABEL)
        == Some(&generation(config).to_string())
    {
        return Ok(false);
    }
    Ok(config.at("/spec/template/spec") != rev.get("spec"))
}

/// Mirrors a child's Ready condition into one of the Service's conditions.
fn mirror_ready(conditions: &mut Conditions, target: &str, child: &Value) {
    let child_conds = Conditions::from_status(ConditionSet::living(&[]), child.get("status"));
    let Some(ready) = child_conds.get(READY).cloned() else {
        return;
    };
    match &*ready.status {
        TRUE => conditions.mark_true(target),
        FALSE => conditions.mark_false(target, &ready.reason, &ready.message),
        UNKNOWN => conditions.mark_unknown(target, &ready.reason, &ready.message),
        _ => {}
    }
}

fn copy_status_fields(rec: &mut StatusReconcile, from: &Value, fields: &[&str]) {
    let src = from.get("status").cloned().unwrap_or(Value::Null);
    let status = rec.status();
    for f in fields {
        match src.get(*f) {
            Some(v) if !v.is_null() => {
                status.insert((*f).to_string(), v.clone());
            }
            _ => {
                status.remove(*f);
            }
        }
    }
}

fn propagate_configuration_status(rec: &mut StatusReconcile, config: &Value) {
    copy_status_fields(
        rec,
        config,
        &["latestCreatedRevisionName", "latestReadyRevisionName"],
    );
    mirror_ready(&mut rec.conditions, CONFIGURATIONS_READY, config);
}

fn propagate_route_status(rec: &mut StatusReconcile, route: &Value) {
    copy_status_fields(rec, route, &["url", "address", "traffic"]);
    mirror_ready(&mut rec.conditions, ROUTES_READY, route);
}

/// `checkRoutesNotReady`: RoutesReady True while the Route's traffic does not yet point at the
/// configuration's latest ready revision becomes Unknown `TrafficNotMigrated`.
pub(super) fn check_routes_not_ready(rec: &mut StatusReconcile, config: &Value, route: &Value) {
    if !rec
        .conditions
        .get(super::service::ROUTES_READY)
        .is_some_and(|c| c.is_true())
    {
        return;
    }
    let empty = Vec::new();
    let spec = route
        .at("/spec/traffic")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let status = route
        .at("/status/traffic")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let not_migrated = || {
        let lrr = str_at(config, "/status/latestReadyRevisionName");
        spec.iter().zip(status).any(|(want, got)| {
            let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let want_rev = if s(want, "configurationName") == name(config) {
                lrr.to_string()
            } else {
                s(want, "revisionName")
            };
            want_rev != s(got, "revisionName")
                || s(want, "tag") != s(got, "tag")
                || want.get("percent").and_then(Value::as_i64)
                    != got.get("percent").and_then(Value::as_i64)
        })
    };
    if spec.len() != status.len() || not_migrated() {
        rec.conditions.mark_unknown(
            ROUTES_READY,
            "TrafficNotMigrated",
            "Traffic is not yet migrated to the latest revision.",
        );
    }
}
