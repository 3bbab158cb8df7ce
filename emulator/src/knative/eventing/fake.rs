//! A bare in-memory [`ClusterApi`] for unit tests of eventing pieces that only read objects
//! or write them back verbatim (no admission, no schema).

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::cluster::ClusterApi;
use crate::resource::GroupResource;
use crate::status::ApiError;

type Key = (GroupResource, String, String);

#[derive(Default)]
pub struct MapCluster {
    config: crate::Config,
    objects: Mutex<BTreeMap<Key, Value>>,
}

fn key(gr: &GroupResource, obj: &Value) -> Key {
    (
        gr.clone(),
        obj.pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        obj.pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    )
}

impl MapCluster {
    /// Stores an object as given.
    pub fn put(&self, gr: &GroupResource, obj: Value) {
        self.objects
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key(gr, &obj), obj);
    }

    /// Stores a ConfigMap's data.
    pub fn put_configmap(&self, namespace: &str, name: &str, data: Value) {
        self.put(
            &GroupResource::new("", "configmaps"),
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": name, "namespace": namespace}, "data": data}),
        );
    }
}

impl ClusterApi for MapCluster {
    fn get(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<Value, ApiError> {
        self.objects
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(gr.clone(), namespace.to_string(), name.to_string()))
            .cloned()
            .ok_or_else(|| ApiError::not_found(gr, name))
    }

    fn list(&self, gr: &GroupResource, namespace: &str) -> Vec<Value> {
        self.objects
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|((g, ns, _), _)| g == gr && (namespace.is_empty() || ns == namespace))
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn create(&self, gr: &GroupResource, object: Value) -> Result<Value, ApiError> {
        let k = key(gr, &object);
        let mut objects = self.objects.lock().unwrap_or_else(|e| e.into_inner());
        if objects.contains_key(&k) {
            return Err(ApiError::already_exists(gr, &k.2));
        }
        objects.insert(k, object.clone());
        Ok(object)
    }

    fn update(&self, gr: &GroupResource, object: Value) -> Result<Value, ApiError> {
        self.put(gr, object.clone());
        Ok(object)
    }

    fn update_status(&self, gr: &GroupResource, object: Value) -> Result<Value, ApiError> {
        self.update(gr, object)
    }

    fn merge_patch(
        &self,
        gr: &GroupResource,
        namespace: &str,
        name: &str,
        patch: &Value,
    ) -> Result<Value, ApiError> {
        let mut obj = self.get(gr, namespace, name)?;
        json_patch::merge(&mut obj, patch);
        self.update(gr, obj)
    }

    fn delete(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<(), ApiError> {
        self.objects
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&(gr.clone(), namespace.to_string(), name.to_string()))
            .map(|_| ())
            .ok_or_else(|| ApiError::not_found(gr, name))
    }

    fn config(&self) -> &crate::Config {
        &self.config
    }
}
