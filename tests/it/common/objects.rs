//! Seeding and reading stored objects directly through the emulator's `ClusterApi`, bypassing
//! knit: set-up before a run and checks of what a run stored.

use knit_emulator::fields_form;
use knit_emulator::resource::GroupResource;
use serde_json::{Value, json};

use super::Cluster;

/// A minimal Knative Service object.
pub fn service_object(namespace: &str, name: &str, image: &str) -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}}
    })
}

/// The env entries of a stored Service's first container as `NAME=value` lines.
pub fn env_of(service: &Value) -> Vec<String> {
    service
        .pointer("/spec/template/spec/containers/0/env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "{}={}",
                e["name"].as_str().unwrap_or_default(),
                e["value"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// A stored Service's `status.traffic` as (revision, percent) pairs, in order.
pub fn served_traffic(service: &Value) -> Vec<(String, i64)> {
    service["status"]["traffic"]
        .as_array()
        .expect("status.traffic")
        .iter()
        .map(|t| {
            (
                t["revisionName"]
                    .as_str()
                    .expect("revisionName")
                    .to_string(),
                t["percent"].as_i64().expect("percent"),
            )
        })
        .collect()
}

impl Cluster {
    /// Creates an object directly in the cluster (through admission, like an API create).
    pub fn create(&self, group: &str, resource: &str, object: Value) -> Value {
        self.api()
            .create(&GroupResource::new(group, resource), object)
            .map(std::sync::Arc::unwrap_or_clone)
            .unwrap_or_else(|e| panic!("seed {resource}: {e:?}"))
    }

    /// Reads a stored object as a client sees it, `None` when absent.
    pub fn get(&self, group: &str, resource: &str, namespace: &str, name: &str) -> Option<Value> {
        self.api()
            .get(&GroupResource::new(group, resource), namespace, name)
            .ok()
            .map(|o| fields_form::expanded(&o))
    }

    /// A stored Knative Serving object (`services`, `revisions`, `configurations`, `routes`);
    /// panics when absent.
    pub fn serving(&self, resource: &str, namespace: &str, name: &str) -> Value {
        self.api()
            .get(
                &GroupResource::new("serving.knative.dev", resource),
                namespace,
                name,
            )
            .map(|o| fields_form::expanded(&o))
            .unwrap_or_else(|e| panic!("{resource} {namespace}/{name}: {e:?}"))
    }

    /// The stored Service `name` in `default`; panics when absent.
    pub fn stored_service(&self, name: &str) -> Value {
        self.serving("services", "default", name)
    }

    /// Names of the revisions of a service in `default`, oldest first.
    pub fn revisions(&self, service: &str) -> Vec<String> {
        let mut revisions: Vec<(i64, String)> = self
            .api()
            .list(
                &GroupResource::new("serving.knative.dev", "revisions"),
                "default",
            )
            .into_iter()
            .filter(|r| {
                r.pointer("/metadata/labels/serving.knative.dev~1service")
                    .and_then(Value::as_str)
                    == Some(service)
            })
            .map(|r| {
                let generation = r
                    .pointer("/metadata/labels/serving.knative.dev~1configurationGeneration")
                    .and_then(Value::as_str)
                    .and_then(|g| g.parse().ok())
                    .unwrap_or(0);
                let name = r
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                (generation, name)
            })
            .collect();
        revisions.sort();
        revisions.into_iter().map(|(_, n)| n).collect()
    }

    /// Creates a namespace.
    pub fn namespace(&self, name: &str) {
        self.create(
            "",
            "namespaces",
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}),
        );
    }

    /// Creates a Knative Service running `image` (not waiting for it).
    pub fn service(&self, namespace: &str, name: &str, image: &str) -> Value {
        self.create(
            "serving.knative.dev",
            "services",
            service_object(namespace, name, image),
        )
    }

    /// Creates a Knative Service and waits (with `knit service wait`) until it is Ready.
    pub fn ready_service(&self, namespace: &str, name: &str, image: &str) {
        self.service(namespace, name, image);
        let out = self.knit(&["service", "wait", name, "-n", namespace]);
        assert_eq!(out.code, 0, "service {name} did not get ready: {out:?}");
    }

    /// Edits a stored Service (read, change, write back) and returns the stored result.
    pub fn edit_service(
        &self,
        namespace: &str,
        name: &str,
        edit: impl FnOnce(&mut Value),
    ) -> Value {
        let gr = GroupResource::new("serving.knative.dev", "services");
        let mut object = self
            .api()
            .get(&gr, namespace, name)
            .expect("service exists");
        edit(&mut object);
        self.api()
            .update(&gr, object)
            .map(std::sync::Arc::unwrap_or_clone)
            .unwrap_or_else(|e| panic!("update service: {e:?}"))
    }

    /// A ready service `name` with two revisions: `NAME-00001` tagged `stable` at 10% and the
    /// latest (`NAME-00002`) tagged `current` at 90%.
    pub fn split_service(&self, namespace: &str, name: &str) {
        self.ready_service(namespace, name, "gcr.io/knative-samples/helloworld-go");
        self.edit_service(namespace, name, |svc| {
            svc["spec"]["template"]["spec"]["containers"][0]["env"] =
                json!([{"name": "TARGET", "value": "v2"}]);
            svc["spec"]["traffic"] = json!([
                {"revisionName": format!("{name}-00001"), "percent": 10, "tag": "stable"},
                {"latestRevision": true, "percent": 90, "tag": "current"}
            ]);
        });
        let out = self.knit(&["service", "wait", name, "-n", namespace]);
        assert_eq!(out.code, 0, "service {name} did not get ready: {out:?}");
    }

    /// Sets entries of a Knative Serving ConfigMap (`config-features`, `config-network` …).
    pub fn set_config(&self, configmap: &str, entries: &[(&str, &str)]) {
        let gr = GroupResource::new("", "configmaps");
        let mut cm = self
            .api()
            .get(&gr, "knative-serving", configmap)
            .unwrap_or_else(|e| panic!("{configmap}: {e:?}"));
        for (key, value) in entries {
            cm["data"][*key] = Value::String(value.to_string());
        }
        self.api()
            .update(&gr, cm)
            .unwrap_or_else(|e| panic!("update {configmap}: {e:?}"));
    }

    /// Sets Knative Serving feature flags (`config-features`).
    pub fn set_features(&self, flags: &[(&str, &str)]) {
        self.set_config("config-features", flags);
    }

    /// Lets DomainMappings claim their domain automatically (Knative's
    /// `autocreate-cluster-domain-claims`, off by default as in a real cluster).
    pub fn autocreate_domain_claims(&self) {
        self.set_config(
            "config-network",
            &[("autocreate-cluster-domain-claims", "true")],
        );
    }

    /// Polls until the object is gone. Deleting an object with a finalizer (a DomainMapping, a
    /// Route, a PingSource …) only marks it; its controller removes it a moment later.
    /// Panics after 20 s.
    pub fn until_gone(&self, group: &str, resource: &str, namespace: &str, name: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while let Some(object) = self.get(group, resource, namespace, name) {
            assert!(
                std::time::Instant::now() < deadline,
                "{resource} {name} was never removed: {object:#}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Polls the stored object until its Ready condition is True (controllers run in the
    /// background; DomainMappings have no wait command). Panics after 20 s.
    pub fn until_ready(&self, group: &str, resource: &str, namespace: &str, name: &str) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Some(object) = self.get(group, resource, namespace, name) {
                let ready = object["status"]["conditions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| c["type"] == "Ready" && c["status"] == "True");
                let observed =
                    object["status"]["observedGeneration"] == object["metadata"]["generation"];
                if ready && observed {
                    return object;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "{resource} {name} never got ready: {object:#}"
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}
