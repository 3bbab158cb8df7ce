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
