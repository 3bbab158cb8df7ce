//! `knit explain`'s machinery: maps `RESOURCE[.field.path]` to a group/version/resource as
//! kubectl's RESTMapper does, and finds the OpenAPI v3 document to render, from the cluster or,
//! with no cluster, from the Knative CRDs built into knit.

use serde_json::Value;

use crate::client::Client;
use crate::error::{Error, Result};
use kubetext::explain::Gvr;

/// One resource type a server serves, as its discovery document lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub group: String,
    pub version: String,
    pub plural: String,
    pub singular: String,
    pub kind: String,
    pub short_names: Vec<String>,
}

impl Candidate {
    /// `plural.group`, as kubectl prints a GroupResource.
    fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    fn gvr(&self) -> Gvr {
        Gvr {
            group: self.group.clone(),
            version: self.version.clone(),
            resource: self.plural.clone(),
        }
    }
}

/// Where the schemas come from.
pub enum Source<'a> {
    /// The cluster's discovery and `/openapi/v3`.
    Cluster(&'a Client),
    /// The emulator's catalog: the Knative CRDs (and core kinds) knit is built with.
    Builtin(Box<Builtin>),
}

/// The discovery and OpenAPI documents of knit's own catalog.
pub struct Builtin {
    discovery: knit_emulator::server::discovery::Discovery,
    openapi: knit_emulator::server::openapi::OpenApi,
}

impl Builtin {
    pub fn new() -> Builtin {
        let catalog = knit_emulator::catalog();
        Builtin {
            discovery: knit_emulator::server::discovery::Discovery::new(&catalog),
            openapi: knit_emulator::server::openapi::OpenApi::new(&catalog),
        }
    }
}

impl Default for Builtin {
    fn default() -> Self {
        Builtin::new()
    }
}

impl Source<'_> {
    /// Every resource type, in the mapper's order: the core group, then the groups as `/apis`
    /// lists them, each at its preferred version before its others.
    pub async fn candidates(&self) -> Result<Vec<Candidate>> {
        let (core, apis) = match self {
            Source::Cluster(client) => {
                let (core, apis) =
                    futures::join!(client.get_document("/api/v1"), client.get_document("/apis"));
                (core?, apis?)
            }
            Source::Builtin(b) => (
                b.discovery
                    .resource_lists
                    .get(&(String::new(), "v1".to_string()))
                    .cloned(),
                Some(b.discovery.apis.clone()),
            ),
        };
        let mut lists: Vec<(String, String, Value)> = Vec::new();
        if let Some(core) = core {
            lists.push((String::new(), "v1".into(), core));
        }
        // Each group's preferred version first, then its other versions as listed.
        let versions: Vec<(String, String)> = apis
            .as_ref()
            .and_then(|a| a["groups"].as_array())
            .into_iter()
            .flatten()
            .flat_map(|g| {
                let name = g["name"].as_str().unwrap_or_default();
                let preferred = g["preferredVersion"]["version"].as_str();
                let others = g["versions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v["version"].as_str())
                    .filter(move |v| Some(*v) != preferred);
                preferred
                    .into_iter()
                    .chain(others)
                    .map(move |v| (name.to_string(), v.to_string()))
            })
            .filter(|(name, _)| !name.is_empty())
            .collect();
        let fetched = futures::future::join_all(
            versions
                .iter()
                .map(|(group, version)| self.resource_list(group.clone(), version.clone())),
        )
        .await;
        for ((group, version), list) in versions.into_iter().zip(fetched) {
            if let Some(list) = list? {
                lists.push((group, version, list));
            }
        }
        Ok(lists
            .into_iter()
            .flat_map(|(group, version, list)| candidates_of(&group, &version, &list))
            .collect())
    }

    async fn resource_list(&self, group: String, version: String) -> Result<Option<Value>> {
        match self {
            Source::Cluster(client) => {
                client
                    .get_document(&format!("/apis/{group}/{version}"))
                    .await
            }
            Source::Builtin(b) => Ok(b.discovery.resource_lists.get(&(group, version)).cloned()),
        }
    }

    /// The OpenAPI v3 document of one group/version (`api/v1`, `apis/G/V`), `None` when the
    /// server publishes none for it.
    pub async fn document(&self, gvr: &Gvr) -> Result<Option<Value>> {
        let key = if gvr.group.is_empty() {
            format!("api/{}", gvr.version)
        } else {
            format!("apis/{}/{}", gvr.group, gvr.version)
        };
        match self {
            Source::Builtin(b) => Ok(b.openapi.document(&key).cloned()),
            Source::Cluster(client) => {
                let Some(index) = client.get_document("/openapi/v3").await? else {
                    return Err(Error::failed(
                        "the cluster publishes no OpenAPI v3 (/openapi/v3 is not found); explain needs Kubernetes 1.27 or newer",
                    ));
                };
                let Some(url) = index["paths"][&key]["serverRelativeURL"].as_str() else {
                    return Ok(None);
                };
                client.get_document(url).await
            }
        }
    }
}

