//! `apiextensions.k8s.io/v1` CustomResourceDefinitions: the Knative CRDs the emulator was built
//! with, served read-only (get, list, watch) as a real cluster shows them, so clients that
//! discover types through CRDs (`kn source list-types`, `kubectl get crd`) work.

use serde_json::{Value, json};

use crate::catalog::{Column, TypeInfo};
use crate::crd::CrdSet;
use crate::json::At;
use crate::resource::ResourceType;
use crate::validation::NameRule;

pub const GROUP: &str = "apiextensions.k8s.io";

/// Whether a type only answers reads here (CRDs: the served set is fixed at build time).
pub fn read_only(ti: &TypeInfo) -> bool {
    ti.rt.group == GROUP
}

/// The CustomResourceDefinition type, cluster-scoped.
pub fn types() -> Vec<TypeInfo> {
    vec![TypeInfo {
        rt: ResourceType {
            group: GROUP.into(),
            version: "v1".into(),
            plural: "customresourcedefinitions".into(),
            singular: "customresourcedefinition".into(),
            kind: "CustomResourceDefinition".into(),
            list_kind: "CustomResourceDefinitionList".into(),
            namespaced: false,
            short_names: vec!["crd".into(), "crds".into()],
            categories: vec!["api-extensions".into()],
            has_status: false,
            storage: true,
            deprecation_warning: None,
        },
        custom: false,
        name_rule: NameRule::Subdomain,
        extra_fields: Vec::new(),
        // The API server's default table: name and creation time.
        columns: vec![
            Column::name_column(),
            Column::computed(
                "Created At",
                "date",
                "CreationTimestamp is a timestamp representing the server time when this object was created.",
                0,
                |o| {
                    o.at("/metadata/creationTimestamp")
                        .cloned()
                        .unwrap_or(Value::Null)
                },
            ),
        ],
        schema: None,
    }]
}

/// The CRD objects a fresh cluster holds, with the status apiextensions-apiserver gives an
/// established CRD.
pub fn objects(now: &str) -> Vec<Value> {
    CrdSet::knative()
        .manifests()
        .iter()
        .map(|manifest| {
            let mut crd = manifest.clone();
            let names = crd.at("/spec/names").cloned().unwrap_or(json!({}));
            let mut accepted = names.clone();
            if let (Some(accepted), Some(kind)) = (
                accepted.as_object_mut(),
                names.get("kind").and_then(Value::as_str),
            ) {
                accepted
                    .entry("singular")
                    .or_insert_with(|| json!(kind.to_lowercase()));
                accepted
                    .entry("listKind")
                    .or_insert_with(|| json!(format!("{kind}List")));
            }
            let stored: Vec<Value> = crd
                .at("/spec/versions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|v| v.get("storage").and_then(Value::as_bool) == Some(true))
                .filter_map(|v| v.get("name").cloned())
                .collect();
            crd["status"] = json!({
                "acceptedNames": accepted,
                "conditions": [
                    {"type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                     "message": "no conflicts found", "lastTransitionTime": now},
                    {"type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                     "message": "the initial names have been accepted", "lastTransitionTime": now}
                ],
                "storedVersions": stored,
            });
            crd
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_knative_crd_is_served_established() {
        let objects = objects("2026-01-01T00:00:00Z");
        assert_eq!(objects.len(), CrdSet::knative().manifests().len());
        let services = objects
            .iter()
            .find(|o| o["metadata"]["name"] == "services.serving.knative.dev")
            .expect("services CRD");
        assert_eq!(services["kind"], "CustomResourceDefinition");
        assert_eq!(services["status"]["storedVersions"], json!(["v1"]));
        assert_eq!(services["status"]["acceptedNames"]["kind"], "Service");
        assert_eq!(services["status"]["conditions"][1]["type"], "Established");
        let ping = objects
            .iter()
            .find(|o| o["metadata"]["name"] == "pingsources.sources.knative.dev")
            .expect("pingsources CRD");
        assert_eq!(
            ping["metadata"]["labels"]["duck.knative.dev/source"],
            "true"
        );
    }
}
