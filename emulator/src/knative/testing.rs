//! An in-memory [`ClusterApi`] for unit tests of Knative webhooks and controllers: uids,
//! resourceVersions, generation bumps on spec changes, finalizers and the Knative webhooks on
//! writes, without the HTTP server or CRD schemas.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::admission::{Admission, AdmissionRequest, Operation};
use crate::cluster::{ClusterApi, EventKind, RecordedEvent};
use crate::json::At;
use crate::resource::ObjectKey;
use crate::resource::{GroupResource, ResourceType};
use crate::status::ApiError;

pub struct FakeCluster {
    pub config: crate::Config,
    objects: ObjectMap,
    counter: Mutex<u64>,
    webhooks: Vec<Box<dyn Admission>>,
    /// Every write, in order: (verb, resource, name, object after the write).
    pub log: Mutex<Vec<(String, String, String, Value)>>,
    /// Storage changes not yet handed to controllers.
    pub events: Mutex<std::collections::VecDeque<RecordedEvent>>,
}

pub fn resource_type(gr: &GroupResource) -> ResourceType {
    let (kind, version) = match &*gr.resource {
        "services" if gr.group.is_empty() => ("Service", "v1"),
        "services" => ("Service", "v1"),
        "configurations" => ("Configuration", "v1"),
        "revisions" => ("Revision", "v1"),
        "routes" => ("Route", "v1"),
        "domainmappings" => ("DomainMapping", "v1beta1"),
        "clusterdomainclaims" => ("ClusterDomainClaim", "v1alpha1"),
        "configmaps" => ("ConfigMap", "v1"),
        "namespaces" => ("Namespace", "v1"),
        "brokers" => ("Broker", "v1"),
        "triggers" => ("Trigger", "v1"),
        "eventtypes" => ("EventType", "v1beta2"),
        "channels" => ("Channel", "v1"),
        "inmemorychannels" => ("InMemoryChannel", "v1"),
        "subscriptions" => ("Subscription", "v1"),
        "pingsources" => ("PingSource", "v1"),
        "apiserversources" => ("ApiServerSource", "v1"),
        "containersources" => ("ContainerSource", "v1"),
        "sinkbindings" => ("SinkBinding", "v1"),
        other => (other, "v1"),
    };
    ResourceType {
        group: gr.group.to_string(),
        version: version.to_string(),
        plural: gr.resource.to_string(),
        singular: kind.to_lowercase(),
        kind: kind.to_string(),
        list_kind: format!("{kind}List"),
        namespaced: !matches!(&*gr.resource, "clusterdomainclaims" | "namespaces"),
        short_names: vec![],
        categories: vec![],
        has_status: !gr.group.is_empty(),
        storage: true,
        deprecation_warning: None,
    }
}

/// An object's place in an [`ObjectMap`]: resource, namespace, name.
pub type ObjectId = (GroupResource, String, String);

/// Objects by resource, namespace and name: the storage of the in-memory test clusters
/// ([`FakeCluster`] and the eventing `MapCluster`).
#[derive(Default)]
pub struct ObjectMap(Mutex<BTreeMap<ObjectId, Value>>);