/// The resource types of one APIResourceList (subresources left out).
fn candidates_of(group: &str, version: &str, list: &Value) -> Vec<Candidate> {
    list["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let plural = r["name"].as_str()?;
            if plural.contains('/') {
                return None;
            }
            let kind = r["kind"].as_str().unwrap_or_default();
            let singular = r["singularName"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| kind.to_ascii_lowercase());
            Some(Candidate {
                group: group.to_string(),
                version: version.to_string(),
                plural: plural.to_string(),
                singular,
                kind: kind.to_string(),
                short_names: r["shortNames"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect(),
            })
        })
        .collect()
}

/// Splits `RESOURCE[.field…]` and maps the resource as kubectl does: a short name first, then
/// plural, singular or kind (any case); `plural.group.field…` picks that group.
pub fn resolve(input: &str, candidates: &[Candidate]) -> Result<(Gvr, Vec<String>)> {
    let input = input.trim_end_matches('.');
    let mut words = input.split('.');
    let resource = words.next().unwrap_or_default().to_ascii_lowercase();
    if resource.is_empty() {
        return Err(Error::usage_in(
            "explain",
            format!(
                "invalid resource {input:?}: expected RESOURCE[.FIELD...], e.g. ksvc.spec.template"
            ),
        ));
    }
    let by_short: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| {
            c.short_names
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&resource))
        })
        .collect();
    let matches = if by_short.is_empty() {
        candidates
            .iter()
            .filter(|c| {
                c.plural == resource
                    || c.singular == resource
                    || c.kind.eq_ignore_ascii_case(&resource)
            })
            .collect()
    } else {
        by_short
    };
    let Some(first) = matches.first() else {
        return Err(Error::failed(format!(
            "the server doesn't have a resource type \"{resource}\""
        )));
    };
    let lower = input.to_ascii_lowercase();
    let grouped = matches
        .iter()
        .filter(|c| !c.group.is_empty())
        .map(|c| (c, c.group_resource()))
        .filter(|(_, gr)| {
            lower.starts_with(gr.as_str())
                && matches!(lower.as_bytes().get(gr.len()), None | Some(b'.'))
        })
        // The longest prefix; of equals, the first (the preferred version).
        .fold(
            None,
            |best: Option<(&&Candidate, String)>, (c, gr)| match best {
                Some((_, ref b)) if b.len() >= gr.len() => best,
                _ => Some((c, gr)),
            },
        );
    let (chosen, rest) = match grouped {
        Some((c, gr)) => (*c, input.get(gr.len()..).unwrap_or_default()),
        None => (*first, input.get(resource.len()..).unwrap_or_default()),
    };
    let fields = rest
        .split('.')
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect();
    Ok((chosen.gvr(), fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(group: &str, plural: &str, kind: &str, short: &[&str]) -> Candidate {
        Candidate {
            group: group.into(),
            version: "v1".into(),
            plural: plural.into(),
            singular: kind.to_ascii_lowercase(),
            kind: kind.into(),
            short_names: short.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn all() -> Vec<Candidate> {
        vec![
            candidate("", "services", "Service", &["svc"]),
            candidate(
                "serving.knative.dev",
                "services",
                "Service",
                &["kservice", "ksvc"],
            ),
            candidate("eventing.knative.dev", "brokers", "Broker", &[]),
        ]
    }

    fn resolved(input: &str) -> (String, Vec<String>) {
        let (gvr, fields) = resolve(input, &all()).unwrap();
        (gvr.to_string(), fields)
    }

    #[test]
    fn short_names_plural_singular_and_kind_map_as_kubectl_maps_them() {
        let ksvc = "serving.knative.dev/v1, Resource=services".to_string();
        assert_eq!(resolved("ksvc"), (ksvc.clone(), vec![]));
        assert_eq!(
            resolved("ksvc.spec.template"),
            (ksvc.clone(), vec!["spec".into(), "template".into()])
        );
        assert_eq!(
            resolved("services.serving.knative.dev.spec"),
            (ksvc, vec!["spec".into()])
        );
        assert_eq!(resolved("Service").0, "v1, Resource=services");
        assert_eq!(resolved("broker.spec.").1, vec!["spec".to_string()]);
    }

    #[test]
    fn an_unknown_resource_is_named() {
        let err = resolve("widgets.spec", &all()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the server doesn't have a resource type \"widgets\""
        );
    }

    #[test]
    fn the_builtin_catalog_explains_a_knative_service() {
        let builtin = Source::Builtin(Box::default());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let candidates = runtime.block_on(builtin.candidates()).unwrap();
        let (gvr, fields) =
            resolve("ksvc.spec.template.spec.containerConcurrency", &candidates).unwrap();
        let document = runtime.block_on(builtin.document(&gvr)).unwrap().unwrap();
        let text = kubetext::explain::render(&document, &gvr, &fields, false).unwrap();
        assert!(
            text.starts_with("GROUP:      serving.knative.dev\nKIND:       Service\nVERSION:    v1\n\nFIELD: containerConcurrency <integer>\n"),
            "{text}"
        );
    }
}
