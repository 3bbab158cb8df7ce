//! A bare in-memory [`ClusterApi`] for unit tests of eventing pieces that only read objects
//! or write them back verbatim (no admission, no schema).

use std::sync::Arc;

use serde_json::{Value, json};

use crate::cluster::ClusterApi;
use crate::knative::testing::ObjectMap;
use crate::resource::GroupResource;
use crate::status::ApiError;

#[derive(Default)]
pub struct MapCluster {
    config: crate::Config,
    objects: ObjectMap,
}

impl MapCluster {
    /// Stores an object as given.
    pub fn put(&self, gr: &GroupResource, obj: Value) {
        self.objects.lock().insert(ObjectMap::id(gr, &obj), obj);
    }

    /// Stores a ConfigMap's data.
    pub fn put_configmap(&self, namespace: &str, name: &str, data: Value) {
        self.put(
            &GroupResource::of("", "configmaps"),
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": name, "namespace": namespace}, "data": data}),
        );
    }
}

impl ClusterApi for MapCluster {
    fn get(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<Value, ApiError> {
        self.objects.get(gr, namespace, name)
    }

    fn list(&self, gr: &GroupResource, namespace: &str) -> Vec<Value> {
        self.objects.list(gr, namespace)
    }

    fn create(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError> {
        let k = ObjectMap::id(gr, &object);
        let mut objects = self.objects.lock();
        if objects.contains_key(&k) {
            return Err(ApiError::already_exists(gr, &k.2));
        }
        objects.insert(k, object.clone());
        Ok(Arc::new(object))
    }

    fn update(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError> {
        self.put(gr, object.clone());
        Ok(Arc::new(object))
    }

    fn update_status(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError> {
        self.update(gr, object)
    }

    fn merge_patch(
        &self,
        gr: &GroupResource,
        namespace: &str,
        name: &str,
        patch: &Value,
    ) -> Result<Arc<Value>, ApiError> {
        let mut obj = self.get(gr, namespace, name)?;
        json_patch::merge(&mut obj, patch);
        self.update(gr, obj)
    }

    fn delete(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<(), ApiError> {
        self.objects
            .lock()
            .remove(&(gr.clone(), namespace.to_string(), name.to_string()))
            .map(|_| ())
            .ok_or_else(|| ApiError::not_found(gr, name))
    }

    fn config(&self) -> &crate::Config {
        &self.config
    }
}