impl ObjectMap {
    /// The map, even after a panicking test poisoned the lock.
    pub fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<ObjectId, Value>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Where `obj` of `gr` is kept.
    pub fn id(gr: &GroupResource, obj: &Value) -> ObjectId {
        (
            gr.clone(),
            obj.at("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            obj.at("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        )
    }

    /// [`ClusterApi::get`].
    pub fn get(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<Value, ApiError> {
        self.lock()
            .get(&(gr.clone(), namespace.to_string(), name.to_string()))
            .cloned()
            .ok_or_else(|| ApiError::not_found(gr, name))
    }

    /// [`ClusterApi::list`]: all namespaces when `namespace` is empty.
    pub fn list(&self, gr: &GroupResource, namespace: &str) -> Vec<Value> {
        self.lock()
            .iter()
            .filter(|((g, ns, _), _)| g == gr && (namespace.is_empty() || ns == namespace))
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl FakeCluster {
    pub fn new(config: crate::Config) -> Self {
        let fake = FakeCluster {
            config: config.clone(),
            objects: ObjectMap::default(),
            counter: Mutex::new(0),
            webhooks: crate::admission::knative_webhooks(),
            log: Mutex::new(Vec::new()),
            events: Mutex::new(std::collections::VecDeque::new()),
        };
        for obj in crate::controllers::bootstrap_objects(&config) {
            let gr = if obj["kind"] == "Namespace" {
                GroupResource::of("", "namespaces")
            } else {
                GroupResource::of("", "configmaps")
            };
            let _ = fake.create(&gr, obj);
        }
        fake.log.lock().map(|mut l| l.clear()).ok();
        fake.events.lock().map(|mut l| l.clear()).ok();
        fake
    }

    fn next_rv(&self) -> String {
        let mut c = self.counter.lock().unwrap_or_else(|e| e.into_inner());
        *c += 1;
        c.to_string()
    }

    /// Runs the webhooks as the Serving controller does.
    fn admit(
        &self,
        gr: &GroupResource,
        op: Operation,
        obj: &mut Value,
        old: Option<&Value>,
    ) -> Result<(), ApiError> {
        self.admit_as(
            gr,
            op,
            obj,
            old,
            "system:serviceaccount:knative-serving:controller",
        )
    }

    fn admit_as(
        &self,
        gr: &GroupResource,
        op: Operation,
        obj: &mut Value,
        old: Option<&Value>,
        user: &str,
    ) -> Result<(), ApiError> {
        let rt = resource_type(gr);
        let ns = obj
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let name = obj
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        for w in &self.webhooks {
            if !w.handles(&rt) {
                continue;
            }
            let req = AdmissionRequest {
                operation: op,
                resource: &rt,
                namespace: &ns,
                name: &name,
                user,
                old,
                dry_run: false,
                cluster: self,
            };
            w.mutate(&req, obj)?;
            w.validate(&req, obj)?;
        }
        Ok(())
    }

    /// Creates as a user would (webhooks run with `user`).
    pub fn create_as(
        &self,
        gr: &GroupResource,
        mut obj: Value,
        user: &str,
    ) -> Result<Value, ApiError> {
        self.admit_as(gr, Operation::Create, &mut obj, None, user)?;
        self.store_new(gr, obj)
    }

    fn store_new(&self, gr: &GroupResource, mut obj: Value) -> Result<Value, ApiError> {
        let rt = resource_type(gr);
        if obj
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty()
            && let Some(prefix) = obj
                .at("/metadata/generateName")
                .and_then(Value::as_str)
                .map(String::from)
        {
            let n = self.next_rv();
            obj["metadata"]["name"] = json!(format!("{prefix}{n:0>5}"));
        }
        let key = ObjectMap::id(gr, &obj);
        let mut objects = self.objects.lock();
        if objects.contains_key(&key) {
            return Err(ApiError::already_exists(gr, &key.2));
        }
        let rv = self.next_rv();
        obj["apiVersion"] = json!(rt.api_version());
        obj["kind"] = json!(rt.kind);
        obj["metadata"]["uid"] = json!(format!("uid-{}-{}", key.2, rv));
        obj["metadata"]["resourceVersion"] = json!(rv);
        obj["metadata"]["generation"] = json!(1);
        obj["metadata"]["creationTimestamp"] = json!("2026-01-01T00:00:00Z");
        if rt.has_status
            && let Some(o) = obj.as_object_mut()
        {
            o.remove("status");
        }
        objects.insert(key.clone(), obj.clone());
        drop(objects);
        self.record("create", EventKind::Added, gr, &obj);
        Ok(obj)
    }

    fn store_update(
        &self,
        gr: &GroupResource,
        mut obj: Value,
        status_only: bool,
    ) -> Result<Value, ApiError> {
        let key = ObjectMap::id(gr, &obj);
        let old = self.get(gr, &key.1, &key.2)?;
        let rv = obj
            .at("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !rv.is_empty() && rv != old["metadata"]["resourceVersion"].as_str().unwrap_or("") {
            return Err(ApiError::conflict(gr, &key.2));
        }
        if status_only {
            let status = obj.get("status").cloned();
            obj = old.clone();
            match status {
                Some(s) => obj["status"] = s,
                None => {
                    if let Some(o) = obj.as_object_mut() {
                        o.remove("status");
                    }
                }
            }
        } else {
            if !gr.group.is_empty() {
                self.admit(gr, Operation::Update, &mut obj, Some(&old))?;
            }
            // Status is ignored on main-resource writes.
            match old.get("status") {
                Some(s) => obj["status"] = s.clone(),
                None => {
                    if let Some(o) = obj.as_object_mut() {
                        o.remove("status");
                    }
                }
            }
            for k in ["uid", "creationTimestamp", "generation"] {
                obj["metadata"][k] = old["metadata"][k].clone();
            }
            if obj.get("spec") != old.get("spec") {
                obj["metadata"]["generation"] =
                    json!(old["metadata"]["generation"].as_i64().unwrap_or(1) + 1);
            }
            let finalizers_empty = obj
                .at("/metadata/finalizers")
                .and_then(Value::as_array)
                .is_none_or(|a| a.is_empty());
            if finalizers_empty && obj.at("/metadata/deletionTimestamp").is_some() {
                self.objects.lock().remove(&key);
                self.record("finalized", EventKind::Deleted, gr, &obj);
                return Ok(obj);
            }
        }
        obj["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
        if obj == old {
            return Ok(old);
        }
        obj["metadata"]["resourceVersion"] = json!(self.next_rv());
        self.objects.lock().insert(key.clone(), obj.clone());
        let verb = if status_only {
            "update_status"
        } else {
            "update"
        };
        self.record(verb, EventKind::Modified, gr, &obj);
        Ok(obj)
    }

    fn record(&self, verb: &str, kind: EventKind, gr: &GroupResource, obj: &Value) {
        let key = ObjectMap::id(gr, obj);
        self.log
            .lock()
            .map(|mut l| {
                l.push((
                    verb.into(),
                    gr.resource.to_string(),
                    key.2.clone(),
                    obj.clone(),
                ))
            })
            .ok();
        self.events
            .lock()
            .map(|mut e| {
                e.push_back(RecordedEvent {
                    kind,
                    key: ObjectKey::new(gr.clone(), &key.1, &key.2),
                    object: obj.clone(),
                })
            })
            .ok();
    }

    /// All objects of a resource in a namespace, for assertions.
    pub fn all(&self, gr: &GroupResource) -> Vec<Value> {
        self.list(gr, "")
    }
}

impl ClusterApi for FakeCluster {
    fn get(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<Value, ApiError> {
        self.objects.get(gr, namespace, name)
    }

    fn list(&self, gr: &GroupResource, namespace: &str) -> Vec<Value> {
        self.objects.list(gr, namespace)
    }

    fn create(&self, gr: &GroupResource, mut object: Value) -> Result<Arc<Value>, ApiError> {
        if !gr.group.is_empty() {
            self.admit(gr, Operation::Create, &mut object, None)?;
        }
        self.store_new(gr, object).map(Arc::new)
    }

    fn update(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError> {
        self.store_update(gr, object, false).map(Arc::new)
    }

    fn update_status(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError> {
        self.store_update(gr, object, true).map(Arc::new)
    }

    fn merge_patch(
        &self,
        gr: &GroupResource,
        namespace: &str,
        name: &str,
        patch: &Value,
    ) -> Result<Arc<Value>, ApiError> {
        let mut obj = self.get(gr, namespace, name)?;
        let mut patch = patch.clone();
        if let Some(rv) = patch
            .at("/metadata/resourceVersion")
            .and_then(Value::as_str)
            && rv != obj["metadata"]["resourceVersion"].as_str().unwrap_or("")
        {
            return Err(ApiError::conflict(gr, name));
        }
        if let Some(m) = patch.get_mut("metadata").and_then(Value::as_object_mut) {
            m.remove("resourceVersion");
        }
        json_patch::merge(&mut obj, &patch);
        self.store_update(gr, obj, false).map(Arc::new)
    }

    fn delete(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<(), ApiError> {
        let obj = self.get(gr, namespace, name)?;
        let has_finalizers = obj
            .at("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        let key = (gr.clone(), namespace.to_string(), name.to_string());
        if has_finalizers {
            let mut obj = obj;
            obj["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:01Z");
            obj["metadata"]["resourceVersion"] = json!(self.next_rv());
            self.objects.lock().insert(key, obj.clone());
            self.record("delete", EventKind::Modified, gr, &obj);
        } else {
            self.objects.lock().remove(&key);
            self.record("delete", EventKind::Deleted, gr, &obj);
            // Background garbage collection of dependents.
            let uid = obj
                .at("/metadata/uid")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let all: Vec<(GroupResource, Value)> = self
                .objects
                .lock()
                .iter()
                .map(|((g, _, _), v)| (g.clone(), v.clone()))
                .collect();
            for (g, dep) in all {
                let owned = dep
                    .at("/metadata/ownerReferences")
                    .and_then(Value::as_array)
                    .is_some_and(|refs| {
                        refs.iter()
                            .any(|r| r.get("uid").and_then(Value::as_str) == Some(uid.as_str()))
                    });
                if owned {
                    let ns = dep
                        .at("/metadata/namespace")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    let n = dep
                        .at("/metadata/name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    let _ = self.delete(&g, &ns, &n);
                }
            }
        }
        Ok(())
    }

    fn config(&self) -> &crate::Config {
        &self.config
    }
}
