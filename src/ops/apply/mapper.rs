//! Which resource type an object's `apiVersion` and `kind` name, from the cluster's discovery
//! (one `/api/v1` or `/apis/GROUP/VERSION` request per apiVersion in the input), so that every
//! kind and version the cluster serves can be applied.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::client::{Client, ResourceKind};
use crate::error::Result;

/// The resource lists of the apiVersions an input uses (`None`: not served).
#[derive(Debug, Default)]
pub struct Mapper {
    served: HashMap<String, Option<Value>>,
    /// Resolved types, each leaked once: [`ResourceKind`] holds `&'static str`s, and an apply
    /// resolves a handful of kinds however many objects it sends.
    resolved: HashMap<(String, String), ResourceKind>,
}

impl Mapper {
    /// Reads the discovery document of each of `api_versions`, concurrently.
    pub async fn discover(client: &Client, api_versions: BTreeSet<String>) -> Result<Mapper> {
        let path = |api_version: &str| match api_version.split_once('/') {
            Some(_) => format!("/apis/{api_version}"),
            None => format!("/api/{api_version}"),
        };
        let fetched = futures::future::join_all(
            api_versions
                .iter()
                .map(|v| async move { client.get_document(&path(v)).await }),
        )
        .await;
        let mut mapper = Mapper::default();
        for (api_version, list) in api_versions.into_iter().zip(fetched) {
            mapper.add(&api_version, list?);
        }
        Ok(mapper)
    }

    /// Records the resource list of `api_version` (`None`: the cluster does not serve it).
    pub fn add(&mut self, api_version: &str, list: Option<Value>) {
        self.served.insert(api_version.to_string(), list);
    }

    /// The type of `kind` in `api_version`, or why it cannot be applied.
    pub fn resolve(
        &mut self,
        api_version: &str,
        kind: &str,
    ) -> std::result::Result<ResourceKind, String> {
        let key = (api_version.to_string(), kind.to_string());
        if let Some(found) = self.resolved.get(&key) {
            return Ok(*found);
        }
        let Some(Some(list)) = self.served.get(api_version) else {
            return Err(format!(
                "the cluster does not serve {api_version}, so it has no kind {kind} (is its API installed?)"
            ));
        };
        let resources: Vec<&Value> = list["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["name"].as_str().is_some_and(|n| !n.contains('/')))
            .collect();
        let Some(resource) = resources.iter().find(|r| r["kind"] == kind) else {
            let mut kinds: Vec<&str> = resources
                .iter()
                .filter_map(|r| r["kind"].as_str())
                .collect();
            kinds.sort_unstable();
            return Err(format!(
                "the cluster serves no kind {kind} in {api_version}; it serves {}",
                kinds.join(", ")
            ));
        };
        let patchable = resource["verbs"]
            .as_array()
            .is_some_and(|verbs| verbs.iter().any(|v| v == "patch"));
        if !patchable {
            return Err(format!(
                "the cluster does not allow {kind} of {api_version} to be applied (it cannot be patched)"
            ));
        }
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
        let resolved = ResourceKind {
            group: leak(group),
            version: leak(version),
            plural: leak(resource["name"].as_str().unwrap_or_default()),
            kind: leak(kind),
            namespaced: resource["namespaced"].as_bool().unwrap_or(true),
        };
        self.resolved.insert(key, resolved);
        Ok(resolved)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use serde_json::json;

    pub(in crate::ops::apply) fn mapper() -> Mapper {
        let mut m = Mapper::default();
        m.add(
            "v1",
            Some(json!({"resources": [
                {"name": "configmaps", "kind": "ConfigMap", "namespaced": true, "verbs": ["get", "patch"]},
                {"name": "namespaces", "kind": "Namespace", "namespaced": false, "verbs": ["get", "patch"]},
                {"name": "namespaces/status", "kind": "Namespace", "namespaced": false, "verbs": ["get"]},
            ]})),
        );
        m.add("example.com/v1", None);
        m
    }

    #[test]
    fn kinds_resolve_from_the_resource_lists() {
        let mut m = mapper();
        let cm = m.resolve("v1", "ConfigMap").unwrap();
        assert_eq!(
            (cm.group, cm.version, cm.plural, cm.kind, cm.namespaced),
            ("", "v1", "configmaps", "ConfigMap", true)
        );
        assert!(!m.resolve("v1", "Namespace").unwrap().namespaced);
        assert_eq!(
            m.resolve("v1", "Pod").unwrap_err(),
            "the cluster serves no kind Pod in v1; it serves ConfigMap, Namespace"
        );
        assert_eq!(
            m.resolve("example.com/v1", "Widget").unwrap_err(),
            "the cluster does not serve example.com/v1, so it has no kind Widget (is its API installed?)"
        );
    }
}
