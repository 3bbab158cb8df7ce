//! Discovery documents: `/version`, `/api`, `/api/v1`, `/apis`, `/apis/GROUP`,
//! `/apis/GROUP/VERSION`, computed once from the catalog.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use base64::Engine;
use serde_json::{Value, json};

use crate::registry::{Catalog, TypeInfo};

/// The Kubernetes version the emulator reports (Knative's floor is 1.34).
pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": "34",
        "emulationMajor": "1",
        "emulationMinor": "34",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "33",
        "gitVersion": "v1.34.0",
        "gitCommit": "f28b4c9efbca5c5c0af716d9f2d5702667ee8a45",
        "gitTreeState": "clean",
        "buildDate": "2025-08-27T10:09:18Z",
        "goVersion": "go1.24.6",
        "compiler": "gc",
        "platform": "linux/amd64",
    })
}

/// Kubernetes version ordering: GA > beta > alpha, higher numbers first.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    fn parse(v: &str) -> Option<(u32, u32, u32)> {
        let rest = v.strip_prefix('v')?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let major: u32 = digits.parse().ok()?;
        let tail = &rest[digits.len()..];
        if tail.is_empty() {
            return Some((2, major, 0));
        }
        let (level, num) = if let Some(n) = tail.strip_prefix("beta") {
            (1, n)
        } else if let Some(n) = tail.strip_prefix("alpha") {
            (0, n)
        } else {
            return None;
        };
        Some((level, major, num.parse().ok()?))
    }
    match (parse(a), parse(b)) {
        (Some((la, ma, na)), Some((lb, mb, nb))) => (lb, mb, nb).cmp(&(la, ma, na)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// Upstream's `StorageVersionHash`: the first 8 bytes of the SHA-256 of
/// `group/version/kind` of the storage version, in base64.
fn storage_version_hash(storage: &TypeInfo) -> String {
    let text = format!(
        "{}/{}/{}",
        storage.rt.group, storage.rt.version, storage.rt.kind
    );
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(&digest.as_ref()[..8])
}

fn resource_entries(ti: &TypeInfo, storage: &TypeInfo) -> Vec<Value> {
    // Custom resources list their verbs in the apiextensions server's order.
    let mut verbs = if ti.custom {
        vec![
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "create",
            "update",
            "watch",
        ]
    } else {
        vec![
            "create",
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "update",
            "watch",
        ]
    };
    if ti.rt.group.is_empty() && ti.rt.plural == "namespaces" {
        verbs.retain(|v| *v != "deletecollection");
    }
    if crate::apiextensions::read_only(ti) {
        verbs = vec!["get", "list", "watch"];
    }
    let mut main = json!({
        "name": ti.rt.plural,
        "singularName": ti.rt.singular,
        "namespaced": ti.rt.namespaced,
        "kind": ti.rt.kind,
        "verbs": verbs,
    });
    if !ti.rt.short_names.is_empty() {
        main["shortNames"] = json!(ti.rt.short_names);
    }
    if !ti.rt.categories.is_empty() {
        main["categories"] = json!(ti.rt.categories);
    }
    main["storageVersionHash"] = json!(storage_version_hash(storage));
    let mut entries = vec![main];
    if ti.rt.group.is_empty() && ti.rt.plural == "pods" {
        entries.push(json!({
            "name": "pods/log",
            "singularName": "",
            "namespaced": true,
            "kind": "Pod",
            "verbs": ["get"],
        }));
    }
    if ti.rt.has_status {
        entries.push(json!({
            "name": format!("{}/status", ti.rt.plural),
            "singularName": "",
            "namespaced": ti.rt.namespaced,
            "kind": ti.rt.kind,
            "verbs": ["get", "patch", "update"],
        }));
    }
    entries
}

/// Precomputed discovery responses.
pub struct Discovery {
    pub api: Value,
    pub apis: Value,
    pub groups: BTreeMap<String, Value>,
    pub resource_lists: BTreeMap<(String, String), Value>,
}

impl Discovery {
    pub fn new(catalog: &Catalog) -> Discovery {
        let mut by_gv: BTreeMap<(String, String), Vec<&TypeInfo>> = BTreeMap::new();
        for ti in catalog.all() {
            by_gv
                .entry((ti.rt.group.clone(), ti.rt.version.clone()))
                .or_default()
                .push(ti);
        }
        let mut resource_lists = BTreeMap::new();
        let mut versions_by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for ((group, version), types) in &by_gv {
            let group_version = if group.is_empty() {
                version.clone()
            } else {
                format!("{group}/{version}")
            };
            let mut resources: Vec<Value> = types
                .iter()
                .flat_map(|t| {
                    let storage = catalog.storage(&t.gr());
                    resource_entries(t, storage.as_deref().unwrap_or(t))
                })
                .collect();
            resources.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
            let mut list = json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources});
            if group.is_empty() {
                // The legacy `/api/v1` list carries no apiVersion.
                list.as_object_mut().map(|l| l.remove("apiVersion"));
            }
            resource_lists.insert((group.clone(), version.clone()), list);
            if !group.is_empty() {
                versions_by_group
                    .entry(group.clone())
                    .or_default()
                    .push(version.clone());
            }
        }
        // The review APIs are served beside the catalog's types (never stored).
        for (group, resources) in super::reviews::discovery_resources() {
            let list = json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": format!("{group}/v1"), "resources": resources});
            resource_lists.insert((group.to_string(), "v1".to_string()), list);
            versions_by_group
                .entry(group.to_string())
                .or_default()
                .push("v1".to_string());
        }
        let mut groups = BTreeMap::new();
        let mut group_list = Vec::new();
        for (group, mut versions) in versions_by_group {
            versions.sort_by(|a, b| compare_versions(a, b));
            let entries: Vec<Value> = versions
                .iter()
                .map(|v| json!({"groupVersion": format!("{group}/{v}"), "version": v}))
                .collect();
            let preferred = entries.first().cloned().unwrap_or(Value::Null);
            let doc = json!({"name": group, "versions": entries, "preferredVersion": preferred});
            let mut single = doc.clone();
            single["kind"] = json!("APIGroup");
            single["apiVersion"] = json!("v1");
            groups.insert(group.clone(), single);
            group_list.push(doc);
        }
        Discovery {
            api: json!({
                "kind": "APIVersions",
                "versions": ["v1"],
                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}],
            }),
            apis: json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": group_list}),
            groups,
            resource_lists,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_kubernetes_style() {
        let mut v = vec!["v1alpha1", "v1beta1", "v1", "v1beta3", "v1beta2", "v2"];
        v.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(v, ["v2", "v1", "v1beta3", "v1beta2", "v1beta1", "v1alpha1"]);
    }
}
