//! The registry as the in-process controllers see it ([`ClusterApi`]): their reads share the
//! stored objects, and their writes go through the same pipeline as HTTP requests, as the
//! user each controller runs as.

use super::*;

use crate::json::At;

/// The user Knative's controllers write as, by API group.
fn controller_user(gr: &GroupResource) -> &'static str {
    if gr.group.ends_with("serving.knative.dev")
        || gr.group.ends_with(".internal.knative.dev")
        || gr.group.is_empty()
    {
        "system:serviceaccount:knative-serving:controller"
    } else {
        "system:serviceaccount:knative-eventing:eventing-controller"
    }
}

impl Registry {
    fn controller_options(gr: &GroupResource) -> WriteOptions {
        WriteOptions {
            user: controller_user(gr).to_string(),
            manager: "controller".to_string(),
            ..WriteOptions::default()
        }
    }

    fn storage_type(&self, gr: &GroupResource) -> Result<Arc<TypeInfo>, ApiError> {
        self.catalog
            .storage(gr)
            .ok_or_else(|| ApiError::not_found(gr, ""))
    }

    fn object_namespace(object: &Value) -> String {
        object
            .at("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    }

    fn object_name(object: &Value) -> String {
        object
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    }
}

impl ClusterApi for Registry {
    fn get(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<Value, ApiError> {
        self.get_stored(gr, namespace, name)
            .map(|s| s.value())
            .ok_or_else(|| ApiError::not_found(gr, name))
    }

    fn get_shared(&self, gr: &GroupResource, ns: &str, name: &str) -> Result<Arc<Value>, ApiError> {
        self.get_stored(gr, ns, name)
            .map(|s| s.shared())
            .ok_or_else(|| ApiError::not_found(gr, name))
    }

    fn list(&self, gr: &GroupResource, namespace: &str) -> Vec<Value> {
        self.list_where(gr, namespace, &|_| true)
    }

    fn list_where(
        &self,
        gr: &GroupResource,
        namespace: &str,
        keep: &dyn Fn(&Value) -> bool,
    ) -> Vec<Value> {
        let ns = if namespace.is_empty() {
            None
        } else {
            Some(namespace)
        };
        self.store
            .list(gr, ns, None)
            .0
            .iter()
            .filter(|s| keep(s.object()))
            .map(|s| s.value())
            .collect()
    }

    fn controlled_by(&self, gr: &GroupResource, owner: &Value) -> Vec<Arc<Value>> {
        let uid = owner.at("/metadata/uid").and_then(Value::as_str);
        let ns = owner.at("/metadata/namespace").and_then(Value::as_str);
        let mut found = self.store.dependents(gr, uid.unwrap_or(""));
        found.retain(|s| s.namespace() == ns.unwrap_or(""));
        found.retain(|s| crate::cluster::is_controlled_by(s.object(), owner));
        found.sort_by(|a, b| a.name().cmp(b.name()));
        found.iter().map(|s| s.shared()).collect()
    }

    fn create(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError> {
        let ti = self.storage_type(gr)?;
        let ns = Self::object_namespace(&object);
        Registry::create(self, &ti, &ns, object, &Self::controller_options(gr)).map(|w| w.object)
    }

    fn update(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError> {
        let ti = self.storage_type(gr)?;
        let (ns, name) = (Self::object_namespace(&object), Self::object_name(&object));
        Registry::update(
            self,
            &ti,
            &ns,
            &name,
            object,
            &Self::controller_options(gr),
            Subresource::Main,
        )
        .map(|w| w.object)
    }

    fn update_status(&self, gr: &GroupResource, object: Value) -> Result<Arc<Value>, ApiError> {
        let ti = self.storage_type(gr)?;
        let (ns, name) = (Self::object_namespace(&object), Self::object_name(&object));
        let mut object = object;
        let opts = WriteOptions {
            unconditional: parse_rv(&object).is_none(),
            ..Self::controller_options(gr)
        };
        if opts.unconditional
            && let Some(current) = self.get_stored(gr, &ns, &name)
            && let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.insert("resourceVersion".into(), json!(current.rv.to_string()));
        }
        Registry::update(self, &ti, &ns, &name, object, &opts, Subresource::Status)
            .map(|w| w.object)
    }

    fn update_status_of(
        &self,
        gr: &GroupResource,
        read: &Value,
        status: Value,
    ) -> Result<Arc<Value>, ApiError> {
        let Some(rv) = parse_rv(read) else {
            return self.update_status(gr, crate::cluster::status_body(read, Some(status)));
        };
        let ti = self.storage_type(gr)?;
        let (ns, name) = (Self::object_namespace(read), Self::object_name(read));
        let opts = Self::controller_options(gr);
        Registry::update_status_at(self, &ti, &ns, &name, rv, status, &opts).map(|w| w.object)
    }

    fn merge_patch(
        &self,
        gr: &GroupResource,
        namespace: &str,
        name: &str,
        patch: &Value,
    ) -> Result<Arc<Value>, ApiError> {
        let ti = self.storage_type(gr)?;
        let body = serde_json::to_vec(patch).map_err(|e| ApiError::internal(e.to_string()))?;
        Registry::patch(
            self,
            &ti,
            namespace,
            name,
            PatchKind::Merge,
            &body,
            &Self::controller_options(gr),
            Subresource::Main,
        )
        .map(|w| w.object)
    }

    fn delete(&self, gr: &GroupResource, namespace: &str, name: &str) -> Result<(), ApiError> {
        let ti = self.storage_type(gr)?;
        Registry::delete(
            self,
            &ti,
            namespace,
            name,
            &DeleteOptions::default(),
            &Self::controller_options(gr),
        )
        .map(|_| ())
    }

    fn runs_workloads(&self) -> bool {
        self.config().knative && self.config().controllers
    }

    fn config(&self) -> &Config {
        &self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::status_body;

    fn registry() -> Arc<Registry> {
        let config = Config::default();
        let registry = Registry::new(
            crate::catalog(),
            crate::admission::knative_webhooks(),
            config.clone(),
            64,
        );
        crate::bootstrap(&registry, &config);
        registry
    }

    /// The object but what differs between two objects written the same way.
    fn normalized(object: &Value) -> Value {
        let mut object: Value =
            serde_json::from_slice(&crate::fields_form::to_vec(object)).unwrap();
        let meta = object["metadata"].as_object_mut().unwrap();
        for field in ["name", "uid", "resourceVersion", "creationTimestamp"] {
            meta.remove(field);
        }
        for entry in meta["managedFields"].as_array_mut().unwrap() {
            entry["time"] = json!("T");
        }
        object
    }

    /// A controller's status write of what it read is the `/status` PUT of the object it read,
    /// field ownership included, for a custom and a built-in type.
    #[test]
    fn update_status_of_is_the_status_write_of_the_object_read() {
        let registry = registry();
        let api: &dyn ClusterApi = registry.as_ref();
        let cases = [
            (
                GroupResource::new("serving.knative.dev", "services"),
                json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
                    "metadata": {"namespace": "default", "labels": {"app": "x"}, "annotations": {"a": "b"}},
                    "spec": {"template": {"spec": {"containers": [{"image": "img"}]}}}}),
                [
                    json!({"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "Unknown"}]}),
                    json!({"observedGeneration": 1, "url": "http://x", "conditions": [{"type": "Ready", "status": "True"}]}),
                ],
            ),
            (
                GroupResource::new("apps", "deployments"),
                json!({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"namespace": "default", "labels": {"app": "x"}},
                    "spec": {"selector": {"matchLabels": {"app": "x"}},
                        "template": {"metadata": {"labels": {"app": "x"}},
                            "spec": {"containers": [{"name": "c", "image": "img"}]}}}}),
                [
                    json!({"observedGeneration": 1, "replicas": 1}),
                    json!({"observedGeneration": 1, "replicas": 1, "readyReplicas": 1}),
                ],
            ),
        ];
        for (gr, object, statuses) in cases {
            let mut written = Vec::new();
            for (name, of_read) in [("by-body", false), ("of-read", true)] {
                let mut object = object.clone();
                object["metadata"]["name"] = json!(name);
                let mut read = api.create(&gr, object).unwrap();
                for status in &statuses {
                    read = if of_read {
                        api.update_status_of(&gr, &read, status.clone())
                    } else {
                        api.update_status(&gr, status_body(&read, Some(status.clone())))
                    }
                    .unwrap();
                }
                let stored = api.get_shared(&gr, "default", name).unwrap();
                assert_eq!(stored.as_ref(), read.as_ref());
                written.push(read);
            }
            assert_eq!(normalized(&written[0]), normalized(&written[1]), "{gr:?}");
            assert_eq!(written[1]["status"], statuses[1], "{gr:?}");
            // A status write of an object read before the last write is a conflict.
            let mut stale = object.clone();
            stale["metadata"]["name"] = json!("stale");
            let first = api.create(&gr, stale).unwrap();
            api.update_status_of(&gr, &first, statuses[0].clone())
                .unwrap();
            let err = api
                .update_status_of(&gr, &first, statuses[1].clone())
                .unwrap_err();
            assert_eq!(err.code, 409, "{gr:?}");
        }
    }
}
